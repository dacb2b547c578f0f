// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Assignment to xen-pciback as a transaction that never strands a device.
 *
 * add:    journal -> record the original driver -> driver_override=pciback
 *         -> unbind from the driver -> drivers_probe -> (pciback new_slot +
 *         bind when driver_override was not enough) -> verify the driver
 *         link -> udev rule (persistent) -> drop the journal.
 *         Any failure: back on the original driver (rollback_add).
 * remove: journal -> unbind from pciback -> clear driver_override -> remove
 *         the pciback slot -> bind the remembered driver by writing the BDF
 *         to drivers/<driver>/bind -> verify -> forget the record -> udev
 *         rule -> drop the journal.  Any failure: back on pciback.
 *
 * Every step is idempotent (done only if the sysfs state says it is still
 * needed), and the journal is rewritten before each, so that the next call
 * after a crash can finish (remove; add that had reached pciback) or roll
 * back (add) the interrupted operation.  Callers are serialized by the
 * state directory's lock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define DESC 160

static int step(const struct xenpt_ctx *ctx, struct pt_journal *j,
		const char *name)
{
	snprintf(j->step, sizeof(j->step), "%s", name);
	return pt_journal_put(ctx, j);
}

static int drivers_probe(const struct xenpt_ctx *ctx, const char *bdf)
{
	char path[PATH_MAX];
	int err;

	err = pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path),
		      "/bus/pci/drivers_probe");
	return err ? err : pt_write_file(path, bdf);
}

static bool on_driver(const struct xenpt_ctx *ctx, const char *bdf,
		      const char *driver)
{
	char cur[XENPT_DRIVER_MAX];

	return !pt_dev_driver(ctx, bdf, cur, sizeof(cur)) &&
	       !strcmp(cur, driver);
}

static int keep(int first, int err)
{
	return first ? first : err;
}

/* Puts an added device back on its original driver and forgets it. */
static int rollback_add(const struct xenpt_ctx *ctx, struct pt_journal *j)
{
	char cur[XENPT_DRIVER_MAX], ov[XENPT_DRIVER_MAX];
	const char *bdf = j->bdf;
	int err, first = 0;

	step(ctx, j, "rollback");	/* best effort: it may be what failed */
	err = pt_dev_driver(ctx, bdf, cur, sizeof(cur));
	if (err == -ENODEV) {
		pt_warn(ctx, "%s: the device is gone; forgetting it", bdf);
		goto forget;
	}
	if (err)
		return err;
	if (!strcmp(cur, PCIBACK))
		first = keep(first, pt_drv_write(ctx, PCIBACK, "unbind", bdf));
	if (!pt_dev_override(ctx, bdf, ov, sizeof(ov)) && ov[0])
		first = keep(first, pt_dev_write(ctx, bdf, "driver_override", "\n"));
	if (j->slot_added && pt_pciback_has_slot(ctx, bdf) == 1) {
		err = pt_drv_write(ctx, PCIBACK, "remove_slot", bdf);
		if (err != -ENOENT)
			first = keep(first, err);
	}
	err = pt_dev_driver(ctx, bdf, cur, sizeof(cur));
	if (err)
		return err;
	if (j->driver[0] && strcmp(cur, j->driver)) {
		if (cur[0] && strcmp(cur, PCIBACK))
			pt_drv_write(ctx, cur, "unbind", bdf);
		err = pt_drv_write(ctx, j->driver, "bind", bdf);
		if (!on_driver(ctx, bdf, j->driver)) {
			/* let the kernel match it: it is its driver's */
			first = keep(first, err);
			drivers_probe(ctx, bdf);
		}
		if (!on_driver(ctx, bdf, j->driver))
			return keep(first, -EIO);
	} else if (!j->driver[0] && !strcmp(cur, PCIBACK)) {
		return keep(first, -EIO);
	}
	/* the device is back; what else must hold for a clean state */
	if (!pt_dev_override(ctx, bdf, ov, sizeof(ov)) && ov[0])
		return keep(first, -EIO);
	if (j->slot_added && pt_pciback_has_slot(ctx, bdf) == 1)
		return keep(first, -EIO);
forget:
	if (j->record_created) {
		err = pt_record_del(ctx, bdf);
		if (err && err != -ENOENT)
			return err;
	}
	if (j->persist) {
		err = xenpt_udev_rules_update((struct xenpt_ctx *)ctx);
		if (err)
			return err;
	}
	err = pt_journal_del(ctx, bdf);
	return err == -ENOENT ? 0 : err;
}

/* Takes a device from pciback, back to its driver if asked.  Idempotent:
 * also finishes an interrupted remove.  what describes a failure. */
static int finish_remove(const struct xenpt_ctx *ctx, struct pt_journal *j,
			 char *what)
{
	char cur[XENPT_DRIVER_MAX], ov[XENPT_DRIVER_MAX], ebuf[PT_ERRBUF];
	const char *bdf = j->bdf;
	int err;

	err = step(ctx, j, "unbind");
	if (err) {
		snprintf(what, DESC, "cannot write the journal");
		return err;
	}
	if (on_driver(ctx, bdf, PCIBACK)) {
		err = pt_drv_write(ctx, PCIBACK, "unbind", bdf);
		if (err) {
			snprintf(what, DESC, "cannot unbind from pciback");
			return err;
		}
		if (on_driver(ctx, bdf, PCIBACK)) {
			snprintf(what, DESC, "still on pciback after unbind");
			return -EIO;
		}
	}
	err = step(ctx, j, "override");
	if (err) {
		snprintf(what, DESC, "cannot write the journal");
		return err;
	}
	if (!pt_dev_override(ctx, bdf, ov, sizeof(ov)) && ov[0]) {
		err = pt_dev_write(ctx, bdf, "driver_override", "\n");
		if (err) {
			snprintf(what, DESC, "cannot clear driver_override");
			return err;
		}
	}
	if (pt_pciback_has_slot(ctx, bdf) == 1) {
		j->slot_removed = true;
		err = step(ctx, j, "remove_slot");
		if (err) {
			snprintf(what, DESC, "cannot write the journal");
			return err;
		}
		err = pt_drv_write(ctx, PCIBACK, "remove_slot", bdf);
		if (err && err != -ENOENT) {
			snprintf(what, DESC, "cannot remove the pciback slot");
			return err;
		}
	}
	if (j->rebind) {
		err = step(ctx, j, "rebind");
		if (err) {
			snprintf(what, DESC, "cannot write the journal");
			return err;
		}
		err = pt_dev_driver(ctx, bdf, cur, sizeof(cur));
		if (err) {
			snprintf(what, DESC, "cannot read its driver");
			return err;
		}
		if (cur[0] && strcmp(cur, j->driver)) {
			/* someone bound it meanwhile: leave it there */
			pt_warn(ctx, "%s: now on %s; not giving it to %s", bdf,
				cur, j->driver[0] ? j->driver : "another driver");
		} else if (j->driver[0] && strcmp(cur, j->driver)) {
			err = pt_drv_write(ctx, j->driver, "bind", bdf);
			if (err) {
				snprintf(what, DESC, "cannot bind to %s", j->driver);
				return err;
			}
			if (!on_driver(ctx, bdf, j->driver)) {
				snprintf(what, DESC, "did not bind to %s", j->driver);
				return -EIO;
			}
		} else if (!j->driver[0] && !cur[0]) {
			/* no remembered driver: whichever the kernel picks */
			err = drivers_probe(ctx, bdf);
			if (err)
				pt_dbg(ctx, "%s: drivers_probe: %s", bdf,
				       pt_serr(-err, ebuf));
		}
	}
	err = step(ctx, j, "forget");
	if (err) {
		snprintf(what, DESC, "cannot write the journal");
		return err;
	}
	err = pt_record_del(ctx, bdf);
	if (err && err != -ENOENT) {
		snprintf(what, DESC, "cannot update the state directory");
		return err;
	}
	if (j->persist) {
		err = xenpt_udev_rules_update((struct xenpt_ctx *)ctx);
		if (err) {
			snprintf(what, DESC, "cannot update the udev rules");
			return err;
		}
	}
	err = pt_journal_del(ctx, bdf);
	if (err && err != -ENOENT)
		pt_warn(ctx, "%s: cannot remove the journal: %s (harmless)",
			bdf, pt_serr(-err, ebuf));
	return 0;
}

/* Puts a device whose remove failed back on pciback. */
static int rollback_remove(const struct xenpt_ctx *ctx, struct pt_journal *j)
{
	char cur[XENPT_DRIVER_MAX];
	const char *bdf = j->bdf;
	struct pt_record rec;
	int err, first = 0;

	step(ctx, j, "rollback");
	err = pt_dev_driver(ctx, bdf, cur, sizeof(cur));
	if (err)
		return err;
	if (strcmp(cur, PCIBACK)) {
		if (cur[0])
			first = keep(first, pt_drv_write(ctx, cur, "unbind", bdf));
		first = keep(first, pt_dev_write(ctx, bdf, "driver_override",
						  PCIBACK "\n"));
		if (j->slot_removed && pt_pciback_has_slot(ctx, bdf) == 0)
			first = keep(first, pt_drv_write(ctx, PCIBACK,
							  "new_slot", bdf));
		drivers_probe(ctx, bdf);
		if (!on_driver(ctx, bdf, PCIBACK))
			first = keep(first, pt_drv_write(ctx, PCIBACK, "bind", bdf));
		if (!on_driver(ctx, bdf, PCIBACK))
			return keep(first, -EIO);
	}
	if (j->had_record && pt_record_get(ctx, bdf, &rec) == -ENOENT) {
		snprintf(rec.driver, sizeof(rec.driver), "%s", j->driver);
		rec.persist = j->persist;
		err = pt_record_put(ctx, bdf, &rec);
		if (err)
			return err;
		if (rec.persist) {
			err = xenpt_udev_rules_update((struct xenpt_ctx *)ctx);
			if (err)
				return err;
		}
	}
	err = pt_journal_del(ctx, bdf);
	return err == -ENOENT ? 0 : err;
}

/* ------------------------------------------------------------------ */

struct peers {
	const struct xenpt_ctx *ctx;
	const char *bdf;
	const struct xenpt_bdf *set;
	size_t nset;
	char seen[16][XENPT_BDF_STRLEN];
	size_t nseen;
	int bad;
};

static int check_peer(void *data, const char *peer, const char *why)
{
	struct peers *p = data;
	char drv[XENPT_DRIVER_MAX];
	struct xenpt_bdf b;
	size_t i;

	if (xenpt_bdf_parse(peer, &b))
		return 0;
	for (i = 0; i < p->nset; i++)
		if (!memcmp(&p->set[i], &b, sizeof(b)))
			return 0;	/* assigned with it */
	for (i = 0; i < p->nseen; i++)
		if (!strcmp(p->seen[i], peer))
			return 0;
	if (p->nseen < 16)
		strcpy(p->seen[p->nseen++], peer);
	if (pt_dev_driver(p->ctx, peer, drv, sizeof(drv)))
		return 0;
	if (!drv[0] || !strcmp(drv, PCIBACK))
		return 0;
	p->bad++;
	pt_warn(p->ctx, "%s: %s %s and is not assignable (driver %s)",
		p->bdf, peer, why, drv);
	return 0;
}

static int add_already(const struct xenpt_ctx *ctx, const char *bdf,
		       unsigned int flags)
{
	struct pt_record rec, old;
	bool have;
	int err;

	have = pt_record_get(ctx, bdf, &rec) == 0;
	if (!(flags & XENPT_ASSIGN_PERSIST) || (have && rec.persist)) {
		pt_info(ctx, "%s: already assignable", bdf);
		return 0;
	}
	if (!have)
		memset(&rec, 0, sizeof(rec));
	old = rec;
	rec.persist = true;
	err = pt_record_put(ctx, bdf, &rec);
	if (!err) {
		err = xenpt_udev_rules_update((struct xenpt_ctx *)ctx);
		if (err) {
			if (have)
				pt_record_put(ctx, bdf, &old);
			else
				pt_record_del(ctx, bdf);
		}
	}
	if (err)
		pt_err(ctx, "%s: cannot make it persistent", bdf);
	else
		pt_info(ctx, "%s: already assignable; now persistent", bdf);
	return err;
}

/*
 * What add_one and remove_one do first: the canonical name of one function
 * (not a wildcard), no unfinished journal for it, and its current driver.
 */
static int begin_one(const struct xenpt_ctx *ctx, const struct xenpt_bdf *b,
		     char bdf[XENPT_BDF_STRLEN], char *cur, size_t cur_size)
{
	char ebuf[PT_ERRBUF];
	struct pt_journal j;
	int err;

	if (b->all_fns || xenpt_bdf_format(b, bdf, XENPT_BDF_STRLEN) < 0)
		return -EINVAL;
	if (pt_journal_get(ctx, bdf, &j) != -ENOENT) {
		pt_err(ctx, "%s: an interrupted operation on it could not be "
		       "finished (see above); fix that first", bdf);
		return -EBUSY;
	}
	err = pt_dev_driver(ctx, bdf, cur, cur_size);
	if (err) {
		if (err == -ENODEV)
			pt_err(ctx, "%s: no such PCI device", bdf);
		else
			pt_err(ctx, "%s: cannot read its driver: %s", bdf,
			       pt_serr(-err, ebuf));
		return err;
	}
	return 0;
}

/*
 * One device's assignable-add, step by step: the checks that change
 * nothing (check_device, check_dom0_use, check_peers), the journal of the
 * intent (journal_intent), then the steps of add_steps[] in turn, each
 * preceded by its journal record; a failure among those rolls back
 * (roll_back_add).
 */
struct add_tx {
	const struct xenpt_ctx *ctx;
	unsigned int flags;
	const struct xenpt_bdf *set;	/* the devices assigned together */
	size_t nset;
	char bdf[XENPT_BDF_STRLEN];
	char cur[XENPT_DRIVER_MAX];	/* its driver before, "" none */
	struct pt_journal j;
	char what[DESC];		/* what failed */
};

/* The journal record before a step; on failure, what says so. */
static int add_step(struct add_tx *t, const char *name)
{
	int err = step(t->ctx, &t->j, name);

	if (err)
		snprintf(t->what, sizeof(t->what), "cannot write the journal");
	return err;
}

/* The device (one function, no unfinished operation, its driver) and
 * pciback, there to take it.  *already: it is on pciback already. */
static int check_device(struct add_tx *t, const struct xenpt_bdf *b,
			bool *already)
{
	int err;

	err = begin_one(t->ctx, b, t->bdf, t->cur, sizeof(t->cur));
	if (err)
		return err;
	*already = !strcmp(t->cur, PCIBACK);
	if (*already)
		return 0;
	if (!pt_drv_loaded(t->ctx, PCIBACK)) {
		pt_err(t->ctx, "%s: xen-pciback is not loaded (modprobe xen-pciback)",
		       t->bdf);
		return -ENOENT;
	}
	return 0;
}

/* -EBUSY when dom0 uses the device, unless forced. */
static int check_dom0_use(struct add_tx *t, const struct xenpt_bdf *b)
{
	char reason[512], ebuf[PT_ERRBUF];
	int err;

	if (t->flags & XENPT_ASSIGN_FORCE)
		return 0;
	err = xenpt_device_in_use((struct xenpt_ctx *)t->ctx, b, reason,
				  sizeof(reason));
	if (err > 0) {
		pt_err(t->ctx, "%s: in use by dom0: %s (--force to assign it anyway)",
		       t->bdf, reason);
		return -EBUSY;
	}
	if (err < 0) {
		pt_err(t->ctx, "%s: cannot tell whether dom0 uses it: %s",
		       t->bdf, pt_serr(-err, ebuf));
		return err;
	}
	return 0;
}

/* Warns about the IOMMU group peers and other functions that are not
 * assignable; -EBUSY when there are some and it is strict. */
static int check_peers(struct add_tx *t)
{
	struct peers peers;

	memset(&peers, 0, sizeof(peers));
	peers.ctx = t->ctx;
	peers.bdf = t->bdf;
	peers.set = t->set;
	peers.nset = t->nset;
	pt_dev_peers(t->ctx, t->bdf, check_peer, &peers);
	if (peers.bad && (t->flags & XENPT_ASSIGN_STRICT)) {
		pt_err(t->ctx, "%s: %d related device%s not assignable (--strict)",
		       t->bdf, peers.bad, peers.bad > 1 ? "s are" : " is");
		return -EBUSY;
	}
	return 0;
}

/* The journal of the add, before anything changes.  On failure nothing
 * did: no rollback. */
static int journal_intent(struct add_tx *t)
{
	struct pt_journal *j = &t->j;
	char ebuf[PT_ERRBUF];
	int err;

	memset(j, 0, sizeof(*j));
	snprintf(j->op, sizeof(j->op), "add");
	snprintf(j->bdf, sizeof(j->bdf), "%s", t->bdf);
	snprintf(j->driver, sizeof(j->driver), "%s", t->cur);
	j->persist = t->flags & XENPT_ASSIGN_PERSIST;
	j->record_created = true;

	err = step(t->ctx, j, "record");
	if (err) {
		pt_err(t->ctx, "%s: cannot write the journal in %s: %s; nothing "
		       "changed, still on %s", t->bdf, t->ctx->dirs[XENPT_DIR_STATE],
		       pt_serr(-err, ebuf), t->cur[0] ? t->cur : "no driver");
		pt_journal_del(t->ctx, t->bdf);
	}
	return err;
}

/* Remembers the original driver (journal step "record", written by
 * journal_intent). */
static int record_driver(struct add_tx *t)
{
	struct pt_record rec;
	int err;

	memset(&rec, 0, sizeof(rec));
	snprintf(rec.driver, sizeof(rec.driver), "%s", t->cur);
	rec.persist = t->j.persist;
	err = pt_record_put(t->ctx, t->bdf, &rec);
	if (err)
		snprintf(t->what, sizeof(t->what), "cannot remember its driver in %s",
			 t->ctx->dirs[XENPT_DIR_STATE]);
	return err;
}

/* driver_override=pciback: the next probe gives it to pciback. */
static int set_override(struct add_tx *t)
{
	int err;

	err = add_step(t, "override");
	if (err)
		return err;
	err = pt_dev_write(t->ctx, t->bdf, "driver_override", PCIBACK "\n");
	if (err)
		snprintf(t->what, sizeof(t->what), "cannot set driver_override");
	return err;
}

/* Takes it from its driver, if it has one. */
static int unbind_driver(struct add_tx *t)
{
	int err;

	if (!t->cur[0])
		return 0;
	err = add_step(t, "unbind");
	if (err)
		return err;
	err = pt_drv_write(t->ctx, t->cur, "unbind", t->bdf);
	if (err) {
		snprintf(t->what, sizeof(t->what), "cannot unbind from %s", t->cur);
		return err;
	}
	if (on_driver(t->ctx, t->bdf, t->cur)) {
		snprintf(t->what, sizeof(t->what), "still on %s after unbind", t->cur);
		return -EIO;
	}
	return 0;
}

/* drivers_probe: pciback takes it through driver_override.  Its error
 * does not matter: verify_pciback looks at the result. */
static int probe_pciback(struct add_tx *t)
{
	char ebuf[PT_ERRBUF];
	int err;

	err = add_step(t, "probe");
	if (err)
		return err;
	err = drivers_probe(t->ctx, t->bdf);
	if (err)
		pt_dbg(t->ctx, "%s: drivers_probe: %s", t->bdf, pt_serr(-err, ebuf));
	return 0;
}

/* A pciback that ignores driver_override (Linux < 4.16): a slot for it
 * (pciback new_slot), then pciback's bind. */
static int bind_by_slot(struct add_tx *t)
{
	int err;

	if (on_driver(t->ctx, t->bdf, PCIBACK))
		return 0;
	pt_dbg(t->ctx, "%s: not taken by driver_override; binding by slot", t->bdf);
	if (pt_pciback_has_slot(t->ctx, t->bdf) != 1) {
		t->j.slot_added = true;
		err = add_step(t, "new_slot");
		if (err)
			return err;
		err = pt_drv_write(t->ctx, PCIBACK, "new_slot", t->bdf);
		if (err) {
			snprintf(t->what, sizeof(t->what), "cannot add a pciback slot");
			return err;
		}
	}
	err = add_step(t, "bind");
	if (err)
		return err;
	err = pt_drv_write(t->ctx, PCIBACK, "bind", t->bdf);
	if (err)
		snprintf(t->what, sizeof(t->what), "cannot bind to pciback");
	return err;
}

/* The driver link says pciback. */
static int verify_pciback(struct add_tx *t)
{
	if (on_driver(t->ctx, t->bdf, PCIBACK))
		return 0;
	snprintf(t->what, sizeof(t->what), "did not bind to pciback");
	return -EIO;
}

/* The udev rule that seizes it again at boot, when persistent. */
static int persist_rule(struct add_tx *t)
{
	int err;

	if (!t->j.persist)
		return 0;
	err = add_step(t, "udev");
	if (err)
		return err;
	err = xenpt_udev_rules_update((struct xenpt_ctx *)t->ctx);
	if (err)
		snprintf(t->what, sizeof(t->what), "cannot write the udev rule");
	return err;
}

/* The steps that change the system, in order: 0, or -errno and what. */
static int (*const add_steps[])(struct add_tx *t) = {
	record_driver,
	set_override,
	unbind_driver,
	probe_pciback,
	bind_by_slot,
	verify_pciback,
	persist_rule,
};

/* Done: the journal goes. */
static void finish_add(struct add_tx *t)
{
	char ebuf[PT_ERRBUF];
	int err;

	err = pt_journal_del(t->ctx, t->bdf);
	if (err)
		pt_warn(t->ctx, "%s: cannot remove the journal: %s (harmless)",
			t->bdf, pt_serr(-err, ebuf));
	pt_info(t->ctx, "%s: assignable (was on %s)%s", t->bdf,
		t->cur[0] ? t->cur : "no driver", t->j.persist ? ", persistent" : "");
}

/* A step failed with err: back on the original driver, and the message
 * says what failed and where the device is.  Returns err. */
static int roll_back_add(struct add_tx *t, int err)
{
	char ebuf[PT_ERRBUF], ebuf2[PT_ERRBUF];
	int rb;

	rb = rollback_add(t->ctx, &t->j);
	if (!rb)
		pt_err(t->ctx, "%s: %s: %s; put back on %s", t->bdf, t->what,
		       pt_serr(-err, ebuf),
		       t->cur[0] ? t->cur : "no driver, as it was");
	else
		pt_err(t->ctx, "%s: %s: %s; could not put it back on %s: %s "
		       "(the next xenpt call retries)", t->bdf, t->what,
		       pt_serr(-err, ebuf), t->cur[0] ? t->cur : "no driver",
		       pt_serr(-rb, ebuf2));
	return err;
}

static int add_one(const struct xenpt_ctx *ctx, const struct xenpt_bdf *b,
		   unsigned int flags, const struct xenpt_bdf *set, size_t nset)
{
	struct add_tx t;
	bool already;
	size_t i;
	int err;

	memset(&t, 0, sizeof(t));
	t.ctx = ctx;
	t.flags = flags;
	t.set = set;
	t.nset = nset;
	err = check_device(&t, b, &already);
	if (err)
		return err;
	if (already)
		return add_already(ctx, t.bdf, flags);
	err = check_dom0_use(&t, b);
	if (!err)
		err = check_peers(&t);
	if (!err)
		err = journal_intent(&t);
	if (err)
		return err;
	for (i = 0; i < sizeof(add_steps) / sizeof(add_steps[0]); i++) {
		err = add_steps[i](&t);
		if (err)
			return roll_back_add(&t, err);
	}
	finish_add(&t);
	return 0;
}

static int remove_one(const struct xenpt_ctx *ctx, const struct xenpt_bdf *b,
		      unsigned int flags)
{
	char bdf[XENPT_BDF_STRLEN], cur[XENPT_DRIVER_MAX], what[DESC] = "";
	char ebuf[PT_ERRBUF], ebuf2[PT_ERRBUF];
	struct pt_journal j;
	struct pt_record rec;
	bool have;
	int err, rb;

	err = begin_one(ctx, b, bdf, cur, sizeof(cur));
	if (err)
		return err;
	err = pt_record_get(ctx, bdf, &rec);
	if (err == -EBADMSG)
		pt_warn(ctx, "%s: its record in %s is corrupt; ignoring it",
			bdf, ctx->dirs[XENPT_DIR_STATE]);
	have = err == 0;
	if (!have)
		memset(&rec, 0, sizeof(rec));
	if (strcmp(cur, PCIBACK) && !have) {
		pt_err(ctx, "%s: not assignable (not bound to pciback)", bdf);
		return -ENODEV;
	}
	if ((flags & XENPT_REMOVE_REBIND) && rec.driver[0] &&
	    strcmp(cur, rec.driver) && !pt_drv_loaded(ctx, rec.driver)) {
		pt_err(ctx, "%s: cannot give it back to %s: driver not loaded "
		       "(modprobe it first); left on %s", bdf, rec.driver,
		       cur[0] ? cur : "no driver");
		return -ENOENT;
	}
	memset(&j, 0, sizeof(j));
	snprintf(j.op, sizeof(j.op), "remove");
	snprintf(j.bdf, sizeof(j.bdf), "%s", bdf);
	snprintf(j.driver, sizeof(j.driver), "%s", rec.driver);
	j.persist = rec.persist;
	j.rebind = flags & XENPT_REMOVE_REBIND;
	j.had_record = have;

	err = finish_remove(ctx, &j, what);
	if (!err) {
		if (j.rebind)
			pt_info(ctx, "%s: given back to %s", bdf,
				j.driver[0] ? j.driver : "the kernel");
		else
			pt_info(ctx, "%s: removed from pciback, left unbound", bdf);
		return 0;
	}
	rb = rollback_remove(ctx, &j);
	if (!rb)
		pt_err(ctx, "%s: %s: %s; left on pciback", bdf, what,
		       pt_serr(-err, ebuf));
	else
		pt_err(ctx, "%s: %s: %s; could not put it back on pciback: %s "
		       "(the next xenpt call retries)", bdf, what,
		       pt_serr(-err, ebuf), pt_serr(-rb, ebuf2));
	return err;
}

/* Finishes or rolls back what a crash interrupted.  Lock held. */
static int recover_locked(const struct xenpt_ctx *ctx)
{
	char (*names)[XENPT_BDF_STRLEN] = NULL;
	char ebuf[PT_ERRBUF], what[DESC];
	struct pt_journal j;
	struct pt_record rec;
	size_t n = 0, i;
	int err, first = 0;

	err = pt_journal_names(ctx, &names, &n);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		const char *bdf = names[i];

		err = pt_journal_get(ctx, bdf, &j);
		if (err == -ENOENT)
			continue;
		if (err) {
			pt_warn(ctx, "%s: unreadable journal (%s); removing it",
				bdf, pt_serr(-err, ebuf));
			pt_journal_del(ctx, bdf);
			continue;
		}
		if (!strcmp(j.op, "add")) {
			if (on_driver(ctx, bdf, PCIBACK) &&
			    pt_record_get(ctx, bdf, &rec) == 0) {
				/* it got there: finish */
				err = j.persist ?
				      xenpt_udev_rules_update((struct xenpt_ctx *)ctx) : 0;
				if (!err) {
					err = pt_journal_del(ctx, bdf);
					if (err == -ENOENT)
						err = 0;
				}
				if (!err)
					pt_notice(ctx, "%s: finished an interrupted "
						  "assignable-add", bdf);
			} else {
				err = rollback_add(ctx, &j);
				if (!err)
					pt_notice(ctx, "%s: rolled back an interrupted "
						  "assignable-add: on %s again", bdf,
						  j.driver[0] ? j.driver : "no driver");
			}
		} else {
			err = finish_remove(ctx, &j, what);
			if (!err) {
				pt_notice(ctx, "%s: finished an interrupted "
					  "assignable-remove", bdf);
			} else {
				err = rollback_remove(ctx, &j);
				if (!err)
					pt_notice(ctx, "%s: rolled back an interrupted "
						  "assignable-remove: on pciback again", bdf);
			}
		}
		if (err) {
			pt_err(ctx, "%s: cannot recover the interrupted %s: %s",
			       bdf, j.op, pt_serr(-err, ebuf));
			first = keep(first, err);
		}
	}
	free(names);
	return first;
}

static int lock(const struct xenpt_ctx *ctx, int *fd)
{
	char ebuf[PT_ERRBUF];
	int err = pt_state_lock(ctx, fd);

	if (err)
		pt_err(ctx, "cannot lock %s/lock: %s", ctx->dirs[XENPT_DIR_STATE],
		       pt_serr(-err, ebuf));
	return err;
}

PT_EXPORT int xenpt_recover(struct xenpt_ctx *ctx)
{
	int fd, err;

	if (!ctx)
		return -EINVAL;
	err = lock(ctx, &fd);
	if (err)
		return err;
	err = recover_locked(ctx);
	pt_state_unlock(fd);
	return err;
}

/*
 * -EOPNOTSUPP on a PVH dom0 under Xen before 4.20, which has none of what
 * passthrough from a PVH dom0 needs (PHYSDEVOP_setup_gsi and map_pirq for
 * it, XEN_DOMCTL_gsi_permission): a device put on pciback there can never
 * reach a guest.  An unknown version is no reason to refuse.
 */
static int xen_can_pass_through(struct xenpt_ctx *ctx)
{
	char path[PATH_MAX];
	unsigned long major, minor;
	enum xenpt_guest_type type;

	if (xenpt_guest_type(ctx, &type) || type != XENPT_GUEST_PVH)
		return 0;
	if (pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/hypervisor/version/major") ||
	    pt_read_uint(path, 10, &major) ||
	    pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/hypervisor/version/minor") ||
	    pt_read_uint(path, 10, &minor))
		return 0;
	if (major > 4 || (major == 4 && minor >= 20))
		return 0;
	pt_err(ctx, "Xen %lu.%lu cannot pass devices through from a PVH dom0 "
	       "(Xen 4.20 or later can); --force puts them on pciback anyway",
	       major, minor);
	return -EOPNOTSUPP;
}

PT_EXPORT int xenpt_assignable_add_many(struct xenpt_ctx *ctx,
					const struct xenpt_bdf *bdfs, size_t count,
					unsigned int flags, int *results)
{
	int fd, err, first = 0;
	size_t i;

	if (!ctx || (!bdfs && count) ||
	    (flags & ~(XENPT_ASSIGN_FORCE | XENPT_ASSIGN_PERSIST | XENPT_ASSIGN_STRICT)))
		return -EINVAL;
	for (i = 0; i < count; i++)
		if (bdfs[i].all_fns)
			return -EINVAL;
	if (!(flags & XENPT_ASSIGN_FORCE)) {
		err = xen_can_pass_through(ctx);
		if (err)
			return err;
	}
	err = lock(ctx, &fd);
	if (err)
		return err;
	recover_locked(ctx);	/* failures logged; other devices go on */
	for (i = 0; i < count; i++) {
		err = add_one(ctx, &bdfs[i], flags, bdfs, count);
		if (results)
			results[i] = err;
		first = keep(first, err);
	}
	pt_state_unlock(fd);
	return first;
}

PT_EXPORT int xenpt_assignable_add(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdf,
				   unsigned int flags)
{
	if (!bdf)
		return -EINVAL;
	return xenpt_assignable_add_many(ctx, bdf, 1, flags, NULL);
}

PT_EXPORT int xenpt_assignable_remove(struct xenpt_ctx *ctx,
				      const struct xenpt_bdf *bdf, unsigned int flags)
{
	int fd, err;

	if (!ctx || !bdf || bdf->all_fns || (flags & ~XENPT_REMOVE_REBIND))
		return -EINVAL;
	err = lock(ctx, &fd);
	if (err)
		return err;
	recover_locked(ctx);
	err = remove_one(ctx, bdf, flags);
	pt_state_unlock(fd);
	return err;
}

/* the devices on pciback, with what their records say */
static int assigned_fill(const struct xenpt_ctx *ctx, const char *name, void *elem)
{
	struct xenpt_assigned *a = elem;
	struct pt_record rec;

	if (!on_driver(ctx, name, PCIBACK))
		return 1;
	xenpt_bdf_parse(name, &a->bdf);
	if (!pt_record_get(ctx, name, &rec)) {
		a->known = true;
		a->persist = rec.persist;
		snprintf(a->driver, sizeof(a->driver), "%s", rec.driver);
	}
	return 0;
}

PT_EXPORT int xenpt_assignable_list(struct xenpt_ctx *ctx, struct xenpt_assigned **list,
				    size_t *count)
{
	void *l;
	int err;

	if (!ctx || !list || !count)
		return -EINVAL;
	err = pt_dev_collect(ctx, sizeof(**list), assigned_fill, &l, count);
	if (!err)
		*list = l;
	return err;
}
