// SPDX-License-Identifier: GPL-2.0
/*
 * pciback-ext: xen-pciback's module, to tell its calls from others.
 *
 * The kernel functions pciback-ext watches (__pci_reset_function_locked(),
 * xen_register_device_domain_owner(), ...) are called from elsewhere too;
 * only pciback's calls count.  A call is pciback's when its return address
 * lies in xen-pciback's code, init code included: pciback resets the
 * devices hidden with xen-pciback.hide= from its module init, while the
 * module is still COMING.  So the module is taken from the module notifier
 * at COMING and dropped at GOING, and looked up once at load when it is
 * already there; readers use RCU.  Where pciback is built in, its calls
 * are those about devices bound to the "pciback" driver.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>

#include "internal.h"

#define PBX_PCIBACK_MODULE	"xen_pciback"

/* xen-pciback while it is loaded; NULL otherwise (or built in). */
static struct module __rcu *pbx_pciback_mod;
static bool pbx_pciback_builtin;
/* Serializes the lookup at load with the notifier. */
static DEFINE_MUTEX(pbx_pciback_lock);

static int pbx_pciback_notify(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	struct module *mod = data;

	if (strcmp(mod->name, PBX_PCIBACK_MODULE))
		return NOTIFY_DONE;
	mutex_lock(&pbx_pciback_lock);
	switch (action) {
	case MODULE_STATE_COMING:
		rcu_assign_pointer(pbx_pciback_mod, mod);
		break;
	case MODULE_STATE_GOING:
		/* After its exit, whose unbinding resets were still seen. */
		if (rcu_access_pointer(pbx_pciback_mod) == mod) {
			RCU_INIT_POINTER(pbx_pciback_mod, NULL);
			synchronize_rcu();
		}
		break;
	}
	mutex_unlock(&pbx_pciback_lock);
	return NOTIFY_DONE;
}

static struct notifier_block pbx_pciback_nb = {
	.notifier_call = pbx_pciback_notify,
};

int pbx_pciback_start(void)
{
	struct device_driver *drv;
	int ret;

	ret = register_module_notifier(&pbx_pciback_nb);
	if (ret)
		return ret;
	/*
	 * Already loaded: its driver's owner.  The driver may be going away
	 * meanwhile, but its module is freed only after the GOING
	 * notification, which waits for the lock.
	 */
	mutex_lock(&pbx_pciback_lock);
	drv = driver_find(PBX_PCIBACK, &pci_bus_type);
	if (drv && drv->owner)
		rcu_assign_pointer(pbx_pciback_mod, drv->owner);
	else if (drv)
		pbx_pciback_builtin = true;
	mutex_unlock(&pbx_pciback_lock);
	return 0;
}

void pbx_pciback_stop(void)
{
	unregister_module_notifier(&pbx_pciback_nb);
	RCU_INIT_POINTER(pbx_pciback_mod, NULL);
}

/**
 * pbx_called_by_pciback() - is @caller in xen-pciback's code?
 * @caller: a return address
 * @pdev: the device the call is about, for a pciback built in (NULL: a
 *	  pciback built in calls it with no device to check: yes)
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
		ours = pbx_pciback_builtin &&
		       (!pdev || (pdev->dev.driver &&
				  !strcmp(pdev->dev.driver->name, PBX_PCIBACK)));
	rcu_read_unlock();
	return ours;
}

/**
 * pbx_pciback_initialized() - has pciback set the device up yet?
 * @pdev: a device bound to pciback; its device lock held
 *
 * pciback defers the set-up of devices it seizes during its own module
 * init (xen-pciback.hide=) until the end of that init
 * (pcistub_init_devices_late()), after the driver core reported them
 * bound.  Its set-up (pcistub_init_device()) gives the device its private
 * data first, then enables it: that is when Linux registers the GSI.
 */
bool pbx_pciback_initialized(struct pci_dev *pdev)
{
	return pci_get_drvdata(pdev);
}
