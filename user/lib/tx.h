/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The transaction engine of assignment (tx.c) and the operations it runs:
 * add (assign_add.c) and remove (assign_remove.c), each a table of steps;
 * the checks that come first and change nothing (assign_check.c); the
 * public calls (assign.c).  Hidden, as internal.h.
 */
#ifndef XENPT_TX_H
#define XENPT_TX_H

#include "internal.h"

struct pt_tx;

/*
 * One step of an operation.  run() changes one thing, idempotently (only
 * what the sysfs state says is still to do); 0, or -errno with the failure
 * said (pt_tx_what()).  undo() puts back what run() may have done, looking
 * at the state, never assuming run() ran; 0, or -errno (the device is left
 * there: the next call retries).  needed() (NULL: always) says whether the
 * step is to be journaled and run at all, just before.
 */
struct pt_step {
	const char *name;		/* the journal's step */
	bool (*needed)(struct pt_tx *t);	/* may note in t->j what
						   its undo needs to know */
	int (*run)(struct pt_tx *t);
	int (*undo)(struct pt_tx *t);
};

/* Where a device ended, for the messages. */
enum pt_where {
	PT_NOTHING_DONE,	/* nothing changed: "still on e1000" */
	PT_UNDONE,		/* undone: "put back on e1000" */
	PT_NOT_UNDONE,		/* the undo failed: "could not put it back on
				   e1000" */
};

/* An operation: a table of steps and what ends it. */
struct pt_op {
	const char *name;		/* the journal's op: "add", "remove" */
	const struct pt_step *steps;
	size_t nsteps;
	/* Crash recovery: an operation interrupted at this step or a later
	 * one is finished, one interrupted earlier undone (NULL: always
	 * finished). */
	const char *finish_from;
	/* After an undo: 0 when the device is where it started. */
	int (*undone)(struct pt_tx *t);
	/* Where the device is, for the message. */
	void (*where)(const struct pt_tx *t, enum pt_where w, char *buf, size_t size);
};

/* The running state of one device's operation. */
struct pt_tx {
	const struct xenpt_ctx *ctx;
	struct pt_xc *xc;
	bool quiet;			/* results wanted: failures are said there,
					   not logged at LOG_ERR */
	unsigned int flags;		/* XENPT_ASSIGN_*, XENPT_REMOVE_* */
	const char *name;		/* add: its new name, NULL keeps */
	char (*set)[XENPT_DEV_STRLEN];	/* the devices of the call */
	size_t nset;
	char bdf[XENPT_DEV_STRLEN];	/* canonical */
	char cur[XENPT_DRIVER_MAX];	/* its driver before, "" none */
	char ov[XENPT_DRIVER_MAX];	/* its driver_override before */
	bool had_record;
	struct pt_record old;		/* its record before */
	bool absent;			/* remove: xenpt remembers it, it is gone */
	bool stuck;			/* remove: a repair (not on pciback) */
	struct pt_journal j;		/* the journal; j.rec the record it has
					   (add) or forgets (remove) */
	char what[256];			/* what failed */
	char reason[XENPT_REASON_MAX];	/* the outcome: why not, or a note */
};

/* tx.c: the engine */
/* Runs op: journals the intent, then each needed step, each after its
 * journal record; on a failure undoes every step from there down and says
 * in t->reason what failed and where the device is.  0 or -errno. */
int pt_tx_run(struct pt_tx *t, const struct pt_op *op);
/* Finishes or undoes the operation a journal holds (after a crash). */
int pt_tx_recover(const struct xenpt_ctx *ctx, struct pt_xc *xc, const char *bdf);
/* What failed, for the message: returns err. */
int pt_tx_what(struct pt_tx *t, int err, const char *fmt, ...) PT_PRINTF(3, 4);
/* A refusal or failure before anything changed: t->reason, returns err. */
int pt_tx_fail(struct pt_tx *t, int err, const char *fmt, ...) PT_PRINTF(3, 4);
/* A note about a device the call succeeded with. */
void pt_tx_note(struct pt_tx *t, const char *fmt, ...) PT_PRINTF(2, 3);
/* The udev rules from the records (not rewritten when they agree). */
int pt_tx_rules(const struct xenpt_ctx *ctx);

/* assign_add.c, assign_remove.c: the operations */
extern const struct pt_op pt_assign_add_op;
extern const struct pt_op pt_assign_remove_op;
/* A device on pciback already: quarantined again (as xl), its record
 * updated when asked. */
int pt_assign_add_again(struct pt_tx *t);
/* The journal of an add or a remove from what the checks found. */
void pt_assign_add_intent(struct pt_tx *t);
void pt_assign_remove_intent(struct pt_tx *t);

/* assign_check.c: the checks, which change nothing: 0 or -errno with
 * t->reason said */
/* add: the device, its kind, its record and name, then (not on pciback
 * yet) pciback, dom0's use, its VFs, its isolation, the quarantine.
 * *again: it is on pciback already. */
int pt_assign_check_add(struct pt_tx *t, bool *again);
/* remove: the device (or the record of one that is gone), its record, a
 * repair, the driver to give it back to, the quarantine. */
int pt_assign_check_remove(struct pt_tx *t);

#endif
