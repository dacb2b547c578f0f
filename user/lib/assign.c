// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Assignment to xen-pciback as a transaction that never strands a device.
 *
 * add:    journal -> the record (original driver, persistence, name,
 *         quarantine) -> driver_override=pciback -> unbind from the driver
 *         -> drivers_probe -> (pciback new_slot + bind when driver_override
 *         was not enough) -> verify the driver link -> Xen's quarantine
 *         (xc_assign_device(DOMID_IO), as xl) -> udev rules from the
 *         records -> drop the journal.
 *         Any failure: out of the quarantine, back on the original driver,
 *         the record as it was, the rules from the records (rollback_add).
 * remove: journal -> out of Xen's quarantine -> unbind from pciback ->
 *         clear driver_override -> remove the pciback slot -> bind the
 *         remembered driver by writing the BDF to drivers/<driver>/bind ->
 *         verify -> forget the record -> udev rules -> drop the journal.
 *         Any failure: back on pciback, quarantined as it was, the record
 *         as it was.
 *
 * Every step is idempotent (done only if the sysfs state says it is still
 * needed; the quarantine is idempotent in Xen), and the journal is
 * rewritten before each, so that the next call after a crash can finish
 * (remove; add that had reached pciback) or roll back (add) the
 * interrupted operation.  Callers are serialized by the state directory's
 * lock.  Each public call loads libxenctrl at most once (struct pt_xc) and
 * only when a quarantine is to be done or undone.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define DESC 200

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

/* The udev rule file from the records (not rewritten when it agrees). */
static int rules(const struct xenpt_ctx *ctx)
{
	return xenpt_udev_rules_update((struct xenpt_ctx *)ctx);
}

/* The end of a rollback or a recovery: the udev rules from the records,
 * then the journal goes. */
static int close_journal(const struct xenpt_ctx *ctx, const char *bdf)
{
	int err;

	err = rules(ctx);
	if (err)
		return err;
	err = pt_journal_del(ctx, bdf);
	return err == -ENOENT ? 0 : err;
}

/* The record of an add's device as it was before the add (or none). */
static int restore_record(const struct xenpt_ctx *ctx, const struct pt_journal *j)
{
	int err;

	if (j->had_record)
		return pt_record_put(ctx, j->bdf, &j->old);
	err = pt_record_del(ctx, j->bdf);
	return err == -ENOENT ? 0 : err;
}

/* Puts an added device back on its original driver and its record as it
 * was. */
static int rollback_add(const struct xenpt_ctx *ctx, struct pt_xc *xc,
			struct pt_journal *j)
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
	/* out of the quarantine before dom0's driver gets it back */
	if (j->rec.quarantine) {
		err = pt_xc_ready(ctx, xc, LOG_ERR);
		if (!err)
			err = pt_dequarantine(ctx, xc, bdf);
		if (err < 0)
			return err;
	}
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
	if (j->from[0] && strcmp(cur, j->from)) {
		if (cur[0] && strcmp(cur, PCIBACK))
			pt_drv_write(ctx, cur, "unbind", bdf);
		err = pt_drv_write(ctx, j->from, "bind", bdf);
		if (!on_driver(ctx, bdf, j->from)) {
			/* let the kernel match it: it is its driver's */
			first = keep(first, err);
			drivers_probe(ctx, bdf);
		}
		if (!on_driver(ctx, bdf, j->from))
			return keep(first, -EIO);
	} else if (!j->from[0] && !strcmp(cur, PCIBACK)) {
		return keep(first, -EIO);
	}
	/* the device is back; what else must hold for a clean state */
	if (!pt_dev_override(ctx, bdf, ov, sizeof(ov)) && ov[0])
		return keep(first, -EIO);
	if (j->slot_added && pt_pciback_has_slot(ctx, bdf) == 1)
		return keep(first, -EIO);
forget:
	err = restore_record(ctx, j);
	if (err)
		return err;
	return close_journal(ctx, bdf);
}

/* Takes a device from pciback, back to its driver if asked.  Idempotent:
 * also finishes an interrupted remove.  what describes a failure. */
static int finish_remove(const struct xenpt_ctx *ctx, struct pt_xc *xc,
			 struct pt_journal *j, char *what)
{
	char cur[XENPT_DRIVER_MAX], ov[XENPT_DRIVER_MAX], ebuf[PT_ERRBUF];
	const char *bdf = j->bdf;
	int err;

	err = step(ctx, j, "dequarantine");
	if (err) {
		snprintf(what, DESC, "cannot write the journal");
		return err;
	}
	/* out of Xen's quarantine first, as xl: where xenpt put it there,
	 * libxenctrl must be there; otherwise only if it can be asked */
	err = pt_xc_ready(ctx, xc, j->rec.quarantine ? LOG_ERR : LOG_INFO);
	if (!err) {
		err = pt_dequarantine(ctx, xc, bdf);
		if (err < 0) {
			snprintf(what, DESC, "cannot take it out of Xen's quarantine "
				 "(xc_deassign_device from DOMID_IO)");
			return err;
		}
		if (err == 0 && !j->rec.quarantine) {
			/* someone else's quarantine (xl): back there on rollback */
			j->rec.quarantine = true;
		}
	} else if (err < 0 && j->rec.quarantine) {
		snprintf(what, DESC, "cannot take it out of Xen's quarantine");
		return err;
	}
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
		if (cur[0] && strcmp(cur, j->rec.driver)) {
			/* someone bound it meanwhile: leave it there */
			pt_warn(ctx, "%s: now on %s; not giving it to %s", bdf,
				cur, j->rec.driver[0] ? j->rec.driver : "another driver");
		} else if (j->rec.driver[0] && strcmp(cur, j->rec.driver)) {
			err = pt_drv_write(ctx, j->rec.driver, "bind", bdf);
			if (err) {
				snprintf(what, DESC, "cannot bind to %s", j->rec.driver);
				return err;
			}
			if (!on_driver(ctx, bdf, j->rec.driver)) {
				snprintf(what, DESC, "did not bind to %s", j->rec.driver);
				return -EIO;
			}
		} else if (!j->rec.driver[0] && !cur[0]) {
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
	err = rules(ctx);
	if (err) {
		snprintf(what, DESC, "cannot update the udev rules");
		return err;
	}
	err = pt_journal_del(ctx, bdf);
	if (err && err != -ENOENT)
		pt_warn(ctx, "%s: cannot remove the journal: %s (harmless)",
			bdf, pt_serr(-err, ebuf));
	return 0;
}

/* Puts a device whose remove failed back on pciback, quarantined as it
 * was, its record as it was. */
static int rollback_remove(const struct xenpt_ctx *ctx, struct pt_xc *xc,
			   struct pt_journal *j)
{
	char cur[XENPT_DRIVER_MAX];
	const char *bdf = j->bdf;
	struct pt_record rec;
	int err, first = 0;

	step(ctx, j, "rollback");
	err = pt_dev_driver(ctx, bdf, cur, sizeof(cur));
	if (err)
		return err;
	/* back on pciback, if it was there (a repair of a device that was
	 * not is left as it is) */
	if (strcmp(cur, PCIBACK) && !strcmp(j->from, PCIBACK)) {
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
	if (j->rec.quarantine && on_driver(ctx, bdf, PCIBACK)) {
		err = pt_quarantine(ctx, xc, bdf);
		if (err < 0)
			return keep(first, err);
	}
	if (j->had_record && pt_record_get(ctx, bdf, &rec) == -ENOENT) {
		err = pt_record_put(ctx, bdf, &j->rec);
		if (err)
			return err;
	}
	return close_journal(ctx, bdf);
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

/* Records with the name, other than bdf's: -EEXIST after a message. */
static int name_unique(const struct xenpt_ctx *ctx, const char *bdf,
		       const char *name)
{
	char (*names)[XENPT_BDF_STRLEN] = NULL;
	struct pt_record rec;
	size_t n = 0, i;
	int err;

	err = pt_record_names(ctx, &names, &n);
	if (err)
		return err;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], bdf) && !pt_record_get(ctx, names[i], &rec) &&
		    !strcmp(rec.name, name))
			break;
	if (i < n)
		pt_err(ctx, "%s: the name \"%s\" is %s's already", bdf, name, names[i]);
	free(names);
	return i < n ? -EEXIST : 0;
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
 * nothing (check_device, check_dom0_use, check_vfs, check_peers,
 * check_quarantine), the journal of the intent (journal_intent), then the
 * steps of add_steps[] in turn, each preceded by its journal record; a
 * failure among those rolls back (roll_back_add).
 */
struct add_tx {
	const struct xenpt_ctx *ctx;
	struct pt_xc *xc;
	unsigned int flags;
	const char *name;		/* NULL: keep */
	const struct xenpt_bdf *set;	/* the devices assigned together */
	size_t nset;
	char bdf[XENPT_BDF_STRLEN];
	char cur[XENPT_DRIVER_MAX];	/* its driver before, "" none */
	bool had_record;
	struct pt_record old;		/* its record before */
	struct pt_journal j;		/* j.rec: the record it will have */
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

/* The device (one function, no unfinished operation, its driver, its
 * record) and pciback, there to take it.  *already: on pciback already. */
static int check_device(struct add_tx *t, const struct xenpt_bdf *b,
			bool *already)
{
	int err;

	err = begin_one(t->ctx, b, t->bdf, t->cur, sizeof(t->cur));
	if (err)
		return err;
	err = pt_record_get(t->ctx, t->bdf, &t->old);
	if (err == -EBADMSG)
		pt_warn(t->ctx, "%s: its record in %s is corrupt; ignoring it",
			t->bdf, t->ctx->dirs[XENPT_DIR_STATE]);
	t->had_record = err == 0;
	if (t->name) {
		if (!pt_name_valid(t->name)) {
			pt_err(t->ctx, "%s: invalid name \"%s\" (1..%d printable "
			       "characters, none of , = @ : / *)", t->bdf, t->name,
			       XENPT_NAME_MAX);
			return -EINVAL;
		}
		err = name_unique(t->ctx, t->bdf, t->name);
		if (err)
			return err;
	}
	/* the record it will have: what it had, unless told otherwise */
	memset(&t->j, 0, sizeof(t->j));
	*already = !strcmp(t->cur, PCIBACK);
	snprintf(t->j.rec.driver, sizeof(t->j.rec.driver), "%s",
		 t->cur[0] && !*already ? t->cur :
		 t->had_record ? t->old.driver : "");
	t->j.rec.persist = (t->flags & XENPT_ASSIGN_PERSIST) ||
			   (t->had_record && t->old.persist);
	snprintf(t->j.rec.name, sizeof(t->j.rec.name), "%s",
		 t->name ? t->name : t->had_record ? t->old.name : "");
	t->j.rec.quarantine = *already && t->had_record && t->old.quarantine;
	/* the boot's add: into the quarantine only if it was added so */
	if ((t->flags & XENPT_ASSIGN_AS_RECORDED) && t->had_record &&
	    !t->old.quarantine)
		t->flags |= XENPT_ASSIGN_NO_QUARANTINE;
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

/* The VFs of a PF, sorted by what unbinding the PF does to their users. */
struct vfs {
	const struct xenpt_ctx *ctx;
	char used[512];		/* "BDF (why); ..." */
	char bound[512];	/* "BDF (driver); ..." */
	int nused, nbound, nall;
};

static void vf_add(char *buf, size_t size, const char *fmt, ...) PT_PRINTF(3, 4);
static void vf_add(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 8 >= size)
		return;
	if (used)
		used += (size_t)snprintf(buf + used, size - used, "; ");
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

static int check_vf(void *data, const char *vf)
{
	struct vfs *v = data;
	char drv[XENPT_DRIVER_MAX], reason[256];
	struct xenpt_bdf b;

	v->nall++;
	if (xenpt_bdf_parse(vf, &b) || pt_dev_driver(v->ctx, vf, drv, sizeof(drv)))
		return 0;
	if (!strcmp(drv, PCIBACK)) {
		v->nused++;
		vf_add(v->used, sizeof(v->used), "%s (on pciback: assignable, "
		       "maybe in a guest)", vf);
	} else if (xenpt_device_in_use((struct xenpt_ctx *)v->ctx, &b, reason,
				       sizeof(reason)) > 0) {
		v->nused++;
		vf_add(v->used, sizeof(v->used), "%s (%s: %s)", vf,
		       drv[0] ? drv : "no driver", reason);
	} else if (drv[0]) {
		v->nbound++;
		vf_add(v->bound, sizeof(v->bound), "%s (%s)", vf, drv);
	}
	return 0;
}

/*
 * An SR-IOV PF: unbinding its driver destroys its VFs.  VFs that dom0 uses
 * or that are on pciback (given to a guest, or to be) make the PF in use:
 * -EBUSY unless forced, and always with --strict; VFs merely bound to a
 * driver are reported (--strict refuses).
 */
static int check_vfs(struct add_tx *t)
{
	struct vfs v;
	bool strict = t->flags & XENPT_ASSIGN_STRICT;

	if (!t->cur[0])
		return 0;
	memset(&v, 0, sizeof(v));
	v.ctx = t->ctx;
	pt_dev_vfs(t->ctx, t->bdf, check_vf, &v);
	if (v.nused) {
		if (strict || !(t->flags & XENPT_ASSIGN_FORCE)) {
			pt_err(t->ctx, "%s: in use: unbinding it from %s destroys its "
			       "SR-IOV virtual functions, and %s used: %s (%s)",
			       t->bdf, t->cur, v.nused > 1 ? "these are" : "this one is",
			       v.used, strict ? "--strict" :
			       "--force to assign it anyway");
			return -EBUSY;
		}
		pt_warn(t->ctx, "%s: unbinding it from %s destroys its SR-IOV "
			"virtual functions, in use: %s (forced)", t->bdf, t->cur,
			v.used);
	}
	if (v.nbound) {
		pt_warn(t->ctx, "%s: unbinding it from %s destroys its SR-IOV "
			"virtual functions, bound to dom0 drivers: %s", t->bdf,
			t->cur, v.bound);
		if (strict) {
			pt_err(t->ctx, "%s: %d virtual function%s would go (--strict)",
			       t->bdf, v.nbound, v.nbound > 1 ? "s" : "");
			return -EBUSY;
		}
	} else if (v.nall && !v.nused) {
		pt_info(t->ctx, "%s: its %d unused virtual function%s will go",
			t->bdf, v.nall, v.nall > 1 ? "s" : "");
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

/* Whether it goes to Xen's quarantine, with libxenctrl loaded now, before
 * anything changes: -ELIBACC when it cannot be. */
static int check_quarantine(struct add_tx *t)
{
	int err;

	if (t->flags & XENPT_ASSIGN_NO_QUARANTINE)
		return 0;
	err = pt_xc_ready(t->ctx, t->xc, LOG_ERR);
	if (err < 0) {
		pt_err(t->ctx, "%s: not assigned: it cannot be quarantined; "
		       "still on %s", t->bdf, t->cur[0] ? t->cur : "no driver");
		return err;
	}
	t->j.rec.quarantine = err == 0;
	return 0;
}

/* The journal of the add, before anything changes.  On failure nothing
 * did: no rollback. */
static int journal_intent(struct add_tx *t)
{
	struct pt_journal *j = &t->j;
	char ebuf[PT_ERRBUF];
	int err;

	snprintf(j->op, sizeof(j->op), "add");
	snprintf(j->bdf, sizeof(j->bdf), "%s", t->bdf);
	snprintf(j->from, sizeof(j->from), "%s", t->cur);
	j->had_record = t->had_record;
	if (t->had_record)
		j->old = t->old;

	err = step(t->ctx, j, "record");
	if (err) {
		pt_err(t->ctx, "%s: cannot write the journal in %s: %s; nothing "
		       "changed, still on %s", t->bdf, t->ctx->dirs[XENPT_DIR_STATE],
		       pt_serr(-err, ebuf), t->cur[0] ? t->cur : "no driver");
		pt_journal_del(t->ctx, t->bdf);
	}
	return err;
}

/* Remembers the original driver, persistence, name (journal step
 * "record", written by journal_intent). */
static int record_driver(struct add_tx *t)
{
	int err;

	err = pt_record_put(t->ctx, t->bdf, &t->j.rec);
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

/* Xen's quarantine (xc_assign_device(DOMID_IO)), once on pciback.  xl
 * returns an error and leaves the device on pciback unquarantined; here
 * the add rolls back, so the device is where it was. */
static int quarantine(struct add_tx *t)
{
	int err;

	if (!t->j.rec.quarantine)
		return 0;
	err = add_step(t, "quarantine");
	if (err)
		return err;
	err = pt_quarantine(t->ctx, t->xc, t->bdf);
	if (err < 0) {
		snprintf(t->what, sizeof(t->what), "cannot put it in Xen's quarantine "
			 "(xc_assign_device to DOMID_IO)");
		return err;
	}
	return 0;
}

/* The udev rules from the records, the new one included. */
static int update_rules(struct add_tx *t)
{
	int err;

	err = add_step(t, "udev");
	if (err)
		return err;
	err = rules(t->ctx);
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
	quarantine,
	update_rules,
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
	pt_info(t->ctx, "%s: assignable (was on %s)%s%s", t->bdf,
		t->cur[0] ? t->cur : "no driver",
		t->j.rec.persist ? ", persistent" : "",
		t->j.rec.quarantine ? ", quarantined" : "");
}

/* A step failed with err: back on the original driver, and the message
 * says what failed and where the device is.  Returns err. */
static int roll_back_add(struct add_tx *t, int err)
{
	char ebuf[PT_ERRBUF], ebuf2[PT_ERRBUF];
	int rb;

	rb = rollback_add(t->ctx, t->xc, &t->j);
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

/*
 * A device on pciback already: quarantined again (as xl does), and its
 * record updated when asked (persistence, name); the record and the rules
 * go back as they were when that fails.
 */
static int add_already(struct add_tx *t)
{
	const struct xenpt_ctx *ctx = t->ctx;
	char ebuf[PT_ERRBUF];
	int err;

	if (!(t->flags & XENPT_ASSIGN_NO_QUARANTINE)) {
		err = pt_xc_ready(ctx, t->xc, LOG_ERR);
		if (!err)
			err = pt_quarantine(ctx, t->xc, t->bdf);
		if (err < 0) {
			pt_err(ctx, "%s: on pciback, but it cannot be quarantined: "
			       "%s; left as it was", t->bdf, pt_serr(-err, ebuf));
			return err;
		}
		t->j.rec.quarantine = t->j.rec.quarantine || err == 0;
	}
	/* no record to keep: someone else's pciback device, as it is */
	if (!t->had_record && !t->j.rec.persist && !t->j.rec.name[0]) {
		pt_info(ctx, "%s: already assignable", t->bdf);
		return 0;
	}
	if (t->had_record && pt_record_same(&t->old, &t->j.rec)) {
		pt_info(ctx, "%s: already assignable", t->bdf);
		return 0;
	}
	err = pt_record_put(ctx, t->bdf, &t->j.rec);
	if (!err) {
		err = rules(ctx);
		if (err) {
			if (t->had_record)
				pt_record_put(ctx, t->bdf, &t->old);
			else
				pt_record_del(ctx, t->bdf);
			rules(ctx);
		}
	}
	if (err)
		pt_err(ctx, "%s: cannot update its record: %s", t->bdf,
		       pt_serr(-err, ebuf));
	else
		pt_info(ctx, "%s: already assignable; record updated%s", t->bdf,
			t->j.rec.persist ? " (persistent)" : "");
	return err;
}

static int add_one(const struct xenpt_ctx *ctx, struct pt_xc *xc,
		   const struct xenpt_bdf *b, unsigned int flags, const char *name,
		   const struct xenpt_bdf *set, size_t nset)
{
	struct add_tx t;
	bool already;
	size_t i;
	int err;

	memset(&t, 0, sizeof(t));
	t.ctx = ctx;
	t.xc = xc;
	t.flags = flags;
	t.name = name;
	t.set = set;
	t.nset = nset;
	err = check_device(&t, b, &already);
	if (err)
		return err;
	if (already)
		return add_already(&t);
	err = check_dom0_use(&t, b);
	if (!err)
		err = check_vfs(&t);
	if (!err)
		err = check_peers(&t);
	if (!err)
		err = check_quarantine(&t);
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

static int remove_one(const struct xenpt_ctx *ctx, struct pt_xc *xc,
		      const struct xenpt_bdf *b, unsigned int flags)
{
	char bdf[XENPT_BDF_STRLEN], cur[XENPT_DRIVER_MAX], what[DESC] = "";
	char ov[XENPT_DRIVER_MAX] = "", ebuf[PT_ERRBUF], ebuf2[PT_ERRBUF];
	struct pt_journal j;
	struct pt_record rec;
	bool have, stuck = false;
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
	if (pt_dev_override(ctx, bdf, ov, sizeof(ov)))
		ov[0] = '\0';
	if (strcmp(cur, PCIBACK) && !have) {
		/* left half-way by another tool: repaired, not refused */
		stuck = !strcmp(ov, PCIBACK) || pt_pciback_has_slot(ctx, bdf) == 1;
		if (!stuck) {
			pt_err(ctx, "%s: not assignable (not bound to pciback)", bdf);
			return -ENODEV;
		}
	}
	if ((flags & XENPT_REMOVE_REBIND) && rec.driver[0] &&
	    strcmp(cur, rec.driver) && !pt_drv_loaded(ctx, rec.driver)) {
		pt_err(ctx, "%s: cannot give it back to %s: driver not loaded "
		       "(modprobe it first); left on %s", bdf, rec.driver,
		       cur[0] ? cur : "no driver");
		return -ENOENT;
	}
	/* quarantined by xenpt: only libxenctrl can give it back to dom0 */
	rec.quarantine = rec.quarantine && !strcmp(cur, PCIBACK);
	if (rec.quarantine) {
		err = pt_xc_ready(ctx, xc, LOG_ERR);
		if (err < 0) {
			pt_err(ctx, "%s: cannot take it out of Xen's quarantine: "
			       "%s; left on pciback", bdf, pt_serr(-err, ebuf));
			return err;
		}
	}
	memset(&j, 0, sizeof(j));
	snprintf(j.op, sizeof(j.op), "remove");
	snprintf(j.bdf, sizeof(j.bdf), "%s", bdf);
	snprintf(j.from, sizeof(j.from), "%s", cur);
	j.rec = rec;
	j.rebind = flags & XENPT_REMOVE_REBIND;
	j.had_record = have;

	err = finish_remove(ctx, xc, &j, what);
	if (!err) {
		if (pt_dev_driver(ctx, bdf, cur, sizeof(cur)))
			cur[0] = '\0';
		if (stuck)
			pt_warn(ctx, "%s: was left %s with driver_override=%s by "
				"another tool; repaired: override cleared, %s%s", bdf,
				j.from[0] ? "on another driver" : "unbound", ov,
				cur[0] ? "now on " : "left unbound", cur);
		else if (j.rebind)
			pt_info(ctx, "%s: given back to %s", bdf,
				cur[0] ? cur : "no driver");
		else
			pt_info(ctx, "%s: removed from pciback, left unbound", bdf);
		return 0;
	}
	rb = rollback_remove(ctx, xc, &j);
	if (!rb)
		pt_err(ctx, "%s: %s: %s; left %s", bdf, what,
		       pt_serr(-err, ebuf), strcmp(j.from, PCIBACK) ?
		       "as it was" : "on pciback");
	else
		pt_err(ctx, "%s: %s: %s; could not put it back on pciback: %s "
		       "(the next xenpt call retries)", bdf, what,
		       pt_serr(-err, ebuf), pt_serr(-rb, ebuf2));
	return err;
}

/* Finishes or rolls back what a crash interrupted, then brings the udev
 * rules in line with the records.  Lock held. */
static int recover_locked(const struct xenpt_ctx *ctx, struct pt_xc *xc)
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
			    pt_record_get(ctx, bdf, &rec) == 0 &&
			    pt_record_same(&rec, &j.rec) &&
			    (!j.rec.quarantine || pt_quarantine(ctx, xc, bdf) >= 0)) {
				/* it got there: finish */
				err = rules(ctx);
				if (!err) {
					err = pt_journal_del(ctx, bdf);
					if (err == -ENOENT)
						err = 0;
				}
				if (!err)
					pt_notice(ctx, "%s: finished an interrupted "
						  "assignable-add", bdf);
			} else {
				err = rollback_add(ctx, xc, &j);
				if (!err)
					pt_notice(ctx, "%s: rolled back an interrupted "
						  "assignable-add: on %s again", bdf,
						  j.from[0] ? j.from : "no driver");
			}
		} else {
			err = finish_remove(ctx, xc, &j, what);
			if (!err) {
				pt_notice(ctx, "%s: finished an interrupted "
					  "assignable-remove", bdf);
			} else {
				err = rollback_remove(ctx, xc, &j);
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
	/* the records are the truth: the rules say what they say */
	return keep(first, rules(ctx));
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
	struct pt_xc xc = { 0 };
	int fd, err;

	if (!ctx)
		return -EINVAL;
	err = lock(ctx, &fd);
	if (err)
		return err;
	err = recover_locked(ctx, &xc);
	pt_xc_release(&xc);
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

#define ADD_FLAGS (XENPT_ASSIGN_FORCE | XENPT_ASSIGN_PERSIST | \
		   XENPT_ASSIGN_STRICT | XENPT_ASSIGN_NO_QUARANTINE | \
		   XENPT_ASSIGN_AS_RECORDED)

static int add_locked(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdfs,
		      size_t count, unsigned int flags, const char *name,
		      int *results)
{
	struct pt_xc xc = { 0 };
	int fd, err, first = 0;
	size_t i;

	if (!(flags & XENPT_ASSIGN_FORCE)) {
		err = xen_can_pass_through(ctx);
		if (err)
			return err;
	}
	err = lock(ctx, &fd);
	if (err)
		return err;
	recover_locked(ctx, &xc);	/* failures logged; other devices go on */
	for (i = 0; i < count; i++) {
		err = add_one(ctx, &xc, &bdfs[i], flags, name, bdfs, count);
		if (results)
			results[i] = err;
		first = keep(first, err);
	}
	pt_xc_release(&xc);
	pt_state_unlock(fd);
	return first;
}

PT_EXPORT int xenpt_assignable_add_many(struct xenpt_ctx *ctx,
					const struct xenpt_bdf *bdfs, size_t count,
					unsigned int flags, int *results)
{
	size_t i;

	if (!ctx || (!bdfs && count) || (flags & ~ADD_FLAGS))
		return -EINVAL;
	for (i = 0; i < count; i++)
		if (bdfs[i].all_fns)
			return -EINVAL;
	return add_locked(ctx, bdfs, count, flags, NULL, results);
}

PT_EXPORT int xenpt_assignable_add(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdf,
				   unsigned int flags)
{
	if (!bdf)
		return -EINVAL;
	return xenpt_assignable_add_many(ctx, bdf, 1, flags, NULL);
}

PT_EXPORT int xenpt_assignable_add_named(struct xenpt_ctx *ctx,
					 const struct xenpt_bdf *bdf,
					 unsigned int flags, const char *name)
{
	if (!ctx || !bdf || bdf->all_fns || (flags & ~ADD_FLAGS) ||
	    (name && !pt_name_valid(name)))
		return -EINVAL;
	return add_locked(ctx, bdf, 1, flags, name, NULL);
}

PT_EXPORT int xenpt_assignable_remove(struct xenpt_ctx *ctx,
				      const struct xenpt_bdf *bdf, unsigned int flags)
{
	struct pt_xc xc = { 0 };
	int fd, err;

	if (!ctx || !bdf || bdf->all_fns || (flags & ~XENPT_REMOVE_REBIND))
		return -EINVAL;
	err = lock(ctx, &fd);
	if (err)
		return err;
	recover_locked(ctx, &xc);
	err = remove_one(ctx, &xc, bdf, flags);
	pt_xc_release(&xc);
	pt_state_unlock(fd);
	return err;
}

PT_EXPORT int xenpt_assignable_find(struct xenpt_ctx *ctx, const char *name,
				    struct xenpt_bdf *bdf)
{
	char (*names)[XENPT_BDF_STRLEN] = NULL;
	struct pt_record rec;
	size_t n = 0, i;
	int err;

	if (!ctx || !name || !bdf)
		return -EINVAL;
	if (!pt_name_valid(name))
		return -ENOENT;
	err = pt_record_names(ctx, &names, &n);
	if (err)
		return err;
	for (i = 0; i < n; i++)
		if (!pt_record_get(ctx, names[i], &rec) && !strcmp(rec.name, name))
			break;
	err = i < n ? xenpt_bdf_parse(names[i], bdf) : -ENOENT;
	free(names);
	return err;
}

/* the devices on pciback and those xenpt remembers, with their records */
static int assigned_fill(const struct xenpt_ctx *ctx, const char *name, void *elem)
{
	struct xenpt_assigned *a = elem;
	char ov[XENPT_DRIVER_MAX];
	struct pt_record rec;

	if (pt_dev_driver(ctx, name, a->cur_driver, sizeof(a->cur_driver))) {
		memset(a, 0, sizeof(*a));
		return 1;
	}
	a->assigned = !strcmp(a->cur_driver, PCIBACK);
	a->known = !pt_record_get(ctx, name, &rec);
	if (!a->assigned && !a->known) {
		memset(a, 0, sizeof(*a));
		return 1;
	}
	xenpt_bdf_parse(name, &a->bdf);
	if (a->known) {
		a->persist = rec.persist;
		a->quarantined = rec.quarantine && a->assigned;
		snprintf(a->driver, sizeof(a->driver), "%s", rec.driver);
		snprintf(a->name, sizeof(a->name), "%s", rec.name);
	}
	if (pt_dev_override(ctx, name, ov, sizeof(ov)))
		ov[0] = '\0';
	a->problems = pt_dev_problems(a->cur_driver, ov, a->known, a->persist);
	return 0;
}

PT_EXPORT int xenpt_assignable_list(struct xenpt_ctx *ctx, struct xenpt_assigned **list,
				    size_t *count)
{
	void *l;
	int err;

	if (!ctx || !list || !count)
		return -EINVAL;
	if (!pt_drv_loaded(ctx, PCIBACK)) {
		pt_err(ctx, "xen-pciback is not loaded (modprobe xen-pciback)");
		return -ENOENT;
	}
	err = pt_dev_collect(ctx, sizeof(**list), assigned_fill, &l, count);
	if (!err)
		*list = l;
	return err;
}
