// SPDX-License-Identifier: GPL-2.0
/*
 * xenpt assignable-add [-f] [-p] [--strict] [--no-quarantine] [-n NAME]
 * BDF...: bind to pciback and put in Xen's quarantine.
 *
 * xenpt --boot assignable-add BDF...: what the udev rule of a persistent
 * device runs when the device is added: the same add (taking the device
 * from a native driver that bound first), persistent, quarantined if it
 * was added so, quiet, one line per device on stderr (for the journal),
 * exit 0 when it is on pciback.  Without a BDF: every persistent device
 * (xenpt-persist.service, before guests start).
 *
 * What failed for a device, and why, comes from its result
 * (xenpt_assignable_add_devices()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct add_opts {
	unsigned int flags;
	const char *name;
};

static int on_add_opt(int opt, void *data)
{
	struct add_opts *o = data;

	switch (opt) {
	case 'f':
		o->flags |= XENPT_ASSIGN_FORCE;
		return 0;
	case 'p':
		o->flags |= XENPT_ASSIGN_PERSIST;
		return 0;
	case OPT_STRICT:
		o->flags |= XENPT_ASSIGN_STRICT;
		return 0;
	case OPT_NO_QUARANTINE:
		o->flags |= XENPT_ASSIGN_NO_QUARANTINE;
		return 0;
	case 'n':
		o->name = optarg;
		return 0;
	}
	return -1;
}

/* The driver of a device now, "" none or gone. */
static void driver_of(struct cli *c, const struct cli_dev *d, char *buf, size_t size)
{
	struct xenpt_device_info info;

	buf[0] = '\0';
	if (d->has_bdf && !xenpt_device_get(c->ctx, &d->bdf, &info))
		snprintf(buf, size, "%s", info.driver);
}

/* --boot: one line per device, from where it ends up. */
static int boot_report(struct cli *c, const struct cli_dev *d, const char *before,
		       const struct xenpt_result *r)
{
	char now[XENPT_DRIVER_MAX];
	bool was_there = !strcmp(before, "pciback");

	driver_of(c, d, now, sizeof(now));
	if (!strcmp(now, "pciback")) {
		fprintf(stderr, "xenpt: %s: boot: on pciback%s%s%s\n", d->name,
			was_there ? "" : " (was on ",
			was_there ? "" : before[0] ? before : "no driver",
			was_there ? "" : ")");
		if (r->err)
			fprintf(stderr, "xenpt: %s: boot: but: %s\n", d->name, r->reason);
		return 0;
	}
	fprintf(stderr, "xenpt: %s: boot: not on pciback (on %s): %s\n", d->name,
		now[0] ? now : "no driver", r->err ? r->reason : "unknown reason");
	return EXIT_FAIL;
}

/* --boot without a BDF: every persistent device xenpt remembers. */
static int persistent_devs(struct cli *c, struct cli_dev **devs, size_t *n)
{
	struct xenpt_assigned *list = NULL;
	char **names;
	size_t count = 0, i, k = 0;
	int r;

	r = xenpt_assignable_list(c->ctx, &list, &count);
	if (r) {
		fprintf(stderr, "xenpt: boot: %s\n", r == -ENOENT ?
			"xen-pciback is not loaded (modprobe xen-pciback)" : strerror(-r));
		return EXIT_FAIL;
	}
	names = calloc(count + 1, sizeof(*names));
	if (!names) {
		free(list);
		return EXIT_FAIL;
	}
	for (i = 0; i < count; i++) {
		char s[XENPT_BDF_STRLEN];

		if (!list[i].persist || xenpt_bdf_format(&list[i].bdf, s, sizeof(s)) < 0)
			continue;
		names[k++] = strdup(s);
	}
	free(list);
	*devs = NULL;
	*n = 0;
	r = k ? cli_parse_devs(c, (int)k, names, devs, n) : 0;
	for (i = 0; i < k; i++)
		free(names[i]);
	free(names);
	return r;
}

int cmd_assignable_add(struct cli *c, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "persist", no_argument, NULL, 'p' },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "no-quarantine", no_argument, NULL, OPT_NO_QUARANTINE },
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct add_opts o = { 0, NULL };
	struct xenpt_result *res = NULL;
	struct cli_dev *devs;
	const char **names = NULL;
	size_t n, i;
	int r, first, rc = 0;

	first = cli_opts(c, argc, argv, "+fpn:", longs, on_add_opt, &o);
	if (first < 0)
		return EXIT_USAGE;
	if (o.name) {
		char canon[XENPT_DEV_STRLEN];

		if (xenpt_name_check(o.name))
			return cli_usage_error("%s: invalid name (1..%d printable "
					       "characters, no blanks, none of , = @ : / *)",
					       o.name, XENPT_NAME_MAX);
		if (argc - first != 1 || xenpt_dev_name(argv[first], canon, sizeof(canon)) < 0 ||
		    strchr(canon, '*'))
			return cli_usage_error("assignable-add: -n names one device: "
					       "one BDF, not a wildcard");
	}
	if (c->boot && argc == first)
		r = persistent_devs(c, &devs, &n);
	else
		r = cli_parse_devs(c, argc - first, argv + first, &devs, &n);
	if (r)
		return r;
	if (!n)		/* --boot, no persistent device */
		return 0;
	if (c->boot)
		o.flags |= XENPT_ASSIGN_PERSIST | XENPT_ASSIGN_AS_RECORDED; /* in the rule */
	res = calloc(n, sizeof(*res));
	names = cli_dev_names(devs, n);
	if (!res || !names) {
		rc = EXIT_FAIL;
		goto out;
	}
	if (c->boot) {
		/* one line each */
		for (i = 0; i < n; i++) {
			char before[XENPT_DRIVER_MAX];

			driver_of(c, &devs[i], before, sizeof(before));
			xenpt_assignable_add_devices(c->ctx, &names[i], 1, o.flags, NULL,
						     &res[i]);
			if (boot_report(c, &devs[i], before, &res[i]))
				rc = EXIT_FAIL;
		}
		goto out;
	}
	r = xenpt_assignable_add_devices(c->ctx, names, n, o.flags, o.name, res);
	rc = cli_results(c, res, n);
	if (r && !rc) {
		fprintf(stderr, "xenpt: assignable-add: %s\n", strerror(-r));
		rc = EXIT_FAIL;
	}
out:
	free(names);
	free(res);
	free(devs);
	return rc;
}
