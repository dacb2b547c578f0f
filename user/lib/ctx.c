// SPDX-License-Identifier: LGPL-2.1-or-later
/* The library context: its directories, paths below them, the log callback. */
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

static const char *const default_dirs[XENPT_DIR_COUNT] = {
	[XENPT_DIR_SYS] = "/sys",
	[XENPT_DIR_DEV] = "/dev",
	[XENPT_DIR_PROC] = "/proc",
	[XENPT_DIR_STATE] = XENPT_STATE_DIR,
	[XENPT_DIR_UDEV] = XENPT_UDEV_DIR,
};

/* Below a root, the layout of a Debian system. */
static const char *const root_dirs[XENPT_DIR_COUNT] = {
	[XENPT_DIR_SYS] = "/sys",
	[XENPT_DIR_DEV] = "/dev",
	[XENPT_DIR_PROC] = "/proc",
	[XENPT_DIR_STATE] = "/var/lib/xenpt",
	[XENPT_DIR_UDEV] = "/etc/udev/rules.d",
};

PT_EXPORT int xenpt_ctx_new(struct xenpt_ctx **out)
{
	struct xenpt_ctx *ctx;
	int i;

	if (!out)
		return -EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	atomic_init(&ctx->refcount, 1);
	ctx->log_priority = LOG_ERR;
	for (i = 0; i < XENPT_DIR_COUNT; i++) {
		ctx->dirs[i] = strdup(default_dirs[i]);
		if (!ctx->dirs[i]) {
			xenpt_ctx_unref(ctx);
			return -ENOMEM;
		}
	}
	ctx->run = strdup("/run");
	if (!ctx->run) {
		xenpt_ctx_unref(ctx);
		return -ENOMEM;
	}
	*out = ctx;
	return 0;
}

PT_EXPORT struct xenpt_ctx *xenpt_ctx_ref(struct xenpt_ctx *ctx)
{
	if (ctx)
		atomic_fetch_add(&ctx->refcount, 1);
	return ctx;
}

PT_EXPORT struct xenpt_ctx *xenpt_ctx_unref(struct xenpt_ctx *ctx)
{
	int i;

	if (!ctx || atomic_fetch_sub(&ctx->refcount, 1) > 1)
		return NULL;
	for (i = 0; i < XENPT_DIR_COUNT; i++)
		free(ctx->dirs[i]);
	free(ctx->run);
	free(ctx);
	return NULL;
}

static int set_dir(struct xenpt_ctx *ctx, enum xenpt_dir which, const char *prefix,
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

/* /run below a root: udev's database (not one of enum xenpt_dir: it
 * follows the root only) */
static int run_dir(struct xenpt_ctx *ctx, const char *root)
{
	char *s;

	if (asprintf(&s, "%s/run", root) < 0)
		return -ENOMEM;
	free(ctx->run);
	ctx->run = s;
	return 0;
}

PT_EXPORT int xenpt_ctx_set_dir(struct xenpt_ctx *ctx, enum xenpt_dir which,
				const char *path)
{
	if (!ctx || (unsigned int)which >= XENPT_DIR_COUNT || !path || !*path)
		return -EINVAL;
	return set_dir(ctx, which, "", path);
}

PT_EXPORT int xenpt_ctx_set_root(struct xenpt_ctx *ctx, const char *root)
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
	for (i = 0; i < XENPT_DIR_COUNT; i++) {
		err = set_dir(ctx, i, r, root_dirs[i]);
		if (err)
			return err;
	}
	return run_dir(ctx, r);
}

PT_EXPORT const char *xenpt_ctx_get_dir(const struct xenpt_ctx *ctx,
					enum xenpt_dir which)
{
	if (!ctx || (unsigned int)which >= XENPT_DIR_COUNT)
		return NULL;
	return ctx->dirs[which];
}

PT_EXPORT void xenpt_ctx_set_log_fn(struct xenpt_ctx *ctx, xenpt_log_fn fn, void *data)
{
	if (!ctx)
		return;
	ctx->log_fn = fn;
	ctx->log_data = data;
}

PT_EXPORT void xenpt_ctx_set_log_priority(struct xenpt_ctx *ctx, int priority)
{
	if (ctx)
		ctx->log_priority = priority;
}

PT_EXPORT int xenpt_ctx_get_log_priority(const struct xenpt_ctx *ctx)
{
	return ctx ? ctx->log_priority : -EINVAL;
}

/* A path below one of the context's directories: its path, then fmt. */
int pt_path(const struct xenpt_ctx *ctx, enum xenpt_dir dir, char *buf,
	    size_t size, const char *fmt, ...)
{
	va_list ap;
	int n, m;

	n = snprintf(buf, size, "%s", ctx->dirs[dir]);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	m = vsnprintf(buf + n, size - (size_t)n, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= size - (size_t)n)
		return -ENAMETOOLONG;
	return 0;
}

void pt_log(const struct xenpt_ctx *ctx, int priority, const char *file,
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
