// SPDX-License-Identifier: GPL-2.0
/* Linked against libxenpt.so and libxenpt-xc.so (not the static library):
 * the public API (LIBXENPT_1 and LIBXENPT_1.1) and the xc_pcidev_get_gsi
 * alias through the dynamic linker.  Expects XENPT_ROOT to be a PV
 * fixture (irq == GSI) with 0000:00:04.0 on pciback. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenpt.h"

typedef struct xc_interface_core xc_interface;
int xc_pcidev_get_gsi(xc_interface *xch, uint32_t sbdf);

/* LIBXENPT_1.1 through the dynamic linker: a name, a record, a kind. */
static int abi_1_1(void)
{
	struct xenpt_device_kind kind;
	struct xenpt_gsi_record rec;
	struct xenpt_ctx *ctx;
	char name[XENPT_DEV_STRLEN];
	int err;

	if (xenpt_dev_name("10000:e1:00.0", name, sizeof(name)) != 13 ||
	    strcmp(name, "10000:e1:00.0")) {
		fprintf(stderr, "abi_user: xenpt_dev_name\n");
		return 1;
	}
	if (xenpt_ctx_new(&ctx) || xenpt_ctx_set_root(ctx, getenv("XENPT_ROOT"))) {
		fprintf(stderr, "abi_user: context\n");
		return 1;
	}
	err = xenpt_gsi_record(ctx, "00:04.0", &rec);
	if (err || rec.gsi != 51 || rec.source != XENPT_GSI_SRC_IRQ ||
	    strcmp(xenpt_trigger_name(rec.trigger), "unknown")) {
		fprintf(stderr, "abi_user: xenpt_gsi_record: %d %u\n", err, rec.gsi);
		return 1;
	}
	err = xenpt_device_kind(ctx, "0000:00:00.0", &kind);
	if (err || kind.kind != XENPT_KIND_HOST_BRIDGE) {
		fprintf(stderr, "abi_user: xenpt_device_kind: %d\n", err);
		return 1;
	}
	xenpt_ctx_unref(ctx);
	return 0;
}

int main(void)
{
	struct xenpt_bdf b;
	uint32_t sbdf;
	int gsi;

	if (xenpt_bdf_parse("0000:00:04.0", &b) || xenpt_bdf_to_sbdf(&b, &sbdf) || sbdf != 0x20) {
		fprintf(stderr, "abi_user: parse\n");
		return 1;
	}
	gsi = xenpt_xc_pcidev_get_gsi(NULL, sbdf);
	if (gsi != 51) {
		fprintf(stderr, "abi_user: xenpt_xc_pcidev_get_gsi: %d\n", gsi);
		return 1;
	}
	gsi = xc_pcidev_get_gsi(NULL, sbdf);
	if (gsi != 51) {
		fprintf(stderr, "abi_user: xc_pcidev_get_gsi: %d\n", gsi);
		return 1;
	}
	errno = 0;
	if (xc_pcidev_get_gsi(NULL, 0xff00) != -1 || errno != ENODEV) {
		fprintf(stderr, "abi_user: missing device: errno %d\n", errno);
		return 1;
	}
	return abi_1_1();
}
