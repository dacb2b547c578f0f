/* SPDX-License-Identifier: GPL-2.0 */
/*
 * privcmd-gsi's interface to other kernel modules (pciback-ext).
 *
 * Callers take it with symbol_get(privcmd_gsi_lookup) and give it back
 * with symbol_put(privcmd_gsi_lookup), so that neither module needs the
 * other loaded first and either can be unloaded while the other stays.
 */
#ifndef PRIVCMD_GSI_H
#define PRIVCMD_GSI_H

#include <xen/privcmd-gsi.h>

struct pci_dev;

/**
 * privcmd_gsi_lookup() - the GSI behind a PCI device's INTx pin
 * @pdev: the device
 * @rec: filled in on success: sbdf, gsi, trigger (PRIVCMD_GSI_TRIGGER_*),
 *	 polarity (PRIVCMD_GSI_POLARITY_*), source (PRIVCMD_GSI_SOURCE_*),
 *	 the irq while one is mapped (flags PRIVCMD_GSI_F_IRQ_VALID)
 *
 * The GSI comes from the recorder (the device's acpi_register_gsi() call),
 * from recovery at load (the IO-APIC pin behind its irq), or from the ACPI
 * _PRT and interrupt link devices, as drivers/acpi/pci_irq.c routes it.
 * May sleep.
 *
 * Return: 0; -ENOENT when the device has no INTx pin, or one wired to
 * nothing (no route, Interrupt Line 0xff); -ENODATA when it has one but its
 * GSI cannot be known (no _PRT entry, a link device with a choice that
 * Linux has not allocated); -ENOMEM.
 */
int privcmd_gsi_lookup(struct pci_dev *pdev, struct privcmd_gsi_record *rec);

#endif /* PRIVCMD_GSI_H */
