// SPDX-License-Identifier: GPL-2.0
/*
 * privcmd-gsi: the record store.
 *
 * Three indexes, all xarrays so that every lookup is O(log n) under RCU:
 *
 *   by_sbdf: PCI device -> struct pgsi_dev (its GSI, trigger, polarity)
 *   by_gsi:  GSI        -> struct pgsi_line (the irq currently mapped to it)
 *   by_irq:  irq        -> GSI, only while the irq is mapped
 *
 * A device's GSI is fixed by firmware, so a device record is never dropped
 * when the irq goes away: acpi_unregister_gsi() only takes the irq side of
 * the GSI's line down once its last user is gone.  pciback disables a device
 * when it binds to it, and the GSI must still be known afterwards.
 *
 * The irq index follows the calls it sees, which is what the kernel does
 * for PCI GSIs.  It may differ for ISA GSIs (below 16), which x86 never
 * unmaps, and on a PV dom0, which has no unregister hook: those irqs are
 * reported stale after their last unregistration although still mapped.
 *
 * A device whose GSI cannot be known (no _PRT entry, a link device with
 * several choices that Linux has not allocated) gets an "unknown" record, so
 * that asking again (any user can read the gsi file) does not evaluate ACPI
 * again; its next registration replaces it.  Unknown records count nowhere
 * and are never listed.
 *
 * A lookup resolves a device from ACPI outside any lock, and the device may
 * be hot-removed meanwhile: the store counts forgotten devices, and a
 * resolved record whose lookup began before a forget is not kept (another
 * device may take the address, behind another route).
 *
 * Writers come from the acpi_register_gsi() return probe, where sleeping is
 * not allowed, and serialize on one spinlock.  Readers take no lock.  Device
 * records are replaced, never modified, and freed after an RCU grace period;
 * the only mutable fields of a line are single words read with READ_ONCE().
 *
 * The module's one store, pgsi_store, lives here too, with the sbdf of a PCI
 * device, the key of every record.
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>

#include "internal.h"
#include "xenpt_slab.h"

struct pgsi_dev {
	struct rcu_head rcu;
	u32 sbdf;
	u32 gsi;
	u8 trigger;
	u8 polarity;
	u8 source;
	bool unknown;		/* the GSI cannot be known (see above) */
};

struct pgsi_line {
	struct rcu_head rcu;
	u32 gsi;
	u32 irq;		/* PRIVCMD_GSI_NO_IRQ while unmapped */
	unsigned int users;	/* registrations not yet unregistered */
	u8 trigger;
	u8 polarity;
	u8 source;
	bool has_pci;		/* a PCI device record refers or referred to it */
};

struct pgsi_store {
	spinlock_t lock;	/* serializes writers and snapshots */
	struct xarray by_sbdf;
	struct xarray by_gsi;
	struct xarray by_irq;
	u32 nr_devs;		/* known device records */
	u32 nr_lines_without_pci;
	u32 forgets;		/* devices forgotten so far */
};

struct pgsi_store *pgsi_store;

/**
 * pgsi_pci_sbdf() - the key of a PCI device's records
 * @pdev: the device
 *
 * Return: segment << 16 | bus << 8 | devfn, or PRIVCMD_GSI_NO_SBDF for a
 * segment beyond 16 bits (such as Intel VMD's), which the ABI cannot name.
 */
u32 pgsi_pci_sbdf(const struct pci_dev *pdev)
{
	int seg = pci_domain_nr(pdev->bus);

	if (seg < 0 || seg > 0xffff)
		return PRIVCMD_GSI_NO_SBDF;
	return PRIVCMD_GSI_SBDF(seg, pdev->bus->number, PCI_SLOT(pdev->devfn),
				PCI_FUNC(pdev->devfn));
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_pci_sbdf);

struct pgsi_store *pgsi_store_create(void)
{
	struct pgsi_store *s = kzalloc_obj(*s, GFP_KERNEL);

	if (!s)
		return NULL;
	spin_lock_init(&s->lock);
	xa_init(&s->by_sbdf);
	xa_init(&s->by_gsi);
	xa_init(&s->by_irq);
	return s;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_store_create);

/* Callers guarantee that no reader or writer is left. */
void pgsi_store_destroy(struct pgsi_store *s)
{
	unsigned long idx;
	void *entry;

	if (!s)
		return;
	xa_for_each(&s->by_sbdf, idx, entry)
		kfree(entry);
	xa_for_each(&s->by_gsi, idx, entry)
		kfree(entry);
	xa_destroy(&s->by_sbdf);
	xa_destroy(&s->by_gsi);
	xa_destroy(&s->by_irq);
	kfree(s);
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_store_destroy);

/* Take the irq side of @line down.  Called with s->lock held. */
static void pgsi_line_unmap(struct pgsi_store *s, struct pgsi_line *line)
{
	u32 irq = line->irq;

	if (irq == PRIVCMD_GSI_NO_IRQ)
		return;
	/* Only drop the irq index entry if it still points at this GSI. */
	__xa_cmpxchg(&s->by_irq, irq, xa_mk_value(line->gsi), NULL, GFP_ATOMIC);
	WRITE_ONCE(line->irq, PRIVCMD_GSI_NO_IRQ);
}

/* Map @irq to @line, evicting a stale owner of @irq.  s->lock held. */
static int pgsi_line_map(struct pgsi_store *s, struct pgsi_line *line, u32 irq)
{
	struct pgsi_line *prev;
	void *old;

	if (line->irq != irq)
		pgsi_line_unmap(s, line);

	old = __xa_store(&s->by_irq, irq, xa_mk_value(line->gsi), GFP_ATOMIC);
	if (xa_is_err(old))
		return xa_err(old);
	if (old && xa_to_value(old) != line->gsi) {
		/* The irq was handed to another GSI before: that one lost it. */
		prev = xa_load(&s->by_gsi, xa_to_value(old));
		if (prev && prev->irq == irq) {
			WRITE_ONCE(prev->irq, PRIVCMD_GSI_NO_IRQ);
			prev->users = 0;
		}
	}
	WRITE_ONCE(line->irq, irq);
	return 0;
}

/**
 * pgsi_store_register() - record one acpi_register_gsi() call
 * @s: the store
 * @reg: what was registered
 *
 * Safe in atomic context.  A failed registration (reg->irq < 0) still
 * records the device's GSI, which firmware gave, but maps no irq.
 *
 * Return: 0, -ENOMEM when a record could not be allocated, -EEXIST for
 * a recovered or ACPI-resolved record of a device that has a record
 * already (nothing changed), or -EAGAIN for an ACPI-resolved record whose
 * lookup began before a device was forgotten (reg->forgets: not kept).
 */
int pgsi_store_register(struct pgsi_store *s, const struct pgsi_reg *reg)
{
	struct pgsi_line *line, *new_line;
	struct pgsi_dev *dev = NULL, *old_dev;
	unsigned long flags;
	int ret = 0;

	new_line = kzalloc_obj(*new_line, GFP_ATOMIC);
	if (!new_line)
		return -ENOMEM;
	if (reg->sbdf != PRIVCMD_GSI_NO_SBDF) {
		dev = kzalloc_obj(*dev, GFP_ATOMIC);
		if (!dev) {
			kfree(new_line);
			return -ENOMEM;
		}
		dev->sbdf = reg->sbdf;
		dev->gsi = reg->gsi;
		dev->trigger = reg->trigger;
		dev->polarity = reg->polarity;
		dev->source = reg->source;
	}

	spin_lock_irqsave(&s->lock, flags);
	if (reg->source == PRIVCMD_GSI_SOURCE_ACPI && s->forgets != reg->forgets) {
		ret = -EAGAIN;
		goto unlock;
	}
	/*
	 * A record rebuilt at load or resolved from ACPI never replaces one
	 * that exists: the recorder's is at least as fresh and counted its
	 * own registration, and recovery runs before anything resolves.
	 */
	if (dev && (reg->source == PRIVCMD_GSI_SOURCE_RECOVERED ||
		    reg->source == PRIVCMD_GSI_SOURCE_ACPI) &&
	    xa_load(&s->by_sbdf, reg->sbdf)) {
		ret = -EEXIST;
		goto unlock;
	}
	xa_lock(&s->by_gsi);
	line = xa_load(&s->by_gsi, reg->gsi);
	if (!line) {
		new_line->gsi = reg->gsi;
		new_line->irq = PRIVCMD_GSI_NO_IRQ;
		ret = xa_err(__xa_store(&s->by_gsi, reg->gsi, new_line,
					GFP_ATOMIC));
		if (!ret) {
			line = new_line;
			new_line = NULL;
			s->nr_lines_without_pci++;
		}
	}
	xa_unlock(&s->by_gsi);
	if (ret)
		goto unlock;

	/* A line says how it was last mapped; a lookup maps nothing. */
	if (line == new_line || reg->irq >= 0) {
		WRITE_ONCE(line->trigger, reg->trigger);
		WRITE_ONCE(line->polarity, reg->polarity);
		WRITE_ONCE(line->source, reg->source);
	}
	if (reg->irq >= 0) {
		xa_lock(&s->by_irq);
		ret = pgsi_line_map(s, line, reg->irq);
		xa_unlock(&s->by_irq);
		if (ret)
			goto unlock;
		line->users++;
	}

	if (dev) {
		old_dev = xa_store(&s->by_sbdf, dev->sbdf, dev, GFP_ATOMIC);
		ret = xa_err(old_dev);
		if (ret)
			goto unlock;
		if (!old_dev || old_dev->unknown)
			s->nr_devs++;
		if (old_dev)
			kfree_rcu(old_dev, rcu);
		dev = NULL;
		if (!line->has_pci) {
			line->has_pci = true;
			s->nr_lines_without_pci--;
		}
	}
unlock:
	spin_unlock_irqrestore(&s->lock, flags);
	kfree(dev);
	kfree(new_line);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_store_register);

/**
 * pgsi_store_mark_unknown() - remember that a device's GSI cannot be known
 * @s: the store
 * @sbdf: the device
 * @forgets: pgsi_store_forgets() when its lookup began
 *
 * Until its next registration (or its removal), pgsi_store_get() answers
 * -ENODATA for it at once.  Nothing changes when the device has a record,
 * or when a device was forgotten since its lookup began.
 */
void pgsi_store_mark_unknown(struct pgsi_store *s, u32 sbdf, u32 forgets)
{
	struct pgsi_dev *dev;
	unsigned long flags;
	void *old = NULL;

	dev = kzalloc_obj(*dev, GFP_KERNEL);
	if (!dev)
		return;
	dev->sbdf = sbdf;
	dev->unknown = true;
	spin_lock_irqsave(&s->lock, flags);
	if (s->forgets == forgets && !xa_load(&s->by_sbdf, sbdf))
		old = xa_store(&s->by_sbdf, sbdf, dev, GFP_ATOMIC);
	else
		old = dev;	/* not stored */
	spin_unlock_irqrestore(&s->lock, flags);
	if (old == dev || xa_is_err(old))
		kfree(dev);
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_store_mark_unknown);

/**
 * pgsi_store_forgets() - how many devices the store forgot so far
 * @s: the store
 *
 * Read it before resolving a device from ACPI, and give it to
 * pgsi_store_register() (reg->forgets) or pgsi_store_mark_unknown().
 */
u32 pgsi_store_forgets(struct pgsi_store *s)
{
	return READ_ONCE(s->forgets);
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_store_forgets);

/**
 * pgsi_store_unregister() - record one acpi_unregister_gsi() call
 * @s: the store
 * @gsi: the GSI unregistered
 *
 * Device records stay: only the irq mapping of the GSI goes, once no
 * registration of it is left.  Unknown GSIs are ignored.
 */
void pgsi_store_unregister(struct pgsi_store *s, u32 gsi)
{
	struct pgsi_line *line;
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	line = xa_load(&s->by_gsi, gsi);
	if (line && line->users && !--line->users) {
		xa_lock(&s->by_irq);
		pgsi_line_unmap(s, line);
		xa_unlock(&s->by_irq);
	}
	spin_unlock_irqrestore(&s->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_store_unregister);

/**
 * pgsi_store_forget() - drop the record of a PCI device that was deleted
 * @s: the store
 * @sbdf: the device
 *
 * Another device may appear at the same address later, behind another
 * interrupt route.  The GSI's irq side is left as it is.
 */
void pgsi_store_forget(struct pgsi_store *s, u32 sbdf)
{
	struct pgsi_dev *dev;
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	WRITE_ONCE(s->forgets, s->forgets + 1);
	dev = xa_erase(&s->by_sbdf, sbdf);
	if (dev) {
		if (!dev->unknown)
			s->nr_devs--;
		kfree_rcu(dev, rcu);
	}
	spin_unlock_irqrestore(&s->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_store_forget);

/**
 * pgsi_store_gsi_by_sbdf() - the GSI of a PCI device
 * @s: the store
 * @sbdf: segment << 16 | bus << 8 | devfn
 * @gsi: the answer
 *
 * Return: 0, or -ENOENT when the device's GSI is not known.
 */
int pgsi_store_gsi_by_sbdf(struct pgsi_store *s, u32 sbdf, u32 *gsi)
{
	struct pgsi_dev *dev;
	int ret = -ENOENT;

	rcu_read_lock();
	dev = xa_load(&s->by_sbdf, sbdf);
	if (dev && !dev->unknown) {
		*gsi = dev->gsi;
		ret = 0;
	}
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_store_gsi_by_sbdf);

/**
 * pgsi_store_gsi_by_irq() - the GSI an irq is mapped to
 * @s: the store
 * @irq: Linux irq number
 * @gsi: the answer
 *
 * Return: 0, or -ENOENT when the irq is not mapped to a known GSI (never
 * was, or its GSI was unregistered since).
 */
int pgsi_store_gsi_by_irq(struct pgsi_store *s, u32 irq, u32 *gsi)
{
	void *entry = xa_load(&s->by_irq, irq);

	if (!entry)
		return -ENOENT;
	*gsi = xa_to_value(entry);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_store_gsi_by_irq);

/**
 * pgsi_store_gsi_registered() - is a GSI registered now?
 * @s: the store
 * @gsi: the GSI
 *
 * Return: true while an irq is mapped to it (a registration not yet
 * unregistered, or recovered at load).
 */
bool pgsi_store_gsi_registered(struct pgsi_store *s, u32 gsi)
{
	const struct pgsi_line *line;
	bool ret;

	rcu_read_lock();
	line = xa_load(&s->by_gsi, gsi);
	ret = line && READ_ONCE(line->irq) != PRIVCMD_GSI_NO_IRQ;
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_store_gsi_registered);

static void pgsi_fill_line(const struct pgsi_line *line,
			   struct privcmd_gsi_record *rec)
{
	u32 irq = READ_ONCE(line->irq);

	rec->gsi = line->gsi;
	rec->trigger = READ_ONCE(line->trigger);
	rec->polarity = READ_ONCE(line->polarity);
	rec->source = READ_ONCE(line->source);
	if (irq != PRIVCMD_GSI_NO_IRQ) {
		rec->irq = irq;
		rec->flags |= PRIVCMD_GSI_F_IRQ_VALID;
	}
}

/* Called under RCU or s->lock. */
static void pgsi_fill_dev(struct pgsi_store *s, const struct pgsi_dev *dev,
			  struct privcmd_gsi_record *rec)
{
	const struct pgsi_line *line = xa_load(&s->by_gsi, dev->gsi);
	u32 irq = line ? READ_ONCE(line->irq) : PRIVCMD_GSI_NO_IRQ;

	memset(rec, 0, sizeof(*rec));
	rec->sbdf = dev->sbdf;
	rec->gsi = dev->gsi;
	rec->irq = PRIVCMD_GSI_NO_IRQ;
	rec->trigger = dev->trigger;
	rec->polarity = dev->polarity;
	rec->source = dev->source;
	rec->flags = PRIVCMD_GSI_F_PCI;
	if (irq != PRIVCMD_GSI_NO_IRQ) {
		rec->irq = irq;
		rec->flags |= PRIVCMD_GSI_F_IRQ_VALID;
	}
}

/**
 * pgsi_store_get() - the whole record of a PCI device
 * @s: the store
 * @sbdf: the device
 * @rec: the answer
 *
 * Return: 0; -ENOENT when the store has no record of it; -ENODATA when it
 * has one saying its GSI cannot be known (pgsi_store_mark_unknown()).
 */
int pgsi_store_get(struct pgsi_store *s, u32 sbdf,
		   struct privcmd_gsi_record *rec)
{
	struct pgsi_dev *dev;
	int ret = -ENOENT;

	rcu_read_lock();
	dev = xa_load(&s->by_sbdf, sbdf);
	if (dev && dev->unknown) {
		ret = -ENODATA;
	} else if (dev) {
		pgsi_fill_dev(s, dev, rec);
		ret = 0;
	}
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_store_get);

/**
 * pgsi_store_count() - how many records a snapshot holds right now
 * @s: the store
 */
u32 pgsi_store_count(struct pgsi_store *s)
{
	unsigned long flags;
	u32 n;

	spin_lock_irqsave(&s->lock, flags);
	n = s->nr_devs + s->nr_lines_without_pci;
	spin_unlock_irqrestore(&s->lock, flags);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_store_count);

/**
 * pgsi_store_snapshot() - copy every record, consistently
 * @s: the store
 * @buf: room for @cap records
 * @cap: capacity of @buf
 *
 * Writes PCI device records in sbdf order, then GSIs registered without a
 * PCI device in GSI order.  Nothing is written when @cap is too small.
 *
 * Return: the number of records (more than @cap if they did not fit).
 */
u32 pgsi_store_snapshot(struct pgsi_store *s, struct privcmd_gsi_record *buf,
			u32 cap)
{
	struct pgsi_line *line;
	struct pgsi_dev *dev;
	unsigned long flags, idx;
	u32 n;

	spin_lock_irqsave(&s->lock, flags);
	n = s->nr_devs + s->nr_lines_without_pci;
	if (n <= cap) {
		n = 0;
		xa_for_each(&s->by_sbdf, idx, dev) {
			if (dev->unknown)
				continue;
			if (WARN_ON_ONCE(n >= cap))
				break;
			pgsi_fill_dev(s, dev, &buf[n++]);
		}
		xa_for_each(&s->by_gsi, idx, line) {
			if (line->has_pci)
				continue;
			if (WARN_ON_ONCE(n >= cap))
				break;
			memset(&buf[n], 0, sizeof(buf[n]));
			buf[n].sbdf = PRIVCMD_GSI_NO_SBDF;
			buf[n].irq = PRIVCMD_GSI_NO_IRQ;
			pgsi_fill_line(line, &buf[n]);
			n++;
		}
	}
	spin_unlock_irqrestore(&s->lock, flags);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(pgsi_store_snapshot);
