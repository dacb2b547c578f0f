// SPDX-License-Identifier: LGPL-2.1-or-later
/* xc_pcidev_get_gsi()-compatible entry point (Xen 4.20 libxenctrl). */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

PT_EXPORT int xenpt_xc_pcidev_get_gsi(void *xch, uint32_t sbdf)
{
	struct xenpt_ctx *ctx;
	const char *root;
	uint32_t gsi;
	int err;

	(void)xch;
	err = xenpt_ctx_new(&ctx);
	if (!err) {
		root = secure_getenv("XENPT_ROOT");
		if (root && *root)
			err = xenpt_ctx_set_root(ctx, root);
		if (!err)
			err = xenpt_privcmd_get_gsi(ctx, sbdf, &gsi);
		xenpt_ctx_unref(ctx);
	}
	if (err) {
		errno = -err;
		return -1;
	}
	if (gsi > (uint32_t)INT32_MAX) {
		errno = ERANGE;
		return -1;
	}
	return (int)gsi;
}
