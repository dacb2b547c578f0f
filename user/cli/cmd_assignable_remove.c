// SPDX-License-Identifier: GPL-2.0
/* xenpt assignable-remove [-r] [-n NAME] BDF|NAME...: out of Xen's
 * quarantine, off pciback (and repairs of stale driver_overrides; a
 * device that is gone is forgotten).  Each device's outcome comes from its
 * result (xenpt_assignable_remove_devices()). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct remove_opts {
	unsigned int flags;
	const char *name;
};

static int on_remove_opt(int opt, void *data)
{
	struct remove_opts *o = data;

	switch (opt) {
	case 'r':
		o->flags |= XENPT_REMOVE_REBIND;
		return 0;
	case 'n':
		o->name = optarg;
		return 0;
	}
	return -1;
}

int cmd_assignable_remove(struct cli *c, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "rebind", no_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct remove_opts o = { 0, NULL };
	struct xenpt_result *res = NULL;
	struct cli_dev *devs = NULL;
	const char **names = NULL;
	size_t n = 0;
	int r, first, rc;

	first = cli_opts(c, argc, argv, "+rn:", longs, on_remove_opt, &o);
	if (first < 0)
		return EXIT_USAGE;
	if (o.name) {
		/* -n NAME: as a NAME argument (xl takes it positionally) */
		if (xenpt_name_check(o.name))
			return cli_usage_error("%s: invalid name", o.name);
		if (first < argc)
			return cli_usage_error("assignable-remove: -n NAME, or BDF|NAME "
					       "arguments, not both");
		devs = calloc(1, sizeof(*devs));
		if (!devs)
			return EXIT_FAIL;
		r = cli_resolve_name(c, o.name, &devs->bdf);
		devs->has_bdf = true;
		xenpt_bdf_format(&devs->bdf, devs->name, sizeof(devs->name));
		n = 1;
	} else {
		r = cli_parse_devs_or_names(c, argc - first, argv + first, &devs, &n);
	}
	if (r) {
		free(devs);
		return r;
	}
	res = calloc(n, sizeof(*res));
	names = cli_dev_names(devs, n);
	if (!res || !names) {
		rc = EXIT_FAIL;
	} else {
		r = xenpt_assignable_remove_devices(c->ctx, names, n, o.flags, res);
		rc = cli_results(c, res, n);
		if (r && !rc) {
			fprintf(stderr, "xenpt: assignable-remove: %s\n", strerror(-r));
			rc = EXIT_FAIL;
		}
	}
	free(names);
	free(res);
	free(devs);
	return rc;
}
