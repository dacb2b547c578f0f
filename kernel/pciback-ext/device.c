// SPDX-License-Identifier: GPL-2.0
/*
 * pciback-ext: the devices bound to xen-pciback, however they got there.
 *
 * Each one gets a state, made when it binds (bus notifiers, which run
 * inside the bind, before the write to pciback's bind file returns: from
 * just before pciback's probe, whose reset is counted, setup_gsi once it
 * bound) or at load for devices bound earlier (xen-pciback.hide= at boot
 * included, whose bind-time reset Xen is told of then), and dropped when
 * it unbinds.  Its GSI comes from privcmd-gsi through
 * privcmd_gsi_lookup(), taken with symbol_get() so that either module may
 * load first; when privcmd-gsi arrives later, a module notifier has every
 * device whose setup is still open looked at again.
 *
 * The state is shown under the device: /sys/bus/pci/devices/BDF/xenpt/
 *   gsi           the GSI; reading fails with ENOENT (no INTx pin),
 *                 ENODATA (not known) or EOPNOTSUPP (privcmd-gsi absent)
 *   trigger       level, edge or unknown
 *   polarity      high, low or unknown
 *   gsi_source    registered, recovered, acpi or none
 *   setup_gsi     "WORD RC": PHYSDEVOP_setup_gsi's outcome (xen.c)
 *   reset_notify  "WORD RC": the last PHYSDEVOP_pci_device_reset's
 *   resets        how many resets were notified
 *   pirq          "WORD DOMID PIRQ": the last PV guest's pirq for the GSI
 *                 (pirq.c)
 *
 * Locking: pbx_lock (a mutex) serializes changes to the list and to setup
 * state; it nests inside the device lock that the driver core holds around
 * notifications.  Readers (sysfs, the reset probe in atomic context) find
 * a device under RCU and read its fields under its spinlock; the group is
 * removed before the state is freed, after an RCU grace period.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "internal.h"
#include "privcmd_gsi.h"

struct pbx_state {
	int lookup;			/* privcmd_gsi_lookup()'s result */
	struct privcmd_gsi_record rec;
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
static DEFINE_MUTEX(pbx_lock);
static bool pbx_closing;

static struct pbx_dev *pbx_find_rcu(struct pci_dev *pdev)
{
	struct pbx_dev *d;

	list_for_each_entry_rcu(d, &pbx_devs, node)
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
	if (!d.lookup && d.rec.source < ARRAY_SIZE(names))
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

/* Looks the GSI up and sets it up with Xen, unless that is settled. */
static void pbx_setup(struct pbx_dev *d)
{
	int (*lookup)(struct pci_dev *pdev, struct privcmd_gsi_record *rec);
	struct privcmd_gsi_record rec = {};
	struct pbx_result r;
	int ret = -EOPNOTSUPP;

	lockdep_assert_held(&pbx_lock);
	if (pbx_setup_settled(d->st.setup.state))
		return;
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

	spin_lock_irq(&d->lock);
	d->st.lookup = ret;
	d->st.rec = rec;
	d->st.setup = r;
	spin_unlock_irq(&d->lock);

	switch (r.state) {
	case PBX_SETUP_DONE:
	case PBX_SETUP_ALREADY:
		pci_info(d->pdev, "GSI %u (%s, %s) set up with Xen%s\n",
			 rec.gsi,
			 rec.trigger == PRIVCMD_GSI_TRIGGER_LEVEL ? "level" : "edge",
			 rec.polarity == PRIVCMD_GSI_POLARITY_LOW ? "low" : "high",
			 r.state == PBX_SETUP_ALREADY ? " (already)" : "");
		break;
	case PBX_SETUP_UNSUPPORTED:
		pr_warn_once("Xen has no PHYSDEVOP_setup_gsi for a PVH dom0 (Xen before 4.20): guests cannot get the INTx of passed-through devices\n");
		break;
	case PBX_SETUP_NO_PRIVCMD_GSI:
		pci_info(d->pdev, "GSI not known yet: privcmd-gsi is not loaded\n");
		break;
	case PBX_SETUP_UNKNOWN_GSI:
	case PBX_SETUP_UNKNOWN_MODE:
		pci_warn(d->pdev, "INTx cannot be set up with Xen: %s (%d)\n",
			 pbx_setup_name(r.state), r.rc);
		break;
	case PBX_SETUP_FAILED:
		pci_warn(d->pdev, "PHYSDEVOP_setup_gsi of GSI %u failed: %d\n",
			 rec.gsi, r.rc);
		break;
	}
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
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d) {
		pci_warn(pdev, "no memory for pciback-ext's state\n");
		return NULL;
	}
	d->pdev = pci_dev_get(pdev);
	spin_lock_init(&d->lock);
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

static void pbx_dev_free(struct pbx_dev *d)
{
	lockdep_assert_held(&pbx_lock);
	list_del_rcu(&d->node);
	if (d->has_group)
		sysfs_remove_group(&d->pdev->dev.kobj, &pbx_group);
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

static int pbx_add_existing(struct device *dev, void *unused)
{
	struct pci_dev *pdev = to_pci_dev(dev);

	device_lock(dev);
	if (pbx_is_pciback(pdev)) {
		pbx_dev_add(pdev);
		/*
		 * Its bind-time reset went by unnoticed: tell Xen now, which
		 * at worst has it re-read a device that did not change.
		 */
		pbx_reset_tell_xen(pdev);
	}
	device_unlock(dev);
	return 0;
}

/* privcmd-gsi arrived: devices waiting for a GSI get another look. */
static void pbx_retry_fn(struct work_struct *work)
{
	struct pbx_dev *d;

	mutex_lock(&pbx_lock);
	list_for_each_entry(d, &pbx_devs, node)
		pbx_setup(d);
	mutex_unlock(&pbx_lock);
}

static DECLARE_WORK(pbx_retry_work, pbx_retry_fn);

static int pbx_module_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	struct module *mod = data;

	if (action == MODULE_STATE_LIVE && !strcmp(mod->name, "privcmd_gsi"))
		schedule_work(&pbx_retry_work);
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
	bus_for_each_dev(&pci_bus_type, NULL, NULL, pbx_add_existing);
	return 0;
}

void pbx_devices_stop(void)
{
	struct pbx_dev *d, *tmp;

	bus_unregister_notifier(&pci_bus_type, &pbx_bus_nb);
	unregister_module_notifier(&pbx_module_nb);
	cancel_work_sync(&pbx_retry_work);
	mutex_lock(&pbx_lock);
	pbx_closing = true;
	list_for_each_entry_safe(d, tmp, &pbx_devs, node)
		pbx_dev_free(d);
	mutex_unlock(&pbx_lock);
	/* kfree_rcu() callbacks must not outlive the module. */
	rcu_barrier();
}
