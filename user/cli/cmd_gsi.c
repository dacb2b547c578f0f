// SPDX-License-Identifier: GPL-2.0
/* xenpt gsi BDF...: the GSI of each device and where it came from. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int cmd_gsi(struct cli *c, int argc, char **argv)
{
	struct xenpt_bdf *bdfs;
	size_t n, i;
	int rc = 0, r;
	bool comma = false;

	r = cli_opts_and_bdfs(c, argc, argv, "+", cli_json_only, NULL, NULL, &bdfs, &n);
	if (r)
		return r;
	if (c->json)
		fputc('[', stdout);
	for (i = 0; i < n; i++) {
		enum xenpt_gsi_source src;
		char name[XENPT_BDF_STRLEN], ebuf[128];
		uint32_t sbdf, gsi;
		int err;

		xenpt_bdf_format(&bdfs[i], name, sizeof(name));
		xenpt_bdf_to_sbdf(&bdfs[i], &sbdf);
		cli_reset_errors(c);
		err = xenpt_gsi_from_sbdf(c->ctx, sbdf, &gsi, &src);
		if (err) {
			rc = EXIT_FAIL;
			cli_fail(c, name, "%s", cli_gsi_reason(err, ebuf, sizeof(ebuf)));
		}
		cli_gsi_result(c, &comma, name, "sbdf", sbdf, err, gsi, src);
	}
	if (c->json)
		fputs("]\n", stdout);
	free(bdfs);
	return rc;
}
