// SPDX-License-Identifier: GPL-2.0
/*
 * pciback-ext: the resets xen-pciback does.
 *
 * pciback resets a device with __pci_reset_function_locked() when it
 * binds it, when a guest releases it and when it lets it go
 * (pcistub_init_device(), pcistub_put_pci_dev(), pcistub_device_release()
 * in drivers/xen/xen-pciback/pci_stub.c).  A return probe on that
 * exported function, filtered on a caller inside xen-pciback's code, sends
 * Xen PHYSDEVOP_pci_device_reset after each, as Linux 6.12 does.  Resets
 * from elsewhere (the sysfs reset file, which libxl writes) are left
 * alone, as 6.12 leaves them.
 *
 * xen-pciback's module is looked up when this loads and when any module
 * goes live, and forgotten when it goes (a module notifier); the probe
 * reads it under RCU.  Where pciback is built in, its resets are those of
 * devices bound to the "pciback" driver.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/ptrace.h>

#include "internal.h"

/* Enough for every CPU resetting a device at once, and then some. */
#define PBX_RESET_MAXACTIVE	16

/* xen-pciback while it is loaded; NULL otherwise (or built in). */
static struct module __rcu *pbx_pciback_mod;
static bool pbx_pciback_builtin;

static void pbx_pciback_lookup(void)
{
	struct device_driver *drv = driver_find(PBX_PCIBACK, &pci_bus_type);

	if (!drv)
		return;
	if (drv->owner)
		rcu_assign_pointer(pbx_pciback_mod, drv->owner);
	else
		pbx_pciback_builtin = true;
}

static int pbx_reset_module_notify(struct notifier_block *nb,
				   unsigned long action, void *data)
{
	struct module *mod = data;

	switch (action) {
	case MODULE_STATE_LIVE:
		if (!strcmp(mod->name, "xen_pciback"))
			pbx_pciback_lookup();
		break;
	case MODULE_STATE_GOING:
		/* After its exit, whose unbinding resets were still seen. */
		if (rcu_access_pointer(pbx_pciback_mod) == mod) {
			RCU_INIT_POINTER(pbx_pciback_mod, NULL);
			synchronize_rcu();
		}
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block pbx_reset_nb = {
	.notifier_call = pbx_reset_module_notify,
};

/**
 * pbx_called_by_pciback() - is @caller in xen-pciback's code?
 * @caller: a return address
 * @pdev: the device the call is about, for a pciback built in
 *
 * Any context.
 */
bool pbx_called_by_pciback(unsigned long caller, struct pci_dev *pdev)
{
	struct module *mod;
	bool ours;

	rcu_read_lock();
	mod = rcu_dereference(pbx_pciback_mod);
	if (mod)
		ours = within_module(caller, mod);
	else
		ours = pbx_pciback_builtin && pdev->dev.driver &&
		       !strcmp(pdev->dev.driver->name, PBX_PCIBACK);
	rcu_read_unlock();
	return ours;
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

/**
 * pbx_reset_tell_xen() - PHYSDEVOP_pci_device_reset for @pdev, now
 * @pdev: a device pciback reset
 *
 * Any context: a hypercall, a spinlock.
 */
void pbx_reset_tell_xen(struct pci_dev *pdev)
{
	struct pbx_result r;

	r = pbx_reset_notify(pbx_env, pci_domain_nr(pdev->bus),
			     pdev->bus->number, pdev->devfn);
	if (r.state == PBX_RESET_UNSUPPORTED)
		pr_warn_once("Xen has no PHYSDEVOP_pci_device_reset (Xen before 4.20): its vPCI state of reset devices is not refreshed\n");
	else if (r.state == PBX_RESET_FAILED)
		dev_warn_ratelimited(&pdev->dev, "PHYSDEVOP_pci_device_reset failed: %d\n",
				     r.rc);
	pbx_device_reset_done(pdev, r);
}

/* Runs with preemption disabled: a hypercall is fine there. */
static int pbx_reset_return(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	pbx_reset_tell_xen(*(struct pci_dev **)ri->data);
	return 0;
}

static struct kretprobe pbx_reset_probe = {
	.kp.symbol_name = "__pci_reset_function_locked",
	.entry_handler = pbx_reset_entry,
	.handler = pbx_reset_return,
	.data_size = sizeof(struct pci_dev *),
	.maxactive = PBX_RESET_MAXACTIVE,
};

int pbx_reset_start(void)
{
	int ret;

	ret = register_module_notifier(&pbx_reset_nb);
	if (ret)
		return ret;
	pbx_pciback_lookup();
	ret = register_kretprobe(&pbx_reset_probe);
	if (ret) {
		pr_err("cannot probe __pci_reset_function_locked: %d\n", ret);
		unregister_module_notifier(&pbx_reset_nb);
	}
	return ret;
}

/* Returns once no handler runs any more. */
void pbx_reset_stop(void)
{
	unregister_kretprobe(&pbx_reset_probe);
	unregister_module_notifier(&pbx_reset_nb);
	if (pbx_reset_probe.nmissed)
		pr_warn("%d resets went unnoticed\n", pbx_reset_probe.nmissed);
}
