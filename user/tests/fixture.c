// SPDX-License-Identifier: GPL-2.0
/* Fixture trees: see fixture.h. */
/* test fixture paths are short and known: no truncation to fear */
#ifndef __clang__
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "fixture.h"

char fx_last_error[1024];
int fx_errors;

struct fx_dev {
	const char *bdf;
	unsigned int vendor, device, class_code;
	const char *driver;
	int irq, pin, gsi, group;
	bool mf;
	const char *netif;
	bool netup;
};

static const struct fx_dev devices[] = {
	{ "0000:00:00.0", 0x8086, 0x29c0, 0x060000, NULL, 0, 0, -1, 0, false, NULL, false },
	{ "0000:00:03.0", 0x8086, 0x100e, 0x020000, "e1000", 11, 1, 11, 1, false, "eth0", true },
	{ "0000:00:04.0", 0x8086, 0x100e, 0x020000, "e1000", 51, 1, 19, 2, false, "eth1", false },
	{ "0000:00:05.0", 0x8086, 0x10c9, 0x020000, "igb", 52, 1, 20, 3, true, "eth2", false },
	{ "0000:00:05.1", 0x8086, 0x10c9, 0x020000, "igb", 53, 2, 21, 3, true, "eth3", false },
	{ "0000:00:1f.2", 0x8086, 0x2922, 0x010601, "ahci", 54, 1, 16, 4, false, NULL, false },
	{ "0000:01:00.0", 0x1234, 0x5678, 0xff0000, NULL, 0, 0, -1, 5, false, NULL, false },
	{ "0000:02:00.0", 0x8086, 0x100e, 0x020000, NULL, 55, 1, -1, 6, false, NULL, false },
	{ "0001:00:02.0", 0x8086, 0x100e, 0x020000, "e1000", 56, 1, 23, 7, false, NULL, false },
};

static int mkdir_p(const char *path)
{
	char p[512];
	size_t i, len = strlen(path);

	if (len >= sizeof(p))
		return -ENAMETOOLONG;
	strcpy(p, path);
	for (i = 1; i <= len; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -errno;
		if (i < len)
			p[i] = '/';
	}
	return 0;
}

static int put_abs(const char *path, const void *data, size_t len, int flags)
{
	char dir[512], *slash;
	int fd;
	ssize_t n;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		mkdir_p(dir);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);
	if (fd < 0)
		return -errno;
	n = write(fd, data, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

static int rput(const char *root, const char *rel, const char *content)
{
	char p[512];

	snprintf(p, sizeof(p), "%s%s", root, rel);
	return put_abs(p, content, strlen(content), O_TRUNC);
}

static int rlink(const char *root, const char *rel, const char *target_rel)
{
	char p[512], t[512], dir[512], *slash;

	snprintf(p, sizeof(p), "%s%s", root, rel);
	snprintf(t, sizeof(t), "%s%s", root, target_rel);
	snprintf(dir, sizeof(dir), "%s", p);
	slash = strrchr(dir, '/');
	*slash = '\0';
	mkdir_p(dir);
	unlink(p);
	return symlink(t, p) < 0 ? -errno : 0;
}

static int rmkdir(const char *root, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s%s", root, rel);
	return mkdir_p(p);
}

static void add_driver(const char *root, const char *drv, const char *ids)
{
	char rel[256];
	static const char *const attrs[] = { "bind", "unbind", "new_id", "remove_id" };
	size_t i;

	for (i = 0; i < 4; i++) {
		snprintf(rel, sizeof(rel), "/sys/bus/pci/drivers/%s/%s", drv, attrs[i]);
		rput(root, rel, "");
	}
	if (ids) {
		snprintf(rel, sizeof(rel), "/.fake/ids/%s", drv);
		rput(root, rel, ids);
	}
}

static void add_device(const char *root, const struct fx_dev *d, unsigned int flags)
{
	char dir[128], rel[256], buf[64];
	unsigned char cfg[256] = { 0 };
	char bus[16];

	snprintf(bus, sizeof(bus), "pci%.4s:%.2s", d->bdf, d->bdf + 5);
	snprintf(dir, sizeof(dir), "/sys/devices/%s/%s", bus, d->bdf);
#define ATTR(name, ...) do { \
		snprintf(rel, sizeof(rel), "%s/%s", dir, name); \
		snprintf(buf, sizeof(buf), __VA_ARGS__); \
		rput(root, rel, buf); \
	} while (0)
	ATTR("vendor", "0x%04x\n", d->vendor);
	ATTR("device", "0x%04x\n", d->device);
	ATTR("class", "0x%06x\n", d->class_code);
	ATTR("irq", "%d\n", d->irq);
	ATTR("driver_override", "(null)\n");
	ATTR("enable", "%d\n", d->driver ? 1 : 0);
	/* a GSI the module does not know: reading the file fails with
	 * ENOENT, which fakesys.so plays for this content */
	if ((flags & FX_GSI_FILES) && d->pin)
		ATTR("gsi", d->gsi >= 0 ? "%d\n" : "ENOENT\n", d->gsi);
	cfg[0] = (unsigned char)d->vendor;
	cfg[1] = (unsigned char)(d->vendor >> 8);
	cfg[2] = (unsigned char)d->device;
	cfg[3] = (unsigned char)(d->device >> 8);
	cfg[9] = (unsigned char)d->class_code;
	cfg[10] = (unsigned char)(d->class_code >> 8);
	cfg[11] = (unsigned char)(d->class_code >> 16);
	cfg[0x0e] = d->mf ? 0x80 : 0;
	cfg[0x3c] = (unsigned char)d->irq;
	cfg[0x3d] = (unsigned char)d->pin;
	snprintf(rel, sizeof(rel), "%s%s/config", root, dir);
	put_abs(rel, cfg, sizeof(cfg), O_TRUNC);

	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s", d->bdf);
	rlink(root, rel, dir);
	snprintf(rel, sizeof(rel), "/sys/kernel/iommu_groups/%d", d->group);
	snprintf(buf, sizeof(buf), "%s/iommu_group", dir);
	rlink(root, buf, rel);
	snprintf(rel, sizeof(rel), "/sys/kernel/iommu_groups/%d/devices/%s", d->group, d->bdf);
	rlink(root, rel, dir);
	if (d->driver) {
		char drv[128];

		snprintf(drv, sizeof(drv), "/sys/bus/pci/drivers/%s", d->driver);
		snprintf(rel, sizeof(rel), "%s/driver", dir);
		rlink(root, rel, drv);
		snprintf(rel, sizeof(rel), "%s/%s", drv, d->bdf);
		rlink(root, rel, dir);
	}
	if (d->netif) {
		char nd[256];

		snprintf(nd, sizeof(nd), "%s/net/%s", dir, d->netif);
		snprintf(rel, sizeof(rel), "%s/operstate", nd);
		rput(root, rel, d->netup ? "up\n" : "down\n");
		snprintf(rel, sizeof(rel), "%s/flags", nd);
		rput(root, rel, d->netup ? "0x1003\n" : "0x1002\n");
		snprintf(rel, sizeof(rel), "/sys/class/net/%s", d->netif);
		rlink(root, rel, nd);
	}
	if (!strcmp(d->bdf, "0000:00:1f.2")) {
		char bd[256];

		snprintf(bd, sizeof(bd), "%s/ata1/host0/target0:0:0/0:0:0:0/block/sda", dir);
		snprintf(rel, sizeof(rel), "%s/dev", bd);
		rput(root, rel, "8:0\n");
		snprintf(rel, sizeof(rel), "%s/holders", bd);
		rmkdir(root, rel);
		snprintf(rel, sizeof(rel), "%s/sda1/dev", bd);
		rput(root, rel, "8:1\n");
		snprintf(rel, sizeof(rel), "%s/sda1/holders", bd);
		rmkdir(root, rel);
		rlink(root, "/sys/class/block/sda", bd);
		snprintf(rel, sizeof(rel), "%s/sda1", bd);
		rlink(root, "/sys/class/block/sda1", rel);
	}
#undef ATTR
}

int fx_build(const char *root, unsigned int flags)
{
	size_t i;

	rmkdir(root, "/.fake");
	rput(root, "/.fake/log", "");
	rmkdir(root, "/dev");
	rmkdir(root, "/sys/class/block");
	rmkdir(root, "/sys/class/net");
	rput(root, "/sys/bus/pci/drivers_probe", "");
	rput(root, "/sys/bus/pci/drivers_autoprobe", "1\n");
	rput(root, "/sys/bus/pci/rescan", "");
	add_driver(root, "e1000", "8086:100e\n");
	add_driver(root, "igb", "8086:10c9\n");
	add_driver(root, "ahci", "8086:2922\n");
	if (!(flags & FX_NO_PCIBACK)) {
		add_driver(root, "pciback", NULL);
		rput(root, "/sys/bus/pci/drivers/pciback/new_slot", "");
		rput(root, "/sys/bus/pci/drivers/pciback/remove_slot", "");
		rput(root, "/sys/bus/pci/drivers/pciback/slots", "");
		rput(root, "/sys/bus/pci/drivers/pciback/permissive", "");
		rput(root, "/sys/bus/pci/drivers/pciback/quirks", "");
	}
	if (flags & FX_OLD_PCIBACK)
		rput(root, "/.fake/pciback_no_override", "");
	for (i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
		add_device(root, &devices[i], flags);
	if (!(flags & FX_NOXEN))
		rput(root, "/sys/hypervisor/guest_type",
		     flags & FX_PV ? "PV\n" : flags & FX_HVM ? "HVM\n" : "PVH\n");
	rput(root, "/proc/mounts",
	     "sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n"
	     "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
	     "/dev/sda1 / ext4 rw,relatime 0 0\n"
	     "tmpfs /run tmpfs rw,nosuid,nodev,size=1620144k,mode=755 0 0\n");
	rput(root, "/proc/swaps", "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	rput(root, "/proc/net/if_inet6", "");
	rput(root, "/proc/net/route",
	     "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n");
	return 0;
}

int fx_new(struct fx *fx, unsigned int flags)
{
	const char *tmp = getenv("TMPDIR");
	int err;

	snprintf(fx->root, sizeof(fx->root), "%s/xenpt-fx.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(fx->root))
		return -errno;
	fx_last_error[0] = '\0';
	fx_errors = 0;
	unsetenv("FAKESYS_ROOT");
	err = fx_build(fx->root, flags);
	/* from now on the fake kernel (if preloaded) acts below the root */
	setenv("FAKESYS_ROOT", fx->root, 1);
	return err;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

void fx_free(struct fx *fx)
{
	if (fx->root[0] && !getenv("XENPT_TEST_KEEP"))
		nftw(fx->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	fx->root[0] = '\0';
}

int fx_put(const struct fx *fx, const char *rel, const char *content)
{
	return rput(fx->root, rel, content);
}

int fx_append(const struct fx *fx, const char *rel, const char *content)
{
	char p[512];

	snprintf(p, sizeof(p), "%s%s", fx->root, rel);
	return put_abs(p, content, strlen(content), O_APPEND);
}

int fx_get(const struct fx *fx, const char *rel, char *buf, size_t size)
{
	char p[512];
	ssize_t n;
	size_t len = 0;
	int fd;

	snprintf(p, sizeof(p), "%s%s", fx->root, rel);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return (int)len;
}

bool fx_exists(const struct fx *fx, const char *rel)
{
	char p[512];
	struct stat st;

	snprintf(p, sizeof(p), "%s%s", fx->root, rel);
	return lstat(p, &st) == 0;
}

int fx_rm(const struct fx *fx, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s%s", fx->root, rel);
	return unlink(p) < 0 ? -errno : 0;
}

int fx_driver(const struct fx *fx, const char *bdf, char *buf, size_t size)
{
	char p[512], t[512];
	ssize_t n;
	const char *b;

	snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/%s/driver", fx->root, bdf);
	n = readlink(p, t, sizeof(t) - 1);
	if (n < 0) {
		buf[0] = '\0';
		return errno == ENOENT ? 0 : -errno;
	}
	t[n] = '\0';
	b = strrchr(t, '/');
	snprintf(buf, size, "%s", b ? b + 1 : t);
	return 0;
}

static void fx_log(void *data, int prio, const char *file, int line,
		   const char *fn, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));
static void fx_log(void *data, int prio, const char *file, int line,
		   const char *fn, const char *fmt, va_list ap)
{
	char msg[1024];

	(void)data;
	(void)file;
	(void)line;
	(void)fn;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (prio <= LOG_ERR) {
		fx_errors++;
		snprintf(fx_last_error, sizeof(fx_last_error), "%s", msg);
	}
	if (getenv("XENPT_TEST_LOG"))
		fprintf(stderr, "# log<%d> %s\n", prio, msg);
}

struct pt_ctx *fx_ctx(const struct fx *fx)
{
	struct pt_ctx *ctx = NULL;

	if (pt_ctx_new(&ctx))
		return NULL;
	if (pt_ctx_set_root(ctx, fx->root)) {
		pt_ctx_unref(ctx);
		return NULL;
	}
	pt_ctx_set_log_fn(ctx, fx_log, NULL);
	pt_ctx_set_log_priority(ctx, LOG_DEBUG);
	return ctx;
}

struct pt_ctx *fx_open(struct fx *fx, unsigned int flags)
{
	if (fx_new(fx, flags))
		return NULL;
	return fx_ctx(fx);
}

void fx_close(struct fx *fx, struct pt_ctx *ctx)
{
	pt_ctx_unref(ctx);
	fx_free(fx);
}

bool fx_preloaded(void)
{
	const char *p = getenv("LD_PRELOAD");

	return p && strstr(p, "fakesys");
}
