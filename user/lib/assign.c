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

static int step(const struct pt_ctx *ctx, struct pt_journal *j,
		const char *name)
{
	snprintf(j->step, sizeof(j->step), "%s", name);
	return pt_journal_put(ctx, j);
}

static int drivers_probe(const struct pt_ctx *ctx, const char *bdf)
{
	char path[PATH_MAX];
	int err;

	err = pt_path(ctx, PT_DIR_SYS, path, sizeof(path),
		      "/bus/pci/drivers_probe");
	return err ? err : pt_write_file(path, bdf);
}

static bool on_driver(const struct pt_ctx *ctx, const char *bdf,
		      const char *driver)
{
	char cur[PT_DRIVER_MAX];

	return !pt_dev_driver(ctx, bdf, cur, sizeof(cur)) &&
	       !strcmp(cur, driver);
}

static int keep(int first, int err)
{
	return first ? first : err;
}

/* Puts an added device back on its original driver and forgets it. */
static int rollback_add(const struct pt_ctx *ctx, struct pt_journal *j)
{
	char cur[PT_DRIVER_MAX], ov[PT_DRIVER_MAX];
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
		err = pt_udev_rules_update((struct pt_ctx *)ctx);
		if (err)
			return err;
	}
	err = pt_journal_del(ctx, bdf);
	return err == -ENOENT ? 0 : err;
}

/* Takes a device from pciback, back to its driver if asked.  Idempotent:
 * also finishes an interrupted remove.  what describes a failure. */
static int finish_remove(const struct pt_ctx *ctx, struct pt_journal *j,
			 char *what)
{
	char cur[PT_DRIVER_MAX], ov[PT_DRIVER_MAX], ebuf[PT_ERRBUF];
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
		err = pt_udev_rules_update((struct pt_ctx *)ctx);
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
static int rollback_remove(const struct pt_ctx *ctx, struct pt_journal *j)
{
	char cur[PT_DRIVER_MAX];
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
			err = pt_udev_rules_update((struct pt_ctx *)ctx);
			if (err)
				return err;
		}
	}
	err = pt_journal_del(ctx, bdf);
	return err == -ENOENT ? 0 : err;
}

/* ------------------------------------------------------------------ */

struct peers {
	const struct pt_ctx *ctx;
	const char *bdf;
	const struct pt_bdf *set;
	size_t nset;
	char seen[16][PT_BDF_STRLEN];
	size_t nseen;
	int bad;
};

static int check_peer(void *data, const char *peer, const char *why)
{
	struct peers *p = data;
	char drv[PT_DRIVER_MAX];
	struct pt_bdf b;
	size_t i;

	if (pt_bdf_parse(peer, &b))
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

static int add_already(const struct pt_ctx *ctx, const char *bdf,
		       unsigned int flags)
{
	struct pt_record rec, old;
	bool have;
	int err;

	have = pt_record_get(ctx, bdf, &rec) == 0;
	if (!(flags & PT_ASSIGN_PERSIST) || (have && rec.persist)) {
		pt_info(ctx, "%s: already assignable", bdf);
		return 0;
	}
	if (!have)
		memset(&rec, 0, sizeof(rec));
	old = rec;
	rec.persist = true;
	err = pt_record_put(ctx, bdf, &rec);
	if (!err) {
		err = pt_udev_rules_update((struct pt_ctx *)ctx);
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
static int begin_one(const struct pt_ctx *ctx, const struct pt_bdf *b,
		     char bdf[PT_BDF_STRLEN], char *cur, size_t cur_size)
{
	char ebuf[PT_ERRBUF];
	struct pt_journal j;
	int err;

	if (b->all_fns || pt_bdf_format(b, bdf, PT_BDF_STRLEN) < 0)
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

static int add_one(const struct pt_ctx *ctx, const struct pt_bdf *b,
		   unsigned int flags, const struct pt_bdf *set, size_t nset)
{
	char bdf[PT_BDF_STRLEN], cur[PT_DRIVER_MAX], what[DESC];
	char reason[512], ebuf[PT_ERRBUF], ebuf2[PT_ERRBUF];
	struct peers peers;
	struct pt_journal j;
	struct pt_record rec;
	int err, rb;

	err = begin_one(ctx, b, bdf, cur, sizeof(cur));
	if (err)
		return err;
	if (!strcmp(cur, PCIBACK))
		return add_already(ctx, bdf, flags);
	if (!pt_drv_loaded(ctx, PCIBACK)) {
		pt_err(ctx, "%s: xen-pciback is not loaded (modprobe xen-pciback)",
		       bdf);
		return -ENOENT;
	}
	if (!(flags & PT_ASSIGN_FORCE)) {
		err = pt_device_in_use((struct pt_ctx *)ctx, b, reason,
				       sizeof(reason));
		if (err > 0) {
			pt_err(ctx, "%s: in use by dom0: %s (--force to assign it anyway)",
			       bdf, reason);
			return -EBUSY;
		}
		if (err < 0) {
			pt_err(ctx, "%s: cannot tell whether dom0 uses it: %s",
			       bdf, pt_serr(-err, ebuf));
			return err;
		}
	}
	memset(&peers, 0, sizeof(peers));
	peers.ctx = ctx;
	peers.bdf = bdf;
	peers.set = set;
	peers.nset = nset;
	pt_dev_peers(ctx, bdf, check_peer, &peers);
	if (peers.bad && (flags & PT_ASSIGN_STRICT)) {
		pt_err(ctx, "%s: %d related device%s not assignable (--strict)",
		       bdf, peers.bad, peers.bad > 1 ? "s are" : " is");
		return -EBUSY;
	}

	memset(&j, 0, sizeof(j));
	snprintf(j.op, sizeof(j.op), "add");
	snprintf(j.bdf, sizeof(j.bdf), "%s", bdf);
	snprintf(j.driver, sizeof(j.driver), "%s", cur);
	j.persist = flags & PT_ASSIGN_PERSIST;
	j.record_created = true;

	err = step(ctx, &j, "record");
	if (err) {
		/* nothing changed yet */
		pt_err(ctx, "%s: cannot write the journal in %s: %s; nothing "
		       "changed, still on %s", bdf, ctx->dirs[PT_DIR_STATE],
		       pt_serr(-err, ebuf), cur[0] ? cur : "no driver");
		pt_journal_del(ctx, bdf);
		return err;
	}
	memset(&rec, 0, sizeof(rec));
	snprintf(rec.driver, sizeof(rec.driver), "%s", cur);
	rec.persist = j.persist;
	err = pt_record_put(ctx, bdf, &rec);
	if (err) {
		snprintf(what, sizeof(what), "cannot remember its driver in %s",
			 ctx->dirs[PT_DIR_STATE]);
		goto fail;
	}
	if ((err = step(ctx, &j, "override")))
		goto fail_journal;
	err = pt_dev_write(ctx, bdf, "driver_override", PCIBACK "\n");
	if (err) {
		snprintf(what, sizeof(what), "cannot set driver_override");
		goto fail;
	}
	if (cur[0]) {
		if ((err = step(ctx, &j, "unbind")))
			goto fail_journal;
		err = pt_drv_write(ctx, cur, "unbind", bdf);
		if (err) {
			snprintf(what, sizeof(what), "cannot unbind from %s", cur);
			goto fail;
		}
		if (on_driver(ctx, bdf, cur)) {
			err = -EIO;
			snprintf(what, sizeof(what), "still on %s after unbind", cur);
			goto fail;
		}
	}
	if ((err = step(ctx, &j, "probe")))
		goto fail_journal;
	err = drivers_probe(ctx, bdf);
	if (err)
		pt_dbg(ctx, "%s: drivers_probe: %s", bdf, pt_serr(-err, ebuf));
	if (!on_driver(ctx, bdf, PCIBACK)) {
		/* a pciback that ignores driver_override: seize it by slot */
		pt_dbg(ctx, "%s: not taken by driver_override; binding by slot", bdf);
		if (pt_pciback_has_slot(ctx, bdf) != 1) {
			j.slot_added = true;
			if ((err = step(ctx, &j, "new_slot")))
				goto fail_journal;
			err = pt_drv_write(ctx, PCIBACK, "new_slot", bdf);
			if (err) {
				snprintf(what, sizeof(what), "cannot add a pciback slot");
				goto fail;
			}
		}
		if ((err = step(ctx, &j, "bind")))
			goto fail_journal;
		err = pt_drv_write(ctx, PCIBACK, "bind", bdf);
		if (err) {
			snprintf(what, sizeof(what), "cannot bind to pciback");
			goto fail;
		}
		if (!on_driver(ctx, bdf, PCIBACK)) {
			err = -EIO;
			snprintf(what, sizeof(what), "did not bind to pciback");
			goto fail;
		}
	}
	if (j.persist) {
		if ((err = step(ctx, &j, "udev")))
			goto fail_journal;
		err = pt_udev_rules_update((struct pt_ctx *)ctx);
		if (err) {
			snprintf(what, sizeof(what), "cannot write the udev rule");
			goto fail;
		}
	}
	err = pt_journal_del(ctx, bdf);
	if (err)
		pt_warn(ctx, "%s: cannot remove the journal: %s (harmless)",
			bdf, pt_serr(-err, ebuf));
	pt_info(ctx, "%s: assignable (was on %s)%s", bdf,
		cur[0] ? cur : "no driver", j.persist ? ", persistent" : "");
	return 0;

fail_journal:
	snprintf(what, sizeof(what), "cannot write the journal");
fail:
	rb = rollback_add(ctx, &j);
	if (!rb)
		pt_err(ctx, "%s: %s: %s; put back on %s", bdf, what,
		       pt_serr(-err, ebuf), cur[0] ? cur : "no driver, as it was");
	else
		pt_err(ctx, "%s: %s: %s; could not put it back on %s: %s "
		       "(the next xenpt call retries)", bdf, what,
		       pt_serr(-err, ebuf), cur[0] ? cur : "no driver",
		       pt_serr(-rb, ebuf2));
	return err;
}

static int remove_one(const struct pt_ctx *ctx, const struct pt_bdf *b,
		      unsigned int flags)
{
	char bdf[PT_BDF_STRLEN], cur[PT_DRIVER_MAX], what[DESC] = "";
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
			bdf, ctx->dirs[PT_DIR_STATE]);
	have = err == 0;
	if (!have)
		memset(&rec, 0, sizeof(rec));
	if (strcmp(cur, PCIBACK) && !have) {
		pt_err(ctx, "%s: not assignable (not bound to pciback)", bdf);
		return -ENODEV;
	}
	if ((flags & PT_REMOVE_REBIND) && rec.driver[0] &&
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
	j.rebind = flags & PT_REMOVE_REBIND;
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
static int recover_locked(const struct pt_ctx *ctx)
{
	char (*names)[PT_BDF_STRLEN] = NULL;
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
				      pt_udev_rules_update((struct pt_ctx *)ctx) : 0;
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

static int lock(const struct pt_ctx *ctx, int *fd)
{
	char ebuf[PT_ERRBUF];
	int err = pt_state_lock(ctx, fd);

	if (err)
		pt_err(ctx, "cannot lock %s/lock: %s", ctx->dirs[PT_DIR_STATE],
		       pt_serr(-err, ebuf));
	return err;
}

PT_EXPORT int pt_recover(struct pt_ctx *ctx)
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
static int xen_can_pass_through(struct pt_ctx *ctx)
{
	char path[PATH_MAX];
	unsigned long major, minor;
	enum pt_guest_type type;

	if (pt_guest_type(ctx, &type) || type != PT_GUEST_PVH)
		return 0;
	if (pt_path(ctx, PT_DIR_SYS, path, sizeof(path), "/hypervisor/version/major") ||
	    pt_read_uint(path, 10, &major) ||
	    pt_path(ctx, PT_DIR_SYS, path, sizeof(path), "/hypervisor/version/minor") ||
	    pt_read_uint(path, 10, &minor))
		return 0;
	if (major > 4 || (major == 4 && minor >= 20))
		return 0;
	pt_err(ctx, "Xen %lu.%lu cannot pass devices through from a PVH dom0 "
	       "(Xen 4.20 or later can); --force puts them on pciback anyway",
	       major, minor);
	return -EOPNOTSUPP;
}

PT_EXPORT int pt_assignable_add_many(struct pt_ctx *ctx,
				     const struct pt_bdf *bdfs, size_t count,
				     unsigned int flags, int *results)
{
	int fd, err, first = 0;
	size_t i;

	if (!ctx || (!bdfs && count) ||
	    (flags & ~(PT_ASSIGN_FORCE | PT_ASSIGN_PERSIST | PT_ASSIGN_STRICT)))
		return -EINVAL;
	for (i = 0; i < count; i++)
		if (bdfs[i].all_fns)
			return -EINVAL;
	if (!(flags & PT_ASSIGN_FORCE)) {
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

PT_EXPORT int pt_assignable_add(struct pt_ctx *ctx, const struct pt_bdf *bdf,
				unsigned int flags)
{
	if (!bdf)
		return -EINVAL;
	return pt_assignable_add_many(ctx, bdf, 1, flags, NULL);
}

PT_EXPORT int pt_assignable_remove(struct pt_ctx *ctx,
				   const struct pt_bdf *bdf, unsigned int flags)
{
	int fd, err;

	if (!ctx || !bdf || bdf->all_fns || (flags & ~PT_REMOVE_REBIND))
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
static int assigned_fill(const struct pt_ctx *ctx, const char *name, void *elem)
{
	struct pt_assigned *a = elem;
	struct pt_record rec;

	if (!on_driver(ctx, name, PCIBACK))
		return 1;
	pt_bdf_parse(name, &a->bdf);
	if (!pt_record_get(ctx, name, &rec)) {
		a->known = true;
		a->persist = rec.persist;
		snprintf(a->driver, sizeof(a->driver), "%s", rec.driver);
	}
	return 0;
}

PT_EXPORT int pt_assignable_list(struct pt_ctx *ctx, struct pt_assigned **list,
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
