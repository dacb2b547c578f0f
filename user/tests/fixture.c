// SPDX-License-Identifier: GPL-2.0
/* Fixture trees: see fixture.h. */
/* test fixture paths are short and known: no truncation to fear */
#ifndef __clang__
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "fixture.h"

/* paths below a fixture root: the root, then sysfs paths that nest */
#define FX_PATH 1024

char fx_last_error[1024];
int fx_errors;
static char fx_all_log[1 << 15];
static size_t fx_all_used;

/*
 * One PCI device of the standard tree.  Fields left out are 0, NULL or
 * false: no driver, no irq, no INTx pin, not multi-function, no network
 * interface, no disk.
 */
struct fx_dev {
	const char *bdf;
	unsigned int vendor, device;
	unsigned int class;		/* 24 bits: class, subclass, prog-if */
	const char *driver;		/* bound to it; NULL: unbound */
	int irq;			/* the irq file and config 0x3c */
	int pin;			/* INTx pin, config 0x3d: 1..4, 0 none */
	int gsi;			/* what privcmd-gsi knows (the sysfs gsi
					   file of a device with a pin) */
	int iommu_group;
	bool multifunction;		/* config 0x0e bit 7 */
	const char *netif;		/* a network interface beneath it */
	bool netif_up;
	const char *disk;		/* a SATA disk beneath it ("sdX"), with
					   one partition "sdX1" (fx_build's
					   /proc/mounts has /dev/sda1 on /) */
	/* with FX_MSI: a driver enabled MSI (the irq file then holds this
	 * MSI irq, msi_irqs/<msi> says "msi"), or MSI-X (msi_irqs/<n> say
	 * "msix", the irq file keeps the INTx irq) */
	int msi;
	int msix[2];
	const char *physfn;		/* an SR-IOV VF of this PF: physfn link;
					   the PF gets virtfnN, sriov_numvfs */
	unsigned int only;		/* the row exists only with these
					   fixture flags (FX_SRIOV) */
};

/* a pin whose GSI privcmd-gsi does not know (reading the gsi file: ENODATA) */
#define FX_GSI_UNKNOWN	-1

/* The standard devices (see fixture.h); a new device is one more row. */
static const struct fx_dev devices[] = {
	/* host bridge, no pin */
	{ .bdf = "0000:00:00.0", .vendor = 0x8086, .device = 0x29c0, .class = 0x060000,
	  .iommu_group = 0 },
	{ .bdf = "0000:00:03.0", .vendor = 0x8086, .device = 0x100e, .class = 0x020000,
	  .driver = "e1000", .irq = 11, .pin = 1, .gsi = 11, .iommu_group = 1,
	  .netif = "eth0", .netif_up = true },
	{ .bdf = "0000:00:04.0", .vendor = 0x8086, .device = 0x100e, .class = 0x020000,
	  .driver = "e1000", .irq = 51, .pin = 1, .gsi = 19, .iommu_group = 2,
	  .netif = "eth1" },
	{ .bdf = "0000:00:05.0", .vendor = 0x8086, .device = 0x10c9, .class = 0x020000,
	  .driver = "igb", .irq = 52, .pin = 1, .gsi = 20, .iommu_group = 3,
	  .multifunction = true, .netif = "eth2", .msix = { 126, 127 } },
	{ .bdf = "0000:00:05.1", .vendor = 0x8086, .device = 0x10c9, .class = 0x020000,
	  .driver = "igb", .irq = 53, .pin = 2, .gsi = 21, .iommu_group = 3,
	  .multifunction = true, .netif = "eth3" },
	{ .bdf = "0000:00:1f.2", .vendor = 0x8086, .device = 0x2922, .class = 0x010601,
	  .driver = "ahci", .irq = 54, .pin = 1, .gsi = 16, .iommu_group = 4,
	  .disk = "sda", .msi = 125 },
	/* no pin */
	{ .bdf = "0000:01:00.0", .vendor = 0x1234, .device = 0x5678, .class = 0xff0000,
	  .iommu_group = 5 },
	/* a pin whose GSI was never set up */
	{ .bdf = "0000:02:00.0", .vendor = 0x8086, .device = 0x100e, .class = 0x020000,
	  .irq = 55, .pin = 1, .gsi = FX_GSI_UNKNOWN, .iommu_group = 6 },
	{ .bdf = "0001:00:02.0", .vendor = 0x8086, .device = 0x100e, .class = 0x020000,
	  .driver = "e1000", .irq = 56, .pin = 1, .gsi = 23, .iommu_group = 7 },
	/* FX_SRIOV: 00:04.0 is an SR-IOV PF with two VFs (no INTx, as VFs):
	 * one on igbvf with eth9 up, one unbound */
	{ .bdf = "0000:00:10.0", .vendor = 0x8086, .device = 0x10ca, .class = 0x020000,
	  .driver = "igbvf", .iommu_group = 8, .netif = "eth9", .netif_up = true,
	  .physfn = "0000:00:04.0", .only = FX_SRIOV },
	{ .bdf = "0000:00:10.1", .vendor = 0x8086, .device = 0x10ca, .class = 0x020000,
	  .iommu_group = 9, .physfn = "0000:00:04.0", .only = FX_SRIOV },
};

static int mkdir_p(const char *path)
{
	char p[FX_PATH];
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
	char dir[FX_PATH], *slash;
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
	char p[FX_PATH];

	snprintf(p, sizeof(p), "%s%s", root, rel);
	return put_abs(p, content, strlen(content), O_TRUNC);
}

static int rlink(const char *root, const char *rel, const char *target_rel)
{
	char p[FX_PATH], t[FX_PATH], dir[FX_PATH], *slash;

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
	char p[FX_PATH];

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

/* A SATA disk beneath a device's directory, with one partition */
static void add_disk(const char *root, const char *devdir, const char *disk)
{
	char bd[FX_PATH], part[FX_PATH], rel[FX_PATH], buf[32];
	unsigned int minor = (unsigned int)(disk[2] - 'a') * 16;	/* sdX numbering */

	snprintf(bd, sizeof(bd), "%s/ata1/host0/target0:0:0/0:0:0:0/block/%s", devdir, disk);
	snprintf(part, sizeof(part), "%s/%s1", bd, disk);
	snprintf(rel, sizeof(rel), "%s/dev", bd);
	snprintf(buf, sizeof(buf), "8:%u\n", minor);
	rput(root, rel, buf);
	snprintf(rel, sizeof(rel), "%s/holders", bd);
	rmkdir(root, rel);
	snprintf(rel, sizeof(rel), "%s/dev", part);
	snprintf(buf, sizeof(buf), "8:%u\n", minor + 1);
	rput(root, rel, buf);
	snprintf(rel, sizeof(rel), "%s/holders", part);
	rmkdir(root, rel);
	snprintf(rel, sizeof(rel), "/sys/class/block/%s", disk);
	rlink(root, rel, bd);
	snprintf(rel, sizeof(rel), "/sys/class/block/%s1", disk);
	rlink(root, rel, part);
}

/* A device's directory below parent (a bus directory such as
 * /sys/devices/pci0000:00, or a bridge's directory), made as the kernel
 * makes it; iommu_group < 0: no IOMMU group (Linux's IOMMU off, as in a
 * Xen dom0). */
static void add_device_at(const char *root, const char *parent,
			  const struct fx_dev *d, unsigned int flags)
{
	char dir[FX_PATH], rel[FX_PATH], buf[64];
	unsigned char cfg[256] = { 0 };

	snprintf(dir, sizeof(dir), "%s/%s", parent, d->bdf);
#define ATTR(name, ...) do { \
		snprintf(rel, sizeof(rel), "%s/%s", dir, name); \
		snprintf(buf, sizeof(buf), __VA_ARGS__); \
		rput(root, rel, buf); \
	} while (0)
	ATTR("vendor", "0x%04x\n", d->vendor);
	ATTR("device", "0x%04x\n", d->device);
	ATTR("class", "0x%06x\n", d->class);
	ATTR("irq", "%d\n", (flags & FX_MSI) && d->msi ? d->msi : d->irq);
	if (flags & FX_MSI) {
		int k;

		if (d->msi) {
			snprintf(rel, sizeof(rel), "%s/msi_irqs/%d", dir, d->msi);
			rput(root, rel, "msi\n");
		}
		for (k = 0; k < 2; k++)
			if (d->msix[k]) {
				snprintf(rel, sizeof(rel), "%s/msi_irqs/%d", dir, d->msix[k]);
				rput(root, rel, "msix\n");
			}
	}
	ATTR("driver_override", "(null)\n");
	ATTR("enable", "%d\n", d->driver ? 1 : 0);
	/* a GSI the module does not know: reading the file fails with
	 * ENOENT, which fakesys.so plays for this content */
	if ((flags & FX_GSI_FILES) && d->pin)
		ATTR("gsi", d->gsi != FX_GSI_UNKNOWN ? "%d\n" : "ENODATA\n", d->gsi);
#undef ATTR
	cfg[0] = (unsigned char)d->vendor;
	cfg[1] = (unsigned char)(d->vendor >> 8);
	cfg[2] = (unsigned char)d->device;
	cfg[3] = (unsigned char)(d->device >> 8);
	cfg[9] = (unsigned char)d->class;
	cfg[10] = (unsigned char)(d->class >> 8);
	cfg[11] = (unsigned char)(d->class >> 16);
	cfg[0x0e] = d->multifunction ? 0x80 : 0;
	cfg[0x3c] = (unsigned char)d->irq;
	cfg[0x3d] = (unsigned char)d->pin;
	snprintf(rel, sizeof(rel), "%s%s/config", root, dir);
	put_abs(rel, cfg, sizeof(cfg), O_TRUNC);

	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s", d->bdf);
	rlink(root, rel, dir);
	if (d->iommu_group >= 0) {
		char link[FX_PATH];

		snprintf(rel, sizeof(rel), "/sys/kernel/iommu_groups/%d", d->iommu_group);
		snprintf(link, sizeof(link), "%s/iommu_group", dir);
		rlink(root, link, rel);
		snprintf(rel, sizeof(rel), "/sys/kernel/iommu_groups/%d/devices/%s",
			 d->iommu_group, d->bdf);
		rlink(root, rel, dir);
	}
	if (d->driver) {
		char drv[128];

		snprintf(drv, sizeof(drv), "/sys/bus/pci/drivers/%s", d->driver);
		snprintf(rel, sizeof(rel), "%s/driver", dir);
		rlink(root, rel, drv);
		snprintf(rel, sizeof(rel), "%s/%s", drv, d->bdf);
		rlink(root, rel, dir);
	}
	if (d->netif) {
		char nd[FX_PATH];

		snprintf(nd, sizeof(nd), "%s/net/%s", dir, d->netif);
		snprintf(rel, sizeof(rel), "%s/operstate", nd);
		rput(root, rel, d->netif_up ? "up\n" : "down\n");
		snprintf(rel, sizeof(rel), "%s/flags", nd);
		rput(root, rel, d->netif_up ? "0x1003\n" : "0x1002\n");
		snprintf(rel, sizeof(rel), "/sys/class/net/%s", d->netif);
		rlink(root, rel, nd);
	}
	if (d->disk)
		add_disk(root, dir, d->disk);
	if (d->physfn) {
		char pf[FX_PATH];

		snprintf(rel, sizeof(rel), "%s/physfn", dir);
		snprintf(pf, sizeof(pf), "%s/%s", parent, d->physfn);
		rlink(root, rel, pf);
	}
}

static void add_device(const char *root, const struct fx_dev *d, unsigned int flags)
{
	char bus[32];

	snprintf(bus, sizeof(bus), "/sys/devices/pci%.4s:%.2s", d->bdf, d->bdf + 5);
	add_device_at(root, bus, d, flags);
}

/* The rows of the tree built with these flags. */
static bool row_wanted(const struct fx_dev *d, unsigned int flags)
{
	return (d->only & flags) == d->only;
}

/* An SR-IOV PF: virtfnN links to its VFs (the rows naming it as physfn),
 * sriov_numvfs and sriov_totalvfs. */
static void add_sriov(const char *root, const struct fx_dev *pf, unsigned int flags)
{
	char rel[256], tgt[256], bus[16], num[16];
	size_t i;
	int n = 0;

	snprintf(bus, sizeof(bus), "pci%.4s:%.2s", pf->bdf, pf->bdf + 5);
	for (i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		const struct fx_dev *vf = &devices[i];

		if (!vf->physfn || strcmp(vf->physfn, pf->bdf) || !row_wanted(vf, flags))
			continue;
		snprintf(rel, sizeof(rel), "/sys/devices/%s/%s/virtfn%d", bus, pf->bdf, n++);
		snprintf(tgt, sizeof(tgt), "/sys/devices/%s/%s", bus, vf->bdf);
		rlink(root, rel, tgt);
	}
	if (!n)
		return;
	snprintf(rel, sizeof(rel), "/sys/devices/%s/%s/sriov_numvfs", bus, pf->bdf);
	snprintf(num, sizeof(num), "%d\n", n);
	rput(root, rel, num);
	snprintf(rel, sizeof(rel), "/sys/devices/%s/%s/sriov_totalvfs", bus, pf->bdf);
	rput(root, rel, "7\n");
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
	if (flags & FX_SRIOV)
		add_driver(root, "igbvf", "8086:10ca\n");
	for (i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
		if (row_wanted(&devices[i], flags))
			add_device(root, &devices[i], flags);
	for (i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
		if (row_wanted(&devices[i], flags))
			add_sriov(root, &devices[i], flags);
	if (!(flags & FX_NOXEN)) {
		/* the kernel's sys-hypervisor: Xen 4.20 */
		rput(root, "/sys/hypervisor/type", "xen\n");
		rput(root, "/sys/hypervisor/version/major", "4\n");
		rput(root, "/sys/hypervisor/version/minor", "20\n");
		rput(root, "/sys/hypervisor/version/extra", ".0\n");
		rput(root, "/sys/hypervisor/guest_type",
		     flags & FX_PV ? "PV\n" : flags & FX_HVM ? "HVM\n" : "PVH\n");
	}
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

int fx_add_dev_at(const char *root, const char *bdf, const char *parent,
		  unsigned int vendor, unsigned int device, unsigned int class,
		  const char *driver, int pin, int irq)
{
	char rel[FX_PATH], ids[32];
	struct fx_dev d = {
		.bdf = bdf, .vendor = vendor, .device = device, .class = class,
		.driver = driver && *driver && strcmp(driver, "-") ? driver : NULL,
		.pin = pin, .irq = irq, .iommu_group = -1,
	};

	if (d.driver) {
		snprintf(rel, sizeof(rel), "%s/sys/bus/pci/drivers/%s", root, d.driver);
		if (access(rel, F_OK)) {
			snprintf(ids, sizeof(ids), "%04x:%04x\n", vendor, device);
			add_driver(root, d.driver, ids);
		}
	}
	add_device_at(root, parent, &d, 0);
	return 0;
}

int fx_add_dev(const struct fx *fx, const char *bdf, const char *parent,
	       unsigned int vendor, unsigned int device, unsigned int class,
	       const char *driver, int pin, int irq)
{
	return fx_add_dev_at(fx->root, bdf, parent, vendor, device, class, driver,
			     pin, irq);
}

int fx_add_block(const struct fx *fx, const char *dir, const char *devnum)
{
	char rel[FX_PATH];
	const char *name = strrchr(dir, '/');
	int err;

	if (!name)
		return -EINVAL;
	snprintf(rel, sizeof(rel), "%s/holders", dir);
	err = rmkdir(fx->root, rel);
	if (!err && devnum && *devnum) {
		snprintf(rel, sizeof(rel), "%s/dev", dir);
		err = fx_put(fx, rel, devnum);
	}
	if (!err) {
		snprintf(rel, sizeof(rel), "/sys/class/block/%s", name + 1);
		err = rlink(fx->root, rel, dir);
	}
	return err;
}

int fx_link(const struct fx *fx, const char *rel, const char *target)
{
	return rlink(fx->root, rel, target);
}

int fx_mkdir(const struct fx *fx, const char *rel)
{
	return rmkdir(fx->root, rel);
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw);

int fx_rm_rf(const struct fx *fx, const char *rel)
{
	char p[FX_PATH];

	snprintf(p, sizeof(p), "%s%s", fx->root, rel);
	return nftw(p, rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0 ? -errno : 0;
}

/* Every symlink below dir whose target's last component is name goes. */
static void unlink_links_to(const char *dir, const char *name, int depth)
{
	struct dirent **ents;
	int n, i;

	if (depth > 6)
		return;
	n = scandir(dir, &ents, NULL, alphasort);
	for (i = 0; i < n; i++) {
		char p[FX_PATH], t[FX_PATH];
		struct stat st;
		ssize_t k;
		const char *b;

		snprintf(p, sizeof(p), "%s/%s", dir, ents[i]->d_name);
		if (ents[i]->d_name[0] != '.' && !lstat(p, &st)) {
			if (S_ISLNK(st.st_mode)) {
				k = readlink(p, t, sizeof(t) - 1);
				if (k > 0) {
					t[k] = '\0';
					b = strrchr(t, '/');
					if (!strcmp(b ? b + 1 : t, name))
						unlink(p);
				}
			} else if (S_ISDIR(st.st_mode)) {
				unlink_links_to(p, name, depth + 1);
			}
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

int fx_unplug_at(const char *root, const char *bdf)
{
	char p[FX_PATH], real[FX_PATH];
	struct fx tmp;

	snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/%s", root, bdf);
	if (!realpath(p, real))
		return -ENODEV;
	snprintf(tmp.root, sizeof(tmp.root), "%s", root);
	nftw(real, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	snprintf(p, sizeof(p), "%s/sys", root);
	unlink_links_to(p, bdf, 0);
	return 0;
}

int fx_unplug(const struct fx *fx, const char *bdf)
{
	return fx_unplug_at(fx->root, bdf);
}

void fx_state_of(const struct fx *fx, const char *bdf, struct fx_state *st)
{
	char rel[FX_PATH];

	memset(st, 0, sizeof(*st));
	fx_driver(fx, bdf, st->driver, sizeof(st->driver));
	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/driver_override", bdf);
	fx_get(fx, rel, st->override, sizeof(st->override));
	fx_get(fx, "/sys/bus/pci/drivers/pciback/slots", st->slots, sizeof(st->slots));
	snprintf(rel, sizeof(rel), "/var/lib/xenpt/devices/%s", bdf);
	fx_get(fx, rel, st->record, sizeof(st->record));
	snprintf(rel, sizeof(rel), "/var/lib/xenpt/journal/%s", bdf);
	st->journal = fx_exists(fx, rel);
	fx_get(fx, "/.fake/xc.quarantined", st->quarantined, sizeof(st->quarantined));
	fx_get(fx, "/etc/udev/rules.d/60-xenpt.rules", st->rules, sizeof(st->rules));
}

bool fx_state_same(const struct fx_state *a, const struct fx_state *b,
		   char *why, size_t size)
{
	if (strcmp(a->driver, b->driver))
		snprintf(why, size, "driver %s -> %s", a->driver, b->driver);
	else if (strcmp(a->override, b->override))
		snprintf(why, size, "driver_override %s -> %s", a->override, b->override);
	else if (strcmp(a->slots, b->slots))
		snprintf(why, size, "pciback slots changed");
	else if (strcmp(a->record, b->record))
		snprintf(why, size, "record changed");
	else if (a->journal != b->journal)
		snprintf(why, size, "journal left");
	else if (strcmp(a->quarantined, b->quarantined))
		snprintf(why, size, "quarantine changed");
	else if (strcmp(a->rules, b->rules))
		snprintf(why, size, "udev rules changed");
	else
		return true;
	return false;
}

int fx_new(struct fx *fx, unsigned int flags)
{
	const char *tmp = getenv("TMPDIR");
	int err;

	snprintf(fx->root, sizeof(fx->root), "%s/xenpt-fx.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(fx->root))
		return -errno;
	fx_log_clear();
	unsetenv("XENPT_ROOT");
	err = fx_build(fx->root, flags);
	/* from now on the fake kernel (if preloaded) acts below the root */
	setenv("XENPT_ROOT", fx->root, 1);
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
	char p[FX_PATH];

	snprintf(p, sizeof(p), "%s%s", fx->root, rel);
	return put_abs(p, content, strlen(content), O_APPEND);
}

int fx_get(const struct fx *fx, const char *rel, char *buf, size_t size)
{
	char p[FX_PATH];
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
	char p[FX_PATH];
	struct stat st;

	snprintf(p, sizeof(p), "%s%s", fx->root, rel);
	return lstat(p, &st) == 0;
}

int fx_rm(const struct fx *fx, const char *rel)
{
	char p[FX_PATH];

	snprintf(p, sizeof(p), "%s%s", fx->root, rel);
	return unlink(p) < 0 ? -errno : 0;
}

int fx_xen_node(const struct fx *fx, const char *node, const char *answers)
{
	char rel[256];
	int err;

	snprintf(rel, sizeof(rel), "/dev/xen/%s", node);
	if (!fx_exists(fx, rel)) {
		err = fx_put(fx, rel, "");
		if (err)
			return err;
	}
	if (!answers)
		return 0;
	snprintf(rel, sizeof(rel), "/.fake/ioctl/%s", node);
	return fx_append(fx, rel, answers);
}

int fx_driver(const struct fx *fx, const char *bdf, char *buf, size_t size)
{
	char p[FX_PATH], t[FX_PATH];
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
	if (fx_all_used < sizeof(fx_all_log) - 1) {
		int n = snprintf(fx_all_log + fx_all_used, sizeof(fx_all_log) - fx_all_used,
				 "<%d> %s\n", prio, msg);

		if (n > 0)
			fx_all_used += (size_t)n;
		if (fx_all_used > sizeof(fx_all_log) - 1)
			fx_all_used = sizeof(fx_all_log) - 1;
	}
	if (getenv("XENPT_TEST_LOG"))
		fprintf(stderr, "# log<%d> %s\n", prio, msg);
}

bool fx_logged(int prio, const char *part)
{
	char tag[16];
	const char *p = fx_all_log;

	snprintf(tag, sizeof(tag), "<%d> ", prio);
	while ((p = strstr(p, tag))) {
		const char *eol = strchr(p, '\n');
		char line[2048];
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		if (strstr(line, part))
			return true;
		p += len;
	}
	return false;
}

void fx_log_clear(void)
{
	fx_all_used = 0;
	fx_all_log[0] = '\0';
	fx_last_error[0] = '\0';
	fx_errors = 0;
}

struct xenpt_ctx *fx_ctx(const struct fx *fx)
{
	struct xenpt_ctx *ctx = NULL;

	if (xenpt_ctx_new(&ctx))
		return NULL;
	if (xenpt_ctx_set_root(ctx, fx->root)) {
		xenpt_ctx_unref(ctx);
		return NULL;
	}
	xenpt_ctx_set_log_fn(ctx, fx_log, NULL);
	xenpt_ctx_set_log_priority(ctx, LOG_DEBUG);
	return ctx;
}

struct xenpt_ctx *fx_open(struct fx *fx, unsigned int flags)
{
	if (fx_new(fx, flags))
		return NULL;
	return fx_ctx(fx);
}

void fx_close(struct fx *fx, struct xenpt_ctx *ctx)
{
	xenpt_ctx_unref(ctx);
	fx_free(fx);
}

bool fx_preloaded(void)
{
	const char *p = getenv("LD_PRELOAD");

	return p && strstr(p, "fakesys");
}
