// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libxenpt-xc.so: exports xc_pcidev_get_gsi() for programs built against
 * Xen 4.20's libxenctrl, answering from libxenpt on kernels < 6.12.
 * Link it before -lxenctrl, or LD_PRELOAD it.
 */
#include <stdint.h>

#include "xenpt.h"

typedef struct xc_interface_core xc_interface;

__attribute__((visibility("default")))
int xc_pcidev_get_gsi(xc_interface *xch, uint32_t sbdf);

int xc_pcidev_get_gsi(xc_interface *xch, uint32_t sbdf)
{
	return xenpt_xc_pcidev_get_gsi(xch, sbdf);
}
