// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A GSI's record: the lookup's answer (gsi.c) and how the interrupt is
 * wired, trigger and polarity, with how privcmd-gsi learnt them (its
 * record's source, here "origin").  From privcmd-gsi's own records on
 * /dev/xen/privcmd-gsi (PRIVCMD_GSI_IOCTL_GET_RECORD for one device,
 * PRIVCMD_GSI_IOCTL_LIST for all, ABI in include/uapi/xen/privcmd-gsi.h),
 * else from pciback-ext's files of a device on pciback
 * (/sys/bus/pci/devices/BDF/xenpt/{trigger,polarity,gsi_source}); else
 * unknown: upstream privcmd, the sysfs gsi file and the irq say nothing
 * of them.  A record is only taken when its GSI is the one looked up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/privcmd-gsi.h>

#include "internal.h"

#define NODE_OURS	PRIVCMD_GSI_DEVICE_NAME
#define LIST_TRIES	4

PT_EXPORT const char *xenpt_trigger_name(enum xenpt_trigger trigger)
{
	switch (trigger) {
	case XENPT_TRIGGER_EDGE:	return "edge";
	case XENPT_TRIGGER_LEVEL:	return "level";
	case XENPT_TRIGGER_UNKNOWN:	break;
	}
	return "unknown";
}

PT_EXPORT const char *xenpt_polarity_name(enum xenpt_polarity polarity)
{
	switch (polarity) {
	case XENPT_POLARITY_HIGH:	return "high";
	case XENPT_POLARITY_LOW:	return "low";
	case XENPT_POLARITY_UNKNOWN:	break;
	}
	return "unknown";
}

PT_EXPORT const char *xenpt_gsi_origin_name(enum xenpt_gsi_origin origin)
{
	switch (origin) {
	case XENPT_ORIGIN_REGISTERED:	return "registered";
	case XENPT_ORIGIN_RECOVERED:	return "recovered";
	case XENPT_ORIGIN_ACPI:		return "acpi";
	case XENPT_ORIGIN_UNKNOWN:	break;
	}
	return "unknown";
}

/* privcmd-gsi's record into ours */
static void from_module(const struct privcmd_gsi_record *m, struct xenpt_gsi_record *rec)
{
	rec->trigger = m->trigger == PRIVCMD_GSI_TRIGGER_EDGE ? XENPT_TRIGGER_EDGE :
		       m->trigger == PRIVCMD_GSI_TRIGGER_LEVEL ? XENPT_TRIGGER_LEVEL :
		       XENPT_TRIGGER_UNKNOWN;
	rec->polarity = m->polarity == PRIVCMD_GSI_POLARITY_HIGH ? XENPT_POLARITY_HIGH :
			m->polarity == PRIVCMD_GSI_POLARITY_LOW ? XENPT_POLARITY_LOW :
			XENPT_POLARITY_UNKNOWN;
	rec->origin = m->source == PRIVCMD_GSI_SOURCE_REGISTERED ? XENPT_ORIGIN_REGISTERED :
		      m->source == PRIVCMD_GSI_SOURCE_RECOVERED ? XENPT_ORIGIN_RECOVERED :
		      m->source == PRIVCMD_GSI_SOURCE_ACPI ? XENPT_ORIGIN_ACPI :
		      XENPT_ORIGIN_UNKNOWN;
}

void pt_gsi_records_free(struct pt_gsi_records *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

int pt_gsi_records_load(const struct xenpt_ctx *ctx, struct pt_gsi_records *r)
{
	struct privcmd_gsi_list arg;
	int tries, err;

	memset(r, 0, sizeof(*r));
	for (tries = 0; tries < LIST_TRIES; tries++) {
		memset(&arg, 0, sizeof(arg));
		err = pt_xen_ioctl(ctx, NODE_OURS, PRIVCMD_GSI_IOCTL_LIST, &arg);
		if (err)
			return err;
		free(r->v);
		r->v = calloc((size_t)arg.count + 1, sizeof(*r->v));
		if (!r->v)
			return -ENOMEM;
		arg.records = (uintptr_t)r->v;
		err = pt_xen_ioctl(ctx, NODE_OURS, PRIVCMD_GSI_IOCTL_LIST, &arg);
		if (err == -E2BIG)
			continue;	/* records were added meanwhile */
		if (err) {
			pt_gsi_records_free(r);
			return err;
		}
		r->n = arg.count;
		r->loaded = true;
		return 0;
	}
	pt_gsi_records_free(r);
	return -EAGAIN;
}

/* A device's record with this GSI: from the list, or asked for. */
static bool module_record(const struct xenpt_ctx *ctx, const struct pt_gsi_records *list,
			  uint32_t sbdf, uint32_t gsi, struct xenpt_gsi_record *rec)
{
	struct privcmd_gsi_get_record arg;
	size_t i;

	if (list && list->loaded) {
		for (i = 0; i < list->n; i++)
			if ((list->v[i].flags & PRIVCMD_GSI_F_PCI) &&
			    list->v[i].sbdf == sbdf && list->v[i].gsi == gsi) {
				from_module(&list->v[i], rec);
				return true;
			}
		return false;
	}
	memset(&arg, 0, sizeof(arg));
	arg.sbdf = sbdf;
	if (pt_xen_ioctl(ctx, NODE_OURS, PRIVCMD_GSI_IOCTL_GET_RECORD, &arg) ||
	    arg.rec.gsi != gsi)
		return false;
	from_module(&arg.rec, rec);
	return true;
}

/* pciback-ext's files, for a device on pciback whose GSI it holds. */
static bool pciback_ext_record(const struct xenpt_ctx *ctx, const char *name,
			       uint32_t gsi, struct xenpt_gsi_record *rec)
{
	char path[PATH_MAX], buf[32];
	unsigned long v;

	if (pt_dev_path(ctx, name, "xenpt/gsi", path, sizeof(path)) ||
	    pt_read_uint(path, 10, &v) || v != gsi)
		return false;
	if (!pt_dev_path(ctx, name, "xenpt/trigger", path, sizeof(path)) &&
	    pt_read_file(path, buf, sizeof(buf)) > 0)
		rec->trigger = !strcmp(buf, "level") ? XENPT_TRIGGER_LEVEL :
			       !strcmp(buf, "edge") ? XENPT_TRIGGER_EDGE :
			       XENPT_TRIGGER_UNKNOWN;
	if (!pt_dev_path(ctx, name, "xenpt/polarity", path, sizeof(path)) &&
	    pt_read_file(path, buf, sizeof(buf)) > 0)
		rec->polarity = !strcmp(buf, "high") ? XENPT_POLARITY_HIGH :
				!strcmp(buf, "low") ? XENPT_POLARITY_LOW :
				XENPT_POLARITY_UNKNOWN;
	if (!pt_dev_path(ctx, name, "xenpt/gsi_source", path, sizeof(path)) &&
	    pt_read_file(path, buf, sizeof(buf)) > 0)
		rec->origin = !strcmp(buf, "registered") ? XENPT_ORIGIN_REGISTERED :
			      !strcmp(buf, "recovered") ? XENPT_ORIGIN_RECOVERED :
			      !strcmp(buf, "acpi") ? XENPT_ORIGIN_ACPI :
			      XENPT_ORIGIN_UNKNOWN;
	return true;
}

int pt_gsi_record(const struct xenpt_ctx *ctx, const char *name,
		  const struct pt_gsi_records *list, struct xenpt_gsi_record *rec)
{
	struct pt_gsi_answer a;
	struct xenpt_bdf b;
	struct pt_addr addr;
	uint32_t sbdf;

	memset(rec, 0, sizeof(*rec));
	if (pt_addr_parse(name, &addr) || addr.all_fns) {
		rec->err = -EINVAL;
		snprintf(rec->reason, sizeof(rec->reason), "not a PCI function's address");
		return rec->err;
	}
	if (!pt_addr_bdf(&addr, &b)) {
		if (pt_dev_exists(ctx, name)) {
			rec->err = -ENODEV;
			snprintf(rec->reason, sizeof(rec->reason), "no such PCI device");
		} else {
			rec->err = -ERANGE;
			pt_kind_no_sbdf_reason(ctx, name, &addr, rec->reason, sizeof(rec->reason));
		}
		return rec->err;
	}
	xenpt_bdf_to_sbdf(&b, &sbdf);
	if (pt_gsi_lookup(ctx, sbdf, &a)) {
		rec->err = a.err;
		memcpy(rec->reason, a.reason, sizeof(rec->reason));
		pt_dbg(ctx, "%s: %s", name, a.reason);
		return rec->err;
	}
	rec->gsi = a.gsi;
	rec->source = a.src;
	if (!module_record(ctx, list, sbdf, a.gsi, rec))
		pciback_ext_record(ctx, name, a.gsi, rec);
	return 0;
}

PT_EXPORT int xenpt_gsi_record(struct xenpt_ctx *ctx, const char *dev,
			       struct xenpt_gsi_record *rec)
{
	char name[XENPT_DEV_STRLEN];
	struct pt_addr a;

	if (!ctx || !dev || !rec)
		return -EINVAL;
	if (pt_addr_parse(dev, &a) || a.all_fns)
		return pt_gsi_record(ctx, dev, NULL, rec);
	pt_addr_format(&a, name, sizeof(name));
	return pt_gsi_record(ctx, name, NULL, rec);
}

PT_EXPORT int xenpt_gsi_record_of_irq(struct xenpt_ctx *ctx, uint32_t irq,
				      struct xenpt_gsi_record *rec)
{
	struct pt_gsi_records list;
	struct pt_gsi_answer a;
	size_t i, best = SIZE_MAX;

	if (!ctx || !rec)
		return -EINVAL;
	memset(rec, 0, sizeof(*rec));
	if (pt_gsi_lookup_irq(ctx, irq, &a)) {
		rec->err = a.err;
		memcpy(rec->reason, a.reason, sizeof(rec->reason));
		pt_dbg(ctx, "irq %u: %s", irq, a.reason);
		return rec->err;
	}
	rec->gsi = a.gsi;
	rec->source = a.src;
	if (pt_gsi_records_load(ctx, &list))
		return 0;
	/* the GSI's wiring: any record of it, the irq's own first */
	for (i = 0; i < list.n; i++) {
		if (list.v[i].gsi != a.gsi)
			continue;
		if (best == SIZE_MAX || ((list.v[i].flags & PRIVCMD_GSI_F_IRQ_VALID) &&
					 list.v[i].irq == irq))
			best = i;
	}
	if (best != SIZE_MAX)
		from_module(&list.v[best], rec);
	pt_gsi_records_free(&list);
	return 0;
}
