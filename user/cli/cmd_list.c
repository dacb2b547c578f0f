// SPDX-License-Identifier: GPL-2.0
/* xenpt list: every PCI device with its driver, irq, GSI and IOMMU group. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

/* The ASSIGNABLE column of a device not on pciback: "no", or what is
 * wrong ("stuck", "stale", "idle": a remembered assignment not in effect). */
static const char *problem(unsigned int problems)
{
	if (problems & XENPT_PROBLEM_STUCK)
		return "stuck";
	if (problems & (XENPT_PROBLEM_PERSIST_IDLE | XENPT_PROBLEM_RECORD_IDLE))
		return "idle";
	if (problems & XENPT_PROBLEM_STALE_OVERRIDE)
		return "stale";
	return "no";
}

int cmd_list(struct cli *c, int argc, char **argv)
{
	struct xenpt_device_info *l;
	char why[sizeof(c->held)] = "";
	size_t n, i;
	int err, unknown = 0;

	err = cli_list_start(c, argc, argv, "list");
	if (err)
		return err;
	err = xenpt_device_list(c->ctx, &l, &n);
	if (err)
		return cli_list_failed(err);
	if (c->json)
		fputc('[', stdout);
	else
		printf("%-12s %-9s %-6s %-14s %4s %4s %-11s %-10s %s\n", "BDF", "ID",
		       "CLASS", "DRIVER", "IRQ", "GSI", "SOURCE", "ASSIGNABLE",
		       "GROUP");
	for (i = 0; i < n; i++) {
		const struct xenpt_device_info *d = &l[i];
		char name[XENPT_BDF_STRLEN], irq[16], gsis[16], grp[16];
		enum xenpt_gsi_source src = XENPT_GSI_SRC_NONE;
		uint32_t sbdf, gsi = 0;

		xenpt_bdf_format(&d->bdf, name, sizeof(name));
		xenpt_bdf_to_sbdf(&d->bdf, &sbdf);
		c->hold = true;
		c->held[0] = '\0';
		err = xenpt_gsi_from_sbdf(c->ctx, sbdf, &gsi, &src);
		c->hold = false;
		/* the summary says why no source answered; the per-device
		 * reasons (no pin, not connected, MSI) are in the GSI column */
		if (err == -ENOTSUP || err == -EACCES) {
			unknown++;
			if (c->held[0])
				snprintf(why, sizeof(why), "%s", c->held);
		}
		snprintf(irq, sizeof(irq), d->irq >= 0 ? "%d" : "-", d->irq);
		snprintf(gsis, sizeof(gsis), err ? "-" : "%u", gsi);
		snprintf(grp, sizeof(grp), d->iommu_group >= 0 ? "%d" : "-",
			 d->iommu_group);
		if (c->json) {
			char hex[16];
			bool f = true;

			printf("%s{", i ? "," : "");
			json_key(stdout, &f, "bdf");
			json_str(stdout, name);
			json_key(stdout, &f, "sbdf");
			printf("%u", sbdf);
			json_key(stdout, &f, "vendor");
			snprintf(hex, sizeof(hex), "%04x", d->vendor);
			json_str(stdout, hex);
			json_key(stdout, &f, "device");
			snprintf(hex, sizeof(hex), "%04x", d->device);
			json_str(stdout, hex);
			json_key(stdout, &f, "class");
			snprintf(hex, sizeof(hex), "%06x", d->class_code);
			json_str(stdout, hex);
			json_key(stdout, &f, "driver");
			json_str(stdout, d->driver[0] ? d->driver : NULL);
			json_key(stdout, &f, "irq");
			fputs(d->irq >= 0 ? irq : "null", stdout);
			json_key(stdout, &f, "pin");
			printf("%u", d->pin);
			json_key(stdout, &f, "gsi");
			fputs(err ? "null" : gsis, stdout);
			json_key(stdout, &f, "gsi_source");
			json_str(stdout, err ? NULL : xenpt_gsi_source_name(src));
			json_key(stdout, &f, "gsi_error");
			json_str(stdout, err ? cli_errname(-err) : NULL);
			json_key(stdout, &f, "assignable");
			fputs(d->assigned ? "true" : "false", stdout);
			json_key(stdout, &f, "remembered_driver");
			json_str(stdout, d->known && d->orig_driver[0] ?
				 d->orig_driver : NULL);
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
			fputs(d->iommu_group >= 0 ? grp : "null", stdout);
			fputc('}', stdout);
		} else {
			printf("%-12s %04x:%04x %06x %-14s %4s %4s %-11s %-10s %s\n",
			       name, d->vendor, d->device, d->class_code,
			       d->driver[0] ? d->driver : "-", irq, gsis,
			       err ? "-" : xenpt_gsi_source_name(src),
			       d->assigned ? "yes" : problem(d->problems), grp);
		}
	}
	if (c->json)
		fputs("]\n", stdout);
	for (i = 0; i < n; i++) {
		char name[XENPT_BDF_STRLEN];

		xenpt_bdf_format(&l[i].bdf, name, sizeof(name));
		cli_warn_problems(c, name, l[i].problems, l[i].driver, l[i].override);
	}
	if (unknown && why[0] && c->verbosity >= 0) {
		/* "BDF: reason": say it once, without the BDF */
		const char *m = strstr(why, ": ");

		fprintf(stderr, "xenpt: warning: %d GSI%s unknown: %s\n", unknown,
			unknown > 1 ? "s" : "", m ? m + 2 : why);
	}
	free(l);
	return 0;
}
