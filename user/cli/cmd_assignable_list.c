// SPDX-License-Identifier: GPL-2.0
/* xenpt assignable-list: the devices on pciback, with their driver. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "json.h"

int cmd_assignable_list(struct cli *c, int argc, char **argv)
{
	struct xenpt_assigned *l;
	size_t n, i;
	int err;

	err = cli_list_start(c, argc, argv, "assignable-list");
	if (err)
		return err;
	err = xenpt_assignable_list(c->ctx, &l, &n);
	if (err)
		return cli_list_failed(err);
	if (c->json)
		fputc('[', stdout);
	for (i = 0; i < n; i++) {
		char name[XENPT_BDF_STRLEN];

		xenpt_bdf_format(&l[i].bdf, name, sizeof(name));
		if (c->json) {
			bool f = true;

			printf("%s{", i ? "," : "");
			json_key(stdout, &f, "bdf");
			json_str(stdout, name);
			json_key(stdout, &f, "driver");
			json_str(stdout, l[i].driver[0] ? l[i].driver : NULL);
			json_key(stdout, &f, "known");
			fputs(l[i].known ? "true" : "false", stdout);
			json_key(stdout, &f, "persist");
			fputs(l[i].persist ? "true" : "false", stdout);
			fputc('}', stdout);
		} else {
			printf("%s %s%s\n", name, l[i].driver[0] ? l[i].driver : "-",
			       l[i].persist ? " persist" : "");
		}
	}
	if (c->json)
		fputs("]\n", stdout);
	free(l);
	return 0;
}
