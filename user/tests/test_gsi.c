// SPDX-License-Identifier: GPL-2.0
/*
 * GSI lookup: every source, the order between them, the fall-throughs
 * (ENOTTY, ENODEV, EPERM from upstream privcmd), and when the irq may (PV,
 * not Xen) or may not (PVH, HVM, unknown) stand for the GSI.  The /dev/xen
 * nodes are played by fakesys.so (see its header): a node exists when its
 * file does, its answers are the lines of .fake/ioctl/<node>, an open error
 * is an "open" rule of .fake/fail, and every open and close of a node is
 * in .fake/log, where the tests count them.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "harness.h"
#include "xenpt.h"

#include <xen/privcmd-gsi.h>

#define NODE_PRIVCMD "privcmd"
#define NODE_OURS "privcmd-gsi"

static struct fx fx;

/* One answer of a fake node: the GSI, or -errno (val < 0) for key. */
static int fake_answer(const char *node, bool irq, uint32_t key, int val)
{
	char line[96], v[32];
	const char *name;

	if (val >= 0) {
		snprintf(v, sizeof(v), "%d", val);
	} else {
		name = strerrorname_np(-val);
		if (!name)
			return -EINVAL;
		snprintf(v, sizeof(v), "%s", name);
	}
	/* the fake reads sbdfs in hex, irqs in decimal */
	snprintf(line, sizeof(line), irq ? "irq %u %s\n" : "sbdf %x %s\n", key, v);
	return fx_xen_node(&fx, node, line);
}

/* Opening the node fails with err, every time. */
static int fake_open_error(const char *node, int err)
{
	char rule[128];
	int r;

	r = fx_xen_node(&fx, node, NULL);
	if (r)
		return r;
	snprintf(rule, sizeof(rule), "open /dev/xen/%s 0 %s -1\n", node,
		 strerrorname_np(err));
	return fx_append(&fx, "/.fake/fail", rule);
}

/* Lines of the fake's log that start with prefix and contain part. */
static int log_count(const char *prefix, const char *part)
{
	char path[512], line[1024];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s/.fake/log", fx.root);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, prefix, strlen(prefix)) && strstr(line, part))
			n++;
	fclose(f);
	return n;
}

/* Forgets what the set-up logged (creating a node opens it). */
static void log_reset(void)
{
	fx_put(&fx, "/.fake/log", "");
}

#define NODE_OPENS()	log_count("open /dev/xen/", "-> ok")
#define NODE_CLOSES()	log_count("close /dev/xen/", "")
#define BAD_ARGS()	log_count("ioctl /dev/xen/", "badarg")

/* set up fixture + context; the fake nodes need fakesys.so */
static struct xenpt_ctx *setup(unsigned int flags)
{
	if (!fx_preloaded()) {
		t_fail(__FILE__, __LINE__, "needs LD_PRELOAD=fakesys.so");
		return NULL;
	}
	if (fx_new(&fx, flags))
		return NULL;
	return fx_ctx(&fx);
}

static void teardown(struct xenpt_ctx *ctx)
{
	xenpt_ctx_unref(ctx);
	fx_free(&fx);
}

#define SBDF_04 0x20u		/* 0000:00:04.0 */
#define SBDF_02 0x0200u		/* 0000:02:00.0 */
#define SBDF_01 0x0100u		/* 0000:01:00.0 */

/*
 * One lookup, by SBDF or by irq, on a fixture with the fake nodes set up as
 * told: the result, the GSI and its source (or, on failure, both left
 * untouched and no source), what the last error message says, and every
 * node opened closed again.
 */
enum { P = 1, O };	/* which node: privcmd, privcmd-gsi */

struct gsi_case {
	unsigned int fx;		/* fixture flags */
	struct { int node; bool irq; uint32_t key; int val; } fake[2];
	bool privcmd_enotty;		/* privcmd: ENOTTY for every ioctl */
	int ours_open_err;		/* errno for opening privcmd-gsi */
	bool by_irq;
	uint32_t key;			/* the SBDF or the irq looked up */
	int rc;
	uint32_t gsi;
	enum xenpt_gsi_source src;
	const char *msg[2];		/* in fx_last_error */
	bool no_open;			/* no node may be opened */
};

static void run_case(const struct gsi_case *c)
{
	struct xenpt_ctx *ctx = setup(c->fx);
	enum xenpt_gsi_source src = XENPT_GSI_SRC_IRQ;
	uint32_t gsi = 12345;
	int i, rc;

	CHECK(ctx);
	for (i = 0; i < 2 && c->fake[i].node; i++)
		CHECK_INT(fake_answer(c->fake[i].node == P ? NODE_PRIVCMD : NODE_OURS,
				      c->fake[i].irq, c->fake[i].key, c->fake[i].val), ==, 0);
	if (c->privcmd_enotty)
		CHECK_INT(fx_xen_node(&fx, NODE_PRIVCMD, "enotty\n"), ==, 0);
	if (c->ours_open_err)
		CHECK_INT(fake_open_error(NODE_OURS, c->ours_open_err), ==, 0);
	log_reset();
	rc = c->by_irq ? xenpt_gsi_from_irq(ctx, c->key, &gsi, &src) :
			 xenpt_gsi_from_sbdf(ctx, c->key, &gsi, &src);
	CHECK_INT(rc, ==, c->rc);
	CHECK_INT(gsi, ==, rc ? 12345 : c->gsi);
	CHECK_INT(src, ==, rc ? XENPT_GSI_SRC_NONE : c->src);
	for (i = 0; i < 2 && c->msg[i]; i++)
		CHECK(strstr(fx_last_error, c->msg[i]));
	CHECK_INT(NODE_OPENS(), ==, NODE_CLOSES());
	CHECK_INT(BAD_ARGS(), ==, 0);	/* flags and reserved zeroed */
	if (c->no_open)
		CHECK_INT(NODE_OPENS(), ==, 0);
	teardown(ctx);
}

#define GSI_TEST(name, ...) \
	TEST(name) \
	{ \
		run_case(&(const struct gsi_case){ __VA_ARGS__ }); \
	}

/* distinct values: who answered */
GSI_TEST(gsi_upstream_privcmd_answers_first, .fx = FX_GSI_FILES,
	 .fake = { { P, false, SBDF_04, 30 }, { O, false, SBDF_04, 31 } },
	 .key = SBDF_04, .gsi = 30, .src = XENPT_GSI_SRC_PRIVCMD)
GSI_TEST(gsi_enotty_old_kernel_falls_through_to_privcmd_gsi, .fx = FX_GSI_FILES,
	 .privcmd_enotty = true, .fake = { { O, false, SBDF_04, 31 } },
	 .key = SBDF_04, .gsi = 31, .src = XENPT_GSI_SRC_PRIVCMD_GSI)
/* privcmd knows another device only: ENODEV */
GSI_TEST(gsi_enodev_not_on_pciback_falls_through,
	 .fake = { { P, false, 0x28, 40 }, { O, false, SBDF_04, 31 } },
	 .key = SBDF_04, .gsi = 31, .src = XENPT_GSI_SRC_PRIVCMD_GSI)
/* upstream pciback can return its "gsi = -1" as -EPERM */
GSI_TEST(gsi_upstream_eperm_is_never_a_gsi, .fx = FX_GSI_FILES,
	 .fake = { { P, false, SBDF_04, -EPERM } },
	 .key = SBDF_04, .gsi = 19, .src = XENPT_GSI_SRC_SYSFS)
GSI_TEST(gsi_sysfs_file_when_no_chardev, .fx = FX_GSI_FILES,
	 .key = SBDF_04, .gsi = 19, .src = XENPT_GSI_SRC_SYSFS, .no_open = true)
GSI_TEST(gsi_sysfs_when_chardev_not_permitted, .fx = FX_GSI_FILES,
	 .ours_open_err = EACCES,
	 .key = SBDF_04, .gsi = 19, .src = XENPT_GSI_SRC_SYSFS)
/* never the irq (51) */
GSI_TEST(gsi_pvh_without_source_is_enotsup_never_the_irq,
	 .key = SBDF_04, .rc = -ENOTSUP, .msg = { "privcmd-gsi", "0000:00:04.0" })
GSI_TEST(gsi_pv_dom0_irq_is_the_gsi, .fx = FX_PV,
	 .key = SBDF_04, .gsi = 51, .src = XENPT_GSI_SRC_IRQ)
GSI_TEST(gsi_not_xen_irq_is_the_gsi, .fx = FX_NOXEN,
	 .key = SBDF_04, .gsi = 51, .src = XENPT_GSI_SRC_IRQ)
GSI_TEST(gsi_sources_beat_the_irq_on_pv, .fx = FX_PV | FX_GSI_FILES,
	 .key = SBDF_04, .gsi = 19, .src = XENPT_GSI_SRC_SYSFS)
/* even if a source says so */
GSI_TEST(gsi_no_pin_is_enoent, .fx = FX_PV,
	 .fake = { { P, false, SBDF_01, 7 } }, .key = SBDF_01, .rc = -ENOENT)
/* privcmd-gsi loaded: it knows no GSI for 02:00.0 yet */
/* A pin whose GSI privcmd-gsi does not know: ENODATA (ABI 1.1), and the
 * ENOENT of ABI 1.0 means the same for a device with a pin: never ENOENT,
 * which Xen's tools take for "no legacy interrupt". */
GSI_TEST(gsi_never_set_up_is_enodata_not_enotsup, .fx = FX_GSI_FILES,
	 .fake = { { O, false, SBDF_02, -ENODATA } }, .key = SBDF_02, .rc = -ENODATA)
GSI_TEST(gsi_old_abi_enoent_for_a_pin_is_enodata, .fx = FX_GSI_FILES,
	 .fake = { { O, false, SBDF_02, -ENOENT } }, .key = SBDF_02, .rc = -ENODATA)
GSI_TEST(gsi_only_source_not_permitted_is_eacces, .ours_open_err = EACCES,
	 .key = SBDF_04, .rc = -EACCES, .msg = { "CAP_SYS_ADMIN" })
/* 0001:00:02.0 */
GSI_TEST(gsi_other_segment, .fake = { { O, false, 0x10010, 23 } },
	 .key = 0x10010, .gsi = 23, .src = XENPT_GSI_SRC_PRIVCMD_GSI)
GSI_TEST(irq2gsi_privcmd_gsi_ioctl, .fake = { { O, true, 51, 19 } },
	 .by_irq = true, .key = 51, .gsi = 19, .src = XENPT_GSI_SRC_PRIVCMD_GSI)
/* irq 53: 0000:00:05.1 */
GSI_TEST(irq2gsi_scans_sysfs_gsi_files_without_the_chardev, .fx = FX_GSI_FILES,
	 .by_irq = true, .key = 53, .gsi = 21, .src = XENPT_GSI_SRC_SYSFS)
GSI_TEST(irq2gsi_scans_upstream_privcmd, .fake = { { P, false, SBDF_04, 19 } },
	 .by_irq = true, .key = 51, .gsi = 19, .src = XENPT_GSI_SRC_PRIVCMD)
GSI_TEST(irq2gsi_pvh_without_source_is_enotsup,
	 .by_irq = true, .key = 51, .rc = -ENOTSUP, .msg = { "privcmd-gsi" })
/* privcmd-gsi loaded, does not know irq 99 */
GSI_TEST(irq2gsi_stale_irq_is_enoent, .fake = { { O, true, 1, 1 } },
	 .by_irq = true, .key = 99, .rc = -ENOENT)

TEST(gsi_hvm_and_unknown_guest_types_never_use_the_irq)
{
	struct xenpt_ctx *ctx = setup(FX_HVM);
	uint32_t gsi;

	CHECK(ctx);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, SBDF_04, &gsi, NULL), ==, -ENOTSUP);
	fx_put(&fx, "/sys/hypervisor/guest_type", "PVH2\n");
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, SBDF_04, &gsi, NULL), ==, -ENOTSUP);
	teardown(ctx);
}

TEST(gsi_no_device_is_enodev)
{
	struct xenpt_ctx *ctx = setup(0);
	uint32_t gsi;

	CHECK(ctx);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, 0x00ff00, &gsi, NULL), ==, -ENODEV);
	CHECK_INT(xenpt_gsi_from_sbdf(NULL, SBDF_04, &gsi, NULL), ==, -EINVAL);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, SBDF_04, NULL, NULL), ==, -EINVAL);
	teardown(ctx);
}

TEST(gsi_sysfs_file_unknown_is_enodata)
{
	/* the module is loaded but does not know 02:00.0's GSI: reading its
	 * gsi file fails with ENODATA (ABI 1.1, played by fakesys.so) */
	const char *p = getenv("LD_PRELOAD");
	struct xenpt_ctx *ctx;
	uint32_t gsi;

	CHECK(p && strstr(p, "fakesys"));
	ctx = setup(FX_GSI_FILES);
	CHECK(ctx);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, SBDF_02, &gsi, NULL), ==, -ENODATA);
	CHECK_INT(fx_errors, ==, 0);	/* not an error worth a message */
	teardown(ctx);
}

TEST(gsi_sysfs_file_unknown_abi_1_0_is_enodata)
{
	/* privcmd-gsi ABI 1.0 failed the read with ENOENT for the same:
	 * still "a pin, GSI not known", never "no pin" */
	struct xenpt_ctx *ctx = setup(FX_GSI_FILES);
	uint32_t gsi;

	CHECK(ctx);
	CHECK_INT(fx_put(&fx, "/sys/bus/pci/devices/0000:02:00.0/gsi", "ENOENT\n"), ==, 0);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, SBDF_02, &gsi, NULL), ==, -ENODATA);
	teardown(ctx);
}

TEST(irq2gsi_pv_and_native_identity)
{
	struct xenpt_ctx *ctx = setup(FX_PV);
	enum xenpt_gsi_source src;
	uint32_t gsi = 0;

	CHECK(ctx);
	CHECK_INT(xenpt_gsi_from_irq(ctx, 9, &gsi, &src), ==, 0);
	CHECK_INT(gsi, ==, 9);
	CHECK_INT(src, ==, XENPT_GSI_SRC_IRQ);
	fx_rm(&fx, "/sys/hypervisor/guest_type");
	CHECK_INT(xenpt_gsi_from_irq(ctx, 10, &gsi, &src), ==, 0);
	CHECK_INT(gsi, ==, 10);
	teardown(ctx);
}

TEST(irq2gsi_skips_devices_without_pin)
{
	/* irq 0 is in the irq file of pinless devices: not an INTx */
	struct xenpt_ctx *ctx = setup(FX_GSI_FILES);
	uint32_t gsi;

	CHECK(ctx);
	fx_put(&fx, "/sys/bus/pci/devices/0000:01:00.0/gsi", "5\n");
	CHECK_INT(xenpt_gsi_from_irq(ctx, 0, &gsi, NULL), ==, -ENOTSUP);
	teardown(ctx);
}

TEST(guest_type_parsing)
{
	struct xenpt_ctx *ctx = setup(0);
	enum xenpt_guest_type t;

	CHECK(ctx);
	CHECK_INT(xenpt_guest_type(ctx, &t), ==, 0);
	CHECK_INT(t, ==, XENPT_GUEST_PVH);
	fx_put(&fx, "/sys/hypervisor/guest_type", "PV\n");
	CHECK_INT(xenpt_guest_type(ctx, &t), ==, 0);
	CHECK_INT(t, ==, XENPT_GUEST_PV);
	fx_put(&fx, "/sys/hypervisor/guest_type", "HVM\n");
	CHECK_INT(xenpt_guest_type(ctx, &t), ==, 0);
	CHECK_INT(t, ==, XENPT_GUEST_HVM);
	fx_put(&fx, "/sys/hypervisor/guest_type", "PVHx\n");
	CHECK_INT(xenpt_guest_type(ctx, &t), ==, 0);
	CHECK_INT(t, ==, XENPT_GUEST_UNKNOWN);
	fx_rm(&fx, "/sys/hypervisor/guest_type");
	CHECK_INT(xenpt_guest_type(ctx, &t), ==, 0);
	CHECK_INT(t, ==, XENPT_GUEST_NONE);
	teardown(ctx);
}

TEST(gsi_source_names)
{
	CHECK_STR(xenpt_gsi_source_name(XENPT_GSI_SRC_PRIVCMD), "privcmd");
	CHECK_STR(xenpt_gsi_source_name(XENPT_GSI_SRC_PRIVCMD_GSI), "privcmd-gsi");
	CHECK_STR(xenpt_gsi_source_name(XENPT_GSI_SRC_SYSFS), "sysfs");
	CHECK_STR(xenpt_gsi_source_name(XENPT_GSI_SRC_IRQ), "irq");
	CHECK_STR(xenpt_gsi_source_name(XENPT_GSI_SRC_NONE), "none");
	CHECK_STR(xenpt_gsi_source_name((enum xenpt_gsi_source)99), "none");
}

/* The xc_pcidev_get_gsi() convention, with privcmd's answers: only for
 * devices on pciback, as Linux 6.12; ENOENT only without a pin. */
TEST(xc_compat_convention)
{
	struct fx f;

	CHECK_INT(fx_new(&f, FX_PV), ==, 0);
	errno = 0;
	CHECK_INT(xenpt_xc_pcidev_get_gsi(NULL, SBDF_04), ==, -1);
	CHECK_INT(errno, ==, ENODEV);		/* not on pciback */
	/* as xl pci-assignable-add does it, through the fake kernel */
	CHECK_INT(fx_put(&f, "/sys/bus/pci/drivers/e1000/unbind", "0000:00:04.0"), ==, 0);
	CHECK_INT(fx_put(&f, "/sys/bus/pci/devices/0000:00:04.0/driver_override",
			 "pciback"), ==, 0);
	CHECK_INT(fx_put(&f, "/sys/bus/pci/drivers/pciback/bind", "0000:00:04.0"), ==, 0);
	CHECK_INT(xenpt_xc_pcidev_get_gsi(NULL, SBDF_04), ==, 51);
	errno = 0;
	CHECK_INT(xenpt_xc_pcidev_get_gsi(NULL, 0xff00), ==, -1);
	CHECK_INT(errno, ==, ENODEV);
	fx_put(&f, "/sys/hypervisor/guest_type", "PVH\n");
	errno = 0;
	CHECK_INT(xenpt_xc_pcidev_get_gsi((void *)1, SBDF_04), ==, -1);
	CHECK_INT(errno, ==, ENODATA);		/* a pin, no GSI source */
	fx_put(&f, "/sys/bus/pci/devices/0000:00:04.0/gsi", "19\n");
	CHECK_INT(xenpt_xc_pcidev_get_gsi(NULL, SBDF_04), ==, 19);
	fx_free(&f);
}

/* Sets a device's Interrupt Line (config 0x3c). */
static int set_line(const char *bdf, unsigned char line)
{
	char path[512];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/%s/config", fx.root, bdf);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pwrite(fd, &line, 1, 0x3c);
	close(fd);
	return n == 1 ? 0 : -EIO;
}

/* Puts a device on pciback as xl pci-assignable-add does, through the fake
 * kernel. */
static void to_pciback(const struct fx *f, const char *bdf, const char *drv)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "/sys/bus/pci/drivers/%s/unbind", drv);
	fx_put(f, rel, bdf);
	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/driver_override", bdf);
	fx_put(f, rel, "pciback");
	fx_put(f, "/sys/bus/pci/drivers/pciback/bind", bdf);
}

#define IRQ_FILE_04 "/sys/bus/pci/devices/0000:00:04.0/irq"

/*
 * A pin wired to nothing (Interrupt Line 0xff; the kernel's irq file then
 * holds IRQ_NOTCONNECTED, 1U << 31): no usable legacy interrupt, ENOENT on
 * every path: the lookup, privcmd's answer (the preload library), the
 * xc_pcidev_get_gsi drop-in, irq2gsi; never the irq as a GSI.
 */
TEST(gsi_not_connected_is_enoent_on_every_path)
{
	struct xenpt_ctx *ctx = setup(FX_PV);
	enum xenpt_gsi_source src;
	uint32_t gsi = 7;

	CHECK(ctx);
	CHECK_INT(fx_put(&fx, IRQ_FILE_04, "2147483648\n"), ==, 0);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, SBDF_04, &gsi, &src), ==, -ENOENT);
	CHECK_INT(gsi, ==, 7);
	CHECK(strstr(fx_last_error, "0000:00:04.0: no GSI: its INTx pin is not connected"));
	/* any value with bit 31 set */
	CHECK_INT(fx_put(&fx, IRQ_FILE_04, "4294967295\n"), ==, 0);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, SBDF_04, &gsi, &src), ==, -ENOENT);
	/* an older kernel: 255 with an Interrupt Line of 0xff */
	CHECK_INT(fx_put(&fx, IRQ_FILE_04, "255\n"), ==, 0);
	CHECK_INT(set_line("0000:00:04.0", 0xff), ==, 0);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, SBDF_04, &gsi, &src), ==, -ENOENT);
	/* on pciback: privcmd's answer and the drop-in say ENOENT too */
	to_pciback(&fx, "0000:00:04.0", "e1000");
	CHECK_INT(fx_put(&fx, IRQ_FILE_04, "2147483648\n"), ==, 0);
	CHECK_INT(xenpt_privcmd_get_gsi(ctx, SBDF_04, &gsi), ==, -ENOENT);
	errno = 0;
	CHECK_INT(xenpt_xc_pcidev_get_gsi(NULL, SBDF_04), ==, -1);
	CHECK_INT(errno, ==, ENOENT);
	/* the value as an irq: not a GSI either */
	CHECK_INT(xenpt_gsi_from_irq(ctx, 2147483648u, &gsi, &src), ==, -ENOENT);
	CHECK_INT(xenpt_gsi_from_irq(ctx, 255, &gsi, &src), ==, -ENOENT);
	CHECK_INT(xenpt_gsi_from_irq(ctx, 0, &gsi, &src), ==, -ENOENT);
	CHECK_INT(gsi, ==, 7);
	/* a PVH dom0 whose privcmd-gsi does not know it: still ENOENT */
	fx_put(&fx, "/sys/hypervisor/guest_type", "PVH\n");
	CHECK_INT(fake_answer(NODE_OURS, false, SBDF_04, -ENODATA), ==, 0);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, SBDF_04, &gsi, &src), ==, -ENOENT);
	teardown(ctx);
}

/* 0 (never routed) and irqs above the INTx line range: a pin whose GSI is
 * not known (ENODATA), not a GSI; an irq of 255 is "not connected" only
 * with an Interrupt Line of 0xff. */
TEST(gsi_irq_outside_the_intx_range_is_enodata)
{
	struct xenpt_ctx *ctx = setup(FX_PV);
	uint32_t gsi = 7;

	CHECK(ctx);
	CHECK_INT(fx_put(&fx, IRQ_FILE_04, "0\n"), ==, 0);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, SBDF_04, &gsi, NULL), ==, -ENODATA);
	CHECK_INT(fx_put(&fx, IRQ_FILE_04, "300\n"), ==, 0);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, SBDF_04, &gsi, NULL), ==, -ENODATA);
	CHECK(strstr(fx_last_error, "irq 300 is not a legacy INTx line"));
	CHECK_INT(fx_put(&fx, IRQ_FILE_04, "255\n"), ==, 0);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, SBDF_04, &gsi, NULL), ==, -ENODATA);
	CHECK_INT(xenpt_gsi_from_irq(ctx, 300, &gsi, NULL), ==, -ENOENT);
	CHECK_INT(gsi, ==, 7);
	CHECK_INT(fx_put(&fx, IRQ_FILE_04, "-1\n"), ==, 0);	/* junk */
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, SBDF_04, &gsi, NULL), ==, -ENODATA);
	CHECK_INT(fx_put(&fx, IRQ_FILE_04, "51x\n"), ==, 0);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, SBDF_04, &gsi, NULL), ==, -ENODATA);
	CHECK_INT(gsi, ==, 7);
	CHECK_INT(fx_put(&fx, IRQ_FILE_04, "254\n"), ==, 0);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, SBDF_04, &gsi, NULL), ==, 0);
	CHECK_INT(gsi, ==, 254);
	teardown(ctx);
}

/*
 * A dom0 driver enabled MSI: the irq file holds the MSI irq (00:1f.2: 125,
 * in msi_irqs/).  Never a GSI: not for the device, not as an irq; MSI-X
 * leaves the INTx irq in the file (00:05.0: 52), which stays usable; a
 * source that knows the GSI still answers.
 */
TEST(gsi_msi_irq_is_never_the_gsi)
{
	struct xenpt_ctx *ctx = setup(FX_PV | FX_MSI);
	enum xenpt_gsi_source src;
	uint32_t gsi = 7;

	CHECK(ctx);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, 0xfa, &gsi, &src), ==, -ENODATA);
	CHECK(strstr(fx_last_error, "0000:00:1f.2: GSI not known: the irq file holds an MSI interrupt (irq 125), not INTx"));
	CHECK_INT(xenpt_gsi_from_irq(ctx, 125, &gsi, &src), ==, -ENOENT);
	CHECK(strstr(fx_last_error, "irq 125: an MSI interrupt of 0000:00:1f.2, not a GSI"));
	CHECK_INT(xenpt_gsi_from_irq(ctx, 126, &gsi, &src), ==, -ENOENT);
	CHECK_INT(gsi, ==, 7);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, 0x28, &gsi, &src), ==, 0);	/* 00:05.0 */
	CHECK_INT(gsi, ==, 52);
	CHECK_INT(src, ==, XENPT_GSI_SRC_IRQ);
	to_pciback(&fx, "0000:00:1f.2", "ahci");
	CHECK_INT(xenpt_privcmd_get_gsi(ctx, 0xfa, &gsi), ==, -ENODATA);
	errno = 0;
	CHECK_INT(xenpt_xc_pcidev_get_gsi(NULL, 0xfa), ==, -1);
	CHECK_INT(errno, ==, ENODATA);
	/* privcmd-gsi knows it: its answer, not the irq */
	CHECK_INT(fx_put(&fx, "/sys/bus/pci/devices/0000:00:1f.2/gsi", "16\n"), ==, 0);
	CHECK_INT(xenpt_gsi_from_sbdf(ctx, 0xfa, &gsi, &src), ==, 0);
	CHECK_INT(gsi, ==, 16);
	CHECK_INT(src, ==, XENPT_GSI_SRC_SYSFS);
	teardown(ctx);
}

struct thr {
	struct xenpt_ctx *ctx;
	int bad;
};

static void *hammer(void *arg)
{
	struct thr *t = arg;
	int i;

	for (i = 0; i < 300; i++) {
		enum xenpt_gsi_source src;
		uint32_t gsi = 0;

		if (xenpt_gsi_from_sbdf(t->ctx, SBDF_04, &gsi, &src) || gsi != 19 ||
		    src != XENPT_GSI_SRC_PRIVCMD_GSI)
			t->bad++;
		if (xenpt_gsi_from_irq(t->ctx, 51, &gsi, &src) || gsi != 19)
			t->bad++;
	}
	return NULL;
}

TEST(gsi_threads_share_one_context)
{
	struct xenpt_ctx *ctx = setup(0);
	pthread_t th[8];
	struct thr t[8];
	int i;

	CHECK(ctx);
	CHECK_INT(fake_answer(NODE_OURS, false, SBDF_04, 19), ==, 0);
	CHECK_INT(fake_answer(NODE_OURS, true, 51, 19), ==, 0);
	log_reset();
	for (i = 0; i < 8; i++) {
		t[i].ctx = xenpt_ctx_ref(ctx);
		t[i].bad = 0;
		CHECK_INT(pthread_create(&th[i], NULL, hammer, &t[i]), ==, 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		CHECK_INT(t[i].bad, ==, 0);
		xenpt_ctx_unref(t[i].ctx);
	}
	CHECK_INT(NODE_OPENS(), ==, 8 * 300 * 2);
	CHECK_INT(NODE_OPENS(), ==, NODE_CLOSES());
	teardown(ctx);
}

TEST(no_output_without_log_callback)
{
	char path[] = "/tmp/xenpt-stderr.XXXXXX", buf[64];
	struct xenpt_ctx *ctx;
	uint32_t gsi;
	int fd, saved, n;

	CHECK_INT(fx_new(&fx, 0), ==, 0);
	CHECK_INT(xenpt_ctx_new(&ctx), ==, 0);
	CHECK_INT(xenpt_ctx_set_root(ctx, fx.root), ==, 0);
	xenpt_ctx_set_log_priority(ctx, 7);
	fd = mkstemp(path);
	CHECK(fd >= 0);
	fflush(stderr);
	fflush(stdout);
	saved = dup(2);
	dup2(fd, 2);
	dup2(fd, 1);
	n = xenpt_gsi_from_sbdf(ctx, SBDF_04, &gsi, NULL);
	fflush(stdout);
	dup2(saved, 2);
	CHECK_INT(n, ==, -ENOTSUP);
	CHECK_INT(pread(fd, buf, sizeof(buf), 0), ==, 0);
	close(fd);
	unlink(path);
	xenpt_ctx_unref(ctx);
	fx_free(&fx);
}

TEST(ctx_paths_and_arguments)
{
	struct xenpt_ctx *ctx;

	CHECK_INT(xenpt_ctx_new(NULL), ==, -EINVAL);
	CHECK_INT(xenpt_ctx_new(&ctx), ==, 0);
	CHECK_STR(xenpt_ctx_get_dir(ctx, XENPT_DIR_SYS), "/sys");
	CHECK_STR(xenpt_ctx_get_dir(ctx, XENPT_DIR_STATE), "/var/lib/xenpt");
	CHECK_INT(xenpt_ctx_set_root(ctx, "/tmp/r//"), ==, 0);
	CHECK_STR(xenpt_ctx_get_dir(ctx, XENPT_DIR_SYS), "/tmp/r/sys");
	CHECK_STR(xenpt_ctx_get_dir(ctx, XENPT_DIR_PROC), "/tmp/r/proc");
	CHECK_STR(xenpt_ctx_get_dir(ctx, XENPT_DIR_DEV), "/tmp/r/dev");
	CHECK_STR(xenpt_ctx_get_dir(ctx, XENPT_DIR_STATE), "/tmp/r/var/lib/xenpt");
	CHECK_STR(xenpt_ctx_get_dir(ctx, XENPT_DIR_UDEV), "/tmp/r/etc/udev/rules.d");
	CHECK_INT(xenpt_ctx_set_root(ctx, "/"), ==, 0);
	CHECK_STR(xenpt_ctx_get_dir(ctx, XENPT_DIR_SYS), "/sys");
	CHECK_INT(xenpt_ctx_set_dir(ctx, XENPT_DIR_STATE, "/x/state/"), ==, 0);
	CHECK_STR(xenpt_ctx_get_dir(ctx, XENPT_DIR_STATE), "/x/state");
	CHECK_INT(xenpt_ctx_set_dir(ctx, XENPT_DIR_COUNT, "/x"), ==, -EINVAL);
	CHECK_INT(xenpt_ctx_set_dir(ctx, XENPT_DIR_SYS, ""), ==, -EINVAL);
	CHECK(xenpt_ctx_get_dir(ctx, XENPT_DIR_COUNT) == NULL);
	CHECK_INT(xenpt_ctx_get_log_priority(ctx), ==, 3);
	CHECK(xenpt_ctx_ref(ctx) == ctx);
	CHECK(xenpt_ctx_unref(ctx) == NULL);
	CHECK_STR(xenpt_ctx_get_dir(ctx, XENPT_DIR_SYS), "/sys");	/* still alive */
	CHECK(xenpt_ctx_unref(ctx) == NULL);
	CHECK(xenpt_ctx_unref(NULL) == NULL);
}

/* --- records: trigger, polarity, origin (LIBXENPT_1.1) -------------------------- */

/* privcmd-gsi's own record (PRIVCMD_GSI_IOCTL_GET_RECORD); taken only
 * when its GSI is the one looked up. */
TEST(record_from_privcmd_gsi)
{
	struct xenpt_ctx *ctx = setup(0);
	struct xenpt_gsi_record rec;

	CHECK(ctx);
	CHECK_INT(fx_xen_node(&fx, NODE_OURS, "record 20 19 level low registered\n"
			      "record 18 11 edge high acpi\n"), ==, 0);
	log_reset();
	CHECK_INT(xenpt_gsi_record(ctx, "00:04.0", &rec), ==, 0);
	CHECK_INT(rec.err, ==, 0);
	CHECK_INT(rec.gsi, ==, 19);
	CHECK_INT(rec.source, ==, XENPT_GSI_SRC_PRIVCMD_GSI);
	CHECK_INT(rec.trigger, ==, XENPT_TRIGGER_LEVEL);
	CHECK_INT(rec.polarity, ==, XENPT_POLARITY_LOW);
	CHECK_INT(rec.origin, ==, XENPT_ORIGIN_REGISTERED);
	CHECK_STR(rec.reason, "");
	CHECK_INT(NODE_OPENS(), ==, NODE_CLOSES());
	CHECK_INT(xenpt_gsi_record(ctx, "0000:00:03.0", &rec), ==, 0);
	CHECK_INT(rec.trigger, ==, XENPT_TRIGGER_EDGE);
	CHECK_INT(rec.polarity, ==, XENPT_POLARITY_HIGH);
	CHECK_INT(rec.origin, ==, XENPT_ORIGIN_ACPI);
	/* upstream privcmd answers another GSI: its record is not taken */
	CHECK_INT(fake_answer(NODE_PRIVCMD, false, SBDF_04, 30), ==, 0);
	CHECK_INT(xenpt_gsi_record(ctx, "00:04.0", &rec), ==, 0);
	CHECK_INT(rec.gsi, ==, 30);
	CHECK_INT(rec.source, ==, XENPT_GSI_SRC_PRIVCMD);
	CHECK_INT(rec.trigger, ==, XENPT_TRIGGER_UNKNOWN);
	CHECK_INT(rec.origin, ==, XENPT_ORIGIN_UNKNOWN);
	teardown(ctx);
}

/* pciback-ext's files of a device on pciback, when privcmd-gsi has no
 * node to ask; nothing at all on a PV dom0's irq. */
TEST(record_from_pciback_ext_or_unknown)
{
	struct xenpt_ctx *ctx = setup(FX_GSI_FILES);
	struct xenpt_gsi_record rec;

	CHECK(ctx);
	fx_put(&fx, "/sys/bus/pci/devices/0000:00:04.0/xenpt/gsi", "19\n");
	fx_put(&fx, "/sys/bus/pci/devices/0000:00:04.0/xenpt/trigger", "level\n");
	fx_put(&fx, "/sys/bus/pci/devices/0000:00:04.0/xenpt/polarity", "low\n");
	fx_put(&fx, "/sys/bus/pci/devices/0000:00:04.0/xenpt/gsi_source", "recovered\n");
	CHECK_INT(xenpt_gsi_record(ctx, "00:04.0", &rec), ==, 0);
	CHECK_INT(rec.source, ==, XENPT_GSI_SRC_SYSFS);
	CHECK_INT(rec.trigger, ==, XENPT_TRIGGER_LEVEL);
	CHECK_INT(rec.polarity, ==, XENPT_POLARITY_LOW);
	CHECK_INT(rec.origin, ==, XENPT_ORIGIN_RECOVERED);
	/* another GSI there: not taken */
	fx_put(&fx, "/sys/bus/pci/devices/0000:00:04.0/xenpt/gsi", "7\n");
	CHECK_INT(xenpt_gsi_record(ctx, "00:04.0", &rec), ==, 0);
	CHECK_INT(rec.trigger, ==, XENPT_TRIGGER_UNKNOWN);
	teardown(ctx);
	ctx = setup(FX_PV);
	CHECK(ctx);
	CHECK_INT(xenpt_gsi_record(ctx, "00:04.0", &rec), ==, 0);
	CHECK_INT(rec.gsi, ==, 51);
	CHECK_INT(rec.source, ==, XENPT_GSI_SRC_IRQ);
	CHECK_INT(rec.trigger, ==, XENPT_TRIGGER_UNKNOWN);
	CHECK_INT(rec.polarity, ==, XENPT_POLARITY_UNKNOWN);
	CHECK_INT(rec.origin, ==, XENPT_ORIGIN_UNKNOWN);
	teardown(ctx);
}

/* Failures are data: the errno of xenpt_gsi_from_sbdf() and the reason,
 * never a message at LOG_ERR. */
TEST(record_failures_are_said_in_the_record)
{
	struct xenpt_ctx *ctx = setup(0);
	struct xenpt_gsi_record rec;

	CHECK(ctx);
	CHECK_INT(xenpt_gsi_record(ctx, "00:04.0", &rec), ==, -ENOTSUP);
	CHECK(strstr(rec.reason, "no GSI source on this PVH dom0"));
	CHECK_INT(xenpt_gsi_record(ctx, "01:00.0", &rec), ==, -ENOENT);
	CHECK_STR(rec.reason, "no GSI: the device has no INTx pin");
	CHECK_INT(xenpt_gsi_record(ctx, "00:09.0", &rec), ==, -ENODEV);
	CHECK_STR(rec.reason, "no such PCI device");
	CHECK_INT(xenpt_gsi_record(ctx, "00:04.x", &rec), ==, -EINVAL);
	CHECK_INT(xenpt_gsi_record(ctx, "00:04.0", NULL), ==, -EINVAL);
	CHECK_INT(fx_put(&fx, "/sys/bus/pci/devices/0000:00:04.0/irq", "2147483648\n"), ==, 0);
	fx_put(&fx, "/sys/hypervisor/guest_type", "PV\n");
	CHECK_INT(xenpt_gsi_record(ctx, "00:04.0", &rec), ==, -ENOENT);
	CHECK(strstr(rec.reason, "no GSI: its INTx pin is not connected"));
	CHECK_INT(fx_errors, ==, 0);
	teardown(ctx);
}

/* An irq's record: its GSI (IRQ_TO_GSI), then any record of that GSI. */
TEST(record_of_an_irq)
{
	struct xenpt_ctx *ctx = setup(0);
	struct xenpt_gsi_record rec;

	CHECK(ctx);
	CHECK_INT(fx_xen_node(&fx, NODE_OURS, "irq 51 19\nrecord 20 19 level low registered\n"),
		  ==, 0);
	CHECK_INT(xenpt_gsi_record_of_irq(ctx, 51, &rec), ==, 0);
	CHECK_INT(rec.gsi, ==, 19);
	CHECK_INT(rec.source, ==, XENPT_GSI_SRC_PRIVCMD_GSI);
	CHECK_INT(rec.trigger, ==, XENPT_TRIGGER_LEVEL);
	CHECK_INT(rec.origin, ==, XENPT_ORIGIN_REGISTERED);
	CHECK_INT(xenpt_gsi_record_of_irq(ctx, 60, &rec), ==, -ENOENT);
	CHECK_STR(rec.reason, "not mapped to a GSI");
	CHECK_INT(fx_errors, ==, 0);
	teardown(ctx);
}

/* The whole list asks privcmd-gsi once (PRIVCMD_GSI_IOCTL_LIST), not
 * once per device. */
TEST(list_all_reads_the_records_in_one_call)
{
	struct xenpt_ctx *ctx = setup(0);
	struct xenpt_device_entry *l;
	char list_req[32], get_req[32];
	size_t n, i;

	CHECK(ctx);
	CHECK_INT(fx_xen_node(&fx, NODE_OURS, "record 20 19 level low registered\n"), ==, 0);
	snprintf(list_req, sizeof(list_req), "%#lx", (unsigned long)PRIVCMD_GSI_IOCTL_LIST);
	snprintf(get_req, sizeof(get_req), "%#lx", (unsigned long)PRIVCMD_GSI_IOCTL_GET_RECORD);
	log_reset();
	CHECK_INT(xenpt_device_list_all(ctx, &l, &n), ==, 0);
	CHECK_INT(n, ==, 9);
	for (i = 0; i < n && strcmp(l[i].name, "0000:00:04.0"); i++)
		;
	CHECK(i < n);
	CHECK(l[i].has_sbdf);
	CHECK_INT(l[i].gsi.gsi, ==, 19);
	CHECK_INT(l[i].gsi.trigger, ==, XENPT_TRIGGER_LEVEL);
	CHECK_INT(l[i].info.irq, ==, 51);
	CHECK_INT(l[i].kind.kind, ==, XENPT_KIND_ENDPOINT);
	CHECK_INT(l[0].kind.kind, ==, XENPT_KIND_HOST_BRIDGE);
	CHECK_INT(log_count("ioctl /dev/xen/privcmd-gsi", list_req), ==, 2); /* size, data */
	CHECK_INT(log_count("ioctl /dev/xen/privcmd-gsi", get_req), ==, 0);
	CHECK_INT(NODE_OPENS(), ==, NODE_CLOSES());
	free(l);
	teardown(ctx);
}

TEST(record_names)
{
	CHECK_STR(xenpt_trigger_name(XENPT_TRIGGER_EDGE), "edge");
	CHECK_STR(xenpt_trigger_name(XENPT_TRIGGER_LEVEL), "level");
	CHECK_STR(xenpt_trigger_name((enum xenpt_trigger)9), "unknown");
	CHECK_STR(xenpt_polarity_name(XENPT_POLARITY_HIGH), "high");
	CHECK_STR(xenpt_polarity_name(XENPT_POLARITY_LOW), "low");
	CHECK_STR(xenpt_polarity_name(XENPT_POLARITY_UNKNOWN), "unknown");
	CHECK_STR(xenpt_gsi_origin_name(XENPT_ORIGIN_REGISTERED), "registered");
	CHECK_STR(xenpt_gsi_origin_name(XENPT_ORIGIN_RECOVERED), "recovered");
	CHECK_STR(xenpt_gsi_origin_name(XENPT_ORIGIN_ACPI), "acpi");
	CHECK_STR(xenpt_gsi_origin_name((enum xenpt_gsi_origin)9), "unknown");
	CHECK_STR(xenpt_dev_kind_name(XENPT_KIND_BRIDGE), "bridge");
	CHECK_STR(xenpt_dev_kind_name(XENPT_KIND_NO_SBDF), "no SBDF");
}

int main(int argc, char **argv)
{
	return t_main(argc, argv);
}
