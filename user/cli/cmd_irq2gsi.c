// SPDX-License-Identifier: GPL-2.0
/* xenpt irq2gsi IRQ...: the GSI behind each Linux irq (with --json also
 * its trigger, polarity and origin, or why there is none). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int cmd_irq2gsi(struct cli *c, int argc, char **argv)
{
	int first, i, rc = 0;
	bool comma = false;

	first = cli_opts(c, argc, argv, "+", cli_json_only, NULL, NULL);
	if (first < 0)
		return EXIT_USAGE;
	if (first >= argc)
		return cli_usage_error("missing IRQ argument");
	for (i = first; i < argc; i++) {
		const char *s = argv[i];
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(s, &end, 10);
		if (!*s || *s < '0' || *s > '9' || *end || errno || v > UINT32_MAX)
			return cli_usage_error("%s: invalid irq (expected a decimal number)", s);
	}
	if (c->json)
		fputc('[', stdout);
	for (i = first; i < argc; i++) {
		uint32_t irq = (uint32_t)strtoul(argv[i], NULL, 10);
		struct xenpt_gsi_record rec;
		char what[32];

		snprintf(what, sizeof(what), "irq %u", irq);
		if (xenpt_gsi_record_of_irq(c->ctx, irq, &rec)) {
			rc = EXIT_FAIL;
			cli_fail(what, "%s", rec.reason);
		}
		cli_gsi_result(c, &comma, NULL, "irq", true, irq, &rec);
	}
	if (c->json)
		fputs("]\n", stdout);
	return rc;
}
