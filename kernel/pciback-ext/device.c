// SPDX-License-Identifier: GPL-2.0
/*
 * pciback-ext: the devices bound to xen-pciback, however they got there.
 *
 * Each one gets a state, made when it binds (bus notifiers, which run
 * inside the bind: from just before pciback's probe, whose reset is
 * counted) or at load for devices bound earlier, and dropped when it
 * unbinds.  What happens to its GSI depends on the kernel:
 *
 *  - before 6.12 (legacy.c), pciback-ext sets it up, once Linux has
 *    registered it: at the bind for a device pciback sets up in its probe;
 *    for one it seized during its own module init (xen-pciback.hide=),
 *    whose set-up pciback defers until after the bind, when that
 *    registration comes ("waiting" meanwhile); at load for devices bound
 *    earlier, from what privcmd-gsi knows of them.  A later registration
 *    of another GSI sets it up again.  The GSI comes from privcmd-gsi
 *    through privcmd_gsi_lookup(), taken with symbol_get() so that either
 *    module may load first; when privcmd-gsi arrives later, every device
 *    whose setup is still open is looked at again.  Xen is told of the
 *    bind-time reset of devices bound before this loaded, unless a guest
 *    holds them;
 *  - 6.12 and later (upstream.c), xen-pciback sets it up itself, through
 *    pciback-ext's dom0 binding, which reports here.
 *
 * The state is shown under the device: /sys/bus/pci/devices/BDF/xenpt/
 *   gsi           the GSI; reading fails with ENOENT (no INTx pin),
 *                 ENODATA (not known) or EOPNOTSUPP (privcmd-gsi absent)
 *   trigger       level, edge or unknown
 *   polarity      high, low or unknown
 *   gsi_source    registered, recovered, acpi (privcmd-gsi's), pciback
 *                 (6.12 and later: xen-pciback's own) or none
 *   setup_gsi     "WORD RC": the outcome (xen.c)
 *   reset_notify  "WORD RC": the last PHYSDEVOP_pci_device_reset's
 *   resets        how many resets were notified
 *   pirq          "WORD DOMID PIRQ": the last PV guest's pirq for the GSI
 *                 (pirq.c)
 *
 * Locking: pbx_lock (a mutex) serializes changes to the list and to setup
 * state; it nests inside the device lock that the driver core holds around
 * notifications.  Readers (sysfs, the probes in atomic context) find a
 * device under RCU and read its fields under its spinlock; the group is
 * removed before the state is freed, after an RCU grace period.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <xen/pci.h>

#include "internal.h"
#include "xenpt_slab.h"
#include "privcmd_gsi.h"

struct pbx_state {
	int lookup;			/* the GSI lookup's result */
	struct privcmd_gsi_record rec;
	bool from_pciback;		/* rec is xen-pciback's own (6.12+) */
	struct pbx_result setup;
	struct pbx_result reset;
	unsigned long resets;
	struct pbx_result pirq;		/* for the last PV guest */
	u16 pirq_domid;
	int pirq_nr;
};

struct pbx_dev {
	struct list_head node;
	struct rcu_head rcu;
	struct pci_dev *pdev;		/* holds a reference */
	bool has_group;
	spinlock_t lock;		/* st */
	struct pbx_state st;
};

static LIST_HEAD(pbx_devs);
static void pbx_retry(void);
static DEFINE_MUTEX(pbx_lock);
static bool pbx_closing;

/* Under rcu_read_lock() or pbx_lock. */
static struct pbx_dev *pbx_find_rcu(struct pci_dev *pdev)
{
	struct pbx_dev *d;

	list_for_each_entry_rcu(d, &pbx_devs, node,
				lockdep_is_held(&pbx_lock))
		if (d->pdev == pdev)
			return d;
	return NULL;
}

static bool pbx_is_pciback(struct pci_dev *pdev)
{
	return pdev->dev.driver && !strcmp(pdev->dev.driver->name, PBX_PCIBACK);
}

/* ---- sysfs ---------------------------------------------------------- */

/* Copies the device's state for a show function; false if it has none. */
static bool pbx_snapshot(struct device *dev, struct pbx_state *out)
{
	struct pbx_dev *d;

	rcu_read_lock();
	d = pbx_find_rcu(to_pci_dev(dev));
	if (d) {
		spin_lock_irq(&d->lock);
		*out = d->st;
		spin_unlock_irq(&d->lock);
	}
	rcu_read_unlock();
	return d;
}

static ssize_t gsi_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	struct pbx_state d;

	if (!pbx_snapshot(dev, &d))
		return -ENODEV;
	if (d.lookup)
		return d.lookup;
	return sysfs_emit(buf, "%u\n", d.rec.gsi);
}
static DEVICE_ATTR_RO(gsi);

static ssize_t trigger_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct pbx_state d;

	if (!pbx_snapshot(dev, &d))
		return -ENODEV;
	return sysfs_emit(buf, "%s\n",
			  d.lookup ? "unknown" :
			  d.rec.trigger == PRIVCMD_GSI_TRIGGER_LEVEL ? "level" :
			  d.rec.trigger == PRIVCMD_GSI_TRIGGER_EDGE ? "edge" :
			  "unknown");
}
static DEVICE_ATTR_RO(trigger);

static ssize_t polarity_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct pbx_state d;

	if (!pbx_snapshot(dev, &d))
		return -ENODEV;
	return sysfs_emit(buf, "%s\n",
			  d.lookup ? "unknown" :
			  d.rec.polarity == PRIVCMD_GSI_POLARITY_HIGH ? "high" :
			  d.rec.polarity == PRIVCMD_GSI_POLARITY_LOW ? "low" :
			  "unknown");
}
static DEVICE_ATTR_RO(polarity);

static ssize_t gsi_source_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	static const char * const names[] = {
		[PRIVCMD_GSI_SOURCE_REGISTERED] = "registered",
		[PRIVCMD_GSI_SOURCE_RECOVERED] = "recovered",
		[PRIVCMD_GSI_SOURCE_ACPI] = "acpi",
	};
	const char *name = NULL;
	struct pbx_state d;

	if (!pbx_snapshot(dev, &d))
		return -ENODEV;
	if (!d.lookup && d.from_pciback)
		name = "pciback";
	else if (!d.lookup && d.rec.source < ARRAY_SIZE(names))
		name = names[d.rec.source];
	return sysfs_emit(buf, "%s\n", name ?: "none");
}
static DEVICE_ATTR_RO(gsi_source);

static ssize_t setup_gsi_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct pbx_state d;

	if (!pbx_snapshot(dev, &d))
		return -ENODEV;
	return sysfs_emit(buf, "%s %d\n", pbx_setup_name(d.setup.state),
			  d.setup.rc);
}
static DEVICE_ATTR_RO(setup_gsi);

static ssize_t reset_notify_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct pbx_state d;

	if (!pbx_snapshot(dev, &d))
		return -ENODEV;
	return sysfs_emit(buf, "%s %d\n", pbx_reset_name(d.reset.state),
			  d.reset.rc);
}
static DEVICE_ATTR_RO(reset_notify);

static ssize_t resets_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct pbx_state d;

	if (!pbx_snapshot(dev, &d))
		return -ENODEV;
	return sysfs_emit(buf, "%lu\n", d.resets);
}
static DEVICE_ATTR_RO(resets);

static ssize_t pirq_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct pbx_state d;

	if (!pbx_snapshot(dev, &d))
		return -ENODEV;
	return sysfs_emit(buf, "%s %u %d\n", pbx_pirq_name(d.pirq.state),
			  d.pirq_domid, d.pirq_nr);
}
static DEVICE_ATTR_RO(pirq);

static struct attribute *pbx_attrs[] = {
	&dev_attr_gsi.attr,
	&dev_attr_trigger.attr,
	&dev_attr_polarity.attr,
	&dev_attr_gsi_source.attr,
	&dev_attr_setup_gsi.attr,
	&dev_attr_reset_notify.attr,
	&dev_attr_resets.attr,
	&dev_attr_pirq.attr,
	NULL
};

static const struct attribute_group pbx_group = {
	.name = "xenpt",
	.attrs = pbx_attrs,
};

/* ---- state ---------------------------------------------------------- */

static void pbx_setup_log(struct pci_dev *pdev,
			  const struct privcmd_gsi_record *rec,
			  struct pbx_result r)
{
	switch (r.state) {
	case PBX_SETUP_DONE:
	case PBX_SETUP_ALREADY:
		pci_info(pdev, "GSI %u (%s, %s) set up with Xen%s\n", rec->gsi,
			 rec->trigger == PRIVCMD_GSI_TRIGGER_LEVEL ? "level" : "edge",
			 rec->polarity == PRIVCMD_GSI_POLARITY_LOW ? "low" : "high",
			 r.state == PBX_SETUP_ALREADY ? " (already)" : "");
		break;
	case PBX_SETUP_XEN_ONLY:
		pci_warn(pdev, "GSI %u set up with Xen, but not bound to dom0: given back to dom0, the device will get no interrupt\n",
			 rec->gsi);
		break;
	case PBX_SETUP_UNSUPPORTED:
		pr_warn_once("Xen has no PHYSDEVOP_setup_gsi for a PVH dom0 (Xen before 4.20): guests cannot get the INTx of passed-through devices\n");
		break;
	case PBX_SETUP_NO_PRIVCMD_GSI:
		pci_info(pdev, "GSI not known yet: privcmd-gsi is not loaded\n");
		break;
	case PBX_SETUP_UNKNOWN_GSI:
	case PBX_SETUP_UNKNOWN_MODE:
		pci_warn(pdev, "INTx cannot be set up with Xen: %s (%d)\n",
			 pbx_setup_name(r.state), r.rc);
		break;
	case PBX_SETUP_FAILED:
		pci_warn(pdev, "PHYSDEVOP_setup_gsi of GSI %u failed: %d\n",
			 rec->gsi, r.rc);
		break;
	}
}

static void pbx_set_state(struct pbx_dev *d, int lookup,
			  const struct privcmd_gsi_record *rec,
			  bool from_pciback, struct pbx_result r)
{
	spin_lock_irq(&d->lock);
	d->st.lookup = lookup;
	d->st.rec = *rec;
	d->st.from_pciback = from_pciback;
	d->st.setup = r;
	spin_unlock_irq(&d->lock);
}

/*
 * Before 6.12: looks the GSI up and sets it up with Xen, unless that is
 * settled or pciback has not set the device up (and Linux not registered
 * its GSI) yet.
 */
static void pbx_setup(struct pbx_dev *d)
{
	int (*lookup)(struct pci_dev *pdev, struct privcmd_gsi_record *rec);
	struct privcmd_gsi_record rec = {};
	struct pbx_result r = { .state = PBX_SETUP_WAITING };
	int ret = -EOPNOTSUPP;

	lockdep_assert_held(&pbx_lock);
	if (pbx_setup_settled(d->st.setup.state))
		return;
	if (d->pdev->pin && !pbx_env->pv_dom0 &&
	    !pbx_pciback_initialized(d->pdev)) {
		pbx_set_state(d, -ENODATA, &rec, false, r);
		return;
	}
	if (!d->pdev->pin) {
		ret = -ENOENT;
	} else {
		lookup = symbol_get(privcmd_gsi_lookup);
		if (lookup) {
			ret = lookup(d->pdev, &rec);
			symbol_put(privcmd_gsi_lookup);
		}
	}
	r = pbx_setup_gsi(pbx_env, ret, &rec);
	pbx_set_state(d, ret, &rec, false, r);
	pbx_setup_log(d->pdev, &rec, r);
}

/* 6.12+: the GSI pciback recorded, for a device bound before we loaded. */
static void pbx_setup_from_pciback(struct pbx_dev *d)
{
	struct privcmd_gsi_record rec = {};
	struct pbx_result r = { .state = PBX_SETUP_BY_PCIBACK };
	int ret;

	lockdep_assert_held(&pbx_lock);
	if (d->st.setup.state != PBX_SETUP_NONE)
		return;
	ret = pbx_pciback_gsi(d->pdev);
	if (ret >= 0) {
		rec.gsi = ret;
		ret = 0;
	} else if (!d->pdev->pin) {
		ret = -ENOENT;
		r.state = PBX_SETUP_NO_PIN;
	} else if (!pbx_pciback_initialized(d->pdev)) {
		ret = -ENODATA;
		r.state = PBX_SETUP_WAITING;
	}
	pbx_set_state(d, ret, &rec, true, r);
}

/* The state of a device pciback is binding, made if needed. */
static struct pbx_dev *pbx_dev_track(struct pci_dev *pdev)
{
	struct pbx_dev *d;

	lockdep_assert_held(&pbx_lock);
	if (pbx_closing)
		return NULL;
	d = pbx_find_rcu(pdev);
	if (d)
		return d;
	d = kzalloc_obj(*d, GFP_KERNEL);
	if (!d) {
		pci_warn(pdev, "no memory for pciback-ext's state\n");
		return NULL;
	}
	d->pdev = pci_dev_get(pdev);
	spin_lock_init(&d->lock);
	if (pbx_pciback_does_gsi)
		d->st.reset.state = PBX_RESET_BY_PCIBACK;
	list_add_tail_rcu(&d->node, &pbx_devs);
	return d;
}

/*
 * pciback is about to probe the device: track it from now on, so that the
 * reset its probe does is counted.  Called with the device lock held.
 */
static void pbx_dev_binding(struct pci_dev *pdev)
{
	mutex_lock(&pbx_lock);
	pbx_dev_track(pdev);
	mutex_unlock(&pbx_lock);
}

/* A device now bound to pciback.  Called with its device lock held. */
static void pbx_dev_add(struct pci_dev *pdev)
{
	struct pbx_dev *d;
	int ret;

	mutex_lock(&pbx_lock);
	d = pbx_dev_track(pdev);
	if (!d)
		goto out;
	if (pbx_pciback_does_gsi)
		pbx_setup_from_pciback(d);
	else
		pbx_setup(d);
	if (!d->has_group) {
		ret = sysfs_create_group(&pdev->dev.kobj, &pbx_group);
		if (ret)
			pci_warn(pdev, "cannot add the xenpt group: %d\n", ret);
		else
			d->has_group = true;
	}
out:
	mutex_unlock(&pbx_lock);
}

/* Its group goes while the device is still in sysfs (see the stop). */
static void pbx_dev_ungroup(struct pbx_dev *d)
{
	lockdep_assert_held(&pbx_lock);
	if (d->has_group && d->pdev->dev.kobj.state_in_sysfs)
		sysfs_remove_group(&d->pdev->dev.kobj, &pbx_group);
	d->has_group = false;
}

static void pbx_dev_free(struct pbx_dev *d)
{
	lockdep_assert_held(&pbx_lock);
	list_del_rcu(&d->node);
	pbx_dev_ungroup(d);
	pci_dev_put(d->pdev);
	kfree_rcu(d, rcu);
}

/* A device that left pciback (or the machine). */
static void pbx_dev_del(struct pci_dev *pdev)
{
	struct pbx_dev *d;

	mutex_lock(&pbx_lock);
	d = pbx_find_rcu(pdev);
	if (d)
		pbx_dev_free(d);
	mutex_unlock(&pbx_lock);
}

/**
 * pbx_device_reset_done() - record a reset notification
 * @pdev: the device pciback reset
 * @r: pbx_reset_notify()'s result
 *
 * Any context.
 */
void pbx_device_reset_done(struct pci_dev *pdev, struct pbx_result r)
{
	struct pbx_dev *d;
	unsigned long flags;

	rcu_read_lock();
	d = pbx_find_rcu(pdev);
	if (d) {
		spin_lock_irqsave(&d->lock, flags);
		d->st.reset = r;
		if (r.state == PBX_RESET_DONE)
			d->st.resets++;
		spin_unlock_irqrestore(&d->lock, flags);
	}
	rcu_read_unlock();
}

/**
 * pbx_device_gsi() - the GSI of a device on pciback, if known
 * @pdev: the device
 * @gsi: the answer
 *
 * Any context.
 */
bool pbx_device_gsi(struct pci_dev *pdev, u32 *gsi)
{
	struct pbx_dev *d;
	unsigned long flags;
	bool known = false;

	rcu_read_lock();
	d = pbx_find_rcu(pdev);
	if (d) {
		spin_lock_irqsave(&d->lock, flags);
		known = !d->st.lookup;
		*gsi = d->st.rec.gsi;
		spin_unlock_irqrestore(&d->lock, flags);
	}
	rcu_read_unlock();
	return known;
}

/**
 * pbx_device_pirq_done() - record a PV guest's pirq for the device
 * @pdev: the device
 * @domid: the guest
 * @pirq: its pirq for the GSI, -1 none
 * @r: pbx_pirq_align()'s result
 *
 * Any context.
 */
void pbx_device_pirq_done(struct pci_dev *pdev, u16 domid, int pirq,
			  struct pbx_result r)
{
	struct pbx_dev *d;
	unsigned long flags;

	rcu_read_lock();
	d = pbx_find_rcu(pdev);
	if (d) {
		spin_lock_irqsave(&d->lock, flags);
		d->st.pirq = r;
		d->st.pirq_domid = domid;
		d->st.pirq_nr = pirq;
		spin_unlock_irqrestore(&d->lock, flags);
	}
	rcu_read_unlock();
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

/**
 * pbx_device_registered() - Linux registered a device's GSI
 * @pdev: the device
 * @gsi: the GSI it registered
 *
 * Before 6.12.  A device waiting for this, or set up on another GSI, is
 * set up (again) from a work item.  Any context.
 */
void pbx_device_registered(struct pci_dev *pdev, u32 gsi)
{
	struct pbx_dev *d;
	unsigned long flags;
	bool again = false;

	rcu_read_lock();
	d = pbx_find_rcu(pdev);
	if (d) {
		spin_lock_irqsave(&d->lock, flags);
		if (d->st.setup.state == PBX_SETUP_WAITING ||
		    (pbx_setup_settled(d->st.setup.state) && !d->st.lookup &&
		     d->st.rec.gsi != gsi)) {
			d->st.setup.state = PBX_SETUP_WAITING;
			again = true;
		}
		spin_unlock_irqrestore(&d->lock, flags);
	}
	rcu_read_unlock();
	if (again)
		pbx_retry();
}

/**
 * pbx_device_pciback_setup() - xen-pciback set a device's GSI up
 * @pdev: the device
 * @lookup: 0, or -ENOENT for a device without an INTx pin
 * @rec: the GSI, trigger and polarity pciback found
 * @r: the outcome (pbx_setup_gsi())
 *
 * 6.12 and later (upstream.c), from pciback's set-up of the device.
 */
void pbx_device_pciback_setup(struct pci_dev *pdev, int lookup,
			      const struct privcmd_gsi_record *rec,
			      struct pbx_result r)
{
	struct pbx_dev *d;

	mutex_lock(&pbx_lock);
	d = pbx_dev_track(pdev);
	if (d)
		pbx_set_state(d, lookup, rec, true, r);
	mutex_unlock(&pbx_lock);
	pbx_setup_log(pdev, rec, r);
}

static int pbx_bus_notify(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);

	switch (action) {
	case BUS_NOTIFY_BIND_DRIVER:
		if (pbx_is_pciback(pdev))
			pbx_dev_binding(pdev);
		break;
	case BUS_NOTIFY_BOUND_DRIVER:
		if (pbx_is_pciback(pdev))
			pbx_dev_add(pdev);
		break;
	case BUS_NOTIFY_DRIVER_NOT_BOUND:
	case BUS_NOTIFY_UNBOUND_DRIVER:
	case BUS_NOTIFY_DEL_DEVICE:
		pbx_dev_del(pdev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block pbx_bus_nb = {
	.notifier_call = pbx_bus_notify,
};

/* A device bound before we loaded; its device lock held. */
static void pbx_add_existing_locked(struct pci_dev *pdev)
{
	if (!pbx_is_pciback(pdev))
		return;
	pbx_dev_add(pdev);
	/*
	 * Before 6.12, its bind-time reset went by unnoticed: tell Xen now,
	 * unless a guest holds the device (nothing reset it since it was
	 * given to that guest).
	 */
	if (!pbx_pciback_does_gsi && xen_find_device_domain_owner(pdev) < 0)
		pbx_reset_tell_xen(pdev);
}

static bool pbx_walk_busy;

/*
 * Never waits for a device lock at load (a driver probe that loads
 * firmware holds one for up to a minute, and modprobe xen-pciback would
 * wait behind its softdep): a device whose lock is busy is looked at
 * again from a work item, which waits.
 */
static int pbx_add_existing(struct device *dev, void *unused)
{
	if (!device_trylock(dev)) {
		pbx_walk_busy = true;
		return 0;
	}
	pbx_add_existing_locked(to_pci_dev(dev));
	device_unlock(dev);
	return 0;
}

static int pbx_add_existing_wait(struct device *dev, void *unused)
{
	device_lock(dev);
	pbx_add_existing_locked(to_pci_dev(dev));
	device_unlock(dev);
	return 0;
}

static void pbx_walk_fn(struct work_struct *work)
{
	bus_for_each_dev(&pci_bus_type, NULL, NULL, pbx_add_existing_wait);
}

static DECLARE_WORK(pbx_walk_work, pbx_walk_fn);

/* Devices whose setup is open get another look. */
static void pbx_retry_fn(struct work_struct *work)
{
	struct pbx_dev *d;

	if (pbx_pciback_does_gsi)
		return;
	mutex_lock(&pbx_lock);
	list_for_each_entry(d, &pbx_devs, node)
		pbx_setup(d);
	mutex_unlock(&pbx_lock);
}

static DECLARE_WORK(pbx_retry_work, pbx_retry_fn);

static void pbx_retry(void)
{
	schedule_work(&pbx_retry_work);
}

static int pbx_module_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	struct module *mod = data;

	if (action == MODULE_STATE_LIVE && !strcmp(mod->name, "privcmd_gsi"))
		pbx_retry();
	return NOTIFY_DONE;
}

static struct notifier_block pbx_module_nb = {
	.notifier_call = pbx_module_notify,
};

int pbx_devices_start(void)
{
	int ret;

	pbx_closing = false;
	ret = register_module_notifier(&pbx_module_nb);
	if (ret)
		return ret;
	ret = bus_register_notifier(&pci_bus_type, &pbx_bus_nb);
	if (ret) {
		unregister_module_notifier(&pbx_module_nb);
		return ret;
	}
	pbx_walk_busy = false;
	bus_for_each_dev(&pci_bus_type, NULL, NULL, pbx_add_existing);
	if (pbx_walk_busy)
		schedule_work(&pbx_walk_work);
	return 0;
}

void pbx_devices_stop(void)
{
	struct pbx_dev *d, *tmp;

	cancel_work_sync(&pbx_walk_work);
	/*
	 * The groups go first, with the notifier still there: a device
	 * deleted meanwhile is dropped by it, before it leaves sysfs.
	 */
	mutex_lock(&pbx_lock);
	pbx_closing = true;
	list_for_each_entry(d, &pbx_devs, node)
		pbx_dev_ungroup(d);
	mutex_unlock(&pbx_lock);

	bus_unregister_notifier(&pci_bus_type, &pbx_bus_nb);
	unregister_module_notifier(&pbx_module_nb);
	cancel_work_sync(&pbx_retry_work);
	mutex_lock(&pbx_lock);
	list_for_each_entry_safe(d, tmp, &pbx_devs, node)
		pbx_dev_free(d);
	mutex_unlock(&pbx_lock);
	/* kfree_rcu() callbacks must not outlive the module. */
	rcu_barrier();
}
