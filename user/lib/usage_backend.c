// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Does a Xen backend in dom0 serve a guest from what a device carries,
 * other than a block device (blkback is usage_storage.c's)?  usbback: a
 * USB device behind the device (a USB controller) whose interfaces are
 * bound to usbback, given to a guest (/sys/bus/usb/drivers/usbback/).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void pt_usage_backend(const struct xenpt_ctx *ctx, const char *devreal,
		      struct pt_reasons *r)
{
	char path[PATH_MAX], **v;
	size_t n, i;

	if (pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/bus/usb/drivers/usbback") ||
	    pt_dir_list(path, true, &v, &n))
		return;
	for (i = 0; i < n; i++)
		if (pt_path_below(v[i], devreal))
			pt_usage_reason(r, "USB interface %s is on it, given to a guest "
					"(usbback)", strrchr(v[i], '/') + 1);
	pt_strv_free(v, n);
}
