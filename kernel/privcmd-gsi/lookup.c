// SPDX-License-Identifier: GPL-2.0
/*
 * privcmd-gsi: the answer for one PCI device, the same through every door
 * (the sysfs gsi file, the ioctls of /dev/xen/privcmd-gsi, privcmd's own
 * IOCTL_PRIVCMD_PCIDEV_GET_GSI and privcmd_gsi_lookup() for pciback-ext):
 *
 *  - no INTx pin, or a pin wired to nothing (no route in ACPI, and the
 *    Interrupt Line register 0xff, "not connected" on x86): -ENOENT, and
 *    nothing else ever gives -ENOENT (Xen 4.20.1 and later tools take it
 *    to mean "no legacy interrupt" and go on without one; Xen 4.21's libxl
 *    skips an Interrupt Line of 0xff on a PV dom0 alike; libxenpt's
 *    fallbacks answer so too);
 *  - a record of the recorder or of recovery: that;
 *  - otherwise the ACPI _PRT (prt.c), whose answer is kept as a record of
 *    source PRIVCMD_GSI_SOURCE_ACPI;
 *  - otherwise -ENODATA: the device has a pin but its GSI is not known,
 *    which is kept too, until the device's next registration.
 */

#include <linux/module.h>
#include <linux/pci.h>

#include "internal.h"

/**
 * pgsi_unrouted_errno() - the answer for a pin ACPI routes nowhere
 * @line: the device's Interrupt Line register
 *
 * Return: -ENOENT when the line says the pin is not connected (0xff), as
 * for a device without a pin; -ENODATA otherwise: a pin whose GSI is not
 * known, which the toolstack must not skip.
 */
int pgsi_unrouted_errno(u8 line)
{
	return line == 0xff ? -ENOENT : -ENODATA;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_unrouted_errno);

/**
 * pgsi_lookup() - the GSI record of a PCI device
 * @s: the store
 * @pdev: the device
 * @rec: the answer
 *
 * May sleep (ACPI).
 *
 * Return: 0; -ENOENT for a device without an INTx pin, or whose pin is
 * wired to nothing; -ENODATA when its GSI is not known (or its segment
 * does not fit an sbdf); -ENOMEM.
 */
int pgsi_lookup(struct pgsi_store *s, struct pci_dev *pdev,
		struct privcmd_gsi_record *rec)
{
	struct pgsi_reg reg = {
		.sbdf = pgsi_pci_sbdf(pdev),
		.irq = -1,
		.source = PRIVCMD_GSI_SOURCE_ACPI,
	};
	u8 line;
	int ret;

	might_sleep();
	if (!pdev->pin)
		return -ENOENT;
	if (reg.sbdf == PRIVCMD_GSI_NO_SBDF)
		return -ENODATA;
	ret = pgsi_store_get(s, reg.sbdf, rec);
	if (ret != -ENOENT)
		return ret;

	reg.forgets = pgsi_store_forgets(s);
	ret = pgsi_prt_resolve(pdev, &reg);
	if (ret == -ENOMEM)
		return ret;
	if (ret) {
		pci_read_config_byte(pdev, PCI_INTERRUPT_LINE, &line);
		ret = pgsi_unrouted_errno(line);
		if (ret == -ENODATA)
			pgsi_store_mark_unknown(s, reg.sbdf, reg.forgets);
		return ret;
	}
	ret = pgsi_store_register(s, &reg);
	if (ret == -EAGAIN) {
		/* A device went meanwhile: answer, keep nothing. */
		memset(rec, 0, sizeof(*rec));
		rec->sbdf = reg.sbdf;
		rec->gsi = reg.gsi;
		rec->irq = PRIVCMD_GSI_NO_IRQ;
		rec->trigger = reg.trigger;
		rec->polarity = reg.polarity;
		rec->source = reg.source;
		rec->flags = PRIVCMD_GSI_F_PCI;
		return 0;
	}
	if (ret && ret != -EEXIST)
		return ret;
	/* Another path may have recorded the device meanwhile: it wins. */
	ret = pgsi_store_get(s, reg.sbdf, rec);
	return ret == -ENOENT ? -ENODATA : ret;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_lookup);

/**
 * pgsi_lookup_sbdf() - pgsi_lookup() by sbdf
 * @s: the store
 * @sbdf: segment << 16 | bus << 8 | devfn
 * @rec: the answer
 *
 * Return: as pgsi_lookup(), and -ENODEV when no such device exists.
 */
int pgsi_lookup_sbdf(struct pgsi_store *s, u32 sbdf,
		     struct privcmd_gsi_record *rec)
{
	struct pci_dev *pdev;
	int ret;

	pdev = pci_get_domain_bus_and_slot(sbdf >> 16, (sbdf >> 8) & 0xff,
					   sbdf & 0xff);
	if (!pdev)
		return -ENODEV;
	ret = pgsi_lookup(s, pdev, rec);
	pci_dev_put(pdev);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_lookup_sbdf);

int privcmd_gsi_lookup(struct pci_dev *pdev, struct privcmd_gsi_record *rec)
{
	return pgsi_lookup(pgsi_store, pdev, rec);
}
EXPORT_SYMBOL_GPL(privcmd_gsi_lookup);
