// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The transaction engine of assignment: one device, one operation (add,
 * remove), a table of steps (struct pt_op, tx.h).
 *
 *   run:      for each step that is needed: its journal record
 *             (journal/BDF: the operation, the step about to run, what is
 *             needed to undo it), then the step;  done: the journal goes.
 *   failure:  every step from the failing one down is undone (each undo
 *             looks at the state, so undoing a step that never ran is
 *             harmless); the operation checks the device is where it
 *             started; the udev rules follow the records again; the
 *             journal goes.  An undo that fails leaves the journal: the
 *             next call retries.
 *   recovery: a journal left by a crash names the operation and its step:
 *             from the operation's finish_from step on, the rest of the
 *             steps are run (finish); before it, it is undone (roll back);
 *             in the middle of an undo, undone.
 *
 * The journal is the state directory's (state.c: atomic replace, fsync);
 * callers hold its lock.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tx.h"

int pt_tx_rules(const struct xenpt_ctx *ctx)
{
	return xenpt_udev_rules_update((struct xenpt_ctx *)ctx);
}

int pt_tx_what(struct pt_tx *t, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->what, sizeof(t->what), fmt, ap);
	va_end(ap);
	return err;
}

int pt_tx_fail(struct pt_tx *t, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->reason, sizeof(t->reason), fmt, ap);
	va_end(ap);
	return err;
}

void pt_tx_note(struct pt_tx *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->reason, sizeof(t->reason), fmt, ap);
	va_end(ap);
}

static int journal(struct pt_tx *t, const char *step)
{
	snprintf(t->j.step, sizeof(t->j.step), "%s", step);
	return pt_journal_put(t->ctx, &t->j);
}

/* The journal goes; failing to remove it is harmless (the next call
 * finds the work done). */
static void journal_done(struct pt_tx *t)
{
	char ebuf[PT_ERRBUF];
	int err = pt_journal_del(t->ctx, t->bdf);

	if (err && err != -ENOENT)
		pt_warn(t->ctx, "%s: cannot remove the journal: %s (harmless)", t->bdf,
			pt_serr(-err, ebuf));
}

/* Undoes steps [0, upto) from the last down; then the device must be
 * where it started, the rules follow the records, the journal goes. */
static int undo(struct pt_tx *t, const struct pt_op *op, size_t upto)
{
	size_t i;
	int err;

	journal(t, "rollback");		/* best effort: it may be what failed */
	for (i = upto; i-- > 0;) {
		if (!op->steps[i].undo)
			continue;
		err = op->steps[i].undo(t);
		if (err)
			return err;
	}
	err = op->undone ? op->undone(t) : 0;
	if (!err)
		err = pt_tx_rules(t->ctx);
	if (!err) {
		err = pt_journal_del(t->ctx, t->bdf);
		if (err == -ENOENT)
			err = 0;
	}
	return err;
}

/* Runs steps [from, nsteps); on a failure undoes: 0 or -errno, the
 * reason said. */
static int run_from(struct pt_tx *t, const struct pt_op *op, size_t from,
		    bool first_changes)
{
	char where[160], ebuf[PT_ERRBUF], ebuf2[PT_ERRBUF];
	bool nothing_yet = first_changes;
	size_t i;
	int err, rb;

	for (i = from; i < op->nsteps; i++) {
		const struct pt_step *s = &op->steps[i];

		if (s->needed && !s->needed(t))
			continue;
		t->what[0] = '\0';
		err = journal(t, s->name);
		if (err && nothing_yet) {
			/* the intent could not be written: nothing changed */
			pt_journal_del(t->ctx, t->bdf);
			op->where(t, PT_NOTHING_DONE, where, sizeof(where));
			return pt_tx_fail(t, err, "cannot write the journal in %s: %s; %s",
					  t->ctx->dirs[XENPT_DIR_STATE],
					  pt_serr(-err, ebuf), where);
		}
		nothing_yet = false;
		if (err)
			pt_tx_what(t, err, "cannot write the journal");
		else
			err = s->run(t);
		if (err)
			goto fail;
	}
	journal_done(t);
	return 0;
fail:
	rb = undo(t, op, i + 1);
	op->where(t, rb ? PT_NOT_UNDONE : PT_UNDONE, where, sizeof(where));
	if (!rb)
		return pt_tx_fail(t, err, "%s: %s; %s", t->what, pt_serr(-err, ebuf), where);
	return pt_tx_fail(t, err, "%s: %s; %s: %s (the next xenpt call retries)",
			  t->what, pt_serr(-err, ebuf), where, pt_serr(-rb, ebuf2));
}

int pt_tx_run(struct pt_tx *t, const struct pt_op *op)
{
	snprintf(t->j.op, sizeof(t->j.op), "%s", op->name);
	snprintf(t->j.bdf, sizeof(t->j.bdf), "%s", t->bdf);
	return run_from(t, op, 0, true);
}

int pt_tx_recover(const struct xenpt_ctx *ctx, struct pt_xc *xc, const char *bdf)
{
	struct pt_tx t;
	const struct pt_op *op;
	char ebuf[PT_ERRBUF];
	size_t k, finish;
	int err;

	memset(&t, 0, sizeof(t));
	t.ctx = ctx;
	t.xc = xc;
	snprintf(t.bdf, sizeof(t.bdf), "%s", bdf);
	err = pt_journal_get(ctx, bdf, &t.j);
	if (err == -ENOENT)
		return 0;
	if (err) {
		pt_warn(ctx, "%s: unreadable journal (%s); removing it", bdf,
			pt_serr(-err, ebuf));
		pt_journal_del(ctx, bdf);
		return 0;
	}
	op = !strcmp(t.j.op, "add") ? &pt_assign_add_op : &pt_assign_remove_op;
	snprintf(t.cur, sizeof(t.cur), "%s", t.j.from);
	t.had_record = t.j.had_record;
	t.old = t.j.old;
	if (t.j.rebind)
		t.flags |= XENPT_REMOVE_REBIND;
	t.absent = pt_dev_exists(ctx, bdf) != 0;
	for (k = 0; k < op->nsteps && strcmp(op->steps[k].name, t.j.step); k++)
		;
	for (finish = 0; op->finish_from && finish < op->nsteps &&
	     strcmp(op->steps[finish].name, op->finish_from); finish++)
		;
	if (k < op->nsteps && k >= finish) {
		err = run_from(&t, op, k, false);
		if (!err) {
			pt_notice(ctx, "%s: finished an interrupted assignable-%s", bdf, op->name);
			return 0;
		}
	} else {
		/* before the point of no return, or in the middle of a
		 * rollback: undo all of it */
		err = undo(&t, op, op->nsteps);
		if (!err) {
			op->where(&t, PT_UNDONE, t.what, sizeof(t.what));
			pt_notice(ctx, "%s: rolled back an interrupted assignable-%s: %s",
				  bdf, op->name, t.what);
			return 0;
		}
		pt_tx_fail(&t, err, "%s", pt_serr(-err, ebuf));
	}
	pt_err(ctx, "%s: cannot recover the interrupted %s: %s", bdf, op->name, t.reason);
	return err;
}
