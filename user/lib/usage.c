// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Does dom0 use a device?  A block device beneath it (or stacked on one,
 * via holders: dm, md) that is mounted or swapped on, per /proc/mounts and
 * /proc/swaps; a network interface beneath it that is up or has addresses
 * (/proc/net/if_inet6, /proc/net/route, and getifaddrs() on the real root).
 */
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "internal.h"

struct reasons {
	char *buf;
	size_t size, used;
	int count;
};

static void add_reason(struct reasons *r, const char *fmt, ...) PT_PRINTF(2, 3);
static void add_reason(struct reasons *r, const char *fmt, ...)
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
		if (r->used >= r->size)
			return;
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
static void unescape(char *s)
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

struct blockdev {
	char name[NAME_MAX + 1];
	char dm[NAME_MAX + 1];	/* dm/name, for /dev/mapper/<name> */
	unsigned int major, minor;
};

struct blocks {
	struct blockdev *v;
	size_t n, cap;
};

static int add_block(const struct xenpt_ctx *ctx, struct blocks *b,
		     const char *name, int depth)
{
	char path[PATH_MAX], buf[64];
	struct blockdev *d;
	struct dirent **ents;
	size_t i;
	int n, k;

	for (i = 0; i < b->n; i++)
		if (!strcmp(b->v[i].name, name))
			return 0;
	if (strlen(name) > NAME_MAX || depth > 8)
		return 0;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		struct blockdev *v = realloc(b->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		b->v = v;
		b->cap = cap;
	}
	d = &b->v[b->n++];
	memset(d, 0, sizeof(*d));
	strcpy(d->name, name);
	if (!pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/class/block/%s/dev", name) &&
	    pt_read_file(path, buf, sizeof(buf)) > 0 &&
	    sscanf(buf, "%u:%u", &d->major, &d->minor) != 2)
		d->major = d->minor = 0;
	if (!pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/class/block/%s/dm/name", name))
		pt_read_file(path, d->dm, sizeof(d->dm));
	/* what is stacked on it: partitions are listed in class/block
	 * themselves, dm and md devices in holders/ */
	if (pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/class/block/%s/holders", name))
		return 0;
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0)
		return 0;
	for (k = 0; k < n; k++) {
		if (ents[k]->d_name[0] != '.')
			add_block(ctx, b, ents[k]->d_name, depth + 1);
		free(ents[k]);
	}
	free(ents);
	return 0;
}

/* Which of the blocks is a mount or swap source? */
static const struct blockdev *match_source(const struct xenpt_ctx *ctx,
					   const struct blocks *b,
					   const char *src)
{
	char path[PATH_MAX];
	struct stat st;
	bool have_st = false;
	size_t i;

	if (strncmp(src, "/dev/", 5))
		return NULL;
	/* by device number, through the (redirectable) /dev: follows
	 * /dev/disk/by-uuid/... and the like */
	if (!pt_path(ctx, XENPT_DIR_DEV, path, sizeof(path), "/%s", src + 5) &&
	    stat(path, &st) == 0 && S_ISBLK(st.st_mode))
		have_st = true;
	for (i = 0; i < b->n; i++) {
		const struct blockdev *d = &b->v[i];

		if (have_st && d->major && major(st.st_rdev) == d->major &&
		    minor(st.st_rdev) == d->minor)
			return d;
		if (!strcmp(src + 5, d->name))
			return d;
		if (d->dm[0] && !strncmp(src + 5, "mapper/", 7) &&
		    !strcmp(src + 12, d->dm))
			return d;
	}
	return NULL;
}

static void check_blocks(const struct xenpt_ctx *ctx, const char *devreal,
			 struct reasons *r)
{
	struct blocks b = { 0 };
	char path[PATH_MAX], line[4096];
	struct dirent **ents;
	FILE *f;
	int n, k;

	if (pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/class/block"))
		return;
	n = scandir(path, &ents, NULL, alphasort);
	for (k = 0; k < n; k++) {
		char p[PATH_MAX];

		if (ents[k]->d_name[0] != '.' &&
		    !pt_path(ctx, XENPT_DIR_SYS, p, sizeof(p), "/class/block/%s",
			     ents[k]->d_name) && pt_path_below(p, devreal))
			add_block(ctx, &b, ents[k]->d_name, 0);
		free(ents[k]);
	}
	if (n >= 0)
		free(ents);
	if (!b.n)
		return;

	if (!pt_path(ctx, XENPT_DIR_PROC, path, sizeof(path), "/mounts") &&
	    (f = fopen(path, "re"))) {
		while (fgets(line, sizeof(line), f)) {
			char src[PATH_MAX], dst[PATH_MAX];
			const struct blockdev *d;

			if (sscanf(line, "%4095s %4095s", src, dst) != 2)
				continue;
			unescape(src);
			unescape(dst);
			d = match_source(ctx, &b, src);
			if (d)
				add_reason(r, "%s (%s) is mounted on %s", src,
					   d->name, dst);
		}
		fclose(f);
	}
	if (!pt_path(ctx, XENPT_DIR_PROC, path, sizeof(path), "/swaps") &&
	    (f = fopen(path, "re"))) {
		while (fgets(line, sizeof(line), f)) {
			char src[PATH_MAX];
			const struct blockdev *d;

			if (sscanf(line, "%4095s", src) != 1)
				continue;
			unescape(src);
			d = match_source(ctx, &b, src);
			if (d)
				add_reason(r, "%s (%s) is used for swap", src,
					   d->name);
		}
		fclose(f);
	}
	free(b.v);
}

static bool iface_in_file(const struct xenpt_ctx *ctx, const char *file,
			  const char *ifname, int field)
{
	char path[PATH_MAX], line[512];
	bool found = false;
	FILE *f;

	if (pt_path(ctx, XENPT_DIR_PROC, path, sizeof(path), "%s", file))
		return false;
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *save = NULL, *tok = strtok_r(line, " \t\n", &save);
		int i;

		for (i = 0; tok && i < field; i++)
			tok = strtok_r(NULL, " \t\n", &save);
		found = tok && !strcmp(tok, ifname);
	}
	fclose(f);
	return found;
}

static bool has_ipv4(const struct xenpt_ctx *ctx, const char *ifname)
{
	struct ifaddrs *ifa, *i;
	bool found = false;

	/* only on the real system: getifaddrs cannot be redirected */
	if (strcmp(ctx->dirs[XENPT_DIR_PROC], "/proc") || getifaddrs(&ifa) < 0)
		return false;
	for (i = ifa; i; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    !strcmp(i->ifa_name, ifname))
			found = true;
	freeifaddrs(ifa);
	return found;
}

static void check_net(const struct xenpt_ctx *ctx, const char *devreal,
		      struct reasons *r)
{
	char path[PATH_MAX], buf[64];
	struct dirent **ents;
	int n, k;

	if (pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/class/net"))
		return;
	n = scandir(path, &ents, NULL, alphasort);
	for (k = 0; k < n; k++) {
		const char *ifn = ents[k]->d_name;
		unsigned long flags;

		if (ifn[0] == '.' ||
		    pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/class/net/%s", ifn) ||
		    !pt_path_below(path, devreal))
			goto next;
		if (!pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path),
			     "/class/net/%s/flags", ifn) &&
		    !pt_read_uint(path, 16, &flags) && (flags & IFF_UP))
			add_reason(r, "network interface %s is up", ifn);
		else if (!pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path),
				  "/class/net/%s/operstate", ifn) &&
			 pt_read_file(path, buf, sizeof(buf)) > 0 &&
			 !strcmp(buf, "up"))
			add_reason(r, "network interface %s is up", ifn);
		else if (iface_in_file(ctx, "/net/if_inet6", ifn, 5) ||
			 iface_in_file(ctx, "/net/route", ifn, 0) ||
			 has_ipv4(ctx, ifn))
			add_reason(r, "network interface %s has addresses", ifn);
next:
		free(ents[k]);
	}
	if (n >= 0)
		free(ents);
}

PT_EXPORT int xenpt_device_in_use(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdf,
				  char *reason, size_t size)
{
	char name[XENPT_BDF_STRLEN], path[PATH_MAX], devreal[PATH_MAX];
	struct reasons r = { reason, size, 0, 0 };
	int err;

	if (!ctx || !bdf || bdf->all_fns || (reason && !size))
		return -EINVAL;
	err = xenpt_bdf_format(bdf, name, sizeof(name));
	if (err < 0)
		return err;
	if (reason)
		reason[0] = '\0';
	err = pt_dev_path(ctx, name, NULL, path, sizeof(path));
	if (err)
		return err;
	if (!realpath(path, devreal))
		return errno == ENOENT ? -ENODEV : -errno;
	check_blocks(ctx, devreal, &r);
	check_net(ctx, devreal, &r);
	if (reason && size)
		reason[size - 1] = '\0';
	return r.count ? 1 : 0;
}
