// SPDX-License-Identifier: GPL-2.0
/* xenpt assignable-remove [-r] [-n NAME] BDF|NAME...: out of Xen's
 * quarantine, off pciback (and repairs of stale driver_overrides). */
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
	struct xenpt_bdf *bdfs = NULL;
	size_t n = 0, i;
	int r, first, rc = 0;

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
		bdfs = malloc(sizeof(*bdfs));
		if (!bdfs)
			return EXIT_FAIL;
		r = cli_resolve_name(c, o.name, bdfs);
		n = 1;
	} else {
		r = cli_parse_bdfs_or_names(c, argc - first, argv + first, &bdfs, &n);
	}
	if (r) {
		free(bdfs);
		return r;
	}
	for (i = 0; i < n; i++) {
		char name[XENPT_BDF_STRLEN], ebuf[128];
		int err;

		xenpt_bdf_format(&bdfs[i], name, sizeof(name));
		cli_reset_errors(c);
		err = xenpt_assignable_remove(c->ctx, &bdfs[i], o.flags);
		if (err) {
			rc = EXIT_FAIL;
			cli_fail(c, name, "%s", cli_assign_reason(err, ebuf, sizeof(ebuf)));
		}
	}
	free(bdfs);
	return rc;
}
