/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpt: the INTx irq a PCI device keeps while MSI is enabled, on every
 * kernel xenpt supports.  The MSI descriptor lock became a guard in 6.17
 * (guard(msi_descs_lock); msi_lock_descs() is gone), probed by
 * kernel/compat/probes.mk as XENPT_HAVE_MSI_DESCS_GUARD.
 */
#ifndef XENPT_COMPAT_MSI_H
#define XENPT_COMPAT_MSI_H

#include <linux/msi.h>

/**
 * xenpt_msi_intx_irq() - the INTx irq kept in a device's first MSI descriptor
 * @dev: the device; its driver must stay bound meanwhile (device lock)
 *
 * Return: msi_attrib.default_irq of the first descriptor, or 0 when the
 * device has none.
 */
static inline unsigned int xenpt_msi_intx_irq(struct device *dev)
{
	struct msi_desc *desc;
	unsigned int irq = 0;

	if (!dev->msi.data)
		return 0;
#ifdef XENPT_HAVE_MSI_DESCS_GUARD
	scoped_guard(msi_descs_lock, dev) {
		desc = msi_first_desc(dev, MSI_DESC_ALL);
		if (desc)
			irq = desc->pci.msi_attrib.default_irq;
	}
#else
	msi_lock_descs(dev);
	desc = msi_first_desc(dev, MSI_DESC_ALL);
	if (desc)
		irq = desc->pci.msi_attrib.default_irq;
	msi_unlock_descs(dev);
#endif
	return irq;
}

#endif
