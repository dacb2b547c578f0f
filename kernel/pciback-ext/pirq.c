// SPDX-License-Identifier: GPL-2.0
/*
 * pciback-ext: the pirq a PV guest binds, on a PVH dom0.
 *
 * xen-pciback gives a device to a PV guest's pcifront in
 * xen_pcibk_export_device() (drivers/xen/xen-pciback/xenbus.c), which
 * records the guest as the device's owner with the exported
 * xen_register_device_domain_owner() before the guest can see the device.
 * libxl has mapped the device's GSI for the guest by then.  A return probe
 * on that call, filtered on pciback as the caller, aligns the guest's pirq
 * with the Interrupt Line pciback will report (xen.c, pbx_pirq_align()),
 * so that pcifront's bind of that pirq works.  The outcome is the device's
 * xenpt/pirq file ("WORD DOMID PIRQ").
 *
 * HVM guests get their devices through QEMU, whose pirq binding must
 * stay: pciback exports the device to them as well, and pbx_pirq_align()
 * leaves them alone (PBX_PIRQ_HVM_GUEST).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/ptrace.h>

#include "internal.h"

struct pbx_owner_args {
	struct pci_dev *pdev;
	u16 domid;
};

/* int xen_register_device_domain_owner(struct pci_dev *dev, uint16_t domain) */
static int pbx_owner_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct pbx_owner_args *a = (void *)ri->data;
	unsigned long caller = *(unsigned long *)kernel_stack_pointer(regs);

	a->pdev = (void *)regs_get_kernel_argument(regs, 0);
	a->domid = regs_get_kernel_argument(regs, 1);
	return pbx_called_by_pciback(caller, a->pdev) ? 0 : 1;
}

/* Runs with preemption disabled: hypercalls and spinlocks only. */
static int pbx_owner_return(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	const struct pbx_owner_args *a = (void *)ri->data;
	struct pbx_result r = { .state = PBX_PIRQ_NO_GSI };
	int pirq = -1;
	u32 gsi;

	/* -EEXIST: pciback steals it from another domain and calls again. */
	if (regs_return_value(regs))
		return 0;
	if (pbx_device_gsi(a->pdev, &gsi))
		r = pbx_pirq_align(pbx_env, a->domid, gsi, (u8)a->pdev->irq,
				   &pirq);
	if (r.state == PBX_PIRQ_REMAPPED)
		pci_info(a->pdev, "d%u's pirq for GSI %u is now %d, the interrupt line it reads\n",
			 a->domid, gsi, pirq);
	else if (r.state == PBX_PIRQ_FAILED)
		pci_warn(a->pdev, "d%u's pirq for GSI %u stays %d, not %u: %d\n",
			 a->domid, gsi, pirq, (u8)a->pdev->irq, r.rc);
	pbx_device_pirq_done(a->pdev, a->domid, pirq, r);
	return 0;
}

static struct kretprobe pbx_owner_probe = {
	.kp.symbol_name = "xen_register_device_domain_owner",
	.entry_handler = pbx_owner_entry,
	.handler = pbx_owner_return,
	.data_size = sizeof(struct pbx_owner_args),
	.maxactive = 16,
};

int pbx_pirq_start(void)
{
	int ret = register_kretprobe(&pbx_owner_probe);

	if (ret)
		pr_err("cannot probe xen_register_device_domain_owner: %d\n", ret);
	return ret;
}

void pbx_pirq_stop(void)
{
	unregister_kretprobe(&pbx_owner_probe);
}
