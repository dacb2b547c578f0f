// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * assignable-add as a table of steps for the engine (tx.c), after the
 * checks (assign_check.c):
 *
 *   record      the original driver, persistence, name, quarantine
 *   override    driver_override=pciback: the next probe is pciback's
 *   unbind      from its driver, if it has one
 *   probe       drivers_probe: pciback takes it through driver_override
 *   new_slot    a pciback that ignores driver_override (Linux < 4.16):
 *   bind          a slot (new_slot), then pciback's bind
 *   verify      the driver link says pciback
 *   quarantine  Xen's quarantine (xc_assign_device(DOMID_IO)), as xl
 *   udev        the udev rule file from the records
 *
 * Undone in reverse: out of the quarantine, off pciback, no slot added
 * left, driver_override cleared and the original driver bound again
 * (unbind's undo), the record as it was.  A crash once the device is
 * verified on pciback is finished by the next call; before, rolled back.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tx.h"

static bool present(const struct pt_tx *t)
{
	return !pt_dev_exists(t->ctx, t->bdf);
}

static bool on_pciback(const struct pt_tx *t)
{
	return pt_dev_on_driver(t->ctx, t->bdf, PCIBACK);
}

/* Off pciback, if it is on it (the undo of what made it pciback's). */
static int off_pciback(struct pt_tx *t)
{
	int err;

	if (!present(t) || !on_pciback(t))
		return 0;
	err = pt_drv_write(t->ctx, PCIBACK, "unbind", t->bdf);
	if (!err && on_pciback(t))
		err = -EIO;
	return err;
}

/* record */
static int record_run(struct pt_tx *t)
{
	int err = pt_record_put(t->ctx, t->bdf, &t->j.rec);

	if (err)
		pt_tx_what(t, err, "cannot remember its driver in %s",
			   t->ctx->dirs[XENPT_DIR_STATE]);
	return err;
}

static int record_undo(struct pt_tx *t)
{
	int err;

	if (t->j.had_record)
		return pt_record_put(t->ctx, t->bdf, &t->j.old);
	err = pt_record_del(t->ctx, t->bdf);
	return err == -ENOENT ? 0 : err;
}

/* override */
static int override_run(struct pt_tx *t)
{
	int err = pt_dev_write(t->ctx, t->bdf, "driver_override", PCIBACK "\n");

	if (err)
		pt_tx_what(t, err, "cannot set driver_override");
	return err;
}

static int override_undo(struct pt_tx *t)
{
	return present(t) ? pt_dev_clear_override(t->ctx, t->bdf) : 0;
}

/* unbind */
static bool unbind_needed(struct pt_tx *t)
{
	return t->j.from[0] && strcmp(t->j.from, PCIBACK);
}

static int unbind_run(struct pt_tx *t)
{
	int err = pt_drv_write(t->ctx, t->j.from, "unbind", t->bdf);

	if (err)
		return pt_tx_what(t, err, "cannot unbind from %s", t->j.from);
	if (pt_dev_on_driver(t->ctx, t->bdf, t->j.from))
		return pt_tx_what(t, -EIO, "still on %s after unbind", t->j.from);
	return 0;
}

/* The original driver again: off pciback (the later undos did it), no
 * driver_override (the kernel binds nothing else while it is set), then
 * its driver's bind file, else a probe. */
static int unbind_undo(struct pt_tx *t)
{
	char cur[XENPT_DRIVER_MAX];
	const char *from = t->j.from;
	int err;

	if (!present(t))
		return 0;
	err = off_pciback(t);
	if (!err)
		err = pt_dev_clear_override(t->ctx, t->bdf);
	if (!err)
		err = pt_dev_driver(t->ctx, t->bdf, cur, sizeof(cur));
	if (err || !from[0] || !strcmp(from, PCIBACK) || !strcmp(cur, from))
		return err;
	if (cur[0])
		pt_drv_write(t->ctx, cur, "unbind", t->bdf);	/* someone else's */
	err = pt_drv_write(t->ctx, from, "bind", t->bdf);
	if (!pt_dev_on_driver(t->ctx, t->bdf, from))
		pt_dev_probe(t->ctx, t->bdf);	/* the kernel matches it */
	if (pt_dev_on_driver(t->ctx, t->bdf, from))
		return 0;
	return err ? err : -EIO;
}

/* probe: its error does not matter, verify looks at the result */
static int probe_run(struct pt_tx *t)
{
	char ebuf[PT_ERRBUF];
	int err = pt_dev_probe(t->ctx, t->bdf);

	if (err)
		pt_dbg(t->ctx, "%s: drivers_probe: %s", t->bdf, pt_serr(-err, ebuf));
	return 0;
}

/* new_slot: only where driver_override did not do it; the journal says
 * that the slot is ours to remove */
static bool new_slot_needed(struct pt_tx *t)
{
	if (on_pciback(t) || pt_pciback_has_slot(t->ctx, t->bdf) == 1)
		return false;
	pt_dbg(t->ctx, "%s: not taken by driver_override; binding by slot", t->bdf);
	t->j.slot_added = true;
	return true;
}

static int new_slot_run(struct pt_tx *t)
{
	int err = pt_drv_write(t->ctx, PCIBACK, "new_slot", t->bdf);

	if (err)
		pt_tx_what(t, err, "cannot add a pciback slot");
	return err;
}

static int new_slot_undo(struct pt_tx *t)
{
	int err;

	if (!t->j.slot_added || !present(t) || pt_pciback_has_slot(t->ctx, t->bdf) != 1)
		return 0;
	err = off_pciback(t);
	if (!err)
		err = pt_drv_write(t->ctx, PCIBACK, "remove_slot", t->bdf);
	return err == -ENOENT ? 0 : err;
}

/* bind */
static bool bind_needed(struct pt_tx *t)
{
	return !on_pciback(t);
}

static int bind_run(struct pt_tx *t)
{
	int err = pt_drv_write(t->ctx, PCIBACK, "bind", t->bdf);

	if (err)
		pt_tx_what(t, err, "cannot bind to pciback");
	return err;
}

/* verify */
static int verify_run(struct pt_tx *t)
{
	if (on_pciback(t))
		return 0;
	return pt_tx_what(t, -EIO, "did not bind to pciback");
}

/* quarantine: xl returns an error and leaves the device on pciback
 * unquarantined; here the add is undone, so the device is where it was */
static bool quarantine_needed(struct pt_tx *t)
{
	return t->j.rec.quarantine;
}

static int quarantine_run(struct pt_tx *t)
{
	int err;

	if (!on_pciback(t))
		return pt_tx_what(t, -EIO, "not on pciback any more");
	err = pt_quarantine(t->ctx, t->xc, t->bdf);
	if (err < 0)
		return pt_tx_what(t, err, "cannot put it in Xen's quarantine "
				  "(xc_assign_device to DOMID_IO)");
	return 0;
}

/* out of the quarantine before dom0's driver gets it back */
static int quarantine_undo(struct pt_tx *t)
{
	int err;

	if (!t->j.rec.quarantine || !present(t))
		return 0;
	err = pt_xc_ready(t->ctx, t->xc, t->quiet ? LOG_DEBUG : LOG_ERR);
	if (!err)
		err = pt_dequarantine(t->ctx, t->xc, t->bdf);
	return err < 0 ? err : 0;
}

/* udev */
static int udev_run(struct pt_tx *t)
{
	int err = pt_tx_rules(t->ctx);

	if (err)
		pt_tx_what(t, err, "cannot write the udev rule");
	return err;
}

static const struct pt_step add_steps[] = {
	{ "record", NULL, record_run, record_undo },
	{ "override", NULL, override_run, override_undo },
	{ "unbind", unbind_needed, unbind_run, unbind_undo },
	{ "probe", NULL, probe_run, off_pciback },
	{ "new_slot", new_slot_needed, new_slot_run, new_slot_undo },
	{ "bind", bind_needed, bind_run, off_pciback },
	{ "verify", NULL, verify_run, NULL },
	{ "quarantine", quarantine_needed, quarantine_run, quarantine_undo },
	{ "udev", NULL, udev_run, NULL },
};

/* Back where it was: on its driver (or none), no driver_override, no slot
 * of ours; a device gone meanwhile is forgotten. */
static int add_undone(struct pt_tx *t)
{
	char cur[XENPT_DRIVER_MAX], ov[XENPT_DRIVER_MAX];
	int err;

	if (!present(t)) {
		pt_warn(t->ctx, "%s: the device is gone; forgetting it", t->bdf);
		return 0;
	}
	err = pt_dev_driver(t->ctx, t->bdf, cur, sizeof(cur));
	if (err)
		return err;
	if (t->j.from[0] ? strcmp(cur, t->j.from) : !strcmp(cur, PCIBACK))
		return -EIO;
	if (!pt_dev_override(t->ctx, t->bdf, ov, sizeof(ov)) && ov[0])
		return -EIO;
	if (t->j.slot_added && pt_pciback_has_slot(t->ctx, t->bdf) == 1)
		return -EIO;
	return 0;
}

static void add_where(const struct pt_tx *t, enum pt_where w, char *buf, size_t size)
{
	const char *drv = t->j.from[0] ? t->j.from : "no driver";

	switch (w) {
	case PT_NOTHING_DONE:
		snprintf(buf, size, "nothing changed, still on %s", drv);
		break;
	case PT_UNDONE:
		snprintf(buf, size, "put back on %s", t->j.from[0] ? t->j.from :
			 "no driver, as it was");
		break;
	case PT_NOT_UNDONE:
		snprintf(buf, size, "could not put it back on %s", drv);
		break;
	}
}

const struct pt_op pt_assign_add_op = {
	.name = "add",
	.steps = add_steps,
	.nsteps = sizeof(add_steps) / sizeof(add_steps[0]),
	.finish_from = "quarantine",	/* verified on pciback */
	.undone = add_undone,
	.where = add_where,
};

void pt_assign_add_intent(struct pt_tx *t)
{
	snprintf(t->j.from, sizeof(t->j.from), "%s", t->cur);
	t->j.had_record = t->had_record;
	if (t->had_record)
		t->j.old = t->old;
}

int pt_assign_add_again(struct pt_tx *t)
{
	const struct xenpt_ctx *ctx = t->ctx;
	char ebuf[PT_ERRBUF];
	int err;

	if (!(t->flags & XENPT_ASSIGN_NO_QUARANTINE)) {
		err = pt_xc_ready(ctx, t->xc, t->quiet ? LOG_DEBUG : LOG_ERR);
		if (!err)
			err = pt_quarantine(ctx, t->xc, t->bdf);
		if (err < 0)
			return pt_tx_fail(t, err, "on pciback, but it cannot be "
					  "quarantined: %s; left as it was",
					  t->xc->why[0] ? t->xc->why : pt_serr(-err, ebuf));
		t->j.rec.quarantine = t->j.rec.quarantine || err == 0;
	}
	/* no record to keep: someone else's pciback device, as it is */
	if ((!t->had_record && !t->j.rec.persist && !t->j.rec.name[0]) ||
	    (t->had_record && pt_record_same(&t->old, &t->j.rec))) {
		pt_info(ctx, "%s: already assignable", t->bdf);
		return 0;
	}
	err = pt_record_put(ctx, t->bdf, &t->j.rec);
	if (!err) {
		err = pt_tx_rules(ctx);
		if (err) {
			if (t->had_record)
				pt_record_put(ctx, t->bdf, &t->old);
			else
				pt_record_del(ctx, t->bdf);
			pt_tx_rules(ctx);
		}
	}
	if (err)
		return pt_tx_fail(t, err, "cannot update its record: %s",
				  pt_serr(-err, ebuf));
	pt_info(ctx, "%s: already assignable; record updated%s", t->bdf,
		t->j.rec.persist ? " (persistent)" : "");
	return 0;
}
