// SPDX-License-Identifier: GPL-2.0
/* xenpt assignable-list [-n]: the devices on pciback, with their driver,
 * and the assignments xenpt remembers that are not in effect (a device
 * that is gone included: "absent"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static int on_list_opt(int opt, void *data)
{
	bool *names = data;

	if (opt != 'n')
		return -1;
	*names = true;
	return 0;
}

int cmd_assignable_list(struct cli *c, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "show-names", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct xenpt_assigned *l;
	bool names = false;
	size_t n, i;
	int err, first;

	first = cli_opts(c, argc, argv, "+n", longs, on_list_opt, &names);
	if (first < 0)
		return EXIT_USAGE;
	if (first < argc)
		return cli_usage_error("assignable-list: unexpected argument '%s'",
				       argv[first]);
	err = xenpt_assignable_list(c->ctx, &l, &n);
	if (err == -ENOENT)
		return EXIT_FAIL;	/* pciback not loaded: said, as xl says it */
	if (err)
		return cli_list_failed(err);
	if (c->json)
		fputc('[', stdout);
	for (i = 0; i < n; i++) {
		const struct xenpt_assigned *a = &l[i];
		char name[XENPT_BDF_STRLEN];

		xenpt_bdf_format(&a->bdf, name, sizeof(name));
		if (c->json) {
			bool f = true;

			printf("%s{", i ? "," : "");
			json_key(stdout, &f, "bdf");
			json_str(stdout, name);
			json_key(stdout, &f, "driver");
			json_str(stdout, a->driver[0] ? a->driver : NULL);
			json_key(stdout, &f, "known");
			fputs(a->known ? "true" : "false", stdout);
			json_key(stdout, &f, "persist");
			fputs(a->persist ? "true" : "false", stdout);
			json_key(stdout, &f, "name");
			json_str(stdout, a->name[0] ? a->name : NULL);
			json_key(stdout, &f, "assigned");
			fputs(a->assigned ? "true" : "false", stdout);
			json_key(stdout, &f, "current_driver");
			json_str(stdout, a->cur_driver[0] ? a->cur_driver : NULL);
			json_key(stdout, &f, "quarantined");
			fputs(a->quarantined ? "true" : "false", stdout);
			json_key(stdout, &f, "problem");
			json_str(stdout, cli_problem_name(a->problems));
			json_key(stdout, &f, "present");
			fputs(a->problems & XENPT_PROBLEM_ABSENT ? "false" : "true", stdout);
			fputc('}', stdout);
		} else {
			printf("%s%s%s %s%s", name, names ? " " : "",
			       names ? (a->name[0] ? a->name : "-") : "",
			       a->driver[0] ? a->driver : "-", a->persist ? " persist" : "");
			if (a->problems & XENPT_PROBLEM_ABSENT)
				printf(" (absent: hot-removed?)");
			else if (!a->assigned)
				printf(" (not in effect: on %s)",
				       a->cur_driver[0] ? a->cur_driver : "no driver");
			putchar('\n');
		}
	}
	if (c->json)
		fputs("]\n", stdout);
	for (i = 0; i < n; i++) {
		char name[XENPT_BDF_STRLEN];

		xenpt_bdf_format(&l[i].bdf, name, sizeof(name));
		cli_warn_problems(c, name, l[i].problems &
				  (XENPT_PROBLEM_PERSIST_IDLE | XENPT_PROBLEM_RECORD_IDLE |
				   XENPT_PROBLEM_ABSENT), l[i].cur_driver, "");
	}
	free(l);
	return 0;
}
