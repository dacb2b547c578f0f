// SPDX-License-Identifier: GPL-2.0
/* xenpt qemu-args [--permissive] BDF...: QEMU -device arguments. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static int on_qemu_opt(int opt, void *data)
{
	bool *permissive = data;

	if (opt != OPT_PERMISSIVE)
		return -1;
	*permissive = true;
	return 0;
}

int cmd_qemu_args(struct cli *c, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "permissive", no_argument, NULL, OPT_PERMISSIVE },
		{ NULL, 0, NULL, 0 },
	};
	bool permissive = false, comma = false;
	struct xenpt_bdf *bdfs;
	size_t n, i;
	int r, rc = 0;

	r = cli_opts_and_bdfs(c, argc, argv, "+", longs, on_qemu_opt, &permissive, &bdfs, &n);
	if (r)
		return r;
	if (c->json)
		fputc('[', stdout);
	for (i = 0; i < n; i++) {
		struct xenpt_device_info d;
		char name[XENPT_BDF_STRLEN], id[32], obj[256];
		const struct xenpt_bdf *b = &bdfs[i];
		int err;

		xenpt_bdf_format(b, name, sizeof(name));
		err = xenpt_device_get(c->ctx, b, &d);
		if (err) {
			rc = EXIT_FAIL;
			cli_fail(c, name, "%s", err == -ENODEV ? "no such PCI device" :
				 strerror(-err));
			continue;
		}
		if (!d.assigned) {
			rc = EXIT_FAIL;
			cli_fail(c, name, "not assignable (not bound to pciback): "
				 "run xenpt assignable-add %s first", name);
			continue;
		}
		/* libxl's id for the device: pci-pt-BB_DD.F */
		if (b->domain)
			snprintf(id, sizeof(id), "pci-pt-%04x_%02x_%02x.%x",
				 b->domain, b->bus, b->dev, b->fn);
		else
			snprintf(id, sizeof(id), "pci-pt-%02x_%02x.%x", b->bus,
				 b->dev, b->fn);
		snprintf(obj, sizeof(obj),
			 "{\"driver\":\"xen-pci-passthrough\",\"id\":\"%s\","
			 "\"hostaddr\":\"%s\"%s}", id, name,
			 permissive ? ",\"permissive\":true" : "");
		if (c->json) {
			bool f = true;

			printf("%s{", comma ? "," : "");
			comma = true;
			json_key(stdout, &f, "bdf");
			json_str(stdout, name);
			json_key(stdout, &f, "args");
			fputs("[\"-device\",", stdout);
			json_str(stdout, obj);
			fputs("]}", stdout);
		} else {
			/* the object has no single quote: safe in '...' */
			printf("-device '%s'\n", obj);
		}
	}
	if (c->json)
		fputs("]\n", stdout);
	free(bdfs);
	return rc;
}
