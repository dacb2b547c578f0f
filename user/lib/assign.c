// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The public calls of assignment to xen-pciback.  Each call: the state
 * directory's lock (callers are serialized), crash recovery first (every
 * journal a crash left is finished or undone: pt_tx_recover()), then per
 * device the checks (assign_check.c, which change nothing) and the
 * operation's steps through the engine (tx.c; the tables: assign_add.c,
 * assign_remove.c), each device's outcome in its result.  Each call loads
 * libxenctrl at most once (struct pt_xc), only when a quarantine is to be
 * done or undone.
 *
 * With results (the 1.1 calls) a device's failure is its result's, not
 * the log's (LOG_DEBUG only); the 1.0 calls log it at LOG_ERR, "BDF:
 * reason", as they always did.  Warnings are logged either way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tx.h"

/* One public call. */
struct call {
	struct xenpt_ctx *ctx;
	struct pt_xc xc;
	bool quiet;		/* results wanted */
	int fd;			/* the lock */
	char (*names)[XENPT_DEV_STRLEN];
	size_t n;
	struct xenpt_result *res;
};

/* A failure of the whole call, before any device: said once in the log,
 * or in every result. */
static int call_fail(struct call *c, int err, const char *fmt, ...) PT_PRINTF(3, 4);
static int call_fail(struct call *c, int err, const char *fmt, ...)
{
	char msg[XENPT_REASON_MAX];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!c->quiet) {
		pt_err(c->ctx, "%s", msg);
		return err;
	}
	pt_dbg(c->ctx, "%s", msg);
	for (i = 0; i < c->n; i++) {
		c->res[i].err = err;
		snprintf(c->res[i].reason, sizeof(c->res[i].reason), "%s", msg);
	}
	return err;
}

/* One device's outcome: its result, and the log. */
static int report(struct call *c, size_t i, const struct pt_tx *t, int err)
{
	struct xenpt_result *r = &c->res[i];

	r->err = err;
	snprintf(r->reason, sizeof(r->reason), "%s", t->reason);
	if (c->quiet)
		pt_dbg(c->ctx, "%s: %s", t->bdf, t->reason[0] ? t->reason : "done");
	else if (err)
		pt_err(c->ctx, "%s: %s", t->bdf, t->reason);
	else if (t->reason[0])
		pt_warn(c->ctx, "%s: %s", t->bdf, t->reason);
	return err;
}

static void tx_init(struct call *c, struct pt_tx *t, size_t i, unsigned int flags)
{
	memset(t, 0, sizeof(*t));
	t->ctx = c->ctx;
	t->xc = &c->xc;
	t->quiet = c->quiet;
	t->flags = flags;
	t->set = c->names;
	t->nset = c->n;
	snprintf(t->bdf, sizeof(t->bdf), "%s", c->names[i]);
}

/* Finishes or rolls back what crashes interrupted, then brings the udev
 * rules in line with the records.  Lock held. */
static int recover_locked(struct call *c)
{
	char (*names)[XENPT_BDF_STRLEN] = NULL;
	size_t n = 0, i;
	int err, first = 0;

	err = pt_journal_names(c->ctx, &names, &n);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		err = pt_tx_recover(c->ctx, &c->xc, names[i]);
		if (!first)
			first = err;
	}
	free(names);
	/* the records are the truth: the rules say what they say */
	err = pt_tx_rules(c->ctx);
	return first ? first : err;
}

static int lock(struct call *c)
{
	char ebuf[PT_ERRBUF];
	int err = pt_state_lock(c->ctx, &c->fd);

	if (err)
		return call_fail(c, err, "cannot lock %s/lock: %s",
				 c->ctx->dirs[XENPT_DIR_STATE], pt_serr(-err, ebuf));
	return 0;
}

static void call_end(struct call *c)
{
	pt_xc_release(&c->xc);
	pt_state_unlock(c->fd);
}

/*
 * -EOPNOTSUPP on a PVH dom0 under Xen before 4.20, which has none of what
 * passthrough from a PVH dom0 needs (PHYSDEVOP_setup_gsi and map_pirq for
 * it, XEN_DOMCTL_gsi_permission): a device put on pciback there can never
 * reach a guest.  An unknown version is no reason to refuse.
 */
static int xen_can_pass_through(struct call *c)
{
	char path[PATH_MAX];
	unsigned long major, minor;
	enum xenpt_guest_type type;

	if (xenpt_guest_type(c->ctx, &type) || type != XENPT_GUEST_PVH)
		return 0;
	if (pt_path(c->ctx, XENPT_DIR_SYS, path, sizeof(path), "/hypervisor/version/major") ||
	    pt_read_uint(path, 10, &major) ||
	    pt_path(c->ctx, XENPT_DIR_SYS, path, sizeof(path), "/hypervisor/version/minor") ||
	    pt_read_uint(path, 10, &minor))
		return 0;
	if (major > 4 || (major == 4 && minor >= 20))
		return 0;
	return call_fail(c, -EOPNOTSUPP, "Xen %lu.%lu cannot pass devices through from "
			 "a PVH dom0 (Xen 4.20 or later can); --force puts them on "
			 "pciback anyway", major, minor);
}

static int add_one(struct call *c, size_t i, unsigned int flags, const char *name)
{
	const char *was;
	struct pt_tx t;
	bool again;
	int err;

	tx_init(c, &t, i, flags);
	t.name = name;
	err = pt_assign_check_add(&t, &again);
	if (!err && again)
		err = pt_assign_add_again(&t);
	else if (!err)
		err = pt_tx_run(&t, &pt_assign_add_op);
	if (!err && !again) {
		was = t.cur[0] ? t.cur : "no driver";
		pt_info(c->ctx, "%s: assignable (was on %s)%s%s", t.bdf, was,
			t.j.rec.persist ? ", persistent" : "",
			t.j.rec.quarantine ? ", quarantined" : "");
	}
	return report(c, i, &t, err);
}

/* "its record, its name NIC and its udev rule line" */
static void forgotten(const struct pt_tx *t, char *buf, size_t size)
{
	const char *what[3];
	char name[XENPT_NAME_MAX + 16];
	int n = 0, k;
	size_t used = 0;

	what[n++] = "its record";
	if (t->old.name[0]) {
		snprintf(name, sizeof(name), "its name %s", t->old.name);
		what[n++] = name;
	}
	if (t->old.persist)
		what[n++] = "its udev rule line";
	buf[0] = '\0';
	for (k = 0; k < n && used < size; k++) {
		int m = snprintf(buf + used, size - used, "%s%s",
				 !k ? "" : k == n - 1 ? " and " : ", ", what[k]);

		if (m > 0)
			used += (size_t)m;
	}
}

static int remove_one(struct call *c, size_t i, unsigned int flags)
{
	char cur[XENPT_DRIVER_MAX], what[160];
	struct pt_tx t;
	int err;

	tx_init(c, &t, i, flags);
	err = pt_assign_check_remove(&t);
	if (!err)
		err = pt_tx_run(&t, &pt_assign_remove_op);
	if (!err) {
		if (pt_dev_driver(c->ctx, t.bdf, cur, sizeof(cur)))
			cur[0] = '\0';
		if (t.absent) {
			forgotten(&t, what, sizeof(what));
			pt_tx_note(&t, "absent (hot-removed?): forgot %s", what);
		} else if (t.stuck) {
			pt_tx_note(&t, "was left %s with driver_override=%s by another "
				   "tool; repaired: override cleared, %s%s",
				   t.cur[0] ? "on another driver" : "unbound", t.ov,
				   cur[0] ? "now on " : "left unbound", cur);
		} else if (t.j.rebind) {
			pt_info(c->ctx, "%s: given back to %s", t.bdf,
				cur[0] ? cur : "no driver");
		} else {
			pt_info(c->ctx, "%s: removed from pciback, left unbound", t.bdf);
		}
	}
	return report(c, i, &t, err);
}

#define ADD_FLAGS (XENPT_ASSIGN_FORCE | XENPT_ASSIGN_PERSIST | \
		   XENPT_ASSIGN_STRICT | XENPT_ASSIGN_NO_QUARANTINE | \
		   XENPT_ASSIGN_AS_RECORDED)

static int add_call(struct call *c, unsigned int flags, const char *name)
{
	int err, first = 0;
	size_t i;

	if (!(flags & XENPT_ASSIGN_FORCE)) {
		err = xen_can_pass_through(c);
		if (err)
			return err;
	}
	err = lock(c);
	if (err)
		return err;
	recover_locked(c);	/* failures logged; other devices go on */
	for (i = 0; i < c->n; i++) {
		err = add_one(c, i, flags, name);
		if (!first)
			first = err;
	}
	call_end(c);
	return first;
}

static int remove_call(struct call *c, unsigned int flags)
{
	int err, first = 0;
	size_t i;

	err = lock(c);
	if (err)
		return err;
	recover_locked(c);
	for (i = 0; i < c->n; i++) {
		err = remove_one(c, i, flags);
		if (!first)
			first = err;
	}
	call_end(c);
	return first;
}

/* A call on devices named by strings (1.1): canonical names, results. */
static int call_names(struct call *c, struct xenpt_ctx *ctx, const char *const *devs,
		      size_t count, struct xenpt_result *res)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->ctx = ctx;
	c->quiet = true;
	c->fd = -1;
	c->n = count;
	c->res = res;
	c->names = calloc(count + 1, sizeof(*c->names));
	if (!c->names)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		struct pt_addr a;

		if (!devs[i] || pt_addr_parse(devs[i], &a) || a.all_fns) {
			free(c->names);
			return -EINVAL;
		}
		pt_addr_format(&a, c->names[i], sizeof(c->names[i]));
	}
	memset(res, 0, count * sizeof(*res));
	for (i = 0; i < count; i++)
		snprintf(res[i].dev, sizeof(res[i].dev), "%s", c->names[i]);
	return 0;
}

PT_EXPORT int xenpt_assignable_add_devices(struct xenpt_ctx *ctx,
					   const char *const *devs, size_t count,
					   unsigned int flags, const char *name,
					   struct xenpt_result *results)
{
	struct call c;
	int err;

	if (!ctx || (!devs && count) || (count && !results) || (flags & ~ADD_FLAGS) ||
	    (name && (count != 1 || !pt_name_valid(name))))
		return -EINVAL;
	err = call_names(&c, ctx, devs, count, results);
	if (err)
		return err;
	err = add_call(&c, flags, name);
	free(c.names);
	return err;
}

PT_EXPORT int xenpt_assignable_remove_devices(struct xenpt_ctx *ctx,
					      const char *const *devs, size_t count,
					      unsigned int flags,
					      struct xenpt_result *results)
{
	struct call c;
	int err;

	if (!ctx || (!devs && count) || (count && !results) ||
	    (flags & ~XENPT_REMOVE_REBIND))
		return -EINVAL;
	err = call_names(&c, ctx, devs, count, results);
	if (err)
		return err;
	err = remove_call(&c, flags);
	free(c.names);
	return err;
}

/* A call on struct xenpt_bdf devices (1.0): errors logged. */
static int call_bdfs(struct call *c, struct xenpt_ctx *ctx,
		     const struct xenpt_bdf *bdfs, size_t count)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->ctx = ctx;
	c->fd = -1;
	c->n = count;
	c->names = calloc(count + 1, sizeof(*c->names));
	c->res = calloc(count + 1, sizeof(*c->res));
	if (!c->names || !c->res) {
		free(c->names);
		free(c->res);
		return -ENOMEM;
	}
	for (i = 0; i < count; i++)
		xenpt_bdf_format(&bdfs[i], c->names[i], sizeof(c->names[i]));
	return 0;
}

static void call_free(struct call *c)
{
	free(c->names);
	free(c->res);
}

static bool valid_bdfs(const struct xenpt_bdf *bdfs, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (bdfs[i].all_fns || bdfs[i].dev > 0x1f || bdfs[i].fn > 7)
			return false;
	return true;
}

static int add_bdfs(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdfs, size_t count,
		    unsigned int flags, const char *name, int *results)
{
	struct call c;
	size_t i;
	int err;

	err = call_bdfs(&c, ctx, bdfs, count);
	if (err)
		return err;
	err = add_call(&c, flags, name);
	for (i = 0; results && i < count && c.fd >= 0; i++)
		results[i] = c.res[i].err;
	call_free(&c);
	return err;
}

PT_EXPORT int xenpt_assignable_add_many(struct xenpt_ctx *ctx,
					const struct xenpt_bdf *bdfs, size_t count,
					unsigned int flags, int *results)
{
	if (!ctx || (!bdfs && count) || (flags & ~ADD_FLAGS) || !valid_bdfs(bdfs, count))
		return -EINVAL;
	return add_bdfs(ctx, bdfs, count, flags, NULL, results);
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
	if (!ctx || !bdf || !valid_bdfs(bdf, 1) || (flags & ~ADD_FLAGS) ||
	    (name && !pt_name_valid(name)))
		return -EINVAL;
	return add_bdfs(ctx, bdf, 1, flags, name, NULL);
}

PT_EXPORT int xenpt_assignable_remove(struct xenpt_ctx *ctx,
				      const struct xenpt_bdf *bdf, unsigned int flags)
{
	struct call c;
	int err;

	if (!ctx || !bdf || !valid_bdfs(bdf, 1) || (flags & ~XENPT_REMOVE_REBIND))
		return -EINVAL;
	err = call_bdfs(&c, ctx, bdf, 1);
	if (err)
		return err;
	err = remove_call(&c, flags);
	call_free(&c);
	return err;
}

PT_EXPORT int xenpt_recover(struct xenpt_ctx *ctx)
{
	struct call c;
	int err;

	if (!ctx)
		return -EINVAL;
	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	c.fd = -1;
	err = lock(&c);
	if (err)
		return err;
	err = recover_locked(&c);
	call_end(&c);
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
