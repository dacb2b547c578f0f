// SPDX-License-Identifier: GPL-2.0
/*
 * pciback-ext: the pirq a PV guest binds, on a PVH dom0.
 *
 * xen-pciback gives a device to a PV guest's pcifront in
 * xen_pcibk_export_device() (drivers/xen/xen-pciback/xenbus.c), which
 * records the guest as the device's owner with the exported
 * xen_register_device_domain_owner() before the guest can see the device.
 * libxl has mapped the device's GSI for the guest by then.  That call,
 * when pciback makes it, is diverted (redirect.c) to pbx_owner_register(),
 * which makes it and then aligns the guest's pirq with the Interrupt Line
 * pciback will report (xen.c, pbx_pirq_align()), so that pcifront's bind
 * of that pirq works.  It runs in pciback's own context (the xenbus watch
 * thread), which may sleep.  The outcome is the device's xenpt/pirq file
 * ("WORD DOMID PIRQ").
 *
 * HVM guests get their devices through QEMU, whose pirq binding must
 * stay: pciback exports the device to them as well, and pbx_pirq_align()
 * leaves them alone, as it leaves the stubdomains of device models.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/ptrace.h>
#include <xen/pci.h>

#include "internal.h"

static void pbx_pirq_fix(struct pci_dev *pdev, u16 domid)
{
	struct pbx_result r = { .state = PBX_PIRQ_NO_GSI };
	u8 line = pdev->irq;
	int pirq = -1;
	u32 gsi;

	if (pbx_device_gsi(pdev, &gsi))
		r = pbx_pirq_align(pbx_env, domid, gsi, line, &pirq);
	if (r.state == PBX_PIRQ_REMAPPED)
		pci_info(pdev, "d%u's pirq for GSI %u is now %d, the interrupt line it reads\n",
			 domid, gsi, pirq);
	else if (r.state == PBX_PIRQ_FAILED)
		pci_warn(pdev, "d%u's pirq for GSI %u stays %d, not %u: %d\n",
			 domid, gsi, pirq, line, r.rc);
	pbx_device_pirq_done(pdev, domid, pirq, r);
}

/* Runs instead of xen_register_device_domain_owner() for pciback. */
static int pbx_owner_register(struct pci_dev *pdev, u16 domid)
{
	int ret = xen_register_device_domain_owner(pdev, domid);

	/* -EEXIST: pciback steals it from another domain and calls again. */
	if (!ret)
		pbx_pirq_fix(pdev, domid);
	/* Taken by the redirect; see redirect.c. */
	module_put(THIS_MODULE);
	return ret;
}

static bool pbx_owner_want(struct pt_regs *regs, unsigned long caller)
{
	struct pci_dev *pdev = (void *)regs_get_kernel_argument(regs, 0);

	return pdev && pbx_called_by_pciback(caller, pdev);
}

static struct pbx_redirect pbx_owner_redirect = {
	.name = "xen_register_device_domain_owner",
	.func = (unsigned long)xen_register_device_domain_owner,
	.to = (unsigned long)pbx_owner_register,
	.want = pbx_owner_want,
};

int pbx_pirq_start(void)
{
	return pbx_redirect_arm(&pbx_owner_redirect);
}

void pbx_pirq_stop(void)
{
	pbx_redirect_disarm(&pbx_owner_redirect);
}
