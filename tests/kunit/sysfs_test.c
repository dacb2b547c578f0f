// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the contents of /sys/bus/pci/devices/BDF/gsi
 * (kernel/privcmd-gsi/sysfs.c).
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/pci.h>

#include "internal.h"
#include "kunit_util.h"

static void format_gsi(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct pci_dev *pdev = kunit_find_pci_dev(true);
	struct pgsi_reg r = { .gsi = 19, .irq = 51,
			      .source = PRIVCMD_GSI_SOURCE_REGISTERED };
	char *page;

	if (!pdev)
		kunit_skip(test, "no PCI device with an INTx pin");
	/* sysfs_emit() insists on a page-aligned buffer. */
	page = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_TRUE(test, IS_ALIGNED((unsigned long)page, PAGE_SIZE));

	r.sbdf = pgsi_pci_sbdf(pdev);
	KUNIT_ASSERT_EQ(test, 0, pgsi_store_register(s, &r));
	KUNIT_EXPECT_EQ(test, 3, pgsi_format_gsi(s, pdev, page));
	KUNIT_EXPECT_STREQ(test, "19\n", page);

	/* Still there, unchanged, after the irq went away. */
	pgsi_store_unregister(s, 19);
	KUNIT_EXPECT_EQ(test, 3, pgsi_format_gsi(s, pdev, page));
	KUNIT_EXPECT_STREQ(test, "19\n", page);

	r.gsi = U32_MAX;
	KUNIT_ASSERT_EQ(test, 0, pgsi_store_register(s, &r));
	KUNIT_EXPECT_EQ(test, 11, pgsi_format_gsi(s, pdev, page));
	KUNIT_EXPECT_STREQ(test, "4294967295\n", page);
	pci_dev_put(pdev);
}

/* A device without a pin has no GSI: ENOENT, never a number. */
static void format_gsi_pinless(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct pci_dev *pdev = kunit_find_pci_dev(false);
	char *page;

	if (!pdev)
		kunit_skip(test, "no PCI device without an INTx pin");
	page = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_format_gsi(s, pdev, page));
	KUNIT_EXPECT_STREQ(test, "", page);
	pci_dev_put(pdev);
}

static struct kunit_case sysfs_cases[] = {
	KUNIT_CASE(format_gsi),
	KUNIT_CASE(format_gsi_pinless),
	{}
};

static struct kunit_suite sysfs_suite = {
	.name = "privcmd_gsi_sysfs",
	.test_cases = sysfs_cases,
};

kunit_test_suite(sysfs_suite);
