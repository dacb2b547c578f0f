// SPDX-License-Identifier: GPL-2.0
/*
 * fakesys.so: a fake PCI core for libxenpt's tests, in the spirit of
 * libvirt's virpcimock.  LD_PRELOAD it; XENPT_ROOT names the fixture root
 * (a tree built by tests/fixture.c): the one variable of the tests, which
 * the CLI (as --root) and xenpt_xc_pcidev_get_gsi() read too.  Only paths
 * below that root are touched; everything else goes straight to libc.
 *
 * Sysfs files are regular files, which cannot react to writes, so this
 * library intercepts open/openat/write/close (and rename, fsync, ioctl)
 * and plays the kernel for the attributes that act:
 *
 *   drivers/<drv>/bind       BDF: EBUSY if bound, ENODEV if no match
 *                            (driver_override, pciback slots, ids) or the
 *                            probe fails; else the driver symlinks appear
 *   drivers/<drv>/unbind     BDF: ENODEV unless bound to <drv>
 *   drivers_probe            BDF: first matching driver binds (if any)
 *   devices/<bdf>/driver_override  stored; "" or "\n" reads "(null)"
 *   drivers/pciback/new_slot, remove_slot   edit drivers/pciback/slots
 *                            (remove_slot: ENOENT when absent)
 *   devices/<bdf>/gsi        read fails with the errno it names ("ENODATA")
 *                            (privcmd-gsi does not know the GSI)
 *   /dev/xen/privcmd, /dev/xen/privcmd-gsi  a node exists when its file
 *                            does; ioctls answered from .fake/ioctl/<node>
 *                            ("sbdf HEX GSI|ERRNO", "irq N GSI|ERRNO",
 *                            "enotty"; privcmd-gsi's records, for
 *                            GET_RECORD, LIST and, lacking an sbdf line,
 *                            GET_GSI: "record HEX GSI TRIGGER POLARITY
 *                            SOURCE", level|edge|unknown,
 *                            high|low|unknown, registered|recovered|acpi);
 *                            none: ENOTTY.  IRQ_TO_GSI with
 *                            flags or reserved not zero: EINVAL, logged
 *                            "badarg".  Every open and close of a node is
 *                            logged ("open /dev/xen/N -> ok|ERROR",
 *                            "close /dev/xen/N"), so that tests can count
 *                            them; an open error comes from an "open"
 *                            rule of .fake/fail (below)
 *
 * Matching: driver_override wins (pciback honours it unless
 * .fake/pciback_no_override exists, like pciback before Linux 4.16);
 * otherwise pciback matches its slots and other drivers the
 * "vendor:device" lines of .fake/ids/<drv>.
 *
 * Fault injection: .fake/fail holds rules, one a line,
 *     OP SUFFIX SKIP ACTION [COUNT]
 * OP is open, write, rename, fsync or probe (SUFFIX is then a driver
 * name); SUFFIX matches the end of the path below the root ("*": any);
 * the first SKIP matching events pass; then ACTION happens COUNT times
 * (default 1, -1 forever): an errno name (EIO, ENODEV, ...), LIE
 * (write reports success but does nothing), CRASH (_exit(97) before the
 * write), CRASHAFTER (_exit(97) after it).  Rules are consumed in place,
 * under a lock, so they work across processes.  Every event is appended
 * to .fake/log: "OP PATH DATA -> RESULT".  fsync below the root is
 * acknowledged without syncing, for speed.
 *
 * syslog(3) goes there too, as "syslog PRIORITY MESSAGE", not to the
 * machine's log.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <xen/privcmd-gsi.h>

#define MAXFD 4096

static int (*r_open)(const char *, int, ...);
static int (*r_openat)(int, const char *, int, ...);
static ssize_t (*r_write)(int, const void *, size_t);
static int (*r_close)(int);
static int (*r_rename)(const char *, const char *);
static int (*r_fsync)(int);
static int (*r_ioctl)(int, unsigned long, ...);
static ssize_t (*r_read)(int, void *, size_t);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static char *fdpath[MAXFD];

static void init(void)
{
	r_open = dlsym(RTLD_NEXT, "open");
	r_openat = dlsym(RTLD_NEXT, "openat");
	r_write = dlsym(RTLD_NEXT, "write");
	r_close = dlsym(RTLD_NEXT, "close");
	r_rename = dlsym(RTLD_NEXT, "rename");
	r_fsync = dlsym(RTLD_NEXT, "fsync");
	r_ioctl = dlsym(RTLD_NEXT, "ioctl");
	r_read = dlsym(RTLD_NEXT, "read");
}

static void setup(void)
{
	pthread_once(&once, init);
}

/* The path below the root, or NULL when outside it. */
static const char *below_root(const char *path)
{
	const char *root = getenv("XENPT_ROOT");
	size_t len;

	if (!root || !*root || !path || path[0] != '/')
		return NULL;
	len = strlen(root);
	if (strncmp(path, root, len) || (path[len] != '/' && path[len]))
		return NULL;
	/* the fake's own control files are plain files */
	if (!strncmp(path + len, "/.fake/", 7))
		return NULL;
	return path + len;
}

static int rootpath(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int rootpath(char *buf, size_t size, const char *fmt, ...)
{
	const char *root = getenv("XENPT_ROOT");
	va_list ap;
	int n;

	n = snprintf(buf, size, "%s", root ? root : "");
	va_start(ap, fmt);
	vsnprintf(buf + n, size - (size_t)n, fmt, ap);
	va_end(ap);
	return 0;
}

/* --- small file helpers on the real libc ------------------------------ */

static int f_read(const char *path, char *buf, size_t size)
{
	ssize_t n;
	size_t len = 0;
	int fd = r_open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	/* r_read: our read() takes the lock that callers may hold */
	while (len < size - 1 && (n = r_read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	r_close(fd);
	buf[len] = '\0';
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return (int)len;
}

static int f_write(const char *path, const char *data, int flags)
{
	int fd = r_open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = r_write(fd, data, strlen(data));
	r_close(fd);
	return n < 0 ? -errno : 0;
}

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	char path[PATH_MAX], line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	rootpath(path, sizeof(path), "/.fake/log");
	f_write(path, line, O_APPEND);
}

/* Cross-process lock around rules and the fake kernel. */
static int biglock(void)
{
	char path[PATH_MAX];
	int fd;

	pthread_mutex_lock(&mtx);
	rootpath(path, sizeof(path), "/.fake/lock");
	fd = r_open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		flock(fd, LOCK_EX);
	return fd;
}

static void bigunlock(int fd)
{
	if (fd >= 0)
		r_close(fd);
	pthread_mutex_unlock(&mtx);
}

/* --- fault injection ---------------------------------------------------- */

enum action { A_NONE, A_ERRNO, A_LIE, A_CRASH, A_CRASHAFTER };

static const struct { const char *name; int err; } errnames[] = {
	{ "EIO", EIO }, { "ENODEV", ENODEV }, { "EBUSY", EBUSY },
	{ "EINVAL", EINVAL }, { "ENOENT", ENOENT }, { "ENOSPC", ENOSPC },
	{ "EPERM", EPERM }, { "EACCES", EACCES }, { "ENOTTY", ENOTTY },
	{ "EEXIST", EEXIST }, { "EAGAIN", EAGAIN }, { "ENOMEM", ENOMEM },
	{ "EROFS", EROFS }, { "ENXIO", ENXIO }, { "EDQUOT", EDQUOT },
	{ "ENOTSUP", ENOTSUP }, { "ERANGE", ERANGE }, { "ENODATA", ENODATA },
};

static int errno_of(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (!strcmp(errnames[i].name, s))
			return errnames[i].err;
	return 0;
}

static bool suffix_match(const char *rel, const char *suffix)
{
	size_t a = strlen(rel), b = strlen(suffix);

	if (!strcmp(suffix, "*"))
		return true;
	return a >= b && !strcmp(rel + a - b, suffix);
}

/* Called with the big lock held.  Returns the action, *err for A_ERRNO. */
static enum action rule_check(const char *op, const char *rel, int *err)
{
	char path[PATH_MAX], text[8192], out[8192];
	enum action act = A_NONE;
	char *line, *save = NULL;
	size_t used = 0;
	bool hit = false, changed = false;

	rootpath(path, sizeof(path), "/.fake/fail");
	if (f_read(path, text, sizeof(text)) <= 0)
		return A_NONE;
	out[0] = '\0';
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char rop[16], suf[512], an[32];
		int skip, count = 1, n;
		bool keep = true;

		n = sscanf(line, "%15s %511s %d %31s %d", rop, suf, &skip, an, &count);
		if (!hit && n >= 4 && !strcmp(rop, op) && suffix_match(rel, suf)) {
			hit = true;
			changed = true;
			if (skip > 0) {
				skip--;
			} else {
				if (!strcmp(an, "LIE"))
					act = A_LIE;
				else if (!strcmp(an, "CRASH"))
					act = A_CRASH;
				else if (!strcmp(an, "CRASHAFTER"))
					act = A_CRASHAFTER;
				else if ((*err = errno_of(an)))
					act = A_ERRNO;
				if (count > 0 && --count == 0)
					keep = false;
			}
			if (keep)
				used += (size_t)snprintf(out + used, sizeof(out) - used,
					"%s %s %d %s %d\n", rop, suf, skip, an, count);
			continue;
		}
		used += (size_t)snprintf(out + used, sizeof(out) - used, "%s\n", line);
	}
	if (changed)
		f_write(path, out, O_TRUNC);
	return act;
}

/* --- the fake PCI core ---------------------------------------------------- */

static int dev_dir(const char *bdf, char *buf, size_t size)
{
	char p[PATH_MAX];
	struct stat st;

	if (!*bdf || strchr(bdf, '/'))
		return -ENODEV;
	rootpath(p, sizeof(p), "/sys/bus/pci/devices/%s", bdf);
	if (stat(p, &st) < 0 || !realpath(p, buf))
		return -ENODEV;
	(void)size;
	return 0;
}

static int drv_dir(const char *drv, char *buf, size_t size)
{
	struct stat st;

	if (!*drv || strchr(drv, '/'))
		return -ENOENT;
	snprintf(buf, size, "%s", "");
	rootpath(buf, size, "/sys/bus/pci/drivers/%s", drv);
	return stat(buf, &st) < 0 ? -ENOENT : 0;
}

static void cur_driver(const char *devdir, char *drv, size_t size)
{
	char p[PATH_MAX + 16], t[PATH_MAX];
	ssize_t n;
	const char *b;

	snprintf(p, sizeof(p), "%s/driver", devdir);
	n = readlink(p, t, sizeof(t) - 1);
	if (n < 0) {
		drv[0] = '\0';
		return;
	}
	t[n] = '\0';
	b = strrchr(t, '/');
	snprintf(drv, size, "%s", b ? b + 1 : t);
}

static bool in_slots(const char *bdf)
{
	char p[PATH_MAX], text[4096], *line, *save = NULL;

	rootpath(p, sizeof(p), "/sys/bus/pci/drivers/pciback/slots");
	if (f_read(p, text, sizeof(text)) < 0)
		return false;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strcmp(line, bdf))
			return true;
	return false;
}

static bool matches(const char *drv, const char *bdf, const char *devdir)
{
	char p[PATH_MAX + 32], ov[256], ids[4096], v[32], d[32], id[64];
	struct stat st;

	snprintf(p, sizeof(p), "%s/driver_override", devdir);
	if (f_read(p, ov, sizeof(ov)) > 0 && strcmp(ov, "(null)")) {
		if (strcmp(ov, drv))
			return false;
		if (strcmp(drv, "pciback"))
			return true;
		rootpath(p, sizeof(p), "/.fake/pciback_no_override");
		if (stat(p, &st) < 0)
			return true;
		return in_slots(bdf);	/* old pciback: needs a slot */
	}
	if (!strcmp(drv, "pciback"))
		return in_slots(bdf);
	snprintf(p, sizeof(p), "%s/vendor", devdir);
	f_read(p, v, sizeof(v));
	snprintf(p, sizeof(p), "%s/device", devdir);
	f_read(p, d, sizeof(d));
	snprintf(id, sizeof(id), "%s:%s", v + 2, d + 2);	/* skip 0x */
	rootpath(p, sizeof(p), "/.fake/ids/%s", drv);
	if (f_read(p, ids, sizeof(ids)) < 0)
		return false;
	return strstr(ids, id) != NULL;
}

static int do_bind(const char *drv, const char *bdf)
{
	char devdir[PATH_MAX], drvdir[PATH_MAX], p[PATH_MAX + 64], cur[256];
	int err = 0;

	if (dev_dir(bdf, devdir, sizeof(devdir)))
		return -ENODEV;
	if (drv_dir(drv, drvdir, sizeof(drvdir)))
		return -ENODEV;
	cur_driver(devdir, cur, sizeof(cur));
	if (cur[0])
		return -EBUSY;
	if (!matches(drv, bdf, devdir))
		return -ENODEV;
	if (rule_check("probe", drv, &err) == A_ERRNO)
		return -err;
	snprintf(p, sizeof(p), "%s/driver", devdir);
	if (symlink(drvdir, p) < 0)
		return -errno;
	snprintf(p, sizeof(p), "%s/%s", drvdir, bdf);
	if (symlink(devdir, p) < 0)
		return -errno;
	return 0;
}

static int do_unbind(const char *drv, const char *bdf)
{
	char devdir[PATH_MAX], drvdir[PATH_MAX], p[PATH_MAX + 64], cur[256];

	if (dev_dir(bdf, devdir, sizeof(devdir)))
		return -ENODEV;
	if (drv_dir(drv, drvdir, sizeof(drvdir)))
		return -ENODEV;
	cur_driver(devdir, cur, sizeof(cur));
	if (strcmp(cur, drv))
		return -ENODEV;
	snprintf(p, sizeof(p), "%s/driver", devdir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/%s", drvdir, bdf);
	unlink(p);
	return 0;
}

static int do_probe(const char *bdf)
{
	char devdir[PATH_MAX], p[PATH_MAX], cur[256];
	struct dirent **ents;
	int n, i;

	if (dev_dir(bdf, devdir, sizeof(devdir)))
		return -ENODEV;
	cur_driver(devdir, cur, sizeof(cur));
	if (cur[0])
		return 0;
	rootpath(p, sizeof(p), "/sys/bus/pci/drivers");
	n = scandir(p, &ents, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (!cur[0] && ents[i]->d_name[0] != '.' &&
		    do_bind(ents[i]->d_name, bdf) == 0)
			snprintf(cur, sizeof(cur), "%s", ents[i]->d_name);
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	return 0;
}

static int do_slot(const char *bdf, bool add)
{
	char p[PATH_MAX], text[4096], out[4096], *line, *save = NULL;
	size_t used = 0;
	bool found = false;

	rootpath(p, sizeof(p), "/sys/bus/pci/drivers/pciback/slots");
	if (f_read(p, text, sizeof(text)) < 0)
		text[0] = '\0';
	out[0] = '\0';
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strcmp(line, bdf)) {
			found = true;
			if (!add)
				continue;
		}
		used += (size_t)snprintf(out + used, sizeof(out) - used, "%s\n", line);
	}
	if (!add && !found)
		return -ENOENT;
	if (add && !found)
		snprintf(out + used, sizeof(out) - used, "%s\n", bdf);
	return f_write(p, out, O_TRUNC);
}

static int do_override(const char *path, const char *val)
{
	char devdir[PATH_MAX], p[PATH_MAX + 32], data[300];
	char bdf[64], tmp[PATH_MAX];
	char *slash;

	snprintf(tmp, sizeof(tmp), "%s", path);
	slash = strrchr(tmp, '/');
	*slash = '\0';
	slash = strrchr(tmp, '/');
	snprintf(bdf, sizeof(bdf), "%s", slash + 1);
	if (dev_dir(bdf, devdir, sizeof(devdir)))
		return -ENODEV;
	if (strlen(val) > 255)
		return -EINVAL;
	snprintf(data, sizeof(data), "%s\n", *val ? val : "(null)");
	snprintf(p, sizeof(p), "%s/driver_override", devdir);
	return f_write(p, data, O_TRUNC);
}

/* 1: not an attribute that acts (write it through); else 0 or -errno */
static int kernel_write(const char *rel, const char *path, const char *val)
{
	char drv[256], attr[64];
	const char *base = strrchr(rel, '/') + 1;

	if (!strcmp(rel, "/sys/bus/pci/drivers_probe"))
		return do_probe(val);
	if (sscanf(rel, "/sys/bus/pci/drivers/%255[^/]/%63s", drv, attr) == 2) {
		if (!strcmp(attr, "bind"))
			return do_bind(drv, val);
		if (!strcmp(attr, "unbind"))
			return do_unbind(drv, val);
		if (!strcmp(drv, "pciback") && !strcmp(attr, "new_slot"))
			return do_slot(val, true);
		if (!strcmp(drv, "pciback") && !strcmp(attr, "remove_slot"))
			return do_slot(val, false);
		if (!strcmp(attr, "new_id") || !strcmp(attr, "remove_id"))
			return 0;
		return 1;
	}
	if (!strcmp(base, "driver_override") && !strncmp(rel, "/sys/", 5))
		return do_override(path, val);
	return 1;
}

/* --- fd tracking ------------------------------------------------------------ */

static void track(int fd, const char *path)
{
	if (fd < 0 || fd >= MAXFD || !below_root(path))
		return;
	pthread_mutex_lock(&mtx);
	free(fdpath[fd]);
	fdpath[fd] = strdup(path);
	pthread_mutex_unlock(&mtx);
}

static char *tracked(int fd)
{
	char *p = NULL;

	if (fd < 0 || fd >= MAXFD)
		return NULL;
	pthread_mutex_lock(&mtx);
	if (fdpath[fd])
		p = strdup(fdpath[fd]);
	pthread_mutex_unlock(&mtx);
	return p;
}

/* A /dev/xen node below the root (absolute paths: what libxenpt opens). */
static bool is_xen_node(const char *path)
{
	const char *rel = below_root(path);

	return rel && !strncmp(rel, "/dev/xen/", 9);
}

static int open_check(const char *path)
{
	const char *rel = below_root(path);
	int lk, err = 0;
	enum action a;

	if (!rel)
		return 0;
	lk = biglock();
	a = rule_check("open", rel, &err);
	if (a == A_ERRNO)
		logf_("open %s -> %s\n", rel, strerror(err));
	bigunlock(lk);
	if (a == A_CRASH)
		_exit(97);
	return a == A_ERRNO ? err : 0;
}

static int do_open(int dirfd, const char *path, int flags, mode_t mode)
{
	int fd, err;

	setup();
	err = open_check(path);
	if (err) {
		errno = err;
		return -1;
	}
	if (dirfd == AT_FDCWD)
		fd = r_open(path, flags, mode);
	else
		fd = r_openat(dirfd, path, flags, mode);
	track(fd, path);
	if (is_xen_node(path)) {
		err = errno;
		logf_("open %s -> %s\n", below_root(path), fd < 0 ? strerror(err) : "ok");
		errno = err;
	}
	return fd;
}

#define MODE_ARG(flags, mode) \
	do { \
		if ((flags) & (O_CREAT | __O_TMPFILE)) { \
			va_list ap; \
			va_start(ap, flags); \
			mode = (mode_t)va_arg(ap, int); \
			va_end(ap); \
		} \
	} while (0)

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	MODE_ARG(flags, mode);
	return do_open(AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;

	MODE_ARG(flags, mode);
	return do_open(AT_FDCWD, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	MODE_ARG(flags, mode);
	return do_open(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	MODE_ARG(flags, mode);
	return do_open(dirfd, path, flags, mode);
}

int __open_2(const char *path, int flags);
int __open_2(const char *path, int flags)
{
	return do_open(AT_FDCWD, path, flags, 0);
}

int __open64_2(const char *path, int flags);
int __open64_2(const char *path, int flags)
{
	return do_open(AT_FDCWD, path, flags, 0);
}

int close(int fd)
{
	char *path = NULL;
	int ret, err;

	setup();
	if (fd >= 0 && fd < MAXFD) {
		pthread_mutex_lock(&mtx);
		path = fdpath[fd];
		fdpath[fd] = NULL;
		pthread_mutex_unlock(&mtx);
	}
	ret = r_close(fd);
	err = errno;
	if (path && is_xen_node(path))
		logf_("close %s\n", below_root(path));
	free(path);
	errno = err;
	return ret;
}

ssize_t write(int fd, const void *buf, size_t count)
{
	char *path, val[512];
	const char *rel;
	enum action a;
	ssize_t ret;
	size_t len;
	int lk, err = 0, k;

	setup();
	path = count ? tracked(fd) : NULL;
	if (!path)
		return r_write(fd, buf, count);
	rel = below_root(path);
	len = count < sizeof(val) - 1 ? count : sizeof(val) - 1;
	memcpy(val, buf, len);
	val[len] = '\0';
	while (len && (val[len - 1] == '\n' || val[len - 1] == ' '))
		val[--len] = '\0';

	lk = biglock();
	a = rule_check("write", rel, &err);
	if (a == A_CRASH) {
		logf_("write %s %s -> CRASH\n", rel, val);
		_exit(97);
	}
	if (a == A_ERRNO) {
		logf_("write %s %s -> %s\n", rel, strncmp(rel, "/sys/", 5) ? "-" : val,
		      strerror(err));
		bigunlock(lk);
		free(path);
		errno = err;
		return -1;
	}
	if (a == A_LIE) {
		logf_("write %s %s -> LIE\n", rel, val);
		ret = (ssize_t)count;
	} else if (!strncmp(rel, "/sys/", 5) &&
		   (k = kernel_write(rel, path, val)) != 1) {
		logf_("write %s %s -> %s\n", rel, val, k ? strerror(-k) : "ok");
		if (k < 0) {
			err = -k;
			ret = -1;
		} else {
			ret = (ssize_t)count;
		}
	} else {
		ret = r_write(fd, buf, count);
		if (ret < 0)
			err = errno;
		logf_("write %s %s -> %s\n", rel, strncmp(rel, "/sys/", 5) ? "-" : val,
		      ret < 0 ? strerror(err) : "ok");
	}
	if (a == A_CRASHAFTER)
		_exit(97);
	bigunlock(lk);
	free(path);
	if (ret < 0)
		errno = err;
	return ret;
}

int rename(const char *from, const char *to)
{
	const char *rel;
	enum action a;
	int lk, err = 0, ret;

	setup();
	rel = below_root(to);
	if (!rel)
		return r_rename(from, to);
	lk = biglock();
	a = rule_check("rename", rel, &err);
	if (a == A_CRASH)
		_exit(97);
	if (a == A_ERRNO) {
		logf_("rename %s -> %s\n", rel, strerror(err));
		bigunlock(lk);
		errno = err;
		return -1;
	}
	ret = r_rename(from, to);
	err = errno;
	logf_("rename %s -> %s\n", rel, ret ? strerror(err) : "ok");
	if (a == A_CRASHAFTER)
		_exit(97);
	bigunlock(lk);
	errno = err;
	return ret;
}

int fsync(int fd)
{
	char *path;
	enum action a;
	int lk, err = 0;

	setup();
	path = tracked(fd);
	if (!path)
		return r_fsync(fd);
	lk = biglock();
	a = rule_check("fsync", below_root(path), &err);
	logf_("fsync %s -> %s\n", below_root(path), a == A_ERRNO ? strerror(err) : "ok");
	bigunlock(lk);
	free(path);
	if (a == A_CRASH)
		_exit(97);
	if (a == A_ERRNO) {
		errno = err;
		return -1;
	}
	/* acknowledged without syncing: the tests check the calls are made,
	 * not the disk (and real fsyncs made them slow) */
	if (a == A_CRASHAFTER)
		_exit(97);
	return 0;
}

/* A sysfs gsi file of privcmd-gsi that fails: the fixture writes the errno
 * name in it ("ENODATA": GSI unknown, ABI 1.1; "ENOENT": the same in ABI
 * 1.0), and reading it fails with that errno. */
ssize_t read(int fd, void *buf, size_t count)
{
	char *path, text[16];
	const char *rel;
	int err = 0;

	setup();
	path = tracked(fd);
	rel = path ? below_root(path) : NULL;
	if (rel && !strncmp(rel, "/sys/", 5) && strlen(rel) > 4 &&
	    !strcmp(rel + strlen(rel) - 4, "/gsi") &&
	    f_read(path, text, sizeof(text)) > 0)
		err = errno_of(text);
	free(path);
	if (err) {
		errno = err;
		return -1;
	}
	return r_read(fd, buf, count);
}

/* --- /dev/xen ioctls ----------------------------------------------------------- */

/* 0 and *gsi, or -errno, from .fake/ioctl/<node> */
static int ioctl_answer(const char *node, const char *kind, unsigned long key,
			uint32_t *gsi)
{
	char p[PATH_MAX], text[8192], *line, *save = NULL;

	rootpath(p, sizeof(p), "/.fake/ioctl/%s", node);
	if (f_read(p, text, sizeof(text)) < 0)
		return -ENOTTY;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char k[16], v[32];
		unsigned long x;

		if (!strcmp(line, "enotty"))
			return -ENOTTY;
		if (sscanf(line, "%15s %lx %31s", k, &x, v) != 3 || strcmp(k, kind))
			continue;
		if (!strcmp(kind, "irq"))
			sscanf(line, "%15s %lu %31s", k, &x, v);
		if (x != key)
			continue;
		if (v[0] == 'E')
			return -errno_of(v);
		*gsi = (uint32_t)strtoul(v, NULL, 10);
		return 0;
	}
	return !strcmp(kind, "irq") ? -ENOENT : -ENODEV;
}

/* The "record" lines of .fake/ioctl/<node>: each into rec (which may be
 * NULL), up to max; the number of them, -ENOTTY without a file. */
static int records(const char *node, struct privcmd_gsi_record *rec, size_t max)
{
	char p[PATH_MAX], text[8192], *line, *save = NULL;
	int n = 0;

	rootpath(p, sizeof(p), "/.fake/ioctl/%s", node);
	if (f_read(p, text, sizeof(text)) < 0)
		return -ENOTTY;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char t[16], pol[16], src[16];
		unsigned int sbdf, gsi;

		if (sscanf(line, "record %x %u %15s %15s %15s", &sbdf, &gsi, t, pol, src) != 5)
			continue;
		if (rec && (size_t)n < max) {
			struct privcmd_gsi_record *r = &rec[n];

			memset(r, 0, sizeof(*r));
			r->sbdf = sbdf;
			r->gsi = gsi;
			r->flags = PRIVCMD_GSI_F_PCI;
			r->irq = PRIVCMD_GSI_NO_IRQ;
			r->trigger = !strcmp(t, "level") ? PRIVCMD_GSI_TRIGGER_LEVEL :
				     !strcmp(t, "edge") ? PRIVCMD_GSI_TRIGGER_EDGE :
				     PRIVCMD_GSI_TRIGGER_UNKNOWN;
			r->polarity = !strcmp(pol, "high") ? PRIVCMD_GSI_POLARITY_HIGH :
				      !strcmp(pol, "low") ? PRIVCMD_GSI_POLARITY_LOW :
				      PRIVCMD_GSI_POLARITY_UNKNOWN;
			r->source = !strcmp(src, "registered") ? PRIVCMD_GSI_SOURCE_REGISTERED :
				    !strcmp(src, "recovered") ? PRIVCMD_GSI_SOURCE_RECOVERED :
				    !strcmp(src, "acpi") ? PRIVCMD_GSI_SOURCE_ACPI :
				    PRIVCMD_GSI_SOURCE_SYNTHETIC;
		}
		n++;
	}
	return n;
}

/* GET_RECORD: the record of sbdf, else as GET_GSI answers (ENODEV). */
static int get_record(const char *node, struct privcmd_gsi_get_record *g)
{
	struct privcmd_gsi_record all[64];
	uint32_t gsi;
	int n, i, err;

	if (g->flags)
		return -EINVAL;
	n = records(node, all, 64);
	for (i = 0; i < n && i < 64; i++)
		if (all[i].sbdf == g->sbdf) {
			g->rec = all[i];
			return 0;
		}
	err = ioctl_answer(node, "sbdf", g->sbdf, &gsi);
	return err ? err : -ENODEV;
}

/* LIST, as the module: a size query, E2BIG when the array is short. */
static int list_records(const char *node, struct privcmd_gsi_list *l)
{
	struct privcmd_gsi_record all[64];
	int n;

	if (l->flags || (l->count && !l->records))
		return -EINVAL;
	n = records(node, all, 64);
	if (n < 0)
		return n;
	if (n > 64)
		n = 64;
	if (l->count < (uint32_t)n) {
		int asked = l->records != 0;

		l->count = (uint32_t)n;
		return asked ? -E2BIG : 0;
	}
	memcpy((void *)(uintptr_t)l->records, all, (size_t)n * sizeof(all[0]));
	l->count = (uint32_t)n;
	return 0;
}

int ioctl(int fd, unsigned long req, ...)
{
	const char *rel, *node;
	char *path;
	va_list ap;
	void *arg;
	int err = -ENOTTY;
	bool bad = false;

	setup();
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	path = tracked(fd);
	rel = path ? below_root(path) : NULL;
	if (!rel || strncmp(rel, "/dev/xen/", 9)) {
		free(path);
		return r_ioctl(fd, req, arg);
	}
	node = rel + 9;
	if (req == IOCTL_PRIVCMD_PCIDEV_GET_GSI) {
		struct privcmd_pcidev_get_gsi *g = arg;
		struct privcmd_gsi_get_record r = { .sbdf = g->sbdf };

		err = ioctl_answer(node, "sbdf", g->sbdf, &g->gsi);
		/* no answer of its own: privcmd-gsi's records say it */
		if (err == -ENODEV && !strcmp(node, "privcmd-gsi") && !get_record(node, &r)) {
			g->gsi = r.rec.gsi;
			err = 0;
		}
	} else if (req == PRIVCMD_GSI_IOCTL_GET_RECORD && !strcmp(node, "privcmd-gsi")) {
		err = get_record(node, arg);
	} else if (req == PRIVCMD_GSI_IOCTL_LIST && !strcmp(node, "privcmd-gsi")) {
		err = list_records(node, arg);
	} else if (req == PRIVCMD_GSI_IOCTL_IRQ_TO_GSI && !strcmp(node, "privcmd-gsi")) {
		struct privcmd_gsi_irq_to_gsi *g = arg;

		/* as the module: reserved input must be zero */
		if (g->flags || g->reserved)
			bad = true;
		else
			err = ioctl_answer(node, "irq", g->irq, &g->gsi);
	}
	if (bad)
		err = -EINVAL;
	logf_("ioctl %s %#lx -> %d%s\n", rel, req, err, bad ? " badarg" : "");
	free(path);
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

/* syslog(3), and its fortified forms: into .fake/log. */
static void fake_vsyslog(int prio, const char *fmt, va_list ap)
{
	char msg[900];

	setup();
	vsnprintf(msg, sizeof(msg), fmt, ap);
	logf_("syslog %d %s\n", LOG_PRI(prio), msg);
}

void openlog(const char *ident, int option, int facility)
{
	(void)ident;
	(void)option;
	(void)facility;
}

void closelog(void)
{
}

void vsyslog(int prio, const char *fmt, va_list ap)
{
	fake_vsyslog(prio, fmt, ap);
}

void syslog(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fake_vsyslog(prio, fmt, ap);
	va_end(ap);
}

void __syslog_chk(int prio, int flag, const char *fmt, ...);
void __syslog_chk(int prio, int flag, const char *fmt, ...)
{
	va_list ap;

	(void)flag;
	va_start(ap, fmt);
	fake_vsyslog(prio, fmt, ap);
	va_end(ap);
}

void __vsyslog_chk(int prio, int flag, const char *fmt, va_list ap);
void __vsyslog_chk(int prio, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	fake_vsyslog(prio, fmt, ap);
}
