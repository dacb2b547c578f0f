// SPDX-License-Identifier: GPL-2.0
/*
 * xenpt list [-l]: every PCI device (domains above ffff included) with its
 * driver, irq, GSI and its source, whether it is assignable, IOMMU group;
 * -l also the GSI's trigger, polarity and origin (privcmd-gsi's records).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

/* The ASSIGNABLE column: "never" (not an endpoint, no SBDF), "yes" (on
 * pciback), "no", or what is wrong ("stuck", "stale", "idle": a
 * remembered assignment not in effect). */
static const char *assignable(const struct xenpt_device_entry *e)
{
	unsigned int p = e->info.problems;

	if (e->kind.kind != XENPT_KIND_ENDPOINT)
		return "never";
	if (e->info.assigned)
		return "yes";
	if (p & XENPT_PROBLEM_STUCK)
		return "stuck";
	if (p & (XENPT_PROBLEM_PERSIST_IDLE | XENPT_PROBLEM_RECORD_IDLE))
		return "idle";
	if (p & XENPT_PROBLEM_STALE_OVERRIDE)
		return "stale";
	return "no";
}

static void json_entry(const struct xenpt_device_entry *e, bool comma)
{
	const struct xenpt_device_info *d = &e->info;
	const struct xenpt_gsi_record *g = &e->gsi;
	char hex[16];
	bool f = true;
	uint32_t sbdf;

	printf("%s{", comma ? "," : "");
	json_key(stdout, &f, "bdf");
	json_str(stdout, e->name);
	json_key(stdout, &f, "sbdf");
	if (e->has_sbdf && !xenpt_bdf_to_sbdf(&d->bdf, &sbdf))
		printf("%u", sbdf);
	else
		fputs("null", stdout);
	json_key(stdout, &f, "vendor");
	snprintf(hex, sizeof(hex), "%04x", d->vendor);
	json_str(stdout, hex);
	json_key(stdout, &f, "device");
	snprintf(hex, sizeof(hex), "%04x", d->device);
	json_str(stdout, hex);
	json_key(stdout, &f, "class");
	snprintf(hex, sizeof(hex), "%06x", d->class_code);
	json_str(stdout, hex);
	json_key(stdout, &f, "kind");
	json_str(stdout, xenpt_dev_kind_name(e->kind.kind));
	json_key(stdout, &f, "driver");
	json_str(stdout, d->driver[0] ? d->driver : NULL);
	json_key(stdout, &f, "irq");
	if (d->irq >= 0)
		printf("%d", d->irq);
	else
		fputs("null", stdout);
	json_key(stdout, &f, "pin");
	printf("%u", d->pin);
	json_key(stdout, &f, "gsi");
	if (g->err)
		fputs("null", stdout);
	else
		printf("%u", g->gsi);
	json_key(stdout, &f, "gsi_source");
	json_str(stdout, g->err ? NULL : xenpt_gsi_source_name(g->source));
	json_key(stdout, &f, "gsi_error");
	json_str(stdout, g->err ? cli_errname(-g->err) : NULL);
	json_key(stdout, &f, "trigger");
	json_str(stdout, xenpt_trigger_name(g->trigger));
	json_key(stdout, &f, "polarity");
	json_str(stdout, xenpt_polarity_name(g->polarity));
	json_key(stdout, &f, "gsi_origin");
	json_str(stdout, xenpt_gsi_origin_name(g->origin));
	json_key(stdout, &f, "assignable");
	fputs(d->assigned ? "true" : "false", stdout);
	json_key(stdout, &f, "remembered_driver");
	json_str(stdout, d->known && d->orig_driver[0] ? d->orig_driver : NULL);
	json_key(stdout, &f, "persist");
	fputs(d->persist ? "true" : "false", stdout);
	json_key(stdout, &f, "name");
	json_str(stdout, d->name[0] ? d->name : NULL);
	json_key(stdout, &f, "driver_override");
	json_str(stdout, d->override[0] ? d->override : NULL);
	json_key(stdout, &f, "quarantined");
	fputs(d->quarantined ? "true" : "false", stdout);
	json_key(stdout, &f, "problem");
	json_str(stdout, cli_problem_name(d->problems));
	json_key(stdout, &f, "iommu_group");
	if (d->iommu_group >= 0)
		printf("%d", d->iommu_group);
	else
		fputs("null", stdout);
	fputc('}', stdout);
}

static void text_entry(const struct xenpt_device_entry *e, bool lng)
{
	const struct xenpt_device_info *d = &e->info;
	const struct xenpt_gsi_record *g = &e->gsi;
	char irq[16], gsi[16], grp[16];

	snprintf(irq, sizeof(irq), d->irq >= 0 ? "%d" : "-", d->irq);
	snprintf(gsi, sizeof(gsi), g->err ? "-" : "%u", g->gsi);
	snprintf(grp, sizeof(grp), d->iommu_group >= 0 ? "%d" : "-", d->iommu_group);
	printf("%-12s %04x:%04x %06x %-14s %4s %4s %-11s ", e->name, d->vendor,
	       d->device, d->class_code, d->driver[0] ? d->driver : "-", irq, gsi,
	       g->err ? "-" : xenpt_gsi_source_name(g->source));
	if (lng)
		printf("%-7s %-8s %-10s ", xenpt_trigger_name(g->trigger),
		       xenpt_polarity_name(g->polarity), xenpt_gsi_origin_name(g->origin));
	printf("%-10s %s\n", assignable(e), grp);
}

static int on_list_opt(int opt, void *data)
{
	bool *lng = data;

	if (opt != 'l')
		return -1;
	*lng = true;
	return 0;
}

int cmd_list(struct cli *c, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "long", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct xenpt_device_entry *l;
	const char *why = NULL;
	bool lng = false;
	size_t n, i;
	int err, first, unknown = 0;

	first = cli_opts(c, argc, argv, "+l", longs, on_list_opt, &lng);
	if (first < 0)
		return EXIT_USAGE;
	if (first < argc)
		return cli_usage_error("list: unexpected argument '%s'", argv[first]);
	err = xenpt_device_list_all(c->ctx, &l, &n);
	if (err)
		return cli_list_failed(err);
	if (c->json)
		fputc('[', stdout);
	else if (lng)
		printf("%-12s %-9s %-6s %-14s %4s %4s %-11s %-7s %-8s %-10s %-10s %s\n",
		       "BDF", "ID", "CLASS", "DRIVER", "IRQ", "GSI", "SOURCE", "TRIGGER",
		       "POLARITY", "ORIGIN", "ASSIGNABLE", "GROUP");
	else
		printf("%-12s %-9s %-6s %-14s %4s %4s %-11s %-10s %s\n", "BDF", "ID",
		       "CLASS", "DRIVER", "IRQ", "GSI", "SOURCE", "ASSIGNABLE", "GROUP");
	for (i = 0; i < n; i++) {
		/* the summary says why no source answered; the per-device
		 * reasons (no pin, not connected, MSI) are in --json */
		if (l[i].gsi.err == -ENOTSUP || l[i].gsi.err == -EACCES) {
			unknown++;
			why = l[i].gsi.reason;
		}
		if (c->json)
			json_entry(&l[i], i > 0);
		else
			text_entry(&l[i], lng);
	}
	if (c->json)
		fputs("]\n", stdout);
	for (i = 0; i < n; i++)
		cli_warn_problems(c, l[i].name, l[i].info.problems, l[i].info.driver,
				  l[i].info.override);
	if (unknown && why && c->verbosity >= 0)
		fprintf(stderr, "xenpt: warning: %d GSI%s unknown: %s\n", unknown,
			unknown > 1 ? "s" : "", why);
	free(l);
	return 0;
}
