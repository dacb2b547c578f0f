// SPDX-License-Identifier: GPL-2.0
/*
 * A device's kind, on the fake sysfs: endpoints only (host bridges, PCI
 * bridges and ports, other bridges refused whatever the flags), devices
 * beyond the SBDF's 16-bit segment (Intel VMD's domains), SR-IOV VFs vs
 * the functions of a multi-function device vs devices that share a
 * requester ID; and isolation worked out from the topology when there are
 * no IOMMU groups (a Xen dom0: Linux's IOMMU is Xen's), as VFIO does from
 * ACS and bridges, or said to be unknown.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

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

static int add2(struct xenpt_ctx *ctx, const char *a, const char *b,
		unsigned int flags)
{
	struct xenpt_bdf v[2];

	if (xenpt_bdf_parse(a, &v[0]) || xenpt_bdf_parse(b, &v[1]))
		return -100;
	return xenpt_assignable_add_many(ctx, v, 2, flags, NULL);
}

static bool log_has(const char *s)
{
	static char buf[1 << 16];

	return fx_get(&fx, "/.fake/log", buf, sizeof(buf)) >= 0 && strstr(buf, s);
}

/* Refused with want whatever the flags, reason holding part, untouched. */
static int refused(struct xenpt_ctx *ctx, const char *dev, unsigned int flags,
		   int want, const char *part)
{
	struct fx_state before, after;
	struct xenpt_result res;
	const char *devs[1] = { dev };
	char why[256];
	int err;

	fx_state_of(&fx, dev, &before);
	fx_put(&fx, "/.fake/log", "");
	memset(&res, 0, sizeof(res));
	err = xenpt_assignable_add_devices(ctx, devs, 1, flags, NULL, &res);
	if (err != want || res.err != want || !strstr(res.reason, part)) {
		t_fail(__FILE__, __LINE__, "%s: %d/%d \"%s\", want %d \"%s\"", dev, err,
		       res.err, res.reason, want, part);
		return -1;
	}
	fx_state_of(&fx, dev, &after);
	if (!fx_state_same(&before, &after, why, sizeof(why)) || log_has("write /sys/")) {
		t_fail(__FILE__, __LINE__, "%s: refused but touched: %s", dev, why);
		return -1;
	}
	return 0;
}

#define CHECK_REFUSED(dev, flags, want, part) \
	CHECK_INT(refused(ctx, dev, flags, want, part), ==, 0)

static int kind_of(struct xenpt_ctx *ctx, const char *dev, struct xenpt_device_kind *k)
{
	memset(k, 0x5a, sizeof(*k));
	return xenpt_device_kind(ctx, dev, k);
}

/*
 * A device's config space: size bytes (64 as a user reads it, 256 for a
 * conventional device, 4096 for PCI Express), header type hdr, a PCI
 * Express capability of port type pcie (-1: none), an ACS capability with
 * acs_cap and acs_ctrl (acs_cap < 0: none).  Vendor, device and class are
 * kept.
 */
static int set_config(const char *bdf, size_t size, unsigned int hdr, int pcie,
		      int acs_cap, int acs_ctrl)
{
	unsigned char cfg[4096];
	char path[1024];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/config", fx.root, bdf);
	memset(cfg, 0, sizeof(cfg));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, cfg, 0x40);
	close(fd);
	if (n < 0x40)
		return -EIO;
	cfg[0x0e] = (unsigned char)((cfg[0x0e] & 0x80) | hdr);
	cfg[0x06] &= (unsigned char)~0x10;
	cfg[0x34] = 0;
	if (pcie >= 0) {
		cfg[0x06] |= 0x10;		/* capability list */
		cfg[0x34] = 0x40;
		cfg[0x40] = 0x10;		/* PCI Express */
		cfg[0x41] = 0;
		cfg[0x42] = (unsigned char)(pcie << 4 | 2);
	}
	if (acs_cap >= 0) {
		cfg[0x100] = 0x0d;		/* ACS, version 1, last */
		cfg[0x101] = 0;
		cfg[0x102] = 0x01;
		cfg[0x103] = 0;
		cfg[0x104] = (unsigned char)acs_cap;
		cfg[0x105] = (unsigned char)(acs_cap >> 8);
		cfg[0x106] = (unsigned char)acs_ctrl;
		cfg[0x107] = (unsigned char)(acs_ctrl >> 8);
	}
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, cfg, size);
	close(fd);
	return n == (ssize_t)size ? 0 : -EIO;
}

#define PCIE_ENDPOINT	0
#define PCIE_ROOT_PORT	4
#define PCIE_UPSTREAM	5
#define PCIE_DOWNSTREAM	6
#define PCIE_TO_PCI	7
#define ACS_ALL		0x1f	/* SV TB RR CR UF */
#define ACS_NEEDED	0x1d	/* SV RR CR UF */

/* --- endpoints only -------------------------------------------------------- */

/* Input 4: the host bridge and a PCIe root port are refused, forced or
 * strict or not. */
FAKE_TEST(bridges_are_never_assigned, 0)
{
	struct xenpt_device_kind k;

	CHECK_REFUSED("0000:00:00.0", XENPT_ASSIGN_STRICT, -EINVAL,
		      "a host bridge (class 0600), not an endpoint");
	CHECK_REFUSED("0000:00:00.0", XENPT_ASSIGN_FORCE, -EINVAL, "host bridge");
	CHECK_INT(add(ctx, "0000:00:00.0", XENPT_ASSIGN_FORCE | XENPT_ASSIGN_STRICT), ==,
		  -EINVAL);
	CHECK(strstr(fx_last_error, "0000:00:00.0: a host bridge"));
	CHECK_INT(kind_of(ctx, "0000:00:00.0", &k), ==, 0);
	CHECK_INT(k.kind, ==, XENPT_KIND_HOST_BRIDGE);
	CHECK_STR(xenpt_dev_kind_name(k.kind), "host bridge");

	fx_add_dev(&fx, "0000:00:1c.0", "/sys/devices/pci0000:00", 0x8086, 0xa110,
		   0x060400, "pcieport", 1, 60);
	CHECK_REFUSED("0000:00:1c.0", XENPT_ASSIGN_STRICT, -EINVAL,
		      "a PCI bridge (class 0604), not an endpoint");
	CHECK_REFUSED("0000:00:1c.0", XENPT_ASSIGN_FORCE, -EINVAL, "not an endpoint");
	CHECK_INT(kind_of(ctx, "0000:00:1c.0", &k), ==, 0);
	CHECK_INT(k.kind, ==, XENPT_KIND_BRIDGE);
	CHECK_STR(k.reason, "a PCI bridge (class 0604), not an endpoint: it cannot be "
		  "passed through");
}

/* What else is a bridge: a PCIe port type or a type 1 header whatever the
 * class says, ISA/LPC and CardBus bridges; class 0680 ("other bridge
 * device") with a type 0 header is an endpoint. */
FAKE_TEST(every_kind_of_bridge_is_refused, 0)
{
	struct xenpt_device_kind k;

	fx_add_dev(&fx, "0000:00:1f.0", "/sys/devices/pci0000:00", 0x8086, 0x2918,
		   0x060100, "lpc_ich", 0, 0);
	CHECK_REFUSED("0000:00:1f.0", XENPT_ASSIGN_FORCE, -EINVAL,
		      "an ISA bridge (class 0601), not an endpoint");
	CHECK_INT(kind_of(ctx, "0000:00:1f.0", &k), ==, 0);
	CHECK_INT(k.kind, ==, XENPT_KIND_OTHER_BRIDGE);
	/* a class that lies: a type 1 header is a bridge */
	fx_add_dev(&fx, "0000:00:1d.0", "/sys/devices/pci0000:00", 0x1234, 0x0001,
		   0xff0000, NULL, 0, 0);
	CHECK_INT(set_config("0000:00:1d.0", 256, 1, -1, -1, 0), ==, 0);
	CHECK_REFUSED("0000:00:1d.0", XENPT_ASSIGN_FORCE, -EINVAL,
		      "a PCI-to-PCI bridge (header type 1), not an endpoint");
	/* a PCIe downstream port seen by its capability alone */
	fx_add_dev(&fx, "0000:00:1d.1", "/sys/devices/pci0000:00", 0x1234, 0x0002,
		   0x088000, NULL, 0, 0);
	CHECK_INT(set_config("0000:00:1d.1", 4096, 0, PCIE_DOWNSTREAM, -1, 0), ==, 0);
	CHECK_REFUSED("0000:00:1d.1", XENPT_ASSIGN_FORCE, -EINVAL,
		      "a PCI Express downstream port, not an endpoint");
	/* CardBus */
	fx_add_dev(&fx, "0000:00:1d.2", "/sys/devices/pci0000:00", 0x1180, 0x0476,
		   0x060700, "yenta_cardbus", 1, 17);
	CHECK_REFUSED("0000:00:1d.2", 0, -EINVAL, "a CardBus bridge (class 0607)");
	/* "other bridge device" with a normal header: an endpoint */
	fx_add_dev(&fx, "0000:0a:00.0", "/sys/devices/pci0000:00", 0x10de, 0x0aa4,
		   0x068000, NULL, 1, 22);
	CHECK_INT(kind_of(ctx, "0000:0a:00.0", &k), ==, 0);
	CHECK_INT(k.kind, ==, XENPT_KIND_ENDPOINT);
	CHECK_STR(k.reason, "");
	CHECK_INT(add(ctx, "0000:0a:00.0", 0), ==, 0);
}

FX_TEST(kind_of_a_missing_or_bad_device, 0)
{
	struct xenpt_device_kind k;

	CHECK_INT(kind_of(ctx, "0000:00:09.0", &k), ==, -ENODEV);
	CHECK_INT(kind_of(ctx, "00:04.x", &k), ==, -EINVAL);
	CHECK_INT(kind_of(ctx, "00:04.*", &k), ==, -EINVAL);
	CHECK_INT(xenpt_device_kind(ctx, "00:04.0", NULL), ==, -EINVAL);
	CHECK_INT(kind_of(ctx, "00:04.0", &k), ==, 0);	/* short form */
	CHECK_INT(k.kind, ==, XENPT_KIND_ENDPOINT);
	CHECK_INT(k.flags, ==, 0);
	CHECK_STR(k.pf, "");
	CHECK_STR(k.rid_bridge, "");
}

/* --- SR-IOV VFs vs functions of a multi-function device ---------------------- */

FX_TEST(vf_and_multifunction_kinds, FX_SRIOV)
{
	struct xenpt_device_kind k;

	CHECK_INT(kind_of(ctx, "0000:00:10.1", &k), ==, 0);
	CHECK_INT(k.kind, ==, XENPT_KIND_ENDPOINT);
	CHECK_INT(k.flags, ==, XENPT_KIND_VF);
	CHECK_STR(k.pf, "0000:00:04.0");
	CHECK_INT(kind_of(ctx, "0000:00:04.0", &k), ==, 0);
	CHECK_INT(k.flags, ==, XENPT_KIND_SRIOV_PF);
	CHECK_INT(kind_of(ctx, "0000:00:05.1", &k), ==, 0);
	CHECK_INT(k.flags, ==, XENPT_KIND_MULTIFUNCTION);
	CHECK_STR(k.pf, "");
}

/* Two VFs of one PF at 00:10.0 and 00:10.1 are no multi-function device:
 * neither is "another function" of the other. */
FAKE_TEST(vfs_are_not_functions_of_one_device, FX_SRIOV)
{
	CHECK_INT(add(ctx, "0000:00:10.1", XENPT_ASSIGN_STRICT), ==, 0);
	CHECK(!fx_logged(LOG_WARNING, "0000:00:10.0"));
}

/* --- domains above ffff (Intel VMD) ---------------------------------------------- */

#define VMD "/sys/devices/pci0000:00/0000:00:0e.0"

static void vmd(void)
{
	fx_add_dev(&fx, "0000:00:0e.0", "/sys/devices/pci0000:00", 0x8086, 0x467f,
		   0x010400, "vmd", 0, 0);
	fx_add_dev(&fx, "10000:e0:06.0", VMD "/pci10000:e0", 0x8086, 0x464d, 0x060400,
		   "pcieport", 1, 0);
	fx_add_dev(&fx, "10000:e1:00.0", VMD "/pci10000:e0/10000:e0:06.0", 0x144d,
		   0xa80a, 0x010802, "nvme", 1, 0);
}

/* Input 6: listed, and refused saying why, never "invalid". */
FAKE_TEST(vmd_domain_is_listed_and_refused_with_the_reason, 0)
{
	struct xenpt_device_entry *l = NULL;
	struct xenpt_device_info *l1 = NULL;
	struct xenpt_gsi_record rec;
	struct xenpt_device_kind k;
	size_t n = 0, n1 = 0, i;
	char name[XENPT_DEV_STRLEN];

	vmd();
	CHECK_INT(xenpt_device_list_all(ctx, &l, &n), ==, 0);
	for (i = 0; i < n && strcmp(l[i].name, "10000:e1:00.0"); i++)
		;
	CHECK(i < n);
	CHECK(!l[i].has_sbdf);
	CHECK_INT(l[i].kind.kind, ==, XENPT_KIND_NO_SBDF);
	CHECK_STR(l[i].info.driver, "nvme");
	CHECK_INT(l[i].info.class_code, ==, 0x010802);
	CHECK_INT(l[i].gsi.err, ==, -ERANGE);
	CHECK(strstr(l[i].gsi.reason, "16 bits of segment"));
	CHECK(!strcmp(l[n - 1].name, "10000:e1:00.0"));	/* sorted: last */
	CHECK(!strcmp(l[0].name, "0000:00:00.0"));
	free(l);
	/* the 1.0 list cannot hold it, and says so */
	CHECK_INT(xenpt_device_list(ctx, &l1, &n1), ==, 0);
	CHECK_INT(n1, ==, n - 2);
	CHECK(fx_logged(LOG_INFO, "10000:e1:00.0"));
	free(l1);

	CHECK_INT(xenpt_gsi_record(ctx, "10000:e1:00.0", &rec), ==, -ERANGE);
	CHECK(strstr(rec.reason, "domain 10000 is above ffff"));
	CHECK(strstr(rec.reason, "VMD controller 0000:00:0e.0"));
	CHECK_INT(kind_of(ctx, "10000:e1:00.0", &k), ==, 0);
	CHECK_INT(k.kind, ==, XENPT_KIND_NO_SBDF);
	CHECK_REFUSED("10000:e1:00.0", XENPT_ASSIGN_FORCE, -ERANGE,
		      "16 bits of segment");
	CHECK_INT(xenpt_dev_name("10000:E1:00.0", name, sizeof(name)), ==, 13);
	CHECK_STR(name, "10000:e1:00.0");
}

/* --- isolation without IOMMU groups ------------------------------------------------ */

/* A Xen dom0: Linux's IOMMU is off, no group anywhere. */
static void no_iommu_groups(void)
{
	static const char *const devs[] = { "0000:00:00.0", "0000:00:03.0",
		"0000:00:04.0", "0000:00:05.0", "0000:00:05.1", "0000:00:1f.2",
		"0000:01:00.0", "0000:02:00.0", "0001:00:02.0", "0000:00:10.0",
		"0000:00:10.1" };
	char rel[128];
	size_t i;

	fx_rm_rf(&fx, "/sys/kernel/iommu_groups");
	for (i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/iommu_group", devs[i]);
		fx_rm(&fx, rel);
	}
}

#define BR1E "/sys/devices/pci0000:00/0000:00:1e.0"

/* Input 7: two e1000s behind a PCIe-to-PCI bridge share its requester ID. */
FAKE_TEST(no_groups_devices_behind_a_pci_bridge_share_a_requester_id, 0)
{
	struct xenpt_device_kind k;

	no_iommu_groups();
	fx_add_dev(&fx, "0000:00:1e.0", "/sys/devices/pci0000:00", 0x8086, 0x244e,
		   0x060401, NULL, 0, 0);
	fx_add_dev(&fx, "0000:05:00.0", BR1E, 0x8086, 0x100e, 0x020000, "e1000", 1, 20);
	fx_add_dev(&fx, "0000:05:01.0", BR1E, 0x8086, 0x100e, 0x020000, "e1000", 1, 21);
	CHECK_INT(kind_of(ctx, "0000:05:00.0", &k), ==, 0);
	CHECK_INT(k.flags, ==, XENPT_KIND_SHARED_RID);
	CHECK_STR(k.rid_bridge, "0000:00:1e.0");
	CHECK_REFUSED("0000:05:00.0", XENPT_ASSIGN_STRICT, -EBUSY,
		      "0000:05:01.0 shares its requester ID (behind PCI bridge "
		      "0000:00:1e.0)");
	/* without --strict: a warning naming the peer, and done */
	CHECK_INT(add(ctx, "0000:05:00.0", 0), ==, 0);
	CHECK(fx_logged(LOG_WARNING, "0000:05:00.0: 0000:05:01.0 shares its requester "
			"ID (behind PCI bridge 0000:00:1e.0) and is not assignable "
			"(driver e1000)"));
	/* both together: isolated from the rest */
	CHECK_INT(xenpt_assignable_remove(ctx, &(struct xenpt_bdf){ .bus = 5 },
					  XENPT_REMOVE_REBIND), ==, 0);
	CHECK_INT(add2(ctx, "0000:05:00.0", "0000:05:01.0", XENPT_ASSIGN_STRICT), ==, 0);
}

/* A PCIe switch below root port 00:1c.0, a NIC below each of its
 * downstream ports (which have ACS, enabled): only the root port decides
 * whether 0d:00.0 and 0e:00.0 reach each other. */
static void switch_below_root_port(void)
{
	static const char *const sw = "/sys/devices/pci0000:00/0000:00:1c.0/0000:0b:00.0";

	fx_add_dev(&fx, "0000:00:1c.0", "/sys/devices/pci0000:00", 0x8086, 0xa110,
		   0x060400, "pcieport", 1, 60);
	fx_add_dev(&fx, "0000:0b:00.0", "/sys/devices/pci0000:00/0000:00:1c.0", 0x10b5,
		   0x8747, 0x060400, "pcieport", 1, 0);
	fx_add_dev(&fx, "0000:0c:08.0", sw, 0x10b5, 0x8747, 0x060400, "pcieport", 1, 0);
	fx_add_dev(&fx, "0000:0c:09.0", sw, 0x10b5, 0x8747, 0x060400, "pcieport", 1, 0);
	fx_add_dev(&fx, "0000:0d:00.0", "/sys/devices/pci0000:00/0000:00:1c.0/0000:0b:00.0/"
		   "0000:0c:08.0", 0x8086, 0x10d3, 0x020000, "e1000", 1, 16);
	fx_add_dev(&fx, "0000:0e:00.0", "/sys/devices/pci0000:00/0000:00:1c.0/0000:0b:00.0/"
		   "0000:0c:09.0", 0x8086, 0x10d3, 0x020000, "e1000", 1, 17);
	set_config("0000:0b:00.0", 4096, 1, PCIE_UPSTREAM, -1, 0);
	set_config("0000:0c:08.0", 4096, 1, PCIE_DOWNSTREAM, ACS_ALL, ACS_NEEDED);
	set_config("0000:0c:09.0", 4096, 1, PCIE_DOWNSTREAM, ACS_ALL, ACS_NEEDED);
	set_config("0000:0d:00.0", 4096, 0, PCIE_ENDPOINT, -1, 0);
	set_config("0000:0e:00.0", 4096, 0, PCIE_ENDPOINT, -1, 0);
}

/* PCI Express: a root port without ACS lets the endpoints below it (here
 * through a switch) reach each other; with ACS they are isolated. */
FAKE_TEST(no_groups_acs_on_the_root_port_decides, 0)
{
	no_iommu_groups();
	switch_below_root_port();
	CHECK_INT(set_config("0000:00:1c.0", 4096, 1, PCIE_ROOT_PORT, -1, 0), ==, 0);
	CHECK_REFUSED("0000:0d:00.0", XENPT_ASSIGN_STRICT, -EBUSY,
		      "0000:0e:00.0 is below 0000:00:1c.0 too, which has no ACS");
	/* ACS on the root port, not all of it enabled: the same */
	CHECK_INT(set_config("0000:00:1c.0", 4096, 1, PCIE_ROOT_PORT, ACS_ALL, 0x01), ==, 0);
	CHECK_REFUSED("0000:0d:00.0", XENPT_ASSIGN_STRICT, -EBUSY,
		      "which has ACS but not enabled");
	/* enabled (by Xen, which does so for its IOMMU): isolated */
	CHECK_INT(set_config("0000:00:1c.0", 4096, 1, PCIE_ROOT_PORT, ACS_ALL, ACS_NEEDED), ==, 0);
	fx_log_clear();
	CHECK_INT(add(ctx, "0000:0d:00.0", XENPT_ASSIGN_STRICT), ==, 0);
	CHECK(!fx_logged(LOG_WARNING, "0000:0e:00.0"));
}

/* The root port's config space cannot be read in full (64 bytes, as an
 * unprivileged reader sees it): isolation cannot be told; said, and
 * --strict refuses. */
FAKE_TEST(no_groups_unreadable_acs_is_said_and_strict_refuses, 0)
{
	no_iommu_groups();
	switch_below_root_port();
	CHECK_INT(set_config("0000:00:1c.0", 64, 1, PCIE_ROOT_PORT, -1, 0), ==, 0);
	CHECK_REFUSED("0000:0d:00.0", XENPT_ASSIGN_STRICT, -EBUSY,
		      "cannot tell whether it is isolated: 0000:00:1c.0's config space "
		      "cannot be read in full (64 bytes) (--strict): 0000:0e:00.0 "
		      "(driver e1000) may reach it");
	CHECK_INT(add(ctx, "0000:0d:00.0", 0), ==, 0);
	CHECK(fx_logged(LOG_WARNING, "0000:0d:00.0: cannot tell whether it is isolated"));
	/* another function of the root port's device (00:1c.4, its ACS as
	 * unreadable): what is below 00:1c.0 may reach what is below it */
	fx_add_dev(&fx, "0000:00:1c.4", "/sys/devices/pci0000:00", 0x8086, 0xa114,
		   0x060400, "pcieport", 1, 61);
	fx_add_dev(&fx, "0000:10:00.0", "/sys/devices/pci0000:00/0000:00:1c.4", 0x8086,
		   0x10d3, 0x020000, "e1000", 1, 18);
	CHECK_INT(set_config("0000:00:1c.4", 64, 1, PCIE_ROOT_PORT, -1, 0), ==, 0);
	CHECK_REFUSED("0000:10:00.0", XENPT_ASSIGN_STRICT, -EBUSY,
		      "0000:0e:00.0 (driver e1000) may reach it");
	/* a lone device below a port of its own: nothing to be isolated from */
	fx_add_dev(&fx, "0000:00:1d.0", "/sys/devices/pci0000:00", 0x8086, 0xa118,
		   0x060400, "pcieport", 1, 62);
	fx_add_dev(&fx, "0000:11:00.0", "/sys/devices/pci0000:00/0000:00:1d.0", 0x8086,
		   0x10d3, 0x020000, "e1000", 1, 19);
	CHECK_INT(set_config("0000:00:1d.0", 64, 1, PCIE_ROOT_PORT, -1, 0), ==, 0);
	fx_log_clear();
	CHECK_INT(add(ctx, "0000:11:00.0", XENPT_ASSIGN_STRICT), ==, 0);
	CHECK(!fx_logged(LOG_WARNING, "isolated"));
}

/* The functions of a multi-function device without ACS: peers; a device
 * alone on the root bus: isolated, nothing said. */
FAKE_TEST(no_groups_functions_and_lone_devices, 0)
{
	no_iommu_groups();
	CHECK_REFUSED("0000:00:05.0", XENPT_ASSIGN_STRICT, -EBUSY,
		      "0000:00:05.1 is another function of the same device");
	fx_log_clear();
	CHECK_INT(add(ctx, "0000:00:04.0", XENPT_ASSIGN_STRICT), ==, 0);
	CHECK(!fx_logged(LOG_WARNING, "isolated"));
	CHECK_INT(fx_errors, ==, 0);
}

int main(int argc, char **argv)
{
	return t_main(argc, argv);
}
