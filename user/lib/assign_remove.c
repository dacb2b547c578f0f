// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * assignable-remove as a table of steps for the engine (tx.c), after the
 * checks (assign_check.c):
 *
 *   dequarantine  out of Xen's quarantine first, as xl (xenpt's, or
 *                 anyone's that libxenctrl can undo)
 *   unbind        from pciback
 *   override      driver_override cleared
 *   remove_slot   its pciback slot, if it has one
 *   rebind        (XENPT_REMOVE_REBIND) the remembered driver's bind file,
 *                 or a probe when none is remembered
 *   forget        its record
 *   udev          the udev rule file from the records
 *
 * The same table repairs a device another tool left half-way (not on
 * pciback, with driver_override=pciback or a slot) and forgets a device
 * that is gone (hot-removed, a VF destroyed): the steps on sysfs have
 * nothing to do, Xen is asked as best it can be.  Undone in reverse: back
 * on pciback (if it was), quarantined as it was, its record as it was.
 * An interrupted remove is always finished.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tx.h"

static bool present(const struct pt_tx *t)
{
	return !pt_dev_exists(t->ctx, t->bdf);
}

static bool was_on_pciback(const struct pt_tx *t)
{
	return !strcmp(t->j.from, PCIBACK);
}

/* dequarantine: where xenpt put it there, libxenctrl must be there (the
 * checks made sure); otherwise only if it can be asked.  A device that is
 * gone: Xen is asked, and a failure is only said. */
static int dequarantine_run(struct pt_tx *t)
{
	char ebuf[PT_ERRBUF];
	int prio = t->quiet || t->absent ? LOG_DEBUG :
		   t->j.rec.quarantine ? LOG_ERR : LOG_INFO;
	int ready = pt_xc_ready(t->ctx, t->xc, prio), err = ready;

	if (!ready) {
		err = pt_dequarantine(t->ctx, t->xc, t->bdf);
		if (err == 0 && !t->j.rec.quarantine)
			t->j.rec.quarantine = true;	/* xl's: back there on undo */
		if (err >= 0)
			return 0;
	} else if (ready > 0 || !t->j.rec.quarantine) {
		return 0;	/* not Xen; or not xenpt's and cannot be asked */
	}
	if (!present(t)) {
		pt_warn(t->ctx, "%s: Xen may still hold it in its quarantine: %s",
			t->bdf, ready && t->xc->why[0] ? t->xc->why : pt_serr(-err, ebuf));
		return 0;
	}
	return pt_tx_what(t, err, "cannot take it out of Xen's quarantine%s",
			  ready ? "" : " (xc_deassign_device from DOMID_IO)");
}

static int dequarantine_undo(struct pt_tx *t)
{
	int err;

	if (!t->j.rec.quarantine || !present(t) || !pt_dev_on_driver(t->ctx, t->bdf, PCIBACK))
		return 0;
	err = pt_quarantine(t->ctx, t->xc, t->bdf);
	return err < 0 ? err : 0;
}

/* unbind */
static bool unbind_needed(struct pt_tx *t)
{
	return present(t) && pt_dev_on_driver(t->ctx, t->bdf, PCIBACK);
}

static int unbind_run(struct pt_tx *t)
{
	int err = pt_drv_write(t->ctx, PCIBACK, "unbind", t->bdf);

	if (err)
		return pt_tx_what(t, err, "cannot unbind from pciback");
	if (pt_dev_on_driver(t->ctx, t->bdf, PCIBACK))
		return pt_tx_what(t, -EIO, "still on pciback after unbind");
	return 0;
}

/* back on pciback, if it was there (a repair is left as it is) */
static int unbind_undo(struct pt_tx *t)
{
	int err = 0;

	if (!present(t) || !was_on_pciback(t) || pt_dev_on_driver(t->ctx, t->bdf, PCIBACK))
		return 0;
	pt_dev_probe(t->ctx, t->bdf);
	if (!pt_dev_on_driver(t->ctx, t->bdf, PCIBACK))
		err = pt_drv_write(t->ctx, PCIBACK, "bind", t->bdf);
	if (pt_dev_on_driver(t->ctx, t->bdf, PCIBACK))
		return 0;
	return err ? err : -EIO;
}

/* override */
static bool present_needed(struct pt_tx *t)
{
	return present(t);
}

static int override_run(struct pt_tx *t)
{
	int err = pt_dev_clear_override(t->ctx, t->bdf);

	if (err)
		pt_tx_what(t, err, "cannot clear driver_override");
	return err;
}

static int override_undo(struct pt_tx *t)
{
	if (!present(t) || !was_on_pciback(t))
		return 0;
	return pt_dev_write(t->ctx, t->bdf, "driver_override", PCIBACK "\n");
}

/* remove_slot: the journal says it had one */
static bool remove_slot_needed(struct pt_tx *t)
{
	if (!present(t) || pt_pciback_has_slot(t->ctx, t->bdf) != 1)
		return false;
	t->j.slot_removed = true;
	return true;
}

static int remove_slot_run(struct pt_tx *t)
{
	int err = pt_drv_write(t->ctx, PCIBACK, "remove_slot", t->bdf);

	if (err && err != -ENOENT)
		return pt_tx_what(t, err, "cannot remove the pciback slot");
	return 0;
}

static int remove_slot_undo(struct pt_tx *t)
{
	if (!t->j.slot_removed || !present(t) || !was_on_pciback(t) ||
	    pt_pciback_has_slot(t->ctx, t->bdf) != 0)
		return 0;
	return pt_drv_write(t->ctx, PCIBACK, "new_slot", t->bdf);
}

/* rebind */
static bool rebind_needed(struct pt_tx *t)
{
	return present(t) && t->j.rebind;
}

static int rebind_run(struct pt_tx *t)
{
	char cur[XENPT_DRIVER_MAX], ebuf[PT_ERRBUF];
	const char *drv = t->j.rec.driver;
	int err;

	err = pt_dev_driver(t->ctx, t->bdf, cur, sizeof(cur));
	if (err)
		return pt_tx_what(t, err, "cannot read its driver");
	if (cur[0] && strcmp(cur, drv)) {
		/* someone bound it meanwhile: leave it there */
		pt_warn(t->ctx, "%s: now on %s; not giving it to %s", t->bdf, cur,
			drv[0] ? drv : "another driver");
	} else if (drv[0] && strcmp(cur, drv)) {
		err = pt_drv_write(t->ctx, drv, "bind", t->bdf);
		if (err)
			return pt_tx_what(t, err, "cannot bind to %s", drv);
		if (!pt_dev_on_driver(t->ctx, t->bdf, drv))
			return pt_tx_what(t, -EIO, "did not bind to %s", drv);
	} else if (!drv[0] && !cur[0]) {
		/* no remembered driver: whichever the kernel picks */
		err = pt_dev_probe(t->ctx, t->bdf);
		if (err)
			pt_dbg(t->ctx, "%s: drivers_probe: %s", t->bdf, pt_serr(-err, ebuf));
	}
	return 0;
}

/* off the driver it was given, so that pciback can have it back */
static int rebind_undo(struct pt_tx *t)
{
	char cur[XENPT_DRIVER_MAX];

	if (!present(t) || !was_on_pciback(t) ||
	    pt_dev_driver(t->ctx, t->bdf, cur, sizeof(cur)) || !cur[0] ||
	    !strcmp(cur, PCIBACK))
		return 0;
	return pt_drv_write(t->ctx, cur, "unbind", t->bdf);
}

/* forget */
static int forget_run(struct pt_tx *t)
{
	int err = pt_record_del(t->ctx, t->bdf);

	if (err && err != -ENOENT)
		return pt_tx_what(t, err, "cannot update the state directory");
	return 0;
}

static int forget_undo(struct pt_tx *t)
{
	struct pt_record rec;

	if (!t->j.had_record || pt_record_get(t->ctx, t->bdf, &rec) != -ENOENT)
		return 0;
	return pt_record_put(t->ctx, t->bdf, &t->j.rec);
}

/* udev */
static int udev_run(struct pt_tx *t)
{
	int err = pt_tx_rules(t->ctx);

	if (err)
		pt_tx_what(t, err, "cannot update the udev rules");
	return err;
}

static const struct pt_step remove_steps[] = {
	{ "dequarantine", NULL, dequarantine_run, dequarantine_undo },
	{ "unbind", unbind_needed, unbind_run, unbind_undo },
	{ "override", present_needed, override_run, override_undo },
	{ "remove_slot", remove_slot_needed, remove_slot_run, remove_slot_undo },
	{ "rebind", rebind_needed, rebind_run, rebind_undo },
	{ "forget", NULL, forget_run, forget_undo },
	{ "udev", NULL, udev_run, NULL },
};

/* Back on pciback if it was there. */
static int remove_undone(struct pt_tx *t)
{
	if (present(t) && was_on_pciback(t) && !pt_dev_on_driver(t->ctx, t->bdf, PCIBACK))
		return -EIO;
	return 0;
}

static void remove_where(const struct pt_tx *t, enum pt_where w, char *buf,
			 size_t size)
{
	const char *place = was_on_pciback(t) ? "on pciback" : "as it was";

	switch (w) {
	case PT_NOTHING_DONE:
		snprintf(buf, size, "nothing changed, left %s", place);
		break;
	case PT_UNDONE:
		snprintf(buf, size, "left %s", place);
		break;
	case PT_NOT_UNDONE:
		snprintf(buf, size, "could not put it back on pciback");
		break;
	}
}

const struct pt_op pt_assign_remove_op = {
	.name = "remove",
	.steps = remove_steps,
	.nsteps = sizeof(remove_steps) / sizeof(remove_steps[0]),
	.finish_from = NULL,		/* always finished */
	.undone = remove_undone,
	.where = remove_where,
};

void pt_assign_remove_intent(struct pt_tx *t)
{
	snprintf(t->j.from, sizeof(t->j.from), "%s", t->cur);
	t->j.rebind = t->flags & XENPT_REMOVE_REBIND;
	t->j.had_record = t->had_record;
	t->j.rec = t->old;
}
