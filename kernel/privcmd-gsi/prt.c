// SPDX-License-Identifier: GPL-2.0
/*
 * privcmd-gsi: GSIs from the ACPI _PRT, for devices whose registration the
 * recorder did not see and recovery could not rebuild (a device pciback
 * seized at boot with xen-pciback.hide=, before the module loaded, and
 * then disabled; a device never enabled at all).
 *
 * This follows acpi_pci_irq_lookup() and acpi_pci_link_allocate_irq() of
 * drivers/acpi/pci_irq.c and pci_link.c (6.1), which are static there,
 * using exported ACPICA calls only:
 *
 *  - the _PRT of the ACPI device behind the device's bus (the host bridge
 *    or a PCI-PCI bridge) is searched for (slot, pin); without an entry,
 *    the pin is swizzled to the bridge above and the search repeats there,
 *    up to the root bus (CardBus bridges give their own pin);
 *  - on the device's own bus, an ARI device is looked up as slot 0, as the
 *    kernel does;
 *  - a static entry names the GSI itself (level, active low);
 *  - an entry naming an interrupt link device gives the interrupt Linux
 *    allocates for that link, with the trigger and polarity of its _PRS.
 *    Linux never trusts a link's _CRS: it disables every link at boot and
 *    picks an interrupt from _PRS by penalty when a device first uses it
 *    (acpi_pci_link_allocate()), then programs it with _SRS.  So a link
 *    whose _PRS offers one interrupt has that one; a link with a choice
 *    has the one in its _CRS only while Linux has it allocated (its _CRS
 *    in _PRS, and that GSI registered now); otherwise the GSI is not
 *    known.  Blank IRQ descriptors are skipped, as pci_link.c skips them.
 *
 * Not followed: the kernel's DMI quirks for a few old boards
 * (do_prt_fixups), the boot-interrupt rerouting of some Intel chipsets,
 * and the ISA interrupt-line fallback (not built on x86-64).  Anything
 * uncertain gives -ENODATA, never a guess: lookup.c then waits for the
 * registration.
 */
#include <linux/acpi.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "internal.h"

/**
 * pgsi_prt_match() - the _PRT entry of a slot's pin
 * @table: the routing table as acpi_get_irq_routing_table() returns it
 * @len: its length in bytes
 * @slot: PCI slot (device number)
 * @pin: 1 = INTA .. 4 = INTD (the _PRT itself counts from 0)
 *
 * Return: the entry, or NULL when there is none or the table is malformed.
 */
const struct acpi_pci_routing_table *
pgsi_prt_match(const void *table, size_t len, u8 slot, u8 pin)
{
	const struct acpi_pci_routing_table *e;
	size_t off = 0;

	while (len - off > offsetof(struct acpi_pci_routing_table, source)) {
		e = table + off;
		if (!e->length)
			break;
		/* An entry ends past its source's first byte, or is bad. */
		if (e->length > len - off ||
		    e->length <= offsetof(struct acpi_pci_routing_table, source))
			return NULL;
		if (((e->address >> 16) & 0xffff) == slot && e->pin + 1 == pin)
			return e;
		off += e->length;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_prt_match);

static u8 pgsi_acpi_trigger(u8 t)
{
	return t == ACPI_EDGE_SENSITIVE ? PRIVCMD_GSI_TRIGGER_EDGE :
					  PRIVCMD_GSI_TRIGGER_LEVEL;
}

static u8 pgsi_acpi_polarity(u8 p)
{
	return p == ACPI_ACTIVE_HIGH ? PRIVCMD_GSI_POLARITY_HIGH :
				       PRIVCMD_GSI_POLARITY_LOW;
}

static bool pgsi_link_offers(const struct pgsi_link_res *prs, u32 irq)
{
	u32 i;

	for (i = 0; i < prs->count && i < PGSI_LINK_MAX_IRQS; i++)
		if (prs->irqs[i] == irq)
			return true;
	return false;
}

/**
 * pgsi_link_pick() - the GSI of an interrupt link device
 * @crs: the interrupt resource of its _CRS (current setting)
 * @prs: the interrupt resource of its _PRS (possible settings)
 * @reg: gets gsi, trigger and polarity
 *
 * Return: 0 when the GSI is certain (_PRS offers exactly one); 1 when it
 * is the _CRS setting of a link with a choice, which holds only while
 * Linux has the link allocated (the caller checks that); -ENODATA when
 * neither says which interrupt Linux would use (no _PRS, a choice and no
 * current setting, a current setting _PRS does not offer).
 */
int pgsi_link_pick(const struct pgsi_link_res *crs,
		   const struct pgsi_link_res *prs, struct pgsi_reg *reg)
{
	int ret;

	if (!prs->found || !prs->count || !prs->irqs[0])
		return -ENODATA;
	if (prs->count == 1) {
		reg->gsi = prs->irqs[0];
		ret = 0;
	} else if (crs->found && crs->count && pgsi_link_offers(prs, crs->irqs[0])) {
		reg->gsi = crs->irqs[0];
		ret = 1;
	} else {
		return -ENODATA;
	}
	reg->trigger = pgsi_acpi_trigger(prs->trigger);
	reg->polarity = pgsi_acpi_polarity(prs->polarity);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_link_pick);

static void pgsi_link_res_set(struct pgsi_link_res *lr, u32 count,
			      const u8 *irq8, const u32 *irq32, u8 trigger,
			      u8 polarity)
{
	u32 i;

	lr->found = true;
	lr->count = count;
	for (i = 0; i < count && i < PGSI_LINK_MAX_IRQS; i++)
		lr->irqs[i] = irq8 ? irq8[i] : irq32[i];
	lr->trigger = trigger;
	lr->polarity = polarity;
}

/* The first IRQ or extended IRQ resource that is not blank. */
static acpi_status pgsi_link_res_cb(struct acpi_resource *res, void *data)
{
	struct pgsi_link_res *lr = data;

	switch (res->type) {
	case ACPI_RESOURCE_TYPE_IRQ:
		if (!res->data.irq.interrupt_count)
			return AE_OK;
		pgsi_link_res_set(lr, res->data.irq.interrupt_count,
				  res->data.irq.interrupts, NULL,
				  res->data.irq.triggering,
				  res->data.irq.polarity);
		return AE_CTRL_TERMINATE;
	case ACPI_RESOURCE_TYPE_EXTENDED_IRQ:
		if (!res->data.extended_irq.interrupt_count)
			return AE_OK;
		pgsi_link_res_set(lr, res->data.extended_irq.interrupt_count,
				  NULL, res->data.extended_irq.interrupts,
				  res->data.extended_irq.triggering,
				  res->data.extended_irq.polarity);
		return AE_CTRL_TERMINATE;
	default:
		return AE_OK;
	}
}

static int pgsi_link_gsi(acpi_handle link, struct pgsi_reg *reg)
{
	struct pgsi_link_res crs = {}, prs = {};
	int ret;

	acpi_walk_resources(link, METHOD_NAME__CRS, pgsi_link_res_cb, &crs);
	acpi_walk_resources(link, METHOD_NAME__PRS, pgsi_link_res_cb, &prs);
	ret = pgsi_link_pick(&crs, &prs, reg);
	/* A choice: its _CRS is Linux's only while that GSI is registered. */
	if (ret == 1)
		ret = pgsi_store_gsi_registered(pgsi_store, reg->gsi) ? 0 : -ENODATA;
	return ret;
}

/*
 * The slot a device is looked up as in its own bus's _PRT: 0 for an ARI
 * device, whose function numbers run into the slot bits (as
 * acpi_pci_irq_find_prt_entry()).
 */
u8 pgsi_prt_slot(const struct pci_dev *dev)
{
	return pci_ari_enabled(dev->bus) ? 0 : PCI_SLOT(dev->devfn);
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_prt_slot);

/*
 * The _PRT entry of @dev's pin on its own bus: 0 with @reg filled in,
 * -ENOENT when the bus has no _PRT or no entry for it (look further up),
 * -ENODATA when the entry does not say.
 */
static int pgsi_prt_entry(struct pci_dev *dev, u8 pin, struct pgsi_reg *reg)
{
	struct acpi_buffer buf = { ACPI_ALLOCATE_BUFFER, NULL };
	const struct acpi_pci_routing_table *e;
	acpi_handle handle = NULL, link;
	acpi_status status;
	int ret;

	if (dev->bus->bridge)
		handle = ACPI_HANDLE(dev->bus->bridge);
	if (!handle)
		return -ENOENT;
	status = acpi_get_irq_routing_table(handle, &buf);
	if (ACPI_FAILURE(status)) {
		kfree(buf.pointer);
		return -ENOENT;
	}

	e = pgsi_prt_match(buf.pointer, buf.length, pgsi_prt_slot(dev), pin);
	if (!e) {
		ret = -ENOENT;
	} else if (!e->source[0]) {
		reg->gsi = e->source_index;
		reg->trigger = PRIVCMD_GSI_TRIGGER_LEVEL;
		reg->polarity = PRIVCMD_GSI_POLARITY_LOW;
		ret = 0;
	} else if (e->source_index ||
		   ACPI_FAILURE(acpi_get_handle(handle, (char *)e->source,
						&link))) {
		/* pci_link.c takes only index 0; a missing link is broken. */
		ret = -ENODATA;
	} else {
		ret = pgsi_link_gsi(link, reg);
	}
	kfree(buf.pointer);
	return ret;
}

/* pci_swizzle_interrupt_pin(), which 6.1 does not export. */
u8 pgsi_swizzle(const struct pci_dev *pdev, u8 pin)
{
	return (((pin - 1) + pgsi_prt_slot(pdev)) % 4) + 1;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_swizzle);

/**
 * pgsi_prt_resolve() - the GSI of a device's INTx pin, from ACPI
 * @pdev: the device
 * @reg: gets gsi, trigger and polarity; nothing else is touched
 *
 * May sleep: evaluates AML.
 *
 * Return: 0; -ENOENT when the device has no pin; -ENODATA when ACPI does
 * not tell (no _PRT on the way to the root, an uncertain link device).
 */
int pgsi_prt_resolve(struct pci_dev *pdev, struct pgsi_reg *reg)
{
	struct pci_dev *dev = pdev, *bridge;
	u8 pin = pdev->pin;
	int ret;

	if (!pin)
		return -ENOENT;
	if (acpi_disabled)
		return -ENODATA;
	ret = pgsi_prt_entry(dev, pin, reg);
	for (bridge = dev->bus->self; ret == -ENOENT && bridge;
	     bridge = dev->bus->self) {
		pin = pgsi_swizzle(dev, pin);
		if ((bridge->class >> 8) == PCI_CLASS_BRIDGE_CARDBUS) {
			pin = bridge->pin;
			if (!pin)
				return -ENODATA;
		}
		ret = pgsi_prt_entry(bridge, pin, reg);
		dev = bridge;
	}
	return ret == -ENOENT ? -ENODATA : ret;
}
