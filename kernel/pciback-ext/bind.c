// SPDX-License-Identifier: GPL-2.0
/*
 * pciback-ext: dom0's own binding of a GSI, before anything else tells
 * Xen about it.
 *
 * A PVH dom0 drives the IO-APIC that Xen emulates for it.  When dom0
 * first unmasks a pin there, Xen registers the GSI (programs the real
 * pin with the trigger and polarity dom0 wrote) and binds it to dom0, so
 * that dom0 gets its interrupts (vioapic_hwdom_map_gsi(), Xen 4.10 and
 * later: mp_register_gsi(), allocate_and_map_gsi_pirq(),
 * pt_irq_create_bind()).  If the GSI was registered by
 * PHYSDEVOP_setup_gsi before, that same unmask finds it registered
 * (-EEXIST) and returns early, binding nothing: a device given back to
 * dom0 never gets an interrupt again until Xen reboots.  Linux 6.12's
 * xen-pciback does exactly that for a device no dom0 driver used first.
 *
 * So Xen first hears of the GSI the way it hears of any dom0 interrupt:
 * the GSI is registered with Linux (acpi_register_gsi(), which programs
 * the emulated pin masked), requested with a handler that claims nothing
 * (which unmasks it: Xen registers and binds it to dom0), released
 * (masked again) and unregistered.  Xen keeps its registration and dom0's
 * binding; dom0's pin stays masked until a dom0 driver asks for it.  A
 * GSI a dom0 driver already holds is bound already.
 */
#include <linux/acpi.h>
#include <linux/interrupt.h>

#include "internal.h"

static int pbx_bind_cookie;

/* Never claims an interrupt: the pin is unmasked only for Xen to see. */
static irqreturn_t pbx_bind_isr(int irq, void *dev_id)
{
	return IRQ_NONE;
}

/**
 * pbx_dom0_bind() - have Xen register a GSI and bind it to dom0
 * @gsi: the GSI
 * @trigger: PRIVCMD_GSI_TRIGGER_LEVEL or _EDGE
 * @polarity: PRIVCMD_GSI_POLARITY_HIGH or _LOW
 *
 * Process context.  Call on a PVH dom0 only.
 *
 * Return: 0 when the pin was unmasked once (or a dom0 driver holds it);
 * acpi_register_gsi()'s or request_irq()'s error otherwise.
 */
int pbx_dom0_bind(u32 gsi, u8 trigger, u8 polarity)
{
	int acpi_trigger = trigger == PRIVCMD_GSI_TRIGGER_EDGE ?
			   ACPI_EDGE_SENSITIVE : ACPI_LEVEL_SENSITIVE;
	int acpi_polarity = polarity == PRIVCMD_GSI_POLARITY_HIGH ?
			    ACPI_ACTIVE_HIGH : ACPI_ACTIVE_LOW;
	int irq, ret;

	might_sleep();
	irq = acpi_register_gsi(NULL, gsi, acpi_trigger, acpi_polarity);
	if (irq < 0)
		return irq;
	ret = request_irq(irq, pbx_bind_isr, IRQF_SHARED, KBUILD_MODNAME,
			  &pbx_bind_cookie);
	if (!ret)
		free_irq(irq, &pbx_bind_cookie);
	else if (ret == -EBUSY)
		ret = 0;	/* a dom0 driver holds it, unmasked: bound */
	acpi_unregister_gsi(gsi);
	return ret;
}
