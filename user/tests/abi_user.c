// SPDX-License-Identifier: GPL-2.0
/* Linked against libxenpt.so and libxenpt-xc.so (not the static library):
 * the public API and the xc_pcidev_get_gsi alias through the dynamic
 * linker.  Expects XENPT_ROOT to be a PV fixture (irq == GSI) with
 * 0000:00:04.0 on pciback. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "xenpt.h"

typedef struct xc_interface_core xc_interface;
int xc_pcidev_get_gsi(xc_interface *xch, uint32_t sbdf);

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
	return 0;
}
