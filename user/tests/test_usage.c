// SPDX-License-Identifier: GPL-2.0
/*
 * "Dom0 uses this device", by kind, on the fake sysfs: whatever sits on
 * what the device carries (storage stacks: partitions, NVMe subsystems,
 * dm, LVM, dm-crypt, multipath, md, bcache, loop, btrfs, ZFS; backends
 * serving a guest: blkback, LIO, nvmet), the console and displays, network
 * interfaces.  Each refusal names the holder, and the refused device is
 * untouched: driver, driver_override, pciback slots, record, journal,
 * quarantine, udev rule, no sysfs write at all.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "fixture.h"
#include "harness.h"
#include "xenpt.h"

static struct fx fx;

#define FAKE_TEST(name, flags) \
	FX_TEST_IF(name, flags, fx_preloaded(), "needs LD_PRELOAD=fakesys.so")

static int add(struct xenpt_ctx *ctx, const char *bdf, unsigned int flags)
{
	struct xenpt_bdf b;

	if (xenpt_bdf_parse(bdf, &b))
		return -100;
	return xenpt_assignable_add(ctx, &b, flags);
}

static bool log_has(const char *s)
{
	static char buf[1 << 16];

	return fx_get(&fx, "/.fake/log", buf, sizeof(buf)) >= 0 && strstr(buf, s);
}

/*
 * Refused with want, the reason holding part, the device untouched, no
 * sysfs write: through the per-device results (1.1) and through
 * xenpt_assignable_add() (1.0, the reason in the log).
 */
static int refused(struct xenpt_ctx *ctx, const char *bdf, unsigned int flags,
		   int want, const char *part)
{
	struct fx_state before, after;
	struct xenpt_result res;
	const char *devs[1] = { bdf };
	char why[256];
	int err;

	fx_state_of(&fx, bdf, &before);
	fx_put(&fx, "/.fake/log", "");
	memset(&res, 0, sizeof(res));
	err = xenpt_assignable_add_devices(ctx, devs, 1, flags, NULL, &res);
	if (err != want || res.err != want || !strstr(res.reason, part)) {
		t_fail(__FILE__, __LINE__, "%s: results: %d/%d \"%s\", want %d \"%s\"",
		       bdf, err, res.err, res.reason, want, part);
		return -1;
	}
	fx_last_error[0] = '\0';
	err = add(ctx, bdf, flags);
	if (err != want || !strstr(fx_last_error, part)) {
		t_fail(__FILE__, __LINE__, "%s: %d \"%s\", want %d \"%s\"", bdf, err,
		       fx_last_error, want, part);
		return -1;
	}
	fx_state_of(&fx, bdf, &after);
	if (!fx_state_same(&before, &after, why, sizeof(why))) {
		t_fail(__FILE__, __LINE__, "%s: refused but touched: %s", bdf, why);
		return -1;
	}
	if (log_has("write /sys/")) {
		t_fail(__FILE__, __LINE__, "%s: refused but written to sysfs", bdf);
		return -1;
	}
	return 0;
}

#define CHECK_REFUSED(bdf, flags, want, part) \
	CHECK_INT(refused(ctx, bdf, flags, want, part), ==, 0)
#define CHECK_IN_USE(bdf, part) CHECK_REFUSED(bdf, 0, -EBUSY, part)

/* xenpt_device_in_use() says no, and the add goes through */
static int free_to_add(struct xenpt_ctx *ctx, const char *bdf)
{
	struct xenpt_bdf b;
	char why[512];
	int err;

	xenpt_bdf_parse(bdf, &b);
	err = xenpt_device_in_use(ctx, &b, why, sizeof(why));
	if (err) {
		t_fail(__FILE__, __LINE__, "%s: in use %d: %s", bdf, err, why);
		return -1;
	}
	err = add(ctx, bdf, XENPT_ASSIGN_NO_QUARANTINE);
	if (err) {
		t_fail(__FILE__, __LINE__, "%s: add %d: %s", bdf, err, fx_last_error);
		return -1;
	}
	return 0;
}

#define CHECK_FREE(bdf) CHECK_INT(free_to_add(ctx, bdf), ==, 0)

#define MOUNTS_BASE "sysfs /sys sysfs rw 0 0\nproc /proc proc rw 0 0\n"

/* --- storage: an NVMe controller and its namespaces --------------------- */

#define D03 "/sys/devices/pci0000:00/0000:03:00.0"
#define CTRL D03 "/nvme/nvme0"
#define SUBSYS "/sys/devices/virtual/nvme-subsystem/nvme-subsys0"

/* mkdev 0000:03:00.0 ... 144d a824 010802 nvme 1 0, and its controller */
static void nvme_controller(void)
{
	fx_add_dev(&fx, "0000:03:00.0", "/sys/devices/pci0000:00", 0x144d, 0xa824,
		   0x010802, "nvme", 1, 0);
	fx_put(&fx, CTRL "/dev", "240:0\n");
}

/*
 * Linux's native NVMe multipath (nvme_core.multipath=Y, a subsystem that
 * can have several controllers): the namespace's disk hangs below the
 * subsystem, /sys/devices/virtual/nvme-subsystem/nvme-subsys0/nvme0n1,
 * which links to the controller; the controller only has the hidden path
 * device nvme0c0n1.
 */
static void nvme_multipath(bool class_links)
{
	nvme_controller();
	fx_put(&fx, CTRL "/nvme0c0n1/dev", "259:3\n");
	fx_mkdir(&fx, SUBSYS);
	fx_put(&fx, SUBSYS "/subsysnqn", "nqn.2014.08.org.nvmexpress:144da824\n");
	fx_link(&fx, SUBSYS "/nvme0", CTRL);
	fx_add_block(&fx, SUBSYS "/nvme0n1", "259:0\n");
	fx_add_block(&fx, SUBSYS "/nvme0n1/nvme0n1p1", "259:1\n");
	fx_put(&fx, SUBSYS "/nvme0n1/nvme0n1p1/partition", "1\n");
	fx_add_block(&fx, SUBSYS "/nvme0n1/nvme0n1p2", "259:2\n");
	fx_put(&fx, SUBSYS "/nvme0n1/nvme0n1p2/partition", "2\n");
	if (!class_links) {
		fx_rm(&fx, "/sys/class/block/nvme0n1");
		fx_rm(&fx, "/sys/class/block/nvme0n1p1");
		fx_rm(&fx, "/sys/class/block/nvme0n1p2");
	}
}

/* Input 1: dom0's root on a multipath NVMe namespace. */
FAKE_TEST(nvme_native_multipath_root_is_refused, 0)
{
	nvme_multipath(true);
	fx_put(&fx, "/proc/mounts", MOUNTS_BASE "/dev/nvme0n1p2 / ext4 rw 0 0\n");
	CHECK_IN_USE("0000:03:00.0", "/dev/nvme0n1p2 (nvme0n1p2) is mounted on /");
	CHECK_REFUSED("0000:03:00.0", XENPT_ASSIGN_STRICT, -EBUSY, "is mounted on /");
}

/* The subsystem's disks are found from the subsystem's own directory,
 * not only through /sys/class/block. */
FAKE_TEST(nvme_multipath_without_class_links, 0)
{
	nvme_multipath(false);
	fx_put(&fx, "/proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n"
	       "/dev/nvme0n1p1\tpartition\t1000\t0\t-2\n");
	CHECK_IN_USE("0000:03:00.0", "/dev/nvme0n1p1 (nvme0n1p1) is used for swap");
}

/* Another controller's subsystem is not this one's. */
FAKE_TEST(nvme_other_subsystem_is_not_this_device, 0)
{
	nvme_multipath(true);
	fx_put(&fx, "/proc/mounts", MOUNTS_BASE "/dev/nvme0n1p2 / ext4 rw 0 0\n");
	fx_add_dev(&fx, "0000:08:00.0", "/sys/devices/pci0000:00", 0x144d, 0xa824,
		   0x010802, "nvme", 1, 0);
	fx_put(&fx, "/sys/devices/pci0000:00/0000:08:00.0/nvme/nvme1/dev", "240:1\n");
	fx_mkdir(&fx, "/sys/devices/virtual/nvme-subsystem/nvme-subsys1");
	fx_link(&fx, "/sys/devices/virtual/nvme-subsystem/nvme-subsys1/nvme1",
		"/sys/devices/pci0000:00/0000:08:00.0/nvme/nvme1");
	fx_add_block(&fx, "/sys/devices/virtual/nvme-subsystem/nvme-subsys1/nvme1n1",
		     "259:5\n");
	CHECK_FREE("0000:08:00.0");
}

/* md over a multipath NVMe namespace's partition, nothing mounted. */
FAKE_TEST(md_over_nvme_multipath_is_refused, 0)
{
	nvme_multipath(true);
	fx_add_block(&fx, "/sys/devices/virtual/block/md0", "9:0\n");
	fx_put(&fx, "/sys/devices/virtual/block/md0/md/level", "raid1\n");
	fx_link(&fx, SUBSYS "/nvme0n1/nvme0n1p1/holders/md0",
		"/sys/devices/virtual/block/md0");
	CHECK_IN_USE("0000:03:00.0", "nvme0n1p1 is held by md0 (raid1)");
}

/* Without multipath the namespace is below the controller. */
FAKE_TEST(nvme_namespace_below_the_controller, 0)
{
	nvme_controller();
	fx_add_block(&fx, CTRL "/nvme0n1", "259:0\n");
	fx_add_block(&fx, CTRL "/nvme0n1/nvme0n1p1", "259:1\n");
	fx_put(&fx, "/proc/mounts", MOUNTS_BASE "/dev/nvme0n1p1 /boot vfat rw 0 0\n");
	CHECK_IN_USE("0000:03:00.0", "/dev/nvme0n1p1 (nvme0n1p1) is mounted on /boot");
}

/* --- storage: what holds a disk ------------------------------------------- */

/* A virtual block device (dm, md, bcache, loop) under devices/virtual. */
static void vblock(const char *name, const char *devnum)
{
	char dir[256];

	snprintf(dir, sizeof(dir), "/sys/devices/virtual/block/%s", name);
	fx_add_block(&fx, dir, devnum);
}

static void dm(const char *name, const char *devnum, const char *dmname,
	       const char *uuid)
{
	char rel[256];

	vblock(name, devnum);
	snprintf(rel, sizeof(rel), "/sys/devices/virtual/block/%s/dm/name", name);
	fx_put(&fx, rel, dmname);
	if (uuid) {
		snprintf(rel, sizeof(rel), "/sys/devices/virtual/block/%s/dm/uuid", name);
		fx_put(&fx, rel, uuid);
	}
}

/* holder stacked on below (a block device's directory) */
static void holds(const char *below, const char *holder)
{
	char rel[512], tgt[256];

	snprintf(rel, sizeof(rel), "%s/holders/%s", below, holder);
	snprintf(tgt, sizeof(tgt), "/sys/devices/virtual/block/%s", holder);
	fx_link(&fx, rel, tgt);
}

/* Input 2: an LV a guest uses through blkback: held, nothing mounted.
 * The namespace and its partition have their dev files only (no class
 * links): found below the device all the same. */
FAKE_TEST(lvm_holder_without_a_mount_is_refused, 0)
{
	fx_add_dev(&fx, "0000:03:00.0", "/sys/devices/pci0000:00", 0x144d, 0xa808,
		   0x010802, "nvme", 1, 0);
	fx_put(&fx, CTRL "/dev", "240:0\n");
	fx_put(&fx, CTRL "/nvme0n1/dev", "259:0\n");
	fx_put(&fx, CTRL "/nvme0n1/nvme0n1p1/dev", "259:1\n");
	fx_mkdir(&fx, CTRL "/nvme0n1/nvme0n1p1/holders");
	dm("dm-0", "253:0\n", "vg0-guest1\n", NULL);
	holds(CTRL "/nvme0n1/nvme0n1p1", "dm-0");
	CHECK_IN_USE("0000:03:00.0", "nvme0n1p1 is held by dm-0 (vg0-guest1)");
	/* --force takes it all the same */
	CHECK_INT(add(ctx, "0000:03:00.0", XENPT_ASSIGN_FORCE), ==, 0);
}

#define D04 "/sys/devices/pci0000:00/0000:04:00.0"
#define SDB D04 "/ata2/host1/target1:0:0/1:0:0:0/block/sdb"

/* mkdev 0000:04:00.0 ... 8086 2922 010601 ahci 1 0, with a disk sdb
 * (sdb1, sdb2) */
static void ahci_sdb(void)
{
	fx_add_dev(&fx, "0000:04:00.0", "/sys/devices/pci0000:00", 0x8086, 0x2922,
		   0x010601, "ahci", 1, 0);
	fx_add_block(&fx, SDB, "8:16\n");
	fx_add_block(&fx, SDB "/sdb1", "8:17\n");
	fx_put(&fx, SDB "/sdb1/partition", "1\n");
	fx_add_block(&fx, SDB "/sdb2", "8:18\n");
	fx_put(&fx, SDB "/sdb2/partition", "2\n");
}

/* Input 2, md: md0 holds sdb1 of an AHCI controller. */
FAKE_TEST(md_holder_without_a_mount_is_refused, 0)
{
	ahci_sdb();
	vblock("md0", "9:0\n");
	holds(SDB "/sdb1", "md0");
	CHECK_IN_USE("0000:04:00.0", "sdb1 is held by md0");
}

FAKE_TEST(dm_crypt_holder_is_refused, 0)
{
	ahci_sdb();
	dm("dm-1", "253:1\n", "luks-1234\n", "CRYPT-LUKS2-1234abcd-luks-1234\n");
	holds(SDB "/sdb1", "dm-1");
	CHECK_IN_USE("0000:04:00.0", "sdb1 is held by dm-1 (luks-1234, dm-crypt)");
}

/* LVM on dm-crypt on a partition: the mount at the top is the reason. */
FAKE_TEST(lvm_on_dm_crypt_mounted_is_refused, 0)
{
	ahci_sdb();
	dm("dm-1", "253:1\n", "luks-1234\n", "CRYPT-LUKS2-1234abcd-luks-1234\n");
	dm("dm-2", "253:2\n", "vg-home\n", "LVM-abcdef\n");
	holds(SDB "/sdb1", "dm-1");
	holds("/sys/devices/virtual/block/dm-1", "dm-2");
	fx_put(&fx, "/proc/mounts", MOUNTS_BASE "/dev/mapper/vg-home /home ext4 rw 0 0\n");
	CHECK_IN_USE("0000:04:00.0", "/dev/mapper/vg-home (dm-2) is mounted on /home");
}

/* dm-multipath over the whole disk, kpartx's partition mapping mounted. */
FAKE_TEST(dm_multipath_mounted_is_refused, 0)
{
	ahci_sdb();
	dm("dm-3", "253:3\n", "mpatha\n", "mpath-3600a098038303053\n");
	dm("dm-4", "253:4\n", "mpatha1\n", "part1-mpath-3600a098038303053\n");
	holds(SDB, "dm-3");
	holds("/sys/devices/virtual/block/dm-3", "dm-4");
	fx_put(&fx, "/proc/mounts", MOUNTS_BASE "/dev/mapper/mpatha1 /var xfs rw 0 0\n");
	CHECK_IN_USE("0000:04:00.0", "/dev/mapper/mpatha1 (dm-4) is mounted on /var");
	/* unmounted, the map still holds the disk */
	fx_put(&fx, "/proc/mounts", MOUNTS_BASE);
	CHECK_IN_USE("0000:04:00.0", "sdb is held by dm-3 (mpatha, multipath)");
}

FAKE_TEST(swap_on_a_holder_is_refused, 0)
{
	ahci_sdb();
	dm("dm-5", "253:5\n", "vg-swap\n", "LVM-swap\n");
	holds(SDB "/sdb2", "dm-5");
	fx_put(&fx, "/proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n"
	       "/dev/dm-5\tpartition\t1000\t0\t-2\n");
	CHECK_IN_USE("0000:04:00.0", "/dev/dm-5 (dm-5) is used for swap");
}

/* bcache: the backing disk's holder bcache0 is mounted; a cache device
 * has no holder, only its bcache directory. */
FAKE_TEST(bcache_backing_and_cache_devices_are_refused, 0)
{
	ahci_sdb();
	vblock("bcache0", "252:0\n");
	holds(SDB, "bcache0");
	fx_mkdir(&fx, SDB "/bcache");
	fx_put(&fx, "/proc/mounts", MOUNTS_BASE "/dev/bcache0 /srv ext4 rw 0 0\n");
	CHECK_IN_USE("0000:04:00.0", "/dev/bcache0 (bcache0) is mounted on /srv");
	/* the cache device of a cache set, on another controller */
	fx_add_dev(&fx, "0000:09:00.0", "/sys/devices/pci0000:00", 0x8086, 0x2922,
		   0x010601, "ahci", 1, 0);
	fx_add_block(&fx, "/sys/devices/pci0000:00/0000:09:00.0/ata3/host2/target2:0:0/"
		     "2:0:0:0/block/sdc", "8:32\n");
	fx_mkdir(&fx, "/sys/devices/pci0000:00/0000:09:00.0/ata3/host2/target2:0:0/"
		 "2:0:0:0/block/sdc/bcache/set");
	CHECK_IN_USE("0000:09:00.0", "sdc is registered with bcache");
}

/* A loop device whose backing file is the partition's node. */
FAKE_TEST(loop_device_backed_by_it_is_refused, 0)
{
	ahci_sdb();
	vblock("loop0", "7:0\n");
	fx_put(&fx, "/sys/devices/virtual/block/loop0/loop/backing_file", "/dev/sdb1\n");
	CHECK_IN_USE("0000:04:00.0", "sdb1 is the backing file of loop0");
	fx_put(&fx, "/proc/mounts", MOUNTS_BASE "/dev/loop0 /mnt/img ext4 rw 0 0\n");
	CHECK_IN_USE("0000:04:00.0", "/dev/loop0 (loop0) is mounted on /mnt/img");
}

/* A multi-device btrfs mounted through another disk's node: its member
 * here is in use all the same. */
FAKE_TEST(btrfs_multi_device_member_is_refused, 0)
{
	ahci_sdb();
	fx_link(&fx, "/sys/fs/btrfs/8e0a4d2c-7f3b-4c1e-9a61-2b5d3c4e5f60/devices/sdb1",
		SDB "/sdb1");
	fx_put(&fx, "/sys/fs/btrfs/8e0a4d2c-7f3b-4c1e-9a61-2b5d3c4e5f60/label", "data\n");
	fx_put(&fx, "/proc/mounts", MOUNTS_BASE "/dev/sdz1 /data btrfs rw 0 0\n");
	fx_link(&fx, "/sys/fs/btrfs/8e0a4d2c-7f3b-4c1e-9a61-2b5d3c4e5f60/devices/sdz1",
		"/sys/devices/virtual/block/sdz1");
	CHECK_IN_USE("0000:04:00.0",
		     "sdb1 is a device of the btrfs file system \"data\" mounted on /data");
}

/* A vdev of an imported ZFS pool (udev's probe names the pool; the pool's
 * kstat directory says it is imported); an exported pool is no holder. */
FAKE_TEST(zfs_pool_member_is_refused, 0)
{
	ahci_sdb();
	fx_put(&fx, "/run/udev/data/b8:17", "S:disk/by-partlabel/zfs-5b2d\n"
	       "E:ID_FS_TYPE=zfs_member\nE:ID_FS_LABEL=tank\nE:ID_FS_USAGE=filesystem\n");
	CHECK_FREE("0000:04:00.0");
	CHECK_INT(xenpt_assignable_remove(ctx, &(struct xenpt_bdf){ .bus = 4 },
					  XENPT_REMOVE_REBIND), ==, 0);
	fx_put(&fx, "/proc/spl/kstat/zfs/tank/state", "ONLINE\n");
	CHECK_IN_USE("0000:04:00.0", "sdb1 is a vdev of the imported ZFS pool tank");
}

/* blkback serves a partition to a guest: physical_device is "MAJ:MIN" in
 * hex (8:17 is 8:11). */
FAKE_TEST(blkback_serving_a_guest_is_refused, 0)
{
	ahci_sdb();
	fx_put(&fx, "/sys/bus/xen-backend/devices/vbd-3-51712/physical_device", "8:11\n");
	fx_put(&fx, "/sys/bus/xen-backend/devices/vbd-3-51712/mode", "w\n");
	CHECK_IN_USE("0000:04:00.0", "sdb1 is a disk of domain 3 (blkback vbd-3-51712)");
}

/* Block targets exporting the disk: LIO (configfs udev_path) and the
 * NVMe target (device_path of an enabled namespace). */
FAKE_TEST(block_targets_serving_it_are_refused, 0)
{
	ahci_sdb();
	fx_put(&fx, "/sys/kernel/config/target/core/iblock_0/disk1/udev_path", "/dev/sdb\n");
	CHECK_IN_USE("0000:04:00.0", "sdb is exported by the LIO target (iblock_0/disk1)");
	fx_rm_rf(&fx, "/sys/kernel/config/target");
	fx_put(&fx, "/sys/kernel/config/nvmet/subsystems/nqn.x/namespaces/1/device_path",
	       "/dev/sdb2\n");
	fx_put(&fx, "/sys/kernel/config/nvmet/subsystems/nqn.x/namespaces/1/enable", "1\n");
	CHECK_IN_USE("0000:04:00.0",
		     "sdb2 is exported by the NVMe target (nqn.x, namespace 1)");
}

/* /dev/root (no initramfs): /proc/self/mountinfo's MAJ:MIN says which. */
FAKE_TEST(root_mounted_as_dev_root_is_refused, 0)
{
	ahci_sdb();
	fx_put(&fx, "/proc/mounts", MOUNTS_BASE "/dev/root / ext4 rw 0 0\n");
	fx_put(&fx, "/proc/self/mountinfo",
	       "21 26 0:20 / /sys rw shared:7 - sysfs sysfs rw\n"
	       "25 1 8:17 / / rw,relatime shared:1 - ext4 /dev/root rw\n");
	CHECK_IN_USE("0000:04:00.0", "/dev/root (sdb1) is mounted on /");
}

/* Nothing holds the disk: free. */
FAKE_TEST(an_idle_disk_is_free, 0)
{
	ahci_sdb();
	fx_put(&fx, "/run/udev/data/b8:17", "E:ID_FS_TYPE=ext4\n");
	CHECK_FREE("0000:04:00.0");
}

/* usbback gives a guest a USB device behind the controller: its
 * interfaces are bound to usbback. */
FAKE_TEST(usbback_serving_a_guest_is_refused, 0)
{
	fx_add_dev(&fx, "0000:00:14.0", "/sys/devices/pci0000:00", 0x8086, 0xa36d,
		   0x0c0330, "xhci_hcd", 1, 17);
	fx_mkdir(&fx, "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0");
	fx_mkdir(&fx, "/sys/bus/usb/drivers/usbback");
	CHECK_FREE("0000:00:14.0");
	CHECK_INT(xenpt_assignable_remove(ctx, &(struct xenpt_bdf){ .dev = 0x14 },
					  XENPT_REMOVE_REBIND), ==, 0);
	fx_link(&fx, "/sys/bus/usb/drivers/usbback/1-3:1.0",
		"/sys/devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0");
	CHECK_IN_USE("0000:00:14.0", "USB interface 1-3:1.0 is on it, given to a guest "
		     "(usbback)");
}

/* --- the console and displays ------------------------------------------------ */

#define D06 "/sys/devices/pci0000:00/0000:06:00.0"

static void gpu(void)
{
	fx_add_dev(&fx, "0000:06:00.0", "/sys/devices/pci0000:00", 0x1002, 0x67df,
		   0x030000, "amdgpu", 1, 58);
}

/* Input 3: the GPU driving dom0's console. */
FAKE_TEST(console_gpu_is_refused_unless_forced, 0)
{
	gpu();
	fx_put(&fx, D06 "/boot_vga", "1\n");
	fx_put(&fx, D06 "/drm/card0/dev", "226:0\n");
	fx_put(&fx, D06 "/graphics/fb0/dev", "29:0\n");
	CHECK_IN_USE("0000:06:00.0", "it is the boot VGA device (boot_vga): dom0's console");
	CHECK_IN_USE("0000:06:00.0", "framebuffer fb0 is on it");
	CHECK_INT(add(ctx, "0000:06:00.0", XENPT_ASSIGN_FORCE), ==, 0);
}

FAKE_TEST(framebuffer_or_lit_display_is_refused, 0)
{
	gpu();
	fx_put(&fx, D06 "/boot_vga", "0\n");
	fx_put(&fx, D06 "/graphics/fb1/dev", "29:1\n");
	CHECK_IN_USE("0000:06:00.0", "framebuffer fb1 is on it");
	fx_rm_rf(&fx, D06 "/graphics");
	fx_put(&fx, D06 "/drm/card1/card1-HDMI-A-1/status", "connected\n");
	fx_put(&fx, D06 "/drm/card1/card1-HDMI-A-1/enabled", "enabled\n");
	fx_put(&fx, D06 "/drm/card1/card1-DP-1/status", "disconnected\n");
	fx_put(&fx, D06 "/drm/card1/card1-DP-1/enabled", "disabled\n");
	CHECK_IN_USE("0000:06:00.0", "display card1-HDMI-A-1 is connected and on");
}

/* A second GPU whose DRM driver bound, with nothing lit: for a guest. */
FAKE_TEST(idle_second_gpu_is_free, 0)
{
	gpu();
	fx_put(&fx, D06 "/boot_vga", "0\n");
	fx_put(&fx, D06 "/drm/card1/card1-DP-1/status", "disconnected\n");
	fx_put(&fx, D06 "/drm/card1/card1-DP-1/enabled", "disabled\n");
	CHECK_FREE("0000:06:00.0");
}

/* The console on a PCI serial card's port. */
FAKE_TEST(serial_console_card_is_refused, 0)
{
	fx_add_dev(&fx, "0000:07:00.0", "/sys/devices/pci0000:00", 0x1c00, 0x3253,
		   0x070002, "serial", 1, 19);
	fx_mkdir(&fx, "/sys/devices/pci0000:00/0000:07:00.0/tty/ttyS4");
	fx_link(&fx, "/sys/class/tty/ttyS4", "/sys/devices/pci0000:00/0000:07:00.0/tty/ttyS4");
	fx_put(&fx, "/sys/class/tty/console/active", "tty0 ttyS4\n");
	CHECK_IN_USE("0000:07:00.0", "the console ttyS4 is on it");
	fx_put(&fx, "/sys/class/tty/console/active", "tty0\n");
	CHECK_FREE("0000:07:00.0");
}

/* A keyboard below a USB controller: the VT console reads it (the kbd
 * handler, /proc/bus/input/devices); a mouse is no console. */
FAKE_TEST(console_keyboard_on_a_usb_controller_is_refused, 0)
{
	fx_add_dev(&fx, "0000:00:14.0", "/sys/devices/pci0000:00", 0x8086, 0xa36d,
		   0x0c0330, "xhci_hcd", 1, 17);
	fx_mkdir(&fx, "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/"
		 "0003:046D:C31C.0001/input/input5");
	fx_mkdir(&fx, "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/"
		 "0003:046D:C077.0002/input/input6");
	fx_put(&fx, "/proc/bus/input/devices",
	       "I: Bus=0003 Vendor=046d Product=c077 Version=0111\n"
	       "N: Name=\"Logitech USB Optical Mouse\"\n"
	       "S: Sysfs=/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/"
	       "0003:046D:C077.0002/input/input6\n"
	       "H: Handlers=mouse0 event6\n\n"
	       "I: Bus=0003 Vendor=046d Product=c31c Version=0110\n"
	       "N: Name=\"Logitech USB Keyboard\"\n"
	       "S: Sysfs=/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/"
	       "0003:046D:C31C.0001/input/input5\n"
	       "H: Handlers=sysrq kbd leds event5\n\n");
	CHECK_IN_USE("0000:00:14.0", "keyboard \"Logitech USB Keyboard\" (input5) is "
		     "on it: dom0's console reads it");
	fx_put(&fx, "/proc/bus/input/devices",
	       "N: Name=\"Logitech USB Optical Mouse\"\n"
	       "S: Sysfs=/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/"
	       "0003:046D:C077.0002/input/input6\n"
	       "H: Handlers=mouse0 event6\n");
	CHECK_FREE("0000:00:14.0");
}

/* --- network interfaces --------------------------------------------------------- */

/* eth1 is down but a port of bond0: dom0's traffic goes through it. */
FAKE_TEST(enslaved_interface_is_refused, 0)
{
	fx_mkdir(&fx, "/sys/devices/virtual/net/bond0");
	fx_link(&fx, "/sys/devices/pci0000:00/0000:00:04.0/net/eth1/master",
		"/sys/devices/virtual/net/bond0");
	CHECK_IN_USE("0000:00:04.0", "network interface eth1 is enslaved to bond0");
}

/* netconsole (configfs) sends dom0's console out through eth1, down or
 * not. */
FAKE_TEST(netconsole_interface_is_refused, 0)
{
	fx_put(&fx, "/sys/kernel/config/netconsole/target1/dev_name", "eth1\n");
	fx_put(&fx, "/sys/kernel/config/netconsole/target1/enabled", "1\n");
	CHECK_IN_USE("0000:00:04.0", "netconsole target1 sends dom0's console through "
		     "eth1");
	fx_put(&fx, "/sys/kernel/config/netconsole/target1/enabled", "0\n");
	CHECK_FREE("0000:00:04.0");
}

int main(int argc, char **argv)
{
	return t_main(argc, argv);
}
