// SPDX-License-Identifier: LGPL-2.1-or-later
/* The library context: paths, log callback, test hooks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#ifndef XENPT_STATE_DIR
#define XENPT_STATE_DIR "/var/lib/xenpt"
#endif
#ifndef XENPT_UDEV_DIR
#define XENPT_UDEV_DIR "/etc/udev/rules.d"
#endif

static const char *const default_dirs[PT_DIR_COUNT] = {
	[PT_DIR_SYS] = "/sys",
	[PT_DIR_DEV] = "/dev",
	[PT_DIR_PROC] = "/proc",
	[PT_DIR_STATE] = XENPT_STATE_DIR,
	[PT_DIR_UDEV] = XENPT_UDEV_DIR,
};

/* Below a root, the layout of a Debian system. */
static const char *const root_dirs[PT_DIR_COUNT] = {
	[PT_DIR_SYS] = "/sys",
	[PT_DIR_DEV] = "/dev",
	[PT_DIR_PROC] = "/proc",
	[PT_DIR_STATE] = "/var/lib/xenpt",
	[PT_DIR_UDEV] = "/etc/udev/rules.d",
};

PT_EXPORT int pt_ctx_new(struct pt_ctx **out)
{
	struct pt_ctx *ctx;
	int i;

	if (!out)
		return -EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	atomic_init(&ctx->refcount, 1);
	ctx->log_priority = LOG_ERR;
	for (i = 0; i < PT_DIR_COUNT; i++) {
		ctx->dirs[i] = strdup(default_dirs[i]);
		if (!ctx->dirs[i]) {
			pt_ctx_unref(ctx);
			return -ENOMEM;
		}
	}
	*out = ctx;
	return 0;
}

PT_EXPORT struct pt_ctx *pt_ctx_ref(struct pt_ctx *ctx)
{
	if (ctx)
		atomic_fetch_add(&ctx->refcount, 1);
	return ctx;
}

PT_EXPORT struct pt_ctx *pt_ctx_unref(struct pt_ctx *ctx)
{
	int i;

	if (!ctx || atomic_fetch_sub(&ctx->refcount, 1) > 1)
		return NULL;
	for (i = 0; i < PT_DIR_COUNT; i++)
		free(ctx->dirs[i]);
	free(ctx);
	return NULL;
}

static int set_dir(struct pt_ctx *ctx, enum pt_dir which, const char *prefix,
		   const char *path)
{
	size_t len;
	char *s;

	len = strlen(prefix) + strlen(path) + 1;
	if (len > PATH_MAX - 64)	/* room for what we append */
		return -ENAMETOOLONG;
	s = malloc(len);
	if (!s)
		return -ENOMEM;
	memcpy(s, prefix, strlen(prefix));
	memcpy(s + strlen(prefix), path, strlen(path) + 1);
	/* no trailing slash: we append "/..." */
	while (strlen(s) > 1 && s[strlen(s) - 1] == '/')
		s[strlen(s) - 1] = '\0';
	free(ctx->dirs[which]);
	ctx->dirs[which] = s;
	return 0;
}

PT_EXPORT int pt_ctx_set_dir(struct pt_ctx *ctx, enum pt_dir which,
			     const char *path)
{
	if (!ctx || (unsigned int)which >= PT_DIR_COUNT || !path || !*path)
		return -EINVAL;
	return set_dir(ctx, which, "", path);
}

PT_EXPORT int pt_ctx_set_root(struct pt_ctx *ctx, const char *root)
{
	char r[PATH_MAX];
	int i, err;

	if (!ctx || !root || !*root)
		return -EINVAL;
	if (strlen(root) >= sizeof(r))
		return -ENAMETOOLONG;
	strcpy(r, root);
	while (strlen(r) > 1 && r[strlen(r) - 1] == '/')
		r[strlen(r) - 1] = '\0';
	if (!strcmp(r, "/"))
		r[0] = '\0';
	for (i = 0; i < PT_DIR_COUNT; i++) {
		err = set_dir(ctx, i, r, root_dirs[i]);
		if (err)
			return err;
	}
	return 0;
}

PT_EXPORT const char *pt_ctx_get_dir(const struct pt_ctx *ctx,
				     enum pt_dir which)
{
	if (!ctx || (unsigned int)which >= PT_DIR_COUNT)
		return NULL;
	return ctx->dirs[which];
}

PT_EXPORT void pt_ctx_set_log_fn(struct pt_ctx *ctx, pt_log_fn fn, void *data)
{
	if (!ctx)
		return;
	ctx->log_fn = fn;
	ctx->log_data = data;
}

PT_EXPORT void pt_ctx_set_log_priority(struct pt_ctx *ctx, int priority)
{
	if (ctx)
		ctx->log_priority = priority;
}

PT_EXPORT int pt_ctx_get_log_priority(const struct pt_ctx *ctx)
{
	return ctx ? ctx->log_priority : -EINVAL;
}

PT_EXPORT int pt_ctx_set_ioctl_ops(struct pt_ctx *ctx,
				   const struct pt_ioctl_ops *ops, void *data)
{
	if (!ctx)
		return -EINVAL;
	if (ops && (!ops->open || !ops->ioctl || !ops->close))
		return -EINVAL;
	ctx->ioctl_ops = ops;
	ctx->ioctl_data = data;
	return 0;
}

void pt_log(const struct pt_ctx *ctx, int priority, const char *file,
	    int line, const char *fn, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	if (!ctx->log_fn)
		return;
	va_start(ap, fmt);
	ctx->log_fn(ctx->log_data, priority, file, line, fn, fmt, ap);
	va_end(ap);
	errno = saved;
}

const char *pt_strerror(int err, char *buf, size_t size)
{
	/* GNU strerror_r: may return a static string or fill buf */
	const char *s = strerror_r(err, buf, size);

	return s ? s : "unknown error";
}
