// SPDX-License-Identifier: GPL-2.0
/*
 * privcmd-gsi: which PCI devices are bound to xen-pciback, for privcmd's
 * IOCTL_PRIVCMD_PCIDEV_GET_GSI (privcmd.c), known without a device lock.
 *
 * Linux 6.12 answers from xen-pciback's own list of its devices under a
 * spinlock; a toolstack's GET_GSI must not wait behind a driver probe
 * holding a device lock (one that loads firmware holds it for up to a
 * minute).  So the devices on pciback are kept by sbdf in an xarray, read
 * under RCU: a bus notifier adds a device once pciback bound it and drops
 * it as it unbinds or goes.  Devices bound before the module loaded are
 * found by a walk at load that never waits for a device lock: a device
 * whose lock is busy is being bound or unbound, and tells the notifier;
 * the walk is done again, waiting, from a work item, for anything else.
 */
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "internal.h"

static DEFINE_XARRAY(pgsi_pciback_devs);

/* Called with the device lock held. */
static void pgsi_pciback_note(struct pci_dev *pdev)
{
	u32 sbdf = pgsi_pci_sbdf(pdev);

	if (sbdf == PRIVCMD_GSI_NO_SBDF)
		return;
	if (pdev->dev.driver && !strcmp(pdev->dev.driver->name, PGSI_PCIBACK))
		xa_store(&pgsi_pciback_devs, sbdf, xa_mk_value(1), GFP_KERNEL);
	else
		xa_erase(&pgsi_pciback_devs, sbdf);
}

static int pgsi_pciback_notify(struct notifier_block *nb,
			       unsigned long action, void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);
	u32 sbdf = pgsi_pci_sbdf(pdev);

	switch (action) {
	case BUS_NOTIFY_BOUND_DRIVER:
		pgsi_pciback_note(pdev);
		break;
	case BUS_NOTIFY_UNBIND_DRIVER:
	case BUS_NOTIFY_DRIVER_NOT_BOUND:
	case BUS_NOTIFY_DEL_DEVICE:
		if (sbdf != PRIVCMD_GSI_NO_SBDF)
			xa_erase(&pgsi_pciback_devs, sbdf);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block pgsi_pciback_nb = {
	.notifier_call = pgsi_pciback_notify,
};

static bool pgsi_pciback_busy;

static int pgsi_pciback_try(struct device *dev, void *unused)
{
	if (!device_trylock(dev)) {
		pgsi_pciback_busy = true;
		return 0;
	}
	pgsi_pciback_note(to_pci_dev(dev));
	device_unlock(dev);
	return 0;
}

static int pgsi_pciback_wait(struct device *dev, void *unused)
{
	device_lock(dev);
	pgsi_pciback_note(to_pci_dev(dev));
	device_unlock(dev);
	return 0;
}

static void pgsi_pciback_walk_fn(struct work_struct *work)
{
	bus_for_each_dev(&pci_bus_type, NULL, NULL, pgsi_pciback_wait);
}

static DECLARE_WORK(pgsi_pciback_walk, pgsi_pciback_walk_fn);

int pgsi_pciback_start(void)
{
	int ret = bus_register_notifier(&pci_bus_type, &pgsi_pciback_nb);

	if (ret)
		return ret;
	pgsi_pciback_busy = false;
	bus_for_each_dev(&pci_bus_type, NULL, NULL, pgsi_pciback_try);
	if (pgsi_pciback_busy)
		schedule_work(&pgsi_pciback_walk);
	return 0;
}

void pgsi_pciback_stop(void)
{
	bus_unregister_notifier(&pci_bus_type, &pgsi_pciback_nb);
	cancel_work_sync(&pgsi_pciback_walk);
	xa_destroy(&pgsi_pciback_devs);
}

/**
 * pgsi_on_pciback() - is the device bound to xen-pciback?
 * @sbdf: the device
 *
 * Any context; no lock.
 */
bool pgsi_on_pciback(u32 sbdf)
{
	return xa_load(&pgsi_pciback_devs, sbdf);
}
