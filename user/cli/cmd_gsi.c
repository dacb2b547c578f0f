// SPDX-License-Identifier: GPL-2.0
/* xenpt gsi BDF...: the GSI of each device and where it came from (with
 * --json also its trigger, polarity and origin, or why there is none). */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int cmd_gsi(struct cli *c, int argc, char **argv)
{
	struct cli_dev *devs;
	size_t n, i;
	int rc = 0, r;
	bool comma = false;

	r = cli_opts_and_devs(c, argc, argv, "+", cli_json_only, NULL, NULL, &devs, &n);
	if (r)
		return r;
	if (c->json)
		fputc('[', stdout);
	for (i = 0; i < n; i++) {
		struct xenpt_gsi_record rec;
		uint32_t sbdf = 0;

		if (devs[i].has_bdf)
			xenpt_bdf_to_sbdf(&devs[i].bdf, &sbdf);
		if (xenpt_gsi_record(c->ctx, devs[i].name, &rec)) {
			rc = EXIT_FAIL;
			cli_fail(devs[i].name, "%s", rec.reason);
		}
		cli_gsi_result(c, &comma, devs[i].name, "sbdf", devs[i].has_bdf, sbdf, &rec);
	}
	if (c->json)
		fputs("]\n", stdout);
	free(devs);
	return rc;
}
