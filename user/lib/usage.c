// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Does dom0 use a device?  When anything in dom0 holds what the device
 * carries: storage (usage_storage.c: a mounted file system or swap
 * anywhere up the storage stack, a holder, a backend or target serving
 * it), the console or a display (usage_display.c), a network interface
 * that is up, has addresses or is enslaved (usage_net.c), a USB device a
 * backend gives a guest (usage_backend.c).  Decided from
 * sysfs and /proc (and udev's database for ZFS) alone: nothing is opened
 * for writing, nothing run.  The reasons name the holder.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void pt_usage_reason(struct pt_reasons *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	r->count++;
	if (!r->buf || r->used >= r->size)
		return;
	if (r->used) {
		n = snprintf(r->buf + r->used, r->size - r->used, "; ");
		if (n > 0)
			r->used += (size_t)n;
		if (r->used >= r->size) {
			r->used = r->size;
			return;
		}
	}
	va_start(ap, fmt);
	n = vsnprintf(r->buf + r->used, r->size - r->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->used += (size_t)n;
	if (r->used >= r->size)
		r->used = r->size;
}

/* /proc/mounts escapes space, tab, newline, backslash as \ooo */
void pt_usage_unescape(char *s)
{
	char *d = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else {
			*d++ = *s++;
		}
	}
	*d = '\0';
}

int pt_usage_of(const struct xenpt_ctx *ctx, const char *name,
		  struct pt_reasons *r)
{
	char path[PATH_MAX], devreal[PATH_MAX];
	int err;

	err = pt_dev_path(ctx, name, NULL, path, sizeof(path));
	if (err)
		return err;
	if (!realpath(path, devreal))
		return errno == ENOENT ? -ENODEV : -errno;
	err = pt_usage_storage(ctx, devreal, r);
	if (!err)
		pt_usage_display(ctx, name, devreal, r);
	if (!err) {
		pt_usage_net(ctx, devreal, r);
		pt_usage_backend(ctx, devreal, r);
	}
	if (err)
		return err;
	if (r->buf && r->size)
		r->buf[r->used < r->size ? r->used : r->size - 1] = '\0';
	return r->count ? 1 : 0;
}

PT_EXPORT int xenpt_device_in_use(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdf,
				  char *reason, size_t size)
{
	char name[XENPT_BDF_STRLEN];
	struct pt_reasons r = { reason, size, 0, 0 };
	int err;

	if (!ctx || !bdf || bdf->all_fns || (reason && !size))
		return -EINVAL;
	err = xenpt_bdf_format(bdf, name, sizeof(name));
	if (err < 0)
		return err;
	if (reason)
		reason[0] = '\0';
	return pt_usage_of(ctx, name, &r);
}
