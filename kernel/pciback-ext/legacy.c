// SPDX-License-Identifier: GPL-2.0
/*
 * pciback-ext, before Linux 6.12: what 6.12's xen-pciback does for a PVH
 * dom0 and older ones do not (built instead of upstream.c, see Kbuild).
 *
 *  - Reset notices.  pciback resets a device with
 *    __pci_reset_function_locked() when it binds it, when a guest releases
 *    it and when it lets it go (pcistub_init_device(),
 *    pcistub_put_pci_dev(), pcistub_device_release() in
 *    drivers/xen/xen-pciback/pci_stub.c).  A return probe on that exported
 *    function, filtered on a caller inside xen-pciback's code (pciback.c),
 *    sends Xen PHYSDEVOP_pci_device_reset after each, as 6.12 does.
 *    Resets from elsewhere (the sysfs reset file, which libxl writes) are
 *    left alone, as 6.12 leaves them.
 *  - GSI set-up once Linux registered the GSI.  pciback enables a device
 *    as it sets it up (pci_enable_device(): acpi_register_gsi(), with the
 *    interrupt link chosen and programmed): a return probe there tells
 *    device.c that the registration of a device waiting for it happened,
 *    and device.c sets the GSI up with what privcmd-gsi recorded of it.
 *
 * The return handlers run with preemption disabled: a hypercall, a
 * spinlock and scheduling work are all they do.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/ptrace.h>

#include "internal.h"

const bool pbx_pciback_does_gsi;

int pbx_pciback_gsi(struct pci_dev *pdev)
{
	return -EOPNOTSUPP;
}

/* int __pci_reset_function_locked(struct pci_dev *dev) */
static int pbx_reset_entry(struct kretprobe_instance *ri,
			   struct pt_regs *regs)
{
	struct pci_dev *pdev = (void *)regs_get_kernel_argument(regs, 0);
	/* At the entry, the stack's top is the return address: the caller. */
	unsigned long caller = *(unsigned long *)kernel_stack_pointer(regs);

	if (!pbx_called_by_pciback(caller, pdev))
		return 1;	/* no return handler for this call */
	*(struct pci_dev **)ri->data = pdev;
	return 0;
}

static int pbx_reset_return(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	pbx_reset_tell_xen(*(struct pci_dev **)ri->data);
	return 0;
}

struct pbx_registration {
	struct pci_dev *pdev;
	u32 gsi;
};

/* int acpi_register_gsi(struct device *dev, u32 gsi, int trigger, int polarity) */
static int pbx_register_entry(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct device *dev = (void *)regs_get_kernel_argument(regs, 0);

	struct pbx_registration *a = (void *)ri->data;

	if (!dev || !dev_is_pci(dev))
		return 1;
	a->pdev = to_pci_dev(dev);
	a->gsi = regs_get_kernel_argument(regs, 1);
	return 0;
}

static int pbx_register_return(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	const struct pbx_registration *a = (void *)ri->data;

	if ((int)regs_return_value(regs) >= 0)
		pbx_device_registered(a->pdev, a->gsi);
	return 0;
}

/* maxactive 0: the kernel's default, enough for every CPU. */
static struct kretprobe pbx_reset_probe = {
	.kp.symbol_name = "__pci_reset_function_locked",
	.entry_handler = pbx_reset_entry,
	.handler = pbx_reset_return,
	.data_size = sizeof(struct pci_dev *),
};

static struct kretprobe pbx_register_probe = {
	.kp.symbol_name = "acpi_register_gsi",
	.entry_handler = pbx_register_entry,
	.handler = pbx_register_return,
	.data_size = sizeof(struct pbx_registration),
};

static struct kretprobe *pbx_legacy_probes[] = {
	&pbx_reset_probe,
	&pbx_register_probe,
};

int pbx_gsi_start(void)
{
	int ret;

	ret = register_kretprobes(pbx_legacy_probes,
				  ARRAY_SIZE(pbx_legacy_probes));
	if (ret)
		pr_err("cannot probe __pci_reset_function_locked and acpi_register_gsi: %d\n",
		       ret);
	return ret;
}

/* Returns once no handler runs any more. */
void pbx_gsi_stop(void)
{
	unregister_kretprobes(pbx_legacy_probes, ARRAY_SIZE(pbx_legacy_probes));
	if (pbx_reset_probe.nmissed)
		pr_warn("%d resets went unnoticed\n", pbx_reset_probe.nmissed);
}
