// SPDX-License-Identifier: GPL-2.0
/*
 * privcmd-gsi: GSIs of devices enabled before the module loaded.
 *
 * Such a device's acpi_register_gsi() call happened before the recorder
 * existed and is not repeated: the device must not be touched.  Its GSI is
 * rebuilt from two sources that the kernel itself used to map it:
 *
 *  - the irq domain: x86 creates one irq domain per IO-APIC, named
 *    "IO-APIC-<id>" after the IO-APIC's id, whose hwirq numbers are the
 *    IO-APIC's pins;
 *  - the MADT: each IO-APIC entry gives that id and the GSI of pin 0.
 *
 * GSI = gsi_base(id) + pin.  When any piece is missing or ambiguous (an irq
 * that is not an IO-APIC pin, such as a Xen PV pirq, a MADT with duplicate
 * ids, a pin beyond the next IO-APIC's base) the GSI is left unknown: a
 * guess, or the irq passed off as a GSI, would be worse than no answer.
 * Records made here carry PRIVCMD_GSI_SOURCE_RECOVERED.  The kernel keeps
 * the polarity only in the IO-APIC's private data: it is taken from the
 * ACPI _PRT (prt.c) when that routes the device to the same GSI, and is
 * unknown otherwise.
 */
#include <linux/acpi.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"
#include "xenpt_slab.h"
#include "xenpt_msi.h"

#define PGSI_IOAPIC_DOMAIN_PREFIX	"IO-APIC-"

/**
 * pgsi_madt_parse() - collect the IO-APIC entries of a MADT
 * @madt: the table, as mapped by acpi_get_table()
 * @tbl: filled with each IO-APIC's id and GSI base
 *
 * Return: 0; -EINVAL for a malformed subtable or duplicate IO-APIC ids;
 * -E2BIG for more than PGSI_MAX_IOAPICS IO-APICs; -ENOENT for none.
 */
int pgsi_madt_parse(const struct acpi_table_header *madt,
		    struct pgsi_ioapic_table *tbl)
{
	const struct acpi_subtable_header *sub;
	const struct acpi_madt_io_apic *io;
	const u8 *p, *end;
	unsigned int i;

	tbl->count = 0;
	if (madt->length < sizeof(struct acpi_table_madt))
		return -EINVAL;
	p = (const u8 *)madt + sizeof(struct acpi_table_madt);
	end = (const u8 *)madt + madt->length;

	while (end - p >= (ptrdiff_t)sizeof(*sub)) {
		sub = (const void *)p;
		if (sub->length < sizeof(*sub) || sub->length > end - p)
			return -EINVAL;
		p += sub->length;
		if (sub->type != ACPI_MADT_TYPE_IO_APIC)
			continue;
		if (sub->length < sizeof(*io))
			return -EINVAL;
		io = (const void *)sub;
		for (i = 0; i < tbl->count; i++)
			if (tbl->ioapic[i].id == io->id)
				return -EINVAL;
		if (tbl->count == PGSI_MAX_IOAPICS)
			return -E2BIG;
		tbl->ioapic[tbl->count].id = io->id;
		tbl->ioapic[tbl->count].gsi_base = io->global_irq_base;
		tbl->count++;
	}
	/* Like the kernel's parser, ignore a tail too short for a header. */
	return tbl->count ? 0 : -ENOENT;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_madt_parse);

/**
 * pgsi_ioapic_pin_to_gsi() - GSI of a pin of an IO-APIC irq domain
 * @tbl: the MADT's IO-APICs
 * @domain_name: the irq domain's name, "IO-APIC-<id>" for IO-APIC pins
 * @pin: the hwirq within that domain
 * @gsi: the answer
 *
 * Return: 0; -ENOENT when @domain_name is not an IO-APIC domain or names
 * an IO-APIC the MADT does not list; -ERANGE when the pin would fall into
 * another IO-APIC's range or overflow.
 */
int pgsi_ioapic_pin_to_gsi(const struct pgsi_ioapic_table *tbl,
			   const char *domain_name, unsigned long pin,
			   u32 *gsi)
{
	const struct pgsi_ioapic *ioapic = NULL;
	unsigned int i, id;
	u64 candidate;

	if (!domain_name ||
	    !str_has_prefix(domain_name, PGSI_IOAPIC_DOMAIN_PREFIX) ||
	    kstrtouint(domain_name + strlen(PGSI_IOAPIC_DOMAIN_PREFIX), 10,
		       &id))
		return -ENOENT;

	for (i = 0; i < tbl->count; i++) {
		if (tbl->ioapic[i].id == id) {
			ioapic = &tbl->ioapic[i];
			break;
		}
	}
	if (!ioapic)
		return -ENOENT;

	candidate = (u64)ioapic->gsi_base + pin;
	if (candidate > U32_MAX)
		return -ERANGE;
	/* The pin must not reach into the range of a higher IO-APIC. */
	for (i = 0; i < tbl->count; i++) {
		if (tbl->ioapic[i].gsi_base > ioapic->gsi_base &&
		    candidate >= tbl->ioapic[i].gsi_base)
			return -ERANGE;
	}
	*gsi = candidate;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_ioapic_pin_to_gsi);

/*
 * The INTx irq that the kernel's PCI irq code set up for @pdev, or 0.
 * irq_managed is set once the irq was routed (ACPI or the PCI irq router);
 * an irq merely read from the interrupt line register is not managed.  With
 * MSI enabled pdev->irq is the MSI vector's irq; the INTx one is kept in
 * the first MSI descriptor.  The device lock keeps the driver, and with it
 * the MSI descriptors (device-managed data), from going away meanwhile.
 */
static unsigned int pgsi_intx_irq(struct pci_dev *pdev)
{
	unsigned int irq = 0;

	/*
	 * Never wait for a probe (one loading firmware holds the lock for up
	 * to a minute): a device being bound now registers its GSI with the
	 * recorder running, or its GSI comes from ACPI.
	 */
	if (!device_trylock(&pdev->dev))
		return 0;
	if (pdev->pin && pdev->irq_managed && pdev->irq > 0)
		irq = pdev->msi_enabled ? xenpt_msi_intx_irq(&pdev->dev) :
					  pdev->irq;
	device_unlock(&pdev->dev);
	return irq;
}

static int pgsi_recover_one(struct pgsi_store *s,
			    const struct pgsi_ioapic_table *tbl,
			    struct pci_dev *pdev)
{
	struct pgsi_reg reg = {
		.sbdf = pgsi_pci_sbdf(pdev),
		.polarity = PRIVCMD_GSI_POLARITY_UNKNOWN,
		.source = PRIVCMD_GSI_SOURCE_RECOVERED,
	};
	struct pgsi_reg acpi = {};
	struct irq_data *d;
	unsigned int irq;
	int ret;

	if (reg.sbdf == PRIVCMD_GSI_NO_SBDF)
		return -ENOENT;
	irq = pgsi_intx_irq(pdev);
	if (!irq)
		return -ENOENT;

	/* irq descriptors are freed after an RCU grace period. */
	rcu_read_lock();
	d = irq_get_irq_data(irq);
	if (d && d->domain) {
		ret = pgsi_ioapic_pin_to_gsi(tbl, d->domain->name, d->hwirq,
					     &reg.gsi);
		reg.trigger = irqd_is_level_type(d) ?
			      PRIVCMD_GSI_TRIGGER_LEVEL :
			      PRIVCMD_GSI_TRIGGER_EDGE;
	} else {
		ret = -ENOENT;
	}
	rcu_read_unlock();
	if (ret)
		return ret;

	if (!pgsi_prt_resolve(pdev, &acpi) && acpi.gsi == reg.gsi)
		reg.polarity = acpi.polarity;
	else
		pci_dbg(pdev, "GSI %u: ACPI does not say its polarity\n", reg.gsi);
	reg.irq = irq;
	ret = pgsi_store_register(s, &reg);
	if (!ret)
		pci_dbg(pdev, "recovered GSI %u of irq %u\n", reg.gsi, irq);
	return ret;
}

/**
 * pgsi_recover_all() - record the GSIs of PCI devices already enabled
 * @s: the store
 *
 * Call with the recorder running, so that no registration falls between
 * the two; records the recorder made win over recovered ones.
 *
 * Return: the number of devices recovered, or a negative errno when the
 * MADT cannot be used (then nothing is recovered).
 */
int pgsi_recover_all(struct pgsi_store *s)
{
	struct pgsi_ioapic_table *tbl;
	struct acpi_table_header *madt;
	struct pci_dev *pdev = NULL;
	acpi_status status;
	int ret, n = 0;

	status = acpi_get_table(ACPI_SIG_MADT, 0, &madt);
	if (ACPI_FAILURE(status))
		return -ENODEV;
	tbl = kzalloc_obj(*tbl, GFP_KERNEL);
	if (!tbl) {
		acpi_put_table(madt);
		return -ENOMEM;
	}
	ret = pgsi_madt_parse(madt, tbl);
	acpi_put_table(madt);
	if (ret)
		goto out;

	for_each_pci_dev(pdev) {
		if (!pgsi_recover_one(s, tbl, pdev))
			n++;
	}
	ret = n;
out:
	kfree(tbl);
	return ret;
}
