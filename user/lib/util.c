// SPDX-License-Identifier: LGPL-2.1-or-later
/* Generic helpers: small files, numbers, paths, directory listings,
 * atomic replacement, key=value text (see util.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

const char *pt_strerror(int err, char *buf, size_t size)
{
	/* GNU strerror_r: may return a static string or fill buf */
	const char *s = strerror_r(err, buf, size);

	return s ? s : "unknown error";
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

/* --- small files ------------------------------------------------------ */

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

int pt_file_has_line(const char *path, const char *line)
{
	char buf[128];
	FILE *f;
	int found = 0;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		if (!strcmp(buf, line))
			found = 1;
	}
	fclose(f);
	return found;
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

/* --- paths and directories -------------------------------------------- */

int pt_path_join(char *buf, size_t size, const char *dir, const char *name)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

bool pt_path_below(const char *path, const char *dir)
{
	char real[PATH_MAX];
	size_t len = strlen(dir);

	if (!realpath(path, real))
		return false;
	return !strncmp(real, dir, len) && real[len] == '/';
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

static int fsync_dir(const char *dir)
{
	int fd, err = 0;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		err = -errno;
	close(fd);
	return err;
}

int pt_atomic_write(const char *dir, const char *name, const char *data,
		    size_t len)
{
	char tmp[PATH_MAX], dst[PATH_MAX];
	size_t off = 0;
	ssize_t n;
	int fd, err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	err = pt_path_join(dst, sizeof(dst), dir, name);
	if (err)
		return err;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (off < len) {
		n = write(fd, data + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0) {
			err = -EIO;
			break;
		}
		off += (size_t)n;
	}
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, dst) < 0)
		err = -errno;
	if (err) {
		unlink(tmp);
		return err;
	}
	return fsync_dir(dir);
}

int pt_unlink_sync(const char *dir, const char *name)
{
	char path[PATH_MAX];

	int err = pt_path_join(path, sizeof(path), dir, name);

	if (err)
		return err;
	if (unlink(path) < 0)
		return -errno;
	return fsync_dir(dir);
}

int pt_dir_list(const char *dir, bool real, char ***out, size_t *count)
{
	struct dirent **ents;
	char **v;
	size_t k = 0;
	int n, i, err = 0;

	*out = NULL;
	*count = 0;
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	v = calloc((size_t)n + 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		char p[PATH_MAX], r[PATH_MAX];
		const char *name = ents[i]->d_name;

		if (v && !err && name[0] != '.') {
			if (!real)
				v[k] = strdup(name);
			else if (!pt_path_join(p, sizeof(p), dir, name) && realpath(p, r))
				v[k] = strdup(r);
			else
				goto next;
			if (!v[k++])
				err = -ENOMEM;
		}
next:
		free(ents[i]);
	}
	free(ents);
	if (!v || err) {
		pt_strv_free(v, k);
		return -ENOMEM;
	}
	*out = v;
	*count = k;
	return 0;
}

void pt_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

int pt_strv_add(char ***v, size_t *n, const char *s)
{
	char **t = realloc(*v, (*n + 2) * sizeof(*t));

	if (!t)
		return -ENOMEM;
	*v = t;
	t[*n] = strdup(s);
	if (!t[*n])
		return -ENOMEM;
	(*n)++;
	t[*n] = NULL;
	return 0;
}

/* --- key=value lines -------------------------------------------------- */

int pt_kv_get(const char *text, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			size_t vlen = len - klen - 1;

			if (vlen >= size)
				return -ENAMETOOLONG;
			memcpy(out, p + klen + 1, vlen);
			out[vlen] = '\0';
			return 0;
		}
		p = eol ? eol + 1 : NULL;
	}
	return -ENOENT;
}

bool pt_kv_bool(const char *text, const char *key)
{
	char v[8];

	return pt_kv_get(text, key, v, sizeof(v)) == 0 && !strcmp(v, "1");
}

/* --- locks ------------------------------------------------------------ */

int pt_lock_file(const char *path, int *out)
{
	int fd, err;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			err = -errno;
			close(fd);
			return err;
		}
	}
	*out = fd;
	return 0;
}

void pt_unlock_file(int fd)
{
	if (fd >= 0)
		close(fd);	/* releases the flock */
}
