// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * xenpt_assignable_list(): the devices on pciback, with the records of
 * those xenpt assigned, and the devices xenpt remembers that are not on
 * pciback: given back by another tool, a persistent assignment whose
 * native driver bound first, or gone (hot-removed, a destroyed VF:
 * XENPT_PROBLEM_ABSENT), so that none is forgotten silently.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void from_record(struct xenpt_assigned *a, const struct pt_record *rec)
{
	a->persist = rec->persist;
	a->quarantined = rec->quarantine && a->assigned;
	snprintf(a->driver, sizeof(a->driver), "%s", rec->driver);
	snprintf(a->name, sizeof(a->name), "%s", rec->name);
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
	if (a->known)
		from_record(a, &rec);
	if (pt_dev_override(ctx, name, ov, sizeof(ov)))
		ov[0] = '\0';
	a->problems = pt_dev_problems(a->cur_driver, ov, a->known, a->persist);
	return 0;
}

static int bdf_cmp(const void *x, const void *y)
{
	const struct xenpt_bdf *a = &((const struct xenpt_assigned *)x)->bdf;
	const struct xenpt_bdf *b = &((const struct xenpt_assigned *)y)->bdf;
	uint32_t sa, sb;

	xenpt_bdf_to_sbdf(a, &sa);
	xenpt_bdf_to_sbdf(b, &sb);
	return sa < sb ? -1 : sa > sb;
}

/* The devices xenpt remembers that are gone (hot-removed, destroyed
 * VFs), after the n of *list. */
static int add_absent(const struct xenpt_ctx *ctx, struct xenpt_assigned **list,
		      size_t *count)
{
	char (*names)[XENPT_BDF_STRLEN] = NULL;
	struct xenpt_assigned *l = *list;
	size_t n = 0, i;
	int err;

	err = pt_record_names(ctx, &names, &n);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		struct xenpt_assigned *a, *t;
		struct pt_record rec;

		if (!pt_dev_exists(ctx, names[i]) || pt_record_get(ctx, names[i], &rec))
			continue;
		t = realloc(l, (*count + 2) * sizeof(*l));
		if (!t) {
			err = -ENOMEM;
			break;
		}
		l = t;
		a = &l[(*count)++];
		memset(a, 0, sizeof(*a) * 2);
		xenpt_bdf_parse(names[i], &a->bdf);
		a->known = true;
		from_record(a, &rec);
		a->problems = XENPT_PROBLEM_ABSENT |
			      pt_dev_problems("", "", true, rec.persist);
	}
	free(names);
	*list = l;
	return err;
}

PT_EXPORT int xenpt_assignable_list(struct xenpt_ctx *ctx, struct xenpt_assigned **list,
				    size_t *count)
{
	struct xenpt_assigned *l;
	void *v;
	size_t n;
	int err;

	if (!ctx || !list || !count)
		return -EINVAL;
	if (!pt_drv_loaded(ctx, PCIBACK)) {
		pt_err(ctx, "xen-pciback is not loaded (modprobe xen-pciback)");
		return -ENOENT;
	}
	err = pt_dev_collect(ctx, sizeof(**list), assigned_fill, &v, &n);
	if (err)
		return err;
	l = v;
	err = add_absent(ctx, &l, &n);
	if (err) {
		free(l);
		return err;
	}
	qsort(l, n, sizeof(*l), bdf_cmp);
	*list = l;
	*count = n;
	return 0;
}
