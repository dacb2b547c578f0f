// SPDX-License-Identifier: GPL-2.0
/*
 * privcmd-gsi: the GSI of every PCI device, for PCI passthrough from a Xen
 * PVH dom0 on kernels whose privcmd lacks IOCTL_PRIVCMD_PCIDEV_GET_GSI.
 *
 * On a PVH dom0, Linux numbers irqs dynamically, so the irq in
 * /sys/bus/pci/devices/BDF/irq is not the GSI that Xen needs to map a
 * device's INTx for a guest.  This module records every acpi_register_gsi()
 * call (recorder.c), rebuilds the GSIs of devices enabled before it loaded
 * (recover.c), resolves the rest from the ACPI _PRT (prt.c), and answers
 * (lookup.c) through sysfs (sysfs.c), its own node (ioctl.c), privcmd's
 * own ioctl (privcmd.c) and privcmd_gsi_lookup() for pciback-ext.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>
#include <xen/xen.h>

#include "internal.h"

static bool privcmd_hook = true;
module_param(privcmd_hook, bool, 0444);
MODULE_PARM_DESC(privcmd_hook,
		 "Answer IOCTL_PRIVCMD_PCIDEV_GET_GSI on /dev/xen/privcmd where the kernel's privcmd does not (default: yes)");

#ifdef XENPT_TEST
static bool test_no_xen;
module_param(test_no_xen, bool, 0444);
MODULE_PARM_DESC(test_no_xen,
		 "Test only: load outside a Xen initial domain (default: no)");

static uint test_fill_records;
module_param(test_fill_records, uint, 0444);
MODULE_PARM_DESC(test_fill_records,
		 "Test only, with test_no_xen: add this many synthetic records on PCI segment 0xfffe (default: 0)");

#define PGSI_SYNTHETIC_SEGMENT	0xfffe
#define PGSI_MAX_FILL		0x10000

/* Benchmarks measure lookups against a store of known size. */
static int pgsi_test_setup(struct pgsi_store *s)
{
	struct pgsi_reg reg = {
		.irq = -1,
		.trigger = PRIVCMD_GSI_TRIGGER_LEVEL,
		.polarity = PRIVCMD_GSI_POLARITY_LOW,
		.source = PRIVCMD_GSI_SOURCE_SYNTHETIC,
	};
	unsigned int i;
	int ret;

	if (test_fill_records && (!test_no_xen ||
				  test_fill_records > PGSI_MAX_FILL)) {
		pr_err("test_fill_records needs test_no_xen and at most %u\n",
		       PGSI_MAX_FILL);
		return -EINVAL;
	}
	for (i = 0; i < test_fill_records; i++) {
		reg.sbdf = PGSI_SYNTHETIC_SEGMENT << 16 | i;
		reg.gsi = 0x10000 + i;
		ret = pgsi_store_register(s, &reg);
		if (ret)
			return ret;
	}
	return 0;
}
#else
#define test_no_xen false
static int pgsi_test_setup(struct pgsi_store *s)
{
	return 0;
}
#endif

/* The GSI of every device with a pin that recovery did not find. */
static unsigned int pgsi_resolve_all(void)
{
	struct privcmd_gsi_record rec;
	struct pci_dev *pdev = NULL;
	unsigned int n = 0;

	for_each_pci_dev(pdev) {
		if (pdev->pin && !pgsi_lookup(pgsi_store, pdev, &rec) &&
		    rec.source == PRIVCMD_GSI_SOURCE_ACPI)
			n++;
	}
	return n;
}

static int __init pgsi_init(void)
{
	int ret;

	if (!xen_initial_domain() && !test_no_xen) {
		pr_info("not a Xen initial domain: not loading\n");
		return -ENODEV;
	}
	/* The recorder takes spinlocks with preemption disabled. */
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		pr_info("not supported on PREEMPT_RT kernels\n");
		return -EOPNOTSUPP;
	}

	pgsi_store = pgsi_store_create();
	if (!pgsi_store)
		return -ENOMEM;
	ret = pgsi_test_setup(pgsi_store);
	if (ret)
		goto err_store;

	/* Record first, then recover: no registration can fall between. */
	ret = pgsi_recorder_start();
	if (ret)
		goto err_store;

	ret = pgsi_recover_all(pgsi_store);
	if (ret < 0)
		pr_info("GSIs of devices enabled earlier are unknown: %d\n", ret);
	else
		pr_info("recovered the GSIs of %d devices enabled earlier\n",
			ret);
	pr_info("resolved the GSIs of %u more devices from ACPI\n",
		pgsi_resolve_all());

	ret = pgsi_sysfs_start();
	if (ret)
		goto err_recorder;

	ret = pgsi_node_start();
	if (ret)
		goto err_sysfs;

	ret = pgsi_privcmd_start(privcmd_hook && !test_no_xen);
	if (ret)
		goto err_node;
	return 0;

err_node:
	pgsi_node_stop();
err_sysfs:
	pgsi_sysfs_stop();
err_recorder:
	pgsi_recorder_stop();
err_store:
	pgsi_store_destroy(pgsi_store);
	return ret;
}

static void __exit pgsi_exit(void)
{
	unsigned int missed;

	pgsi_privcmd_stop();
	pgsi_node_stop();
	pgsi_sysfs_stop();
	pgsi_recorder_stop();
	missed = pgsi_recorder_missed();
	if (missed)
		pr_warn("%u GSI (un)registrations were missed\n", missed);
	pgsi_store_destroy(pgsi_store);
}

module_init(pgsi_init);
module_exit(pgsi_exit);

MODULE_DESCRIPTION("GSI of PCI devices for Xen PVH dom0 passthrough");
MODULE_LICENSE("GPL");
MODULE_VERSION(XENPT_VERSION);
