// SPDX-License-Identifier: GPL-2.0
/* xenpt assignable-remove [-r] BDF...: take from pciback. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int on_remove_opt(int opt, void *data)
{
	unsigned int *flags = data;

	if (opt != 'r')
		return -1;
	*flags |= XENPT_REMOVE_REBIND;
	return 0;
}

int cmd_assignable_remove(struct cli *c, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "rebind", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int flags = 0;
	struct xenpt_bdf *bdfs;
	size_t n, i;
	int r, rc = 0;

	r = cli_opts_and_bdfs(c, argc, argv, "+r", longs, on_remove_opt, &flags, &bdfs, &n);
	if (r)
		return r;
	for (i = 0; i < n; i++) {
		char name[XENPT_BDF_STRLEN];
		int err;

		xenpt_bdf_format(&bdfs[i], name, sizeof(name));
		cli_reset_errors(c);
		err = xenpt_assignable_remove(c->ctx, &bdfs[i], flags);
		if (err) {
			rc = EXIT_FAIL;
			cli_fail(c, name, "%s", strerror(-err));
		}
	}
	free(bdfs);
	return rc;
}
