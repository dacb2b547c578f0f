// SPDX-License-Identifier: GPL-2.0
/* xenpt assignable-add [-f] [-p] [--strict] BDF...: bind to pciback. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct add_opts {
	unsigned int flags;
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
	}
	return -1;
}

int cmd_assignable_add(struct cli *c, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "persist", no_argument, NULL, 'p' },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ NULL, 0, NULL, 0 },
	};
	struct add_opts o = { 0 };
	struct xenpt_bdf *bdfs;
	size_t n, i;
	int r, *res, rc = 0;

	r = cli_opts_and_bdfs(c, argc, argv, "+fp", longs, on_add_opt, &o, &bdfs, &n);
	if (r)
		return r;
	res = calloc(n, sizeof(*res));
	if (!res) {
		free(bdfs);
		return EXIT_FAIL;
	}
	cli_reset_errors(c);
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
		char name[XENPT_BDF_STRLEN];

		if (!res[i])
			continue;
		rc = EXIT_FAIL;
		xenpt_bdf_format(&bdfs[i], name, sizeof(name));
		cli_fail(c, name, "%s", strerror(-res[i]));
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
