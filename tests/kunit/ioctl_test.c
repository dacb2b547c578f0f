// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the ioctl ABI and argument validation of /dev/xen/privcmd-gsi
 * (kernel/privcmd-gsi/ioctl.c, lookup.c, privcmd.c,
 * include/uapi/xen/privcmd-gsi.h).
 */
#include <kunit/test.h>
#include <linux/pci.h>

#include "internal.h"
#include "kunit_util.h"

static void abi_matches_upstream_privcmd(struct kunit *test)
{
	/* _IOC(_IOC_NONE, 'P', 10, 8), as in Linux 6.12's privcmd.h */
	KUNIT_EXPECT_EQ(test, 0x0008500aU, IOCTL_PRIVCMD_PCIDEV_GET_GSI);
	KUNIT_EXPECT_EQ(test, 8U, sizeof(struct privcmd_pcidev_get_gsi));
	KUNIT_EXPECT_EQ(test, 0U,
			offsetof(struct privcmd_pcidev_get_gsi, sbdf));
	KUNIT_EXPECT_EQ(test, 4U, offsetof(struct privcmd_pcidev_get_gsi, gsi));
	KUNIT_EXPECT_EQ(test, 0x12345U, PRIVCMD_GSI_SBDF(1, 0x23, 8, 5));

	/* Our own structures have one layout for 32- and 64-bit callers. */
	KUNIT_EXPECT_EQ(test, 8U, sizeof(struct privcmd_gsi_version));
	KUNIT_EXPECT_EQ(test, 16U, sizeof(struct privcmd_gsi_irq_to_gsi));
	KUNIT_EXPECT_EQ(test, 24U, sizeof(struct privcmd_gsi_record));
	KUNIT_EXPECT_EQ(test, 32U, sizeof(struct privcmd_gsi_get_record));
	KUNIT_EXPECT_EQ(test, 16U, sizeof(struct privcmd_gsi_list));
	KUNIT_EXPECT_EQ(test, 8U, offsetof(struct privcmd_gsi_list, records));
}

static void check_cmd_accepts_each_command(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 0,
			pgsi_ioctl_check_cmd(IOCTL_PRIVCMD_PCIDEV_GET_GSI));
	KUNIT_EXPECT_EQ(test, 0, pgsi_ioctl_check_cmd(PRIVCMD_GSI_IOCTL_VERSION));
	KUNIT_EXPECT_EQ(test, 0,
			pgsi_ioctl_check_cmd(PRIVCMD_GSI_IOCTL_IRQ_TO_GSI));
	KUNIT_EXPECT_EQ(test, 0,
			pgsi_ioctl_check_cmd(PRIVCMD_GSI_IOCTL_GET_RECORD));
	KUNIT_EXPECT_EQ(test, 0, pgsi_ioctl_check_cmd(PRIVCMD_GSI_IOCTL_LIST));
}

static void check_cmd_rejects_others(struct kunit *test)
{
	/* Wrong size or direction of a known command: EINVAL. */
	KUNIT_EXPECT_EQ(test, -EINVAL,
			pgsi_ioctl_check_cmd(_IOC(_IOC_NONE, 'P', 10, 16)));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			pgsi_ioctl_check_cmd(_IOC(_IOC_NONE, 'P', 10, 0)));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			pgsi_ioctl_check_cmd(_IOWR('P', 10, u64)));
	KUNIT_EXPECT_EQ(test, -EINVAL, pgsi_ioctl_check_cmd(_IOR('P', 0x43, u64)));
	/* Anything else: ENOTTY, as privcmd answers unknown commands. */
	KUNIT_EXPECT_EQ(test, -ENOTTY,
			pgsi_ioctl_check_cmd(_IOC(_IOC_NONE, 'Q', 10, 8)));
	KUNIT_EXPECT_EQ(test, -ENOTTY,
			pgsi_ioctl_check_cmd(_IOC(_IOC_NONE, 'P', 0, 0)));
	KUNIT_EXPECT_EQ(test, -ENOTTY,
			pgsi_ioctl_check_cmd(_IOC(_IOC_NONE, 'P', 11, 8)));
	KUNIT_EXPECT_EQ(test, -ENOTTY, pgsi_ioctl_check_cmd(0));
	KUNIT_EXPECT_EQ(test, -ENOTTY, pgsi_ioctl_check_cmd(~0U));
}

/*
 * One rule for a pin ACPI routes nowhere, in the kernel as in libxenpt:
 * wired to nothing (Interrupt Line 0xff) is no legacy interrupt, ENOENT;
 * any other line is a GSI not known, ENODATA, which no toolstack skips.
 */
static void unrouted_pin_answers(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_unrouted_errno(0xff));
	KUNIT_EXPECT_EQ(test, -ENODATA, pgsi_unrouted_errno(11));
	KUNIT_EXPECT_EQ(test, -ENODATA, pgsi_unrouted_errno(0));
}

static void irq_to_gsi_validates(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct pgsi_reg r = { .sbdf = PRIVCMD_GSI_NO_SBDF, .gsi = 19,
			      .irq = 51 };
	struct privcmd_gsi_irq_to_gsi arg = { .irq = 51 };

	KUNIT_ASSERT_EQ(test, 0, pgsi_store_register(s, &r));
	KUNIT_EXPECT_EQ(test, 0, pgsi_do_irq_to_gsi(s, &arg));
	KUNIT_EXPECT_EQ(test, 19U, arg.gsi);

	arg = (struct privcmd_gsi_irq_to_gsi){ .irq = 51, .flags = 1 };
	KUNIT_EXPECT_EQ(test, -EINVAL, pgsi_do_irq_to_gsi(s, &arg));
	KUNIT_EXPECT_EQ(test, 0U, arg.gsi);
	arg = (struct privcmd_gsi_irq_to_gsi){ .irq = 51, .reserved = 1 };
	KUNIT_EXPECT_EQ(test, -EINVAL, pgsi_do_irq_to_gsi(s, &arg));
	arg = (struct privcmd_gsi_irq_to_gsi){ .irq = 52 };
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_do_irq_to_gsi(s, &arg));
	arg = (struct privcmd_gsi_irq_to_gsi){ .irq = ~0U };
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_do_irq_to_gsi(s, &arg));
}

static void list_check_validates(struct kunit *test)
{
	struct privcmd_gsi_list arg = {};

	KUNIT_EXPECT_EQ(test, 0, pgsi_list_check(&arg));
	arg.count = 4;
	KUNIT_EXPECT_EQ(test, -EINVAL, pgsi_list_check(&arg));
	arg.records = 0x1000;
	KUNIT_EXPECT_EQ(test, 0, pgsi_list_check(&arg));
	arg.flags = 0x80000000;
	KUNIT_EXPECT_EQ(test, -EINVAL, pgsi_list_check(&arg));
}

static void get_gsi_answers_for_existing_devices(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct pci_dev *pdev = kunit_find_pci_dev(true);
	struct privcmd_pcidev_get_gsi arg = {};
	struct privcmd_gsi_get_record rec = {};
	struct pgsi_reg r = { .gsi = 21, .irq = 77,
			      .source = PRIVCMD_GSI_SOURCE_REGISTERED };
	int ret;

	if (!pdev)
		kunit_skip(test, "no PCI device with an INTx pin");
	r.sbdf = pgsi_pci_sbdf(pdev);
	pci_dev_put(pdev);

	/* Before any registration: ACPI tells, or it is unknown; a device
	 * with a pin never gets ENOENT.
	 */
	arg.sbdf = r.sbdf;
	ret = pgsi_do_get_gsi(s, &arg);
	KUNIT_EXPECT_TRUE(test, ret == 0 || ret == -ENODATA);
	if (!ret) {
		rec.sbdf = r.sbdf;
		KUNIT_EXPECT_EQ(test, 0, pgsi_do_get_record(s, &rec));
		KUNIT_EXPECT_EQ(test, PRIVCMD_GSI_SOURCE_ACPI, rec.rec.source);
		KUNIT_EXPECT_EQ(test, arg.gsi, rec.rec.gsi);
		pgsi_store_forget(s, r.sbdf);
	}
	KUNIT_ASSERT_EQ(test, 0, pgsi_store_register(s, &r));
	KUNIT_EXPECT_EQ(test, 0, pgsi_do_get_gsi(s, &arg));
	KUNIT_EXPECT_EQ(test, 21U, arg.gsi);

	rec.sbdf = r.sbdf;
	KUNIT_EXPECT_EQ(test, 0, pgsi_do_get_record(s, &rec));
	KUNIT_EXPECT_EQ(test, 21U, rec.rec.gsi);
	KUNIT_EXPECT_EQ(test, 77U, rec.rec.irq);
	rec.flags = 2;
	KUNIT_EXPECT_EQ(test, -EINVAL, pgsi_do_get_record(s, &rec));
}

static void get_gsi_pinless_device_is_enoent(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct pci_dev *pdev = kunit_find_pci_dev(false);
	struct privcmd_pcidev_get_gsi arg = {};

	if (!pdev)
		kunit_skip(test, "no PCI device without an INTx pin");
	arg.sbdf = pgsi_pci_sbdf(pdev);
	pci_dev_put(pdev);
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_do_get_gsi(s, &arg));
}

static void get_gsi_missing_device_is_enodev(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct pgsi_reg r = { .sbdf = PRIVCMD_GSI_SBDF(0xfffe, 1, 2, 3),
			      .gsi = 30, .irq = -1 };
	struct privcmd_pcidev_get_gsi arg = { .sbdf = r.sbdf };
	struct privcmd_gsi_get_record rec = { .sbdf = r.sbdf };

	/* A record alone does not make a device exist. */
	KUNIT_ASSERT_EQ(test, 0, pgsi_store_register(s, &r));
	KUNIT_EXPECT_EQ(test, -ENODEV, pgsi_do_get_gsi(s, &arg));
	KUNIT_EXPECT_EQ(test, -ENODEV, pgsi_do_get_record(s, &rec));
	arg.sbdf = ~0U;
	KUNIT_EXPECT_EQ(test, -ENODEV, pgsi_do_get_gsi(s, &arg));
}

/* privcmd's own answer: 6.12's, plus ENOENT only for a missing pin. */
static void privcmd_errno_table(struct kunit *test)
{
	/* pciback not loaded: EOPNOTSUPP, whatever the device. */
	KUNIT_EXPECT_EQ(test, -EOPNOTSUPP, pgsi_privcmd_errno(false, false, 0));
	KUNIT_EXPECT_EQ(test, -EOPNOTSUPP, pgsi_privcmd_errno(false, true, 0));
	/* Not on pciback (or no such device): ENODEV. */
	KUNIT_EXPECT_EQ(test, -ENODEV, pgsi_privcmd_errno(true, false, 0));
	KUNIT_EXPECT_EQ(test, -ENODEV,
			pgsi_privcmd_errno(true, false, -ENODATA));
	/* On pciback: the lookup's answer, ENOENT for no pin only. */
	KUNIT_EXPECT_EQ(test, 0, pgsi_privcmd_errno(true, true, 0));
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_privcmd_errno(true, true, -ENOENT));
	KUNIT_EXPECT_EQ(test, -ENODATA,
			pgsi_privcmd_errno(true, true, -ENODATA));
	KUNIT_EXPECT_EQ(test, -ENOMEM, pgsi_privcmd_errno(true, true, -ENOMEM));
}

static struct kunit_case ioctl_cases[] = {
	KUNIT_CASE(abi_matches_upstream_privcmd),
	KUNIT_CASE(check_cmd_accepts_each_command),
	KUNIT_CASE(check_cmd_rejects_others),
	KUNIT_CASE(unrouted_pin_answers),
	KUNIT_CASE(irq_to_gsi_validates),
	KUNIT_CASE(list_check_validates),
	KUNIT_CASE(get_gsi_answers_for_existing_devices),
	KUNIT_CASE(get_gsi_pinless_device_is_enoent),
	KUNIT_CASE(get_gsi_missing_device_is_enodev),
	KUNIT_CASE(privcmd_errno_table),
	{}
};

static struct kunit_suite ioctl_suite = {
	.name = "privcmd_gsi_ioctl",
	.test_cases = ioctl_cases,
};

kunit_test_suite(ioctl_suite);
