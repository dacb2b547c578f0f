// SPDX-License-Identifier: LGPL-2.1-or-later
/* PCI devices: what sysfs says about them, their SR-IOV VFs, listings. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int read_hex(const struct xenpt_ctx *ctx, const char *bdf,
		    const char *attr, unsigned long *v)
{
	char path[PATH_MAX];
	int err = pt_dev_path(ctx, bdf, attr, path, sizeof(path));

	return err ? err : pt_read_uint(path, 16, v);
}

static int fill_info(const struct xenpt_ctx *ctx, const char *name,
		     struct xenpt_device_info *info)
{
	char path[PATH_MAX], grp[32];
	struct pt_record rec;
	struct pt_addr a;
	unsigned long v;
	int err;

	memset(info, 0, sizeof(*info));
	if (pt_addr_parse(name, &a) || a.all_fns)
		return -EINVAL;
	pt_addr_bdf(&a, &info->bdf);	/* stays zero beyond domain ffff */
	err = pt_dev_driver(ctx, name, info->driver, sizeof(info->driver));
	if (err)
		return err;
	if (!read_hex(ctx, name, "vendor", &v))
		info->vendor = (uint16_t)v;
	if (!read_hex(ctx, name, "device", &v))
		info->device = (uint16_t)v;
	if (!read_hex(ctx, name, "class", &v))
		info->class_code = (uint32_t)v & 0xffffff;
	info->irq = -1;
	if (!pt_dev_path(ctx, name, "irq", path, sizeof(path)) &&
	    !pt_read_uint(path, 10, &v) && v <= INT32_MAX)
		info->irq = (int32_t)v;
	info->iommu_group = -1;
	if (!pt_dev_path(ctx, name, "iommu_group", path, sizeof(path)) &&
	    !pt_link_name(path, grp, sizeof(grp)) &&
	    !pt_parse_uint(grp, 10, INT32_MAX, &v))
		info->iommu_group = (int32_t)v;
	if (pt_dev_pin(ctx, name, &info->pin))
		info->pin = 0;
	info->assigned = !strcmp(info->driver, PCIBACK);
	if (pt_dev_override(ctx, name, info->override, sizeof(info->override)))
		info->override[0] = '\0';
	if (!pt_record_get(ctx, name, &rec)) {
		info->known = true;
		info->persist = rec.persist;
		snprintf(info->orig_driver, sizeof(info->orig_driver), "%s",
			 rec.driver);
		snprintf(info->name, sizeof(info->name), "%s", rec.name);
		info->quarantined = rec.quarantine && info->assigned;
	}
	info->problems = pt_dev_problems(info->driver, info->override,
					 info->known, info->persist);
	return 0;
}

unsigned int pt_dev_problems(const char *driver, const char *override,
			     bool known, bool persist)
{
	unsigned int p = 0;

	if (override[0] && !driver[0])
		p |= XENPT_PROBLEM_STUCK;
	else if (override[0] && strcmp(driver, override))
		p |= XENPT_PROBLEM_STALE_OVERRIDE;
	if (known && strcmp(driver, PCIBACK))
		p |= persist ? XENPT_PROBLEM_PERSIST_IDLE : XENPT_PROBLEM_RECORD_IDLE;
	return p;
}

PT_EXPORT int xenpt_device_get(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdf,
			       struct xenpt_device_info *info)
{
	char name[XENPT_BDF_STRLEN];
	int err;

	if (!ctx || !bdf || !info || bdf->all_fns)
		return -EINVAL;
	err = xenpt_bdf_format(bdf, name, sizeof(name));
	if (err < 0)
		return err;
	return fill_info(ctx, name, info);
}

/* a device removed meanwhile is skipped */
static int list_fill(const struct xenpt_ctx *ctx, const char *name, void *elem)
{
	return fill_info(ctx, name, elem);
}

PT_EXPORT int xenpt_device_list(struct xenpt_ctx *ctx,
				struct xenpt_device_info **list, size_t *count)
{
	struct pt_dev *v;
	size_t n, i;
	void *l;
	int err;

	if (!ctx || !list || !count)
		return -EINVAL;
	err = pt_dev_collect(ctx, sizeof(**list), list_fill, &l, count);
	if (err)
		return err;
	*list = l;
	/* what struct xenpt_bdf cannot hold is left out, not silently */
	if (!pt_devs_get(ctx, false, &v, &n)) {
		for (i = 0; i < n; i++)
			if (v[i].addr.domain > 0xffff)
				pt_info(ctx, "%s: not listed: its domain is above ffff "
					"(xenpt_device_list_all() lists it)", v[i].name);
		pt_devs_free(v, n);
	}
	return 0;
}

PT_EXPORT int xenpt_device_list_all(struct xenpt_ctx *ctx,
				    struct xenpt_device_entry **list, size_t *count)
{
	struct xenpt_device_entry *l;
	struct pt_gsi_records recs;
	struct pt_dev *v;
	size_t n, i, k = 0;
	int err;

	if (!ctx || !list || !count)
		return -EINVAL;
	err = pt_devs_get(ctx, false, &v, &n);
	if (err)
		return err;
	l = calloc(n + 1, sizeof(*l));
	if (!l) {
		pt_devs_free(v, n);
		return -ENOMEM;
	}
	pt_gsi_records_load(ctx, &recs);	/* none: asked one by one */
	for (i = 0; i < n; i++) {
		struct xenpt_device_entry *e = &l[k];

		/* a device removed meanwhile is skipped */
		if (fill_info(ctx, v[i].name, &e->info) ||
		    pt_kind_of(ctx, v[i].name, &e->kind)) {
			memset(e, 0, sizeof(*e));
			continue;
		}
		snprintf(e->name, sizeof(e->name), "%s", v[i].name);
		e->has_sbdf = v[i].addr.domain <= 0xffff;
		pt_gsi_record(ctx, v[i].name, recs.loaded ? &recs : NULL, &e->gsi);
		k++;
	}
	pt_gsi_records_free(&recs);
	pt_devs_free(v, n);
	*list = l;
	*count = k;
	return 0;
}

int pt_dev_vfs(const struct xenpt_ctx *ctx, const char *bdf,
	       int (*fn)(void *data, const char *vf), void *data)
{
	char path[PATH_MAX], link[PATH_MAX + 32], vf[64];
	struct dirent **ents;
	int n, i, err = 0;

	err = pt_dev_path(ctx, bdf, NULL, path, sizeof(path));
	if (err)
		return err;
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		struct xenpt_bdf b;
		unsigned long k;
		char name[XENPT_BDF_STRLEN];

		if (!err && !strncmp(ents[i]->d_name, "virtfn", 6) &&
		    !pt_parse_uint(ents[i]->d_name + 6, 10, 4096, &k) &&
		    (size_t)snprintf(link, sizeof(link), "%s/%s", path,
				     ents[i]->d_name) < sizeof(link) &&
		    !pt_link_name(link, vf, sizeof(vf)) &&
		    !xenpt_bdf_parse(vf, &b) && !b.all_fns) {
			xenpt_bdf_format(&b, name, sizeof(name));
			err = fn(data, name);
		}
		free(ents[i]);
	}
	free(ents);
	return err;
}

/* Every existing function of a "DD.*" address. */
PT_EXPORT int xenpt_bdf_expand(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdf,
			       struct xenpt_bdf **list, size_t *count)
{
	struct xenpt_bdf *l;
	size_t n = 0;
	unsigned int fn;

	if (!ctx || !bdf || !list || !count)
		return -EINVAL;
	l = calloc(8, sizeof(*l));
	if (!l)
		return -ENOMEM;
	if (!bdf->all_fns) {
		l[n++] = *bdf;
	} else {
		for (fn = 0; fn < 8; fn++) {
			struct xenpt_bdf b = *bdf;
			char name[XENPT_BDF_STRLEN];

			b.all_fns = 0;
			b.fn = (uint8_t)fn;
			xenpt_bdf_format(&b, name, sizeof(name));
			if (pt_dev_exists(ctx, name) == 0)
				l[n++] = b;
		}
		if (!n) {
			free(l);
			return -ENODEV;
		}
	}
	*list = l;
	*count = n;
	return 0;
}
