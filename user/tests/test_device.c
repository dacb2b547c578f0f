// SPDX-License-Identifier: GPL-2.0
/* Device listing, "in use by dom0" checks, IOMMU group and function peers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "harness.h"
#include "internal.h"

static struct fx fx;

static int in_use(struct xenpt_ctx *ctx, const char *bdf, char *why, size_t size)
{
	struct xenpt_bdf b;

	if (xenpt_bdf_parse(bdf, &b))
		return -100;
	return xenpt_device_in_use(ctx, &b, why, size);
}

/* in use by dom0, and the reason says part */
#define CHECK_IN_USE(bdf, part) \
	do { \
		char why_[256]; \
		CHECK_INT(in_use(ctx, bdf, why_, sizeof(why_)), ==, 1); \
		if (!strstr(why_, part)) { \
			t_fail(__FILE__, __LINE__, "reason \"%s\" lacks \"%s\"", \
			       why_, part); \
			return; \
		} \
	} while (0)

FX_TEST(list_every_device_sorted_with_fields, 0)
{
	struct xenpt_device_info *l;
	size_t n;
	char name[XENPT_BDF_STRLEN];

	CHECK_INT(xenpt_device_list(ctx, &l, &n), ==, 0);
	CHECK_INT(n, ==, 9);
	xenpt_bdf_format(&l[0].bdf, name, sizeof(name));
	CHECK_STR(name, "0000:00:00.0");
	xenpt_bdf_format(&l[8].bdf, name, sizeof(name));
	CHECK_STR(name, "0001:00:02.0");
	/* 0000:00:04.0 */
	CHECK_INT(l[2].vendor, ==, 0x8086);
	CHECK_INT(l[2].device, ==, 0x100e);
	CHECK_INT(l[2].class_code, ==, 0x020000);
	CHECK_STR(l[2].driver, "e1000");
	CHECK_INT(l[2].irq, ==, 51);
	CHECK_INT(l[2].pin, ==, 1);
	CHECK_INT(l[2].iommu_group, ==, 2);
	CHECK(!l[2].assigned && !l[2].known);
	/* 0000:01:00.0: unbound, no pin */
	CHECK_STR(l[6].driver, "");
	CHECK_INT(l[6].pin, ==, 0);
	free(l);
}

FX_TEST(device_get_and_missing_device, 0)
{
	struct xenpt_device_info d;
	struct xenpt_bdf b;

	xenpt_bdf_parse("00:05.1", &b);
	CHECK_INT(xenpt_device_get(ctx, &b, &d), ==, 0);
	CHECK_STR(d.driver, "igb");
	CHECK_INT(d.pin, ==, 2);
	CHECK_INT(d.iommu_group, ==, 3);
	xenpt_bdf_parse("00:07.0", &b);
	CHECK_INT(xenpt_device_get(ctx, &b, &d), ==, -ENODEV);
	xenpt_bdf_parse("00:05.*", &b);
	CHECK_INT(xenpt_device_get(ctx, &b, &d), ==, -EINVAL);
}

FX_TEST(in_use_mounted_partition, 0)
{
	CHECK_IN_USE("00:1f.2", "/dev/sda1 (sda1) is mounted on /");
}

FX_TEST(in_use_swap, 0)
{
	char why[256];

	fx_put(&fx, "/proc/mounts", "proc /proc proc rw 0 0\n");
	CHECK_INT(in_use(ctx, "00:1f.2", why, sizeof(why)), ==, 0);
	fx_append(&fx, "/proc/swaps", "/dev/sda\tpartition\t1000\t0\t-2\n");
	CHECK_IN_USE("00:1f.2", "swap");
}

FX_TEST(in_use_device_mapper_holder, 0)
{
	const char *sda1 = "/sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/"
			   "target0:0:0/0:0:0:0/block/sda/sda1";
	char rel[1024], target[1024];

	fx_put(&fx, "/sys/devices/virtual/block/dm-0/dev", "254:0\n");
	fx_put(&fx, "/sys/devices/virtual/block/dm-0/dm/name", "vg-root\n");
	snprintf(target, sizeof(target), "%s/sys/devices/virtual/block/dm-0", fx.root);
	snprintf(rel, sizeof(rel), "%s/sys/class/block/dm-0", fx.root);
	CHECK_INT(symlink(target, rel), ==, 0);
	snprintf(rel, sizeof(rel), "%s%s/holders/dm-0", fx.root, sda1);
	CHECK_INT(symlink(target, rel), ==, 0);
	fx_put(&fx, "/proc/mounts", "/dev/mapper/vg-root /srv ext4 rw 0 0\n");
	CHECK_IN_USE("00:1f.2", "/dev/mapper/vg-root (dm-0) is mounted on /srv");
}

FX_TEST(in_use_unescapes_mount_points, 0)
{
	fx_put(&fx, "/proc/mounts", "/dev/sda1 /mnt/my\\040disk ext4 rw 0 0\n");
	CHECK_IN_USE("00:1f.2", "mounted on /mnt/my disk");
}

FX_TEST(in_use_network_interface_up, 0)
{
	CHECK_IN_USE("00:03.0", "network interface eth0 is up");
}

FX_TEST(in_use_network_interface_with_addresses, 0)
{
	char why[256];

	CHECK_INT(in_use(ctx, "00:04.0", why, sizeof(why)), ==, 0);
	fx_put(&fx, "/proc/net/if_inet6",
	       "fe800000000000000000000000000001 03 40 20 80     eth1\n");
	CHECK_IN_USE("00:04.0", "eth1 has addresses");
	fx_put(&fx, "/proc/net/if_inet6", "");
	fx_append(&fx, "/proc/net/route",
		  "eth1\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
	CHECK_INT(in_use(ctx, "00:04.0", why, sizeof(why)), ==, 1);
}

FX_TEST(in_use_operstate_alone, 0)
{
	char why[256];

	fx_put(&fx, "/sys/class/net/eth1/flags", "0x1002\n");
	fx_put(&fx, "/sys/class/net/eth1/operstate", "up\n");
	CHECK_INT(in_use(ctx, "00:04.0", why, sizeof(why)), ==, 1);
}

FX_TEST(in_use_not_for_free_devices, 0)
{
	char why[256];

	CHECK_INT(in_use(ctx, "00:04.0", why, sizeof(why)), ==, 0);
	CHECK_STR(why, "");
	CHECK_INT(in_use(ctx, "01:00.0", why, sizeof(why)), ==, 0);
	CHECK_INT(in_use(ctx, "00:05.0", NULL, 0), ==, 0);
	CHECK_INT(in_use(ctx, "00:09.0", why, sizeof(why)), ==, -ENODEV);
}

FX_TEST(in_use_reason_truncates_safely, 0)
{
	char why[8];

	CHECK_INT(in_use(ctx, "00:1f.2", why, sizeof(why)), ==, 1);
	CHECK_INT(strlen(why), ==, 7);
}

struct seen {
	char peers[8][64];
	int n;
};

static int collect(void *data, const char *peer, const char *why)
{
	struct seen *s = data;

	if (s->n < 8)
		snprintf(s->peers[s->n++], sizeof(s->peers[0]), "%s %s", peer, why);
	return 0;
}

FX_TEST(peers_iommu_group_and_functions, 0)
{
	struct seen s = { .n = 0 };

	CHECK_INT(pt_isolation_peers(ctx, "0000:00:05.0", collect, &s), ==, 0);
	CHECK_INT(s.n, ==, 2);
	CHECK(strstr(s.peers[0], "0000:00:05.1 is in the same IOMMU group (3)"));
	CHECK(strstr(s.peers[1], "0000:00:05.1 is another function"));
	s.n = 0;
	CHECK_INT(pt_isolation_peers(ctx, "0000:00:04.0", collect, &s), ==, 0);
	CHECK_INT(s.n, ==, 0);
	/* bridges are no obstacle */
	fx_put(&fx, "/sys/bus/pci/devices/0000:00:05.1/class", "0x060400\n");
	s.n = 0;
	CHECK_INT(pt_isolation_peers(ctx, "0000:00:05.0", collect, &s), ==, 0);
	CHECK_INT(s.n, ==, 0);
}

int main(int argc, char **argv)
{
	return t_main(argc, argv);
}
