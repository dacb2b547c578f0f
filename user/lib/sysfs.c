// SPDX-License-Identifier: LGPL-2.1-or-later
/* Paths below the (redirectable) roots, and small sysfs files. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

int pt_path(const struct pt_ctx *ctx, enum pt_dir dir, char *buf,
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

int pt_dev_path(const struct pt_ctx *ctx, const char *bdf, const char *attr,
		char *buf, size_t size)
{
	if (attr)
		return pt_path(ctx, PT_DIR_SYS, buf, size,
			       "/bus/pci/devices/%s/%s", bdf, attr);
	return pt_path(ctx, PT_DIR_SYS, buf, size, "/bus/pci/devices/%s", bdf);
}

int pt_read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	size_t len = 0;
	int fd, err = 0;

	if (!size)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (err)
		return err;
	buf[len] = '\0';
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	return (int)len;
}

int pt_parse_uint(const char *s, int base, unsigned long max, unsigned long *v)
{
	unsigned long x;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	x = strtoul(s, &end, base);
	if (errno || *end || x > max)
		return -EINVAL;
	*v = x;
	return 0;
}

int pt_read_uint(const char *path, int base, unsigned long *val)
{
	char buf[64];
	int n;

	n = pt_read_file(path, buf, sizeof(buf));
	if (n < 0)
		return n;
	return pt_parse_uint(buf, base, ULONG_MAX, val);
}

int pt_write_file(const char *path, const char *str)
{
	size_t len = strlen(str);
	ssize_t n;
	int fd, err = 0;

	/* sysfs attributes: no O_CREAT, no O_TRUNC, one write */
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		n = write(fd, str, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) < 0 && !err && errno != EINTR)
		err = -errno;
	return err;
}

int pt_link_name(const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= size)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return 0;
}

bool pt_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

int pt_mkdir_p(const char *path, mode_t mode)
{
	char p[PATH_MAX];
	size_t i, len = strlen(path);

	if (len == 0 || len >= sizeof(p))
		return -EINVAL;
	strcpy(p, path);
	for (i = 1; i <= len; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			return -errno;
		if (i < len)
			p[i] = '/';
	}
	return 0;
}

int pt_dev_exists(const struct pt_ctx *ctx, const char *bdf)
{
	char path[PATH_MAX];
	int err = pt_dev_path(ctx, bdf, NULL, path, sizeof(path));

	if (err)
		return err;
	return pt_exists(path) ? 0 : -ENODEV;
}

int pt_dev_driver(const struct pt_ctx *ctx, const char *bdf, char *buf,
		  size_t size)
{
	char path[PATH_MAX];
	int err;

	err = pt_dev_exists(ctx, bdf);
	if (err)
		return err;
	err = pt_dev_path(ctx, bdf, "driver", path, sizeof(path));
	if (err)
		return err;
	err = pt_link_name(path, buf, size);
	if (err == -ENOENT) {
		buf[0] = '\0';
		return 0;
	}
	return err;
}

int pt_dev_write(const struct pt_ctx *ctx, const char *bdf,
		 const char *attr, const char *str)
{
	char path[PATH_MAX];
	int err = pt_dev_path(ctx, bdf, attr, path, sizeof(path));

	return err ? err : pt_write_file(path, str);
}

int pt_drv_write(const struct pt_ctx *ctx, const char *driver,
		 const char *attr, const char *str)
{
	char path[PATH_MAX];
	int err;

	if (!*driver || strchr(driver, '/'))
		return -EINVAL;
	err = pt_path(ctx, PT_DIR_SYS, path, sizeof(path),
		      "/bus/pci/drivers/%s/%s", driver, attr);
	return err ? err : pt_write_file(path, str);
}

bool pt_drv_loaded(const struct pt_ctx *ctx, const char *driver)
{
	char path[PATH_MAX];

	if (!*driver || strchr(driver, '/'))
		return false;
	if (pt_path(ctx, PT_DIR_SYS, path, sizeof(path),
		    "/bus/pci/drivers/%s", driver))
		return false;
	return pt_exists(path);
}

int pt_pciback_has_slot(const struct pt_ctx *ctx, const char *bdf)
{
	char path[PATH_MAX], line[128];
	FILE *f;
	int found = 0, err;

	err = pt_path(ctx, PT_DIR_SYS, path, sizeof(path),
		      "/bus/pci/drivers/" PCIBACK "/slots");
	if (err)
		return err;
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, bdf))
			found = 1;
	}
	fclose(f);
	return found;
}

int pt_dev_override(const struct pt_ctx *ctx, const char *bdf, char *buf,
		    size_t size)
{
	char path[PATH_MAX];
	int n;

	n = pt_dev_path(ctx, bdf, "driver_override", path, sizeof(path));
	if (n)
		return n;
	n = pt_read_file(path, buf, size);
	if (n < 0)
		return n;
	if (!strcmp(buf, "(null)"))
		buf[0] = '\0';
	return 0;
}

int pt_dev_pin(const struct pt_ctx *ctx, const char *bdf, uint8_t *pin)
{
	unsigned char cfg[0x40];
	char path[PATH_MAX];
	ssize_t n;
	int fd, err;

	err = pt_dev_path(ctx, bdf, "config", path, sizeof(path));
	if (err)
		return err;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, cfg, sizeof(cfg), 0);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	if (n < 0x3e)
		return -EIO;
	*pin = cfg[0x3d];
	return 0;
}

static int bdf_filter(const struct dirent *d)
{
	struct pt_bdf b;

	return pt_bdf_parse(d->d_name, &b) == 0 && !b.all_fns;
}

int pt_dev_names(const struct pt_ctx *ctx, char (**names)[PT_BDF_STRLEN],
		 size_t *count)
{
	char path[PATH_MAX];
	struct dirent **ents;
	char (*out)[PT_BDF_STRLEN];
	int n, i, err;

	err = pt_path(ctx, PT_DIR_SYS, path, sizeof(path), "/bus/pci/devices");
	if (err)
		return err;
	n = scandir(path, &ents, bdf_filter, alphasort);
	if (n < 0)
		return -errno;
	out = calloc((size_t)n + 1, sizeof(*out));
	if (!out) {
		err = -ENOMEM;
	} else {
		for (i = 0; i < n; i++) {
			struct pt_bdf b;

			/* canonical spelling */
			pt_bdf_parse(ents[i]->d_name, &b);
			pt_bdf_format(&b, out[i], sizeof(out[i]));
		}
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	if (err)
		return err;
	*names = out;
	*count = (size_t)n;
	return 0;
}

int pt_dev_collect(const struct pt_ctx *ctx, size_t elem_size,
		   int (*fill)(const struct pt_ctx *ctx, const char *name,
			       void *elem),
		   void **list, size_t *count)
{
	char (*names)[PT_BDF_STRLEN];
	size_t n, i, k = 0;
	char *l;
	int err;

	err = pt_dev_names(ctx, &names, &n);
	if (err)
		return err;
	l = calloc(n + 1, elem_size);
	if (!l) {
		free(names);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (!fill(ctx, names[i], l + k * elem_size))
			k++;
	free(names);
	*list = l;
	*count = k;
	return 0;
}
