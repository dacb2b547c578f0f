// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The checks of assignable-add and assignable-remove: they change nothing,
 * and whatever they refuse is refused before the first journal record, so
 * that a refused device is untouched (driver, driver_override, pciback
 * slots, quarantine, record, udev rule).
 *
 * add:    the device (one function, present, no unfinished operation, its
 *         driver), its kind (endpoints only, with an SBDF: whatever the
 *         flags), its record and name; then, unless it is on pciback
 *         already: pciback loaded, dom0's use (usage.c; --force), its
 *         SR-IOV VFs (unbinding a PF destroys them), its isolation
 *         (isolation.c; --strict refuses), the quarantine's libxenctrl.
 * remove: the device (or the record of one that is gone), its record or
 *         a state to repair, the driver to give it back to, the
 *         quarantine's libxenctrl where xenpt quarantined it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tx.h"

/* Appends "; "-separated items to a fixed buffer (truncating). */
static void list_add(char *buf, size_t size, const char *fmt, ...) PT_PRINTF(3, 4);
static void list_add(char *buf, size_t size, const char *fmt, ...)
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

/* No unfinished operation on it (crash recovery ran first). */
static int no_journal(struct pt_tx *t)
{
	struct pt_journal j;

	if (pt_journal_get(t->ctx, t->bdf, &j) == -ENOENT)
		return 0;
	return pt_tx_fail(t, -EBUSY, "an interrupted operation on it could not be "
			  "finished (see the messages before); fix that first");
}

/* Its record, a corrupt one counting as none. */
static void read_record(struct pt_tx *t)
{
	int err = pt_record_get(t->ctx, t->bdf, &t->old);

	if (err == -EBADMSG)
		pt_warn(t->ctx, "%s: its record in %s is corrupt; ignoring it", t->bdf,
			t->ctx->dirs[XENPT_DIR_STATE]);
	t->had_record = err == 0;
	if (!t->had_record)
		memset(&t->old, 0, sizeof(t->old));
}

/* --- add ------------------------------------------------------------------ */

static int check_kind(struct pt_tx *t)
{
	struct xenpt_device_kind k;
	char ebuf[PT_ERRBUF];
	int err = pt_kind_of(t->ctx, t->bdf, &k);

	if (err)
		return pt_tx_fail(t, err, "cannot tell what it is: %s", pt_serr(-err, ebuf));
	if (k.kind == XENPT_KIND_NO_SBDF)
		return pt_tx_fail(t, -ERANGE, "%s", k.reason);
	if (k.kind != XENPT_KIND_ENDPOINT)
		return pt_tx_fail(t, -EINVAL, "%s", k.reason);
	return 0;
}

/* Records with the name, other than this device's: -EEXIST. */
static int check_name(struct pt_tx *t)
{
	char (*names)[XENPT_BDF_STRLEN] = NULL;
	struct pt_record rec;
	size_t n = 0, i;
	int err;

	if (!t->name)
		return 0;
	if (!pt_name_valid(t->name))
		return pt_tx_fail(t, -EINVAL, "invalid name \"%s\" (1..%d printable "
				  "characters, none of , = @ : / *)", t->name,
				  XENPT_NAME_MAX);
	err = pt_record_names(t->ctx, &names, &n);
	if (err)
		return pt_tx_fail(t, err, "cannot read the records");
	for (i = 0; i < n; i++)
		if (strcmp(names[i], t->bdf) && !pt_record_get(t->ctx, names[i], &rec) &&
		    !strcmp(rec.name, t->name))
			break;
	if (i < n)
		err = pt_tx_fail(t, -EEXIST, "the name \"%s\" is %s's already", t->name,
				 names[i]);
	free(names);
	return err;
}

/* The record it will have: what it had, unless told otherwise. */
static void new_record(struct pt_tx *t, bool again)
{
	struct pt_record *r = &t->j.rec;

	snprintf(r->driver, sizeof(r->driver), "%s", t->cur[0] && !again ? t->cur :
		 t->had_record ? t->old.driver : "");
	r->persist = (t->flags & XENPT_ASSIGN_PERSIST) || (t->had_record && t->old.persist);
	snprintf(r->name, sizeof(r->name), "%s", t->name ? t->name :
		 t->had_record ? t->old.name : "");
	r->quarantine = again && t->had_record && t->old.quarantine;
	/* the boot's add: into the quarantine only if it was added so */
	if ((t->flags & XENPT_ASSIGN_AS_RECORDED) && t->had_record && !t->old.quarantine)
		t->flags |= XENPT_ASSIGN_NO_QUARANTINE;
}

static int check_dom0_use(struct pt_tx *t)
{
	char why[XENPT_REASON_MAX - 64], ebuf[PT_ERRBUF];
	struct pt_reasons r = { why, sizeof(why), 0, 0 };
	int err;

	if (t->flags & XENPT_ASSIGN_FORCE)
		return 0;
	why[0] = '\0';
	err = pt_usage_of(t->ctx, t->bdf, &r);
	if (err > 0)
		return pt_tx_fail(t, -EBUSY, "in use by dom0: %s (--force to assign "
				  "it anyway)", why);
	if (err < 0)
		return pt_tx_fail(t, err, "cannot tell whether dom0 uses it: %s",
				  pt_serr(-err, ebuf));
	return 0;
}

/* The VFs of a PF, sorted by what unbinding the PF does to their users. */
struct vfs {
	const struct xenpt_ctx *ctx;
	char used[384];		/* "BDF (why); ..." */
	char bound[256];	/* "BDF (driver); ..." */
	int nused, nbound, nall;
};

static int check_vf(void *data, const char *vf)
{
	struct vfs *v = data;
	char drv[XENPT_DRIVER_MAX], reason[256];
	struct pt_reasons r = { reason, sizeof(reason), 0, 0 };

	v->nall++;
	if (pt_dev_driver(v->ctx, vf, drv, sizeof(drv)))
		return 0;
	reason[0] = '\0';
	if (!strcmp(drv, PCIBACK)) {
		v->nused++;
		list_add(v->used, sizeof(v->used), "%s (on pciback: assignable, "
			 "maybe in a guest)", vf);
	} else if (pt_usage_of(v->ctx, vf, &r) > 0) {
		v->nused++;
		list_add(v->used, sizeof(v->used), "%s (%s: %s)", vf,
			 drv[0] ? drv : "no driver", reason);
	} else if (drv[0]) {
		v->nbound++;
		list_add(v->bound, sizeof(v->bound), "%s (%s)", vf, drv);
	}
	return 0;
}

/*
 * An SR-IOV PF: unbinding its driver destroys its VFs.  VFs that dom0 uses
 * or that are on pciback (given to a guest, or to be) make the PF in use:
 * -EBUSY unless forced, and always with --strict; VFs merely bound to a
 * driver are reported (--strict refuses).
 */
static int check_vfs(struct pt_tx *t)
{
	bool strict = t->flags & XENPT_ASSIGN_STRICT;
	struct vfs v;

	if (!t->cur[0])
		return 0;
	memset(&v, 0, sizeof(v));
	v.ctx = t->ctx;
	pt_dev_vfs(t->ctx, t->bdf, check_vf, &v);
	if (v.nused) {
		if (strict || !(t->flags & XENPT_ASSIGN_FORCE))
			return pt_tx_fail(t, -EBUSY, "in use: unbinding it from %s "
					  "destroys its SR-IOV virtual functions, and %s "
					  "used: %s (%s)", t->cur,
					  v.nused > 1 ? "these are" : "this one is", v.used,
					  strict ? "--strict" : "--force to assign it anyway");
		pt_warn(t->ctx, "%s: unbinding it from %s destroys its SR-IOV virtual "
			"functions, in use: %s (forced)", t->bdf, t->cur, v.used);
	}
	if (v.nbound) {
		if (strict)
			return pt_tx_fail(t, -EBUSY, "%d virtual function%s would go "
					  "(--strict): unbinding it from %s destroys its "
					  "SR-IOV virtual functions, bound to dom0 drivers: "
					  "%s", v.nbound, v.nbound > 1 ? "s" : "", t->cur,
					  v.bound);
		pt_warn(t->ctx, "%s: unbinding it from %s destroys its SR-IOV virtual "
			"functions, bound to dom0 drivers: %s", t->bdf, t->cur, v.bound);
	} else if (v.nall && !v.nused) {
		pt_info(t->ctx, "%s: its %d unused virtual function%s will go", t->bdf,
			v.nall, v.nall > 1 ? "s" : "");
	}
	return 0;
}

static bool in_set(const struct pt_tx *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nset; i++)
		if (!strcmp(t->set[i], name))
			return true;
	return false;
}

/*
 * The devices it is not (provably) isolated from that stay dom0's (bound
 * to another driver than pciback; those assigned with it, unbound or on
 * pciback are no obstacle): warnings, or with --strict a refusal naming
 * them.  Isolation that cannot be told counts as not proven.
 */
static int check_isolation(struct pt_tx *t)
{
	bool strict = t->flags & XENPT_ASSIGN_STRICT;
	char sure[384] = "", unsure[384] = "", ebuf[PT_ERRBUF];
	struct pt_isolation iso;
	int nsure = 0, nunsure = 0, err;
	size_t i, k;

	err = pt_isolation_of(t->ctx, t->bdf, &iso);
	if (err) {
		if (strict)
			return pt_tx_fail(t, -EBUSY, "cannot tell whether it is "
					  "isolated: %s (--strict)", pt_serr(-err, ebuf));
		pt_warn(t->ctx, "%s: cannot tell whether it is isolated: %s", t->bdf,
			pt_serr(-err, ebuf));
		return 0;
	}
	for (i = 0; i < iso.n; i++) {
		const struct pt_peer *p = &iso.peers[i];
		char drv[XENPT_DRIVER_MAX];

		for (k = 0; k < i && strcmp(iso.peers[k].name, p->name); k++)
			;
		if (k < i || in_set(t, p->name) ||
		    pt_dev_driver(t->ctx, p->name, drv, sizeof(drv)) ||
		    !drv[0] || !strcmp(drv, PCIBACK))
			continue;
		if (p->unsure) {
			nunsure++;
			list_add(unsure, sizeof(unsure), "%s (driver %s)", p->name, drv);
			if (!strict)
				pt_warn(t->ctx, "%s: cannot tell whether it is isolated: "
					"%s: %s %s (driver %s)", t->bdf, iso.unknown,
					p->name, p->why, drv);
		} else {
			nsure++;
			list_add(sure, sizeof(sure), "%s %s (driver %s)", p->name, p->why, drv);
			if (!strict)
				pt_warn(t->ctx, "%s: %s %s and is not assignable (driver %s)",
					t->bdf, p->name, p->why, drv);
		}
	}
	if (strict && nsure)
		err = pt_tx_fail(t, -EBUSY, "%d related device%s not assignable "
				 "(--strict): %s", nsure, nsure > 1 ? "s are" : " is", sure);
	else if (strict && nunsure)
		err = pt_tx_fail(t, -EBUSY, "cannot tell whether it is isolated: %s "
				 "(--strict): %s may reach it", iso.unknown, unsure);
	pt_isolation_free(&iso);
	return err;
}

/* Whether it goes to Xen's quarantine, with libxenctrl loaded now, before
 * anything changes: -ELIBACC (and the like) when it cannot be. */
static int check_quarantine(struct pt_tx *t)
{
	const char *drv = t->cur[0] ? t->cur : "no driver";
	int err;

	if (t->flags & XENPT_ASSIGN_NO_QUARANTINE)
		return 0;
	err = pt_xc_ready(t->ctx, t->xc, t->quiet ? LOG_DEBUG : LOG_ERR);
	if (err < 0) {
		if (t->quiet)
			return pt_tx_fail(t, err, "not assigned, still on %s: it cannot "
					  "be quarantined: %s", drv, t->xc->why);
		return pt_tx_fail(t, err, "not assigned: it cannot be quarantined; "
				  "still on %s", drv);
	}
	t->j.rec.quarantine = err == 0;
	return 0;
}

static int check_pciback(struct pt_tx *t)
{
	if (pt_drv_loaded(t->ctx, PCIBACK))
		return 0;
	return pt_tx_fail(t, -ENOENT, "xen-pciback is not loaded (modprobe xen-pciback)");
}

/* Those of a device not on pciback yet, in order. */
static int (*const add_checks[])(struct pt_tx *t) = {
	check_pciback,
	check_dom0_use,
	check_vfs,
	check_isolation,
	check_quarantine,
};

int pt_assign_check_add(struct pt_tx *t, bool *again)
{
	char ebuf[PT_ERRBUF];
	size_t i;
	int err;

	*again = false;
	err = no_journal(t);
	if (err)
		return err;
	err = pt_dev_driver(t->ctx, t->bdf, t->cur, sizeof(t->cur));
	if (err == -ENODEV)
		return pt_tx_fail(t, err, "no such PCI device");
	if (err)
		return pt_tx_fail(t, err, "cannot read its driver: %s", pt_serr(-err, ebuf));
	err = check_kind(t);
	if (!err) {
		read_record(t);
		err = check_name(t);
	}
	if (err)
		return err;
	*again = !strcmp(t->cur, PCIBACK);
	new_record(t, *again);
	if (*again)
		return 0;
	for (i = 0; i < sizeof(add_checks) / sizeof(add_checks[0]); i++) {
		err = add_checks[i](t);
		if (err)
			return err;
	}
	pt_assign_add_intent(t);
	return 0;
}

/* --- remove -------------------------------------------------------------- */

int pt_assign_check_remove(struct pt_tx *t)
{
	char ebuf[PT_ERRBUF];
	int err;

	err = no_journal(t);
	if (err)
		return err;
	read_record(t);
	err = pt_dev_driver(t->ctx, t->bdf, t->cur, sizeof(t->cur));
	if (err == -ENODEV && t->had_record) {
		/* gone (hot-removed, a VF destroyed): forgotten */
		t->absent = true;
		t->cur[0] = '\0';
		pt_assign_remove_intent(t);
		return 0;
	}
	if (err == -ENODEV)
		return pt_tx_fail(t, err, "no such PCI device");
	if (err)
		return pt_tx_fail(t, err, "cannot read its driver: %s", pt_serr(-err, ebuf));
	if (pt_dev_override(t->ctx, t->bdf, t->ov, sizeof(t->ov)))
		t->ov[0] = '\0';
	if (strcmp(t->cur, PCIBACK) && !t->had_record) {
		/* left half-way by another tool: repaired, not refused */
		t->stuck = !strcmp(t->ov, PCIBACK) ||
			   pt_pciback_has_slot(t->ctx, t->bdf) == 1;
		if (!t->stuck)
			return pt_tx_fail(t, -ENODEV, "not assignable (not bound to "
					  "pciback)");
	}
	if ((t->flags & XENPT_REMOVE_REBIND) && t->old.driver[0] &&
	    strcmp(t->cur, t->old.driver) && !pt_drv_loaded(t->ctx, t->old.driver))
		return pt_tx_fail(t, -ENOENT, "cannot give it back to %s: driver not "
				  "loaded (modprobe it first); left on %s",
				  t->old.driver, t->cur[0] ? t->cur : "no driver");
	/* quarantined by xenpt: only libxenctrl can give it back to dom0 */
	t->old.quarantine = t->old.quarantine && !strcmp(t->cur, PCIBACK);
	if (t->old.quarantine) {
		err = pt_xc_ready(t->ctx, t->xc, t->quiet ? LOG_DEBUG : LOG_ERR);
		if (err < 0)
			return pt_tx_fail(t, err, "cannot take it out of Xen's "
					  "quarantine: %s; left on pciback",
					  t->quiet && t->xc->why[0] ? t->xc->why :
					  pt_serr(-err, ebuf));
	}
	pt_assign_remove_intent(t);
	return 0;
}
