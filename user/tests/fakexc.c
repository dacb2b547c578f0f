// SPDX-License-Identifier: GPL-2.0
/*
 * A fake libxenctrl for libxenpt's tests, built as libxenctrl.so.4.20 (the
 * library of the fixture's Xen 4.20) and found through LD_LIBRARY_PATH:
 * xc_interface_open/close, xc_assign_device and xc_deassign_device as Xen
 * answers them for the quarantine domain (DOMID_IO):
 *
 *   assign to DOMID_IO      the device is quarantined (again: fine)
 *   deassign from DOMID_IO  ENODEV unless it is quarantined, as Xen's
 *                           pci_get_pdev(dom_io, ...) finds nothing
 *
 * State below $XENPT_ROOT/.fake/: xc.quarantined (one sbdf a line,
 * "%x"), xc.log (every call, with the device's driver at that moment:
 * "xc_assign_device 0x7ff1 0x20 1 [pciback] -> ok"),
 * xc.fail (rules "OP ACTION [COUNT]": OP open, assign or deassign; ACTION
 * an errno name, CRASH (_exit(97) before), CRASHAFTER (_exit(97) after);
 * COUNT default 1, -1 forever; consumed in place).  Nothing of libxenpt
 * knows about this: it dlopens "libxenctrl.so.4.20" as on a real Xen.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define DOMID_IO 0x7FF1U

struct xc_interface_core {
	int magic;
};

static const struct { const char *name; int err; } errnames[] = {
	{ "EIO", EIO }, { "EPERM", EPERM }, { "EBUSY", EBUSY }, { "ENODEV", ENODEV },
	{ "EINVAL", EINVAL }, { "EACCES", EACCES }, { "ENOMEM", ENOMEM },
	{ "EXDEV", EXDEV }, { "EOPNOTSUPP", EOPNOTSUPP },
};

static void path(char *buf, size_t size, const char *name)
{
	const char *root = getenv("XENPT_ROOT");

	snprintf(buf, size, "%s/.fake/%s", root ? root : "/nonexistent", name);
}

static void logline(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logline(const char *fmt, ...)
{
	char p[4096];
	va_list ap;
	FILE *f;

	path(p, sizeof(p), "xc.log");
	f = fopen(p, "ae");
	if (!f)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

enum act { NONE, ERR, CRASH, CRASHAFTER };

/* The first rule for op, consumed: its action (and *err). */
static enum act rule(const char *op, int *err)
{
	char p[4096], line[256], out[8192] = "";
	enum act a = NONE;
	size_t used = 0;
	bool hit = false;
	FILE *f;
	int fd;

	path(p, sizeof(p), "xc.fail");
	fd = open(p, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return NONE;
	flock(fd, LOCK_EX);
	f = fdopen(fd, "r+");
	while (f && fgets(line, sizeof(line), f)) {
		char o[32], an[32];
		int count = 1, n;
		size_t k;

		n = sscanf(line, "%31s %31s %d", o, an, &count);
		if (!hit && n >= 2 && !strcmp(o, op)) {
			hit = true;
			if (!strcmp(an, "CRASH"))
				a = CRASH;
			else if (!strcmp(an, "CRASHAFTER"))
				a = CRASHAFTER;
			else
				for (k = 0; k < sizeof(errnames) / sizeof(errnames[0]); k++)
					if (!strcmp(errnames[k].name, an)) {
						a = ERR;
						*err = errnames[k].err;
					}
			if (count > 0 && --count == 0)
				continue;
			used += (size_t)snprintf(out + used, sizeof(out) - used,
						 "%s %s %d\n", o, an, count);
			continue;
		}
		used += (size_t)snprintf(out + used, sizeof(out) - used, "%s", line);
	}
	if (f && hit) {
		if (ftruncate(fd, 0) == 0) {
			rewind(f);
			fputs(out, f);
		}
	}
	if (f)
		fclose(f);	/* closes fd, releases the lock */
	else
		close(fd);
	return a;
}

static bool quarantined(uint32_t sbdf, bool remove, bool add)
{
	char p[4096], line[64], out[8192] = "";
	size_t used = 0;
	bool found = false;
	FILE *f;

	path(p, sizeof(p), "xc.quarantined");
	f = fopen(p, "re");
	while (f && fgets(line, sizeof(line), f)) {
		if (strtoul(line, NULL, 16) == sbdf) {
			found = true;
			if (remove)
				continue;
		}
		used += (size_t)snprintf(out + used, sizeof(out) - used, "%s", line);
	}
	if (f)
		fclose(f);
	if (add && !found)
		used += (size_t)snprintf(out + used, sizeof(out) - used, "%x\n", sbdf);
	if (add || (remove && found)) {
		f = fopen(p, "we");
		if (f) {
			fputs(out, f);
			fclose(f);
		}
	}
	return found;
}

/* The device's driver now, "-" none: the log says where the device was
 * when Xen was asked (quarantine after the bind to pciback, out of it
 * before the unbind). */
static const char *driver_of(uint32_t sbdf, char *buf, size_t size)
{
	char p[4096], t[4096];
	const char *root = getenv("XENPT_ROOT"), *b;
	ssize_t n;

	snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/%04x:%02x:%02x.%x/driver",
		 root ? root : "", sbdf >> 16, (sbdf >> 8) & 0xff, (sbdf >> 3) & 0x1f,
		 sbdf & 7);
	n = readlink(p, t, sizeof(t) - 1);
	if (n < 0)
		return "-";
	t[n] = '\0';
	b = strrchr(t, '/');
	snprintf(buf, size, "%s", b ? b + 1 : t);
	return buf;
}

struct xc_interface_core *xc_interface_open(void *logger, void *dombuild_logger,
					    unsigned int open_flags);
int xc_interface_close(struct xc_interface_core *xch);
int xc_assign_device(struct xc_interface_core *xch, uint32_t domid,
		     uint32_t machine_sbdf, uint32_t flag);
int xc_deassign_device(struct xc_interface_core *xch, uint32_t domid,
		       uint32_t machine_sbdf);

struct xc_interface_core *xc_interface_open(void *logger, void *dombuild_logger,
					    unsigned int open_flags)
{
	struct xc_interface_core *x;
	int err = 0;

	if (rule("open", &err) == ERR) {
		logline("xc_interface_open %p %p %u -> %s\n", logger, dombuild_logger,
			open_flags, strerrorname_np(err));
		errno = err;
		return NULL;
	}
	x = calloc(1, sizeof(*x));
	if (x)
		x->magic = 0x7c;
	logline("xc_interface_open %s %s %u -> ok\n", logger ? "logger" : "NULL",
		dombuild_logger ? "logger" : "NULL", open_flags);
	return x;
}

int xc_interface_close(struct xc_interface_core *xch)
{
	logline("xc_interface_close%s\n", xch && xch->magic == 0x7c ? "" : " BAD");
	free(xch);
	return 0;
}

int xc_assign_device(struct xc_interface_core *xch, uint32_t domid,
		     uint32_t machine_sbdf, uint32_t flag)
{
	char drv[64];
	enum act a;
	int err = 0;

	if (!xch || xch->magic != 0x7c) {
		logline("xc_assign_device BADHANDLE\n");
		errno = EFAULT;
		return -1;
	}
	a = rule("assign", &err);
	if (a == CRASH)
		_exit(97);
	if (a == ERR || domid != DOMID_IO) {
		err = err ? err : EINVAL;
		logline("xc_assign_device %#x %#x %u -> %s\n", domid, machine_sbdf,
			flag, strerrorname_np(err));
		errno = err;
		return -1;
	}
	quarantined(machine_sbdf, false, true);
	logline("xc_assign_device %#x %#x %u [%s] -> ok\n", domid, machine_sbdf, flag,
		driver_of(machine_sbdf, drv, sizeof(drv)));
	if (a == CRASHAFTER)
		_exit(97);
	return 0;
}

int xc_deassign_device(struct xc_interface_core *xch, uint32_t domid,
		       uint32_t machine_sbdf)
{
	char drv[64];
	enum act a;
	int err = 0;

	if (!xch || xch->magic != 0x7c) {
		logline("xc_deassign_device BADHANDLE\n");
		errno = EFAULT;
		return -1;
	}
	a = rule("deassign", &err);
	if (a == CRASH)
		_exit(97);
	if (a != ERR && domid == DOMID_IO && !quarantined(machine_sbdf, true, false))
		err = ENODEV;	/* not in dom_io */
	else if (a != ERR && domid != DOMID_IO)
		err = EINVAL;
	if (err) {
		logline("xc_deassign_device %#x %#x -> %s\n", domid, machine_sbdf,
			strerrorname_np(err));
		errno = err;
		return -1;
	}
	logline("xc_deassign_device %#x %#x [%s] -> ok\n", domid, machine_sbdf,
		driver_of(machine_sbdf, drv, sizeof(drv)));
	if (a == CRASHAFTER)
		_exit(97);
	return 0;
}
