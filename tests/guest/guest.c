// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the programs that run inside the test beds (gsi-check,
 * xen-view, xen-stress): TAP on stdout, small files, sbdf parsing, moving
 * a device to pciback and back, a clock and a random number generator.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xen/privcmd-gsi.h>

#include "guest.h"

int tap_n;
int tap_failed;

void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	/* Unnumbered: the host numbers every boot's lines (results.py). */
	printf("%sok - ", ok ? "" : "not ");
	tap_n++;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		tap_failed++;
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stdout, "not ok - %s: ", program_invocation_short_name);
	tap_n++;
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	exit(1);
}

int read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	return n;
}

bool parse_bdf(const char *s, uint32_t *sbdf)
{
	unsigned int seg, bus, dev, fn;
	char end;

	if (sscanf(s, "%4x:%2x:%2x.%1u%c", &seg, &bus, &dev, &fn, &end) != 4 ||
	    dev > 0x1f || fn > 7)
		return false;
	*sbdf = PRIVCMD_GSI_SBDF(seg, bus, dev, fn);
	return true;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* No alarm(): the test kernel is built without POSIX timers. */
uint64_t deadline;

bool stopped(void)
{
	return now_ns() >= deadline;
}

int write_file(const char *path, const char *val)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

void current_driver(const char *bdf, char *drv, size_t len)
{
	char path[256], buf[256];
	ssize_t n;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver", bdf);
	n = readlink(path, buf, sizeof(buf) - 1);
	drv[0] = '\0';
	if (n > 0) {
		buf[n] = '\0';
		snprintf(drv, len, "%s", strrchr(buf, '/') + 1);
	}
}

/* Move @bdf from its driver to pciback, as xl pci-assignable-add does. */
int bind_pciback(const char *bdf, const char *orig)
{
	char path[256];
	int ret;

	if (orig[0]) {
		snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/unbind",
			 orig);
		ret = write_file(path, bdf);
		if (ret)
			return ret;
	}
	ret = write_file(PCIBACK "/new_slot", bdf);
	if (ret)
		return ret;
	return write_file(PCIBACK "/bind", bdf);
}

int unbind_pciback(const char *bdf, const char *orig)
{
	char path[256], drv[64];
	int ret;

	current_driver(bdf, drv, sizeof(drv));
	if (!strcmp(drv, "pciback")) {
		ret = write_file(PCIBACK "/unbind", bdf);
		if (ret)
			return ret;
	}
	write_file(PCIBACK "/remove_slot", bdf);
	if (!orig[0])
		return 0;
	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s/bind", orig);
	return write_file(path, bdf);
}

const char *errno_name(long v)
{
	switch (v) {
	case -ENOENT: return "ENOENT";
	case -ENODEV: return "ENODEV";
	case -EINVAL: return "EINVAL";
	case -ENOTTY: return "ENOTTY";
	case -ENOSYS: return "ENOSYS";
	case -ENODATA: return "ENODATA";
	case -EOPNOTSUPP: return "EOPNOTSUPP";
	case -EPERM: return "EPERM";
	case -EFAULT: return "EFAULT";
	default: return "EOTHER";
	}
}
