// SPDX-License-Identifier: GPL-2.0
/*
 * privcmd-gsi: IOCTL_PRIVCMD_PCIDEV_GET_GSI on /dev/xen/privcmd itself.
 *
 * Xen >= 4.20's libxl and QEMU >= 10 ask the privcmd descriptor they
 * already hold for a device's GSI; privcmd before Linux 6.12 answers
 * ENOTTY.  On such kernels this diverts exactly that one command on
 * privcmd's ioctl entry (xen_privcmd_fops.unlocked_ioctl, exported by
 * xen-privcmd) to pgsi_privcmd_get_gsi(), the way livepatch redirects a
 * function: an ftrace callback with FTRACE_OPS_FL_IPMODIFY changes the
 * saved instruction pointer for that command only.  Every other command
 * runs privcmd's own code untouched; the diverted one runs in the
 * caller's process context with privcmd's arguments.
 *
 * Lifetimes:
 *  - privcmd is taken with symbol_get() while hooked, so it cannot be
 *    unloaded meanwhile; if it loads after us, a module notifier hooks it
 *    then (from a work item);
 *  - each diverted call holds a reference to this module, taken in the
 *    callback, so the module cannot be unloaded while a call is inside;
 *    unregister_ftrace_function() waits (synchronize_rcu_tasks() on
 *    preemptible kernels) until no task can be on the callback or between
 *    the handler's module_put() and its return.
 *
 * Answers, as Linux 6.12's (drivers/xen/privcmd.c and xen-pciback's
 * pcistub_get_gsi_from_sbdf()) except where 6.12 fails the toolstack: see
 * pgsi_privcmd_errno().  Built only where privcmd lacks the command
 * (before 6.12) and ftrace can divert it (see Kbuild); privcmd_none.c
 * elsewhere.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/fs.h>
#include <linux/ftrace.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "internal.h"
#include "xen_privcmd.h"

/**
 * pgsi_privcmd_errno() - what privcmd answers for one device
 * @pciback_loaded: xen-pciback's driver is registered
 * @on_pciback: the device exists and is bound to it
 * @lookup: pgsi_lookup()'s result for the device (0, -ENOENT: no INTx pin,
 *	    -ENODATA: a pin, GSI unknown, -ENOMEM)
 *
 * As Linux 6.12: -EOPNOTSUPP without pciback, -ENODEV for a device that
 * is not on pciback (or does not exist), 0 for a GSI.  Beyond 6.12, which
 * cannot even bind a device without a pin: -ENOENT for such a device on
 * pciback, which Xen >= 4.20.1 tools take as "no legacy interrupt"; and
 * -ENODATA, never -ENOENT, for a pin whose GSI is unknown, so that the
 * toolstack fails loudly instead of silently skipping the interrupt.
 *
 * Return: 0 or a negative errno, the ioctl's answer.
 */
int pgsi_privcmd_errno(bool pciback_loaded, bool on_pciback, int lookup)
{
	if (!pciback_loaded)
		return -EOPNOTSUPP;
	if (!on_pciback)
		return -ENODEV;
	return lookup;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_privcmd_errno);

/* No lock but RCU's: see pciback.c. */
static int pgsi_privcmd_answer(struct privcmd_pcidev_get_gsi *arg)
{
	struct privcmd_gsi_record rec;
	bool on = pgsi_on_pciback(arg->sbdf);
	int lookup = 0;
	int ret;

	/*
	 * A device on pciback exists: its record answers without a walk of
	 * the PCI devices; without one, the lookup pgsi_do_get_gsi() makes.
	 */
	if (on) {
		lookup = pgsi_store_get(pgsi_store, arg->sbdf, &rec);
		if (lookup == -ENOENT)
			lookup = pgsi_lookup_sbdf(pgsi_store, arg->sbdf, &rec);
	}
	/*
	 * A device on pciback means pciback is there; only the other answers
	 * look for its driver (a walk of the bus's drivers, by name).
	 */
	ret = pgsi_privcmd_errno(on || driver_find(PGSI_PCIBACK, &pci_bus_type),
				 on && lookup != -ENODEV, lookup);
	if (!ret)
		arg->gsi = rec.gsi;
	return ret;
}

/* Runs instead of privcmd_ioctl() for IOCTL_PRIVCMD_PCIDEV_GET_GSI. */
static long pgsi_privcmd_get_gsi(struct file *file, unsigned int cmd,
				 unsigned long data)
{
	void __user *uarg = (void __user *)data;
	struct privcmd_pcidev_get_gsi arg;
	long ret;

	if (copy_from_user(&arg, uarg, sizeof(arg))) {
		ret = -EFAULT;
	} else {
		ret = pgsi_privcmd_answer(&arg);
		if (!ret && copy_to_user(uarg, &arg, sizeof(arg)))
			ret = -EFAULT;
	}
	/* Taken by pgsi_privcmd_ftrace(); see the top of this file. */
	module_put(THIS_MODULE);
	return ret;
}

static void notrace pgsi_privcmd_ftrace(unsigned long ip,
					unsigned long parent_ip,
					struct ftrace_ops *ops,
					struct ftrace_regs *fregs)
{
	struct pt_regs *regs = ftrace_get_regs(fregs);

	/* privcmd_ioctl(struct file *, unsigned int cmd, unsigned long) */
	if (!regs || (unsigned int)regs->si != IOCTL_PRIVCMD_PCIDEV_GET_GSI)
		return;
	/* Unloading: privcmd answers, as it would without us. */
	if (!try_module_get(THIS_MODULE))
		return;
	regs->ip = (unsigned long)pgsi_privcmd_get_gsi;
}

static struct ftrace_ops pgsi_privcmd_ops = {
	.func = pgsi_privcmd_ftrace,
	/*
	 * PERMANENT: as livepatch, never silently off: the sysctl
	 * kernel.ftrace_enabled=0 is refused while this is registered, and
	 * registering fails while ftrace is off.
	 */
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY |
		 FTRACE_OPS_FL_PERMANENT,
};

static DEFINE_MUTEX(pgsi_privcmd_lock);	/* hooked, enabled */
static bool pgsi_privcmd_enabled;
static unsigned long pgsi_privcmd_ip;	/* privcmd_ioctl() while hooked */

static int pgsi_privcmd_hook(void)
{
	const struct file_operations *fops;
	unsigned long ip;
	int ret;

	lockdep_assert_held(&pgsi_privcmd_lock);
	if (pgsi_privcmd_ip)
		return 0;
	fops = symbol_get(xen_privcmd_fops);
	if (!fops)
		return -ENOENT;
	ip = (unsigned long)fops->unlocked_ioctl;
	ret = ip ? ftrace_set_filter_ip(&pgsi_privcmd_ops, ip, 0, 0) : -ENOENT;
	if (ret)
		goto err_put;
	ret = register_ftrace_function(&pgsi_privcmd_ops);
	if (ret) {
		ftrace_set_filter_ip(&pgsi_privcmd_ops, ip, 1, 0);
		goto err_put;
	}
	pgsi_privcmd_ip = ip;
	pr_info("answering IOCTL_PRIVCMD_PCIDEV_GET_GSI on /dev/xen/privcmd\n");
	return 0;

err_put:
	symbol_put(xen_privcmd_fops);
	pr_warn("cannot answer IOCTL_PRIVCMD_PCIDEV_GET_GSI on /dev/xen/privcmd (%d): use libxenpt-preload.so\n",
		ret);
	return ret;
}

static void pgsi_privcmd_unhook(void)
{
	lockdep_assert_held(&pgsi_privcmd_lock);
	if (!pgsi_privcmd_ip)
		return;
	unregister_ftrace_function(&pgsi_privcmd_ops);
	ftrace_set_filter_ip(&pgsi_privcmd_ops, pgsi_privcmd_ip, 1, 0);
	pgsi_privcmd_ip = 0;
	symbol_put(xen_privcmd_fops);
}

static void pgsi_privcmd_work_fn(struct work_struct *work)
{
	mutex_lock(&pgsi_privcmd_lock);
	if (pgsi_privcmd_enabled)
		pgsi_privcmd_hook();
	mutex_unlock(&pgsi_privcmd_lock);
}

static DECLARE_WORK(pgsi_privcmd_work, pgsi_privcmd_work_fn);

/* xen-privcmd loaded after us: hook it once it is live. */
static int pgsi_privcmd_module_notify(struct notifier_block *nb,
				      unsigned long action, void *data)
{
	struct module *mod = data;

	if (action == MODULE_STATE_LIVE && !strcmp(mod->name, "xen_privcmd"))
		schedule_work(&pgsi_privcmd_work);
	return NOTIFY_DONE;
}

static struct notifier_block pgsi_privcmd_nb = {
	.notifier_call = pgsi_privcmd_module_notify,
};

int pgsi_privcmd_start(bool enable)
{
	int ret;

	if (!enable) {
		pr_info("not answering on /dev/xen/privcmd: disabled\n");
		return 0;
	}
	ret = pgsi_pciback_start();
	if (ret)
		return ret;
	ret = register_module_notifier(&pgsi_privcmd_nb);
	if (ret) {
		pgsi_pciback_stop();
		return ret;
	}
	mutex_lock(&pgsi_privcmd_lock);
	pgsi_privcmd_enabled = true;
	if (pgsi_privcmd_hook() == -ENOENT)
		pr_info("xen-privcmd is not loaded: answering on /dev/xen/privcmd once it is\n");
	mutex_unlock(&pgsi_privcmd_lock);
	return 0;
}

void pgsi_privcmd_stop(void)
{
	mutex_lock(&pgsi_privcmd_lock);
	if (!pgsi_privcmd_enabled) {
		mutex_unlock(&pgsi_privcmd_lock);
		return;
	}
	pgsi_privcmd_enabled = false;
	mutex_unlock(&pgsi_privcmd_lock);
	unregister_module_notifier(&pgsi_privcmd_nb);
	cancel_work_sync(&pgsi_privcmd_work);
	mutex_lock(&pgsi_privcmd_lock);
	pgsi_privcmd_unhook();
	mutex_unlock(&pgsi_privcmd_lock);
	pgsi_pciback_stop();
}
