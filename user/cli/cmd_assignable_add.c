// SPDX-License-Identifier: GPL-2.0
/*
 * xenpt assignable-add [-f] [-p] [--strict] [--no-quarantine] [-n NAME]
 * BDF...: bind to pciback and put in Xen's quarantine.
 *
 * xenpt --boot assignable-add BDF...: what the udev rule of a persistent
 * device runs when the device is added: the same add (taking the device
 * from a native driver that bound first), persistent, quarantined if it
 * was added so, quiet, one line per
 * device on stderr (for the journal), exit 0 when it is on pciback.
 */
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

/* --boot: one line per device, from where it ends up. */
static int boot_report(struct cli *c, const struct xenpt_bdf *b,
		       const char *before, int err)
{
	struct xenpt_device_info d;
	char name[XENPT_BDF_STRLEN], ebuf[128];
	const char *why = c->held[0] ? c->held : cli_assign_reason(err, ebuf, sizeof(ebuf));
	const char *m = strstr(why, ": ");

	xenpt_bdf_format(b, name, sizeof(name));
	/* the held message starts with the BDF: not twice */
	if (c->held[0] && m && !strncmp(why, name, strlen(name)))
		why = m + 2;
	if (!xenpt_device_get(c->ctx, b, &d) && d.assigned) {
		fprintf(stderr, "xenpt: %s: boot: on pciback%s%s%s\n", name,
			strcmp(before, "pciback") ? " (was on " : "",
			strcmp(before, "pciback") ? (before[0] ? before : "no driver") : "",
			strcmp(before, "pciback") ? ")" : "");
		if (err)
			fprintf(stderr, "xenpt: %s: boot: but: %s\n", name, why);
		return 0;
	}
	fprintf(stderr, "xenpt: %s: boot: not on pciback (on %s): %s\n", name,
		d.driver[0] ? d.driver : "no driver", err ? why : "unknown reason");
	return EXIT_FAIL;
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
	struct xenpt_bdf *bdfs;
	size_t n, i;
	int r, first, *res, rc = 0;

	first = cli_opts(c, argc, argv, "+fpn:", longs, on_add_opt, &o);
	if (first < 0)
		return EXIT_USAGE;
	if (o.name) {
		struct xenpt_bdf b;

		if (xenpt_name_check(o.name))
			return cli_usage_error("%s: invalid name (1..%d printable "
					       "characters, no blanks, none of , = @ : / *)",
					       o.name, XENPT_NAME_MAX);
		if (argc - first != 1 || xenpt_bdf_parse(argv[first], &b) || b.all_fns)
			return cli_usage_error("assignable-add: -n names one device: "
					       "one BDF, not a wildcard");
	}
	r = cli_parse_bdfs(c, argc - first, argv + first, &bdfs, &n);
	if (r)
		return r;
	if (c->boot)
		o.flags |= XENPT_ASSIGN_PERSIST;	/* it is in the rule */
	res = calloc(n, sizeof(*res));
	if (!res) {
		free(bdfs);
		return EXIT_FAIL;
	}
	if (c->boot) {
		/* one line each: the library's errors are held, not printed */
		for (i = 0; i < n; i++) {
			struct xenpt_device_info d;

			if (xenpt_device_get(c->ctx, &bdfs[i], &d))
				d.driver[0] = '\0';
			cli_reset_errors(c);
			c->hold = true;
			c->held[0] = '\0';
			res[i] = xenpt_assignable_add(c->ctx, &bdfs[i],
						      o.flags | XENPT_ASSIGN_AS_RECORDED);
			c->hold = false;
			if (boot_report(c, &bdfs[i], d.driver, res[i]))
				rc = EXIT_FAIL;
		}
		free(res);
		free(bdfs);
		return rc;
	}
	cli_reset_errors(c);
	if (o.name)
		r = res[0] = xenpt_assignable_add_named(c->ctx, &bdfs[0], o.flags, o.name);
	else
		r = xenpt_assignable_add_many(c->ctx, bdfs, n, o.flags, res);
	if (r && r != res[0]) {
		/* failed before any device (lock, arguments) */
		bool any = false;

		for (i = 0; i < n; i++)
			any |= res[i] != 0;
		if (!any) {
			if (!c->errors)
				fprintf(stderr, "xenpt: assignable-add: %s\n", strerror(-r));
			free(res);
			free(bdfs);
			return EXIT_FAIL;
		}
	}
	for (i = 0; i < n; i++) {
		char name[XENPT_BDF_STRLEN], ebuf[128];

		if (!res[i])
			continue;
		rc = EXIT_FAIL;
		xenpt_bdf_format(&bdfs[i], name, sizeof(name));
		cli_fail(c, name, "%s", cli_assign_reason(res[i], ebuf, sizeof(ebuf)));
	}
	if (r && !rc) {
		if (!c->errors)
			fprintf(stderr, "xenpt: assignable-add: %s\n", strerror(-r));
		rc = EXIT_FAIL;
	}
	free(res);
	free(bdfs);
	return rc;
}
