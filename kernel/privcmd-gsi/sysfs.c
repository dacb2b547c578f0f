// SPDX-License-Identifier: GPL-2.0
/*
 * privcmd-gsi: /sys/bus/pci/devices/BDF/gsi.
 *
 * Every PCI device with an INTx pin gets a read-only "gsi" file while the
 * module is loaded, also devices hot-added later.  It holds the GSI and a
 * newline, or fails with ENODATA while the GSI is not known (lookup.c).  The files are added to
 * devices the module does not own, so their lifetime is tracked here:
 *
 *  - one entry per device with a file, keyed by the struct device, holding
 *    a reference so that the pointer cannot be reused meanwhile;
 *  - a bus notifier adds files to new devices and removes them from devices
 *    being deleted (BUS_NOTIFY_DEL_DEVICE and BUS_NOTIFY_REMOVED_DEVICE both
 *    come while the device is still in sysfs), and drops the deleted
 *    device's record: another device may appear at the same address;
 *  - while the walk over existing devices at load runs, a deleted device
 *    keeps a "gone" entry, so that the walk, which may still hold it, never
 *    adds a file to it; the walk's end drops those entries.
 *
 * All of this runs under pgsi_files_lock; removal at unload happens with the
 * notifier still registered, so no deletion can overtake it.
 */
#include <linux/device.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "internal.h"
#include "xenpt_slab.h"

struct pgsi_file {
	struct hlist_node node;
	struct device *dev;	/* holds a reference */
	bool has_file;
	bool gone;
};

static DEFINE_HASHTABLE(pgsi_files, 8);
static DEFINE_MUTEX(pgsi_files_lock);
static bool pgsi_files_closing;
static bool pgsi_files_walking;

/**
 * pgsi_format_gsi() - the contents of a device's gsi file
 * @s: the store
 * @pdev: the device
 * @buf: a sysfs page
 *
 * Return: the length written; -ENODATA while the GSI is not known, -ENOENT
 * for a device without a pin (which has no file).
 */
ssize_t pgsi_format_gsi(struct pgsi_store *s, struct pci_dev *pdev, char *buf)
{
	struct privcmd_gsi_record rec;
	int ret;

	ret = pgsi_lookup(s, pdev, &rec);
	if (ret)
		return ret;
	return sysfs_emit(buf, "%u\n", rec.gsi);
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_format_gsi);

static ssize_t gsi_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	return pgsi_format_gsi(pgsi_store, to_pci_dev(dev), buf);
}
static DEVICE_ATTR_RO(gsi);

static struct pgsi_file *pgsi_file_find(struct device *dev)
{
	struct pgsi_file *f;

	hash_for_each_possible(pgsi_files, f, node, (unsigned long)dev)
		if (f->dev == dev)
			return f;
	return NULL;
}

static struct pgsi_file *pgsi_file_track(struct device *dev)
{
	struct pgsi_file *f = kzalloc_obj(*f, GFP_KERNEL);

	if (!f)
		return NULL;
	f->dev = get_device(dev);
	hash_add(pgsi_files, &f->node, (unsigned long)dev);
	return f;
}

/* A device that exists now, from the walk at load or a notification. */
static void pgsi_file_add(struct device *dev)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pgsi_file *f;
	int ret;

	mutex_lock(&pgsi_files_lock);
	if (pgsi_files_closing || !pdev->pin || !device_is_registered(dev) ||
	    pgsi_pci_sbdf(pdev) == PRIVCMD_GSI_NO_SBDF || pgsi_file_find(dev))
		goto out;
	f = pgsi_file_track(dev);
	if (!f)
		goto out;
	ret = device_create_file(dev, &dev_attr_gsi);
	if (ret)
		pci_warn(pdev, "cannot add gsi file: %d\n", ret);
	else
		f->has_file = true;
out:
	mutex_unlock(&pgsi_files_lock);
}

static void pgsi_file_forget(struct pgsi_file *f)
{
	hash_del(&f->node);
	put_device(f->dev);
	kfree(f);
}

/* A device being deleted: no file, no record, unless the walk may see it. */
static void pgsi_file_del(struct device *dev)
{
	u32 sbdf = pgsi_pci_sbdf(to_pci_dev(dev));
	struct pgsi_file *f;

	mutex_lock(&pgsi_files_lock);
	f = pgsi_file_find(dev);
	if (!f && pgsi_files_walking)
		f = pgsi_file_track(dev);
	if (f) {
		if (f->has_file)
			device_remove_file(dev, &dev_attr_gsi);
		f->has_file = false;
		f->gone = true;
		if (!pgsi_files_walking)
			pgsi_file_forget(f);
	}
	if (sbdf != PRIVCMD_GSI_NO_SBDF)
		pgsi_store_forget(pgsi_store, sbdf);
	mutex_unlock(&pgsi_files_lock);
}

static int pgsi_bus_notify(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	struct device *dev = data;

	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
		pgsi_file_add(dev);
		break;
	case BUS_NOTIFY_DEL_DEVICE:
	case BUS_NOTIFY_REMOVED_DEVICE:
		pgsi_file_del(dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block pgsi_bus_nb = {
	.notifier_call = pgsi_bus_notify,
};

static int pgsi_file_add_existing(struct device *dev, void *unused)
{
	pgsi_file_add(dev);
	return 0;
}

/* Remove every file; with @release also forget every entry. */
static void pgsi_files_drop(bool release)
{
	struct hlist_node *tmp;
	struct pgsi_file *f;
	unsigned int bkt;

	hash_for_each_safe(pgsi_files, bkt, tmp, f, node) {
		if (f->has_file && f->dev->kobj.state_in_sysfs)
			device_remove_file(f->dev, &dev_attr_gsi);
		f->has_file = false;
		if (release)
			pgsi_file_forget(f);
	}
}

/* After the walk: entries of devices deleted meanwhile have no file. */
static void pgsi_files_drop_gone(void)
{
	struct hlist_node *tmp;
	struct pgsi_file *f;
	unsigned int bkt;

	hash_for_each_safe(pgsi_files, bkt, tmp, f, node)
		if (f->gone)
			pgsi_file_forget(f);
}

int pgsi_sysfs_start(void)
{
	int ret;

	pgsi_files_closing = false;
	pgsi_files_walking = true;
	ret = bus_register_notifier(&pci_bus_type, &pgsi_bus_nb);
	if (ret) {
		pgsi_files_walking = false;
		return ret;
	}
	bus_for_each_dev(&pci_bus_type, NULL, NULL, pgsi_file_add_existing);

	mutex_lock(&pgsi_files_lock);
	pgsi_files_walking = false;
	pgsi_files_drop_gone();
	mutex_unlock(&pgsi_files_lock);
	return 0;
}

void pgsi_sysfs_stop(void)
{
	mutex_lock(&pgsi_files_lock);
	pgsi_files_closing = true;
	pgsi_files_drop(false);
	mutex_unlock(&pgsi_files_lock);

	bus_unregister_notifier(&pci_bus_type, &pgsi_bus_nb);

	mutex_lock(&pgsi_files_lock);
	pgsi_files_drop(true);
	mutex_unlock(&pgsi_files_lock);
}
