// SPDX-License-Identifier: GPL-2.0
/*
 * privcmd-gsi: the GSI of every PCI device, for PCI passthrough from a Xen
 * PVH dom0 on kernels whose privcmd lacks IOCTL_PRIVCMD_PCIDEV_GET_GSI.
 *
 * On a PVH dom0, Linux numbers irqs dynamically, so the irq in
 * /sys/bus/pci/devices/BDF/irq is not the GSI that Xen needs to map a
 * device's INTx for a guest.  This module records every acpi_register_gsi()
 * call (probe.c), rebuilds the GSIs of devices enabled before it loaded
 * (recover.c), and answers through sysfs (sysfs.c) and a misc device with
 * upstream privcmd's ioctl (chardev.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>
#include <xen/xen.h>

#include "internal.h"

#ifdef XENPT_TEST
static bool test_no_xen;
module_param(test_no_xen, bool, 0444);
MODULE_PARM_DESC(test_no_xen,
		 "Test only: load outside a Xen initial domain (default: no)");

static uint test_fill_records;
module_param(test_fill_records, uint, 0444);
MODULE_PARM_DESC(test_fill_records,
		 "Test only, with test_no_xen: add this many synthetic records on PCI segment 0xfffe (default: 0)");
#else
#define test_no_xen		false
#define test_fill_records	0U
#endif

#define PGSI_SYNTHETIC_SEGMENT	0xfffe
#define PGSI_MAX_FILL		0x10000

static struct pgsi_store *pgsi_store;

/*
 * The device's sbdf, or PRIVCMD_GSI_NO_SBDF for segments beyond 16 bits
 * (such as Intel VMD's), which the ABI cannot name.
 */
u32 pgsi_pci_sbdf(const struct pci_dev *pdev)
{
	int seg = pci_domain_nr(pdev->bus);

	if (seg < 0 || seg > 0xffff)
		return PRIVCMD_GSI_NO_SBDF;
	return PRIVCMD_GSI_SBDF(seg, pdev->bus->number, PCI_SLOT(pdev->devfn),
				PCI_FUNC(pdev->devfn));
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_pci_sbdf);

/* Benchmarks measure lookups against a store of known size. */
static int pgsi_fill_synthetic(struct pgsi_store *s, unsigned int n)
{
	struct pgsi_reg reg = {
		.irq = -1,
		.trigger = PRIVCMD_GSI_TRIGGER_LEVEL,
		.polarity = PRIVCMD_GSI_POLARITY_LOW,
		.source = PRIVCMD_GSI_SOURCE_SYNTHETIC,
	};
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		reg.sbdf = PGSI_SYNTHETIC_SEGMENT << 16 | i;
		reg.gsi = 0x10000 + i;
		ret = pgsi_store_register(s, &reg);
		if (ret)
			return ret;
	}
	return 0;
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
	if (test_fill_records && (!test_no_xen ||
				  test_fill_records > PGSI_MAX_FILL)) {
		pr_err("test_fill_records needs test_no_xen and at most %u\n",
		       PGSI_MAX_FILL);
		return -EINVAL;
	}

	pgsi_store = pgsi_store_create();
	if (!pgsi_store)
		return -ENOMEM;

	ret = pgsi_fill_synthetic(pgsi_store, test_fill_records);
	if (ret)
		goto err_store;

	/* Record first, then recover: no registration can fall between. */
	ret = pgsi_probe_start(pgsi_store);
	if (ret)
		goto err_store;

	ret = pgsi_recover_all(pgsi_store);
	if (ret < 0)
		pr_info("GSIs of devices enabled earlier are unknown: %d\n", ret);
	else
		pr_info("recovered the GSIs of %d devices enabled earlier\n",
			ret);

	ret = pgsi_sysfs_start(pgsi_store);
	if (ret)
		goto err_probe;

	ret = pgsi_chardev_start(pgsi_store);
	if (ret)
		goto err_sysfs;

	return 0;

err_sysfs:
	pgsi_sysfs_stop();
err_probe:
	pgsi_probe_stop();
err_store:
	pgsi_store_destroy(pgsi_store);
	return ret;
}

static void __exit pgsi_exit(void)
{
	unsigned int missed;

	pgsi_chardev_stop();
	pgsi_sysfs_stop();
	pgsi_probe_stop();
	missed = pgsi_probe_missed();
	if (missed)
		pr_warn("%u GSI (un)registrations were missed\n", missed);
	pgsi_store_destroy(pgsi_store);
}

module_init(pgsi_init);
module_exit(pgsi_exit);

MODULE_DESCRIPTION("GSI of PCI devices for Xen PVH dom0 passthrough");
MODULE_LICENSE("GPL");
