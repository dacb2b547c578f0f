// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the contents of /sys/bus/pci/devices/BDF/gsi
 * (kernel/privcmd-gsi/sysfs.c).
 */
#include <kunit/test.h>
#include <linux/mm.h>

#include "internal.h"
#include "kunit_util.h"

static void format_gsi(struct kunit *test)
{
	struct pgsi_store *s;
	struct pgsi_reg r = { .sbdf = 0x18, .gsi = 19, .irq = 51 };
	char *page;

	s = kunit_new_store(test);
	/* sysfs_emit() insists on a page-aligned buffer. */
	page = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_TRUE(test, IS_ALIGNED((unsigned long)page, PAGE_SIZE));

	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_format_gsi(s, 0x18, page));

	KUNIT_ASSERT_EQ(test, 0, pgsi_store_register(s, &r));
	KUNIT_EXPECT_EQ(test, 3, pgsi_format_gsi(s, 0x18, page));
	KUNIT_EXPECT_STREQ(test, "19\n", page);

	/* Still there, unchanged, after the irq went away. */
	pgsi_store_unregister(s, 19);
	KUNIT_EXPECT_EQ(test, 3, pgsi_format_gsi(s, 0x18, page));
	KUNIT_EXPECT_STREQ(test, "19\n", page);

	r.sbdf = 0x20;
	r.gsi = U32_MAX;
	KUNIT_ASSERT_EQ(test, 0, pgsi_store_register(s, &r));
	KUNIT_EXPECT_EQ(test, 11, pgsi_format_gsi(s, 0x20, page));
	KUNIT_EXPECT_STREQ(test, "4294967295\n", page);
}

static struct kunit_case sysfs_cases[] = {
	KUNIT_CASE(format_gsi),
	{}
};

static struct kunit_suite sysfs_suite = {
	.name = "privcmd_gsi_sysfs",
	.test_cases = sysfs_cases,
};

kunit_test_suite(sysfs_suite);
