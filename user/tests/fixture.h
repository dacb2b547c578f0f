/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixture trees for the tests: a fake root with sys/, proc/, dev/ and the
 * fake kernel's control directory .fake/ (see fakesys.c), built at run
 * time under $TMPDIR.
 *
 * Standard devices (fx_new): the table devices[] in fixture.c, one row
 * (a designated initialiser) per device, from which the sysfs files, the
 * config space, driver, IOMMU group, network interface and disk links are
 * made; a new device is one more row.
 * Drivers e1000, igb, ahci and pciback (igbvf with FX_SRIOV);
 * /sys/hypervisor: type xen, version 4.20, guest_type PVH (none with
 * FX_NOXEN).
 */
#ifndef XENPT_FIXTURE_H
#define XENPT_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "harness.h"
#include "xenpt.h"

#define FX_PV		(1U << 0)	/* guest_type PV */
#define FX_NOXEN	(1U << 1)	/* no /sys/hypervisor/guest_type */
#define FX_HVM		(1U << 2)
#define FX_GSI_FILES	(1U << 3)	/* privcmd-gsi loaded: sysfs gsi files */
#define FX_NO_PCIBACK	(1U << 4)	/* xen-pciback not loaded */
#define FX_OLD_PCIBACK	(1U << 5)	/* pciback ignores driver_override */
#define FX_MSI		(1U << 6)	/* drivers enabled MSI (00:1f.2: irq 125)
					   and MSI-X (00:05.0: 126, 127) */
#define FX_SRIOV	(1U << 7)	/* 00:04.0 is an SR-IOV PF: VFs 00:10.0
					   (igbvf, eth9 up), 00:10.1 (unbound) */

struct fx {
	char root[256];
};

/* Builds the standard tree in a new temp dir; sets XENPT_ROOT, which the
 * fake kernel, the CLI and xenpt_xc_pcidev_get_gsi() all read. */
int fx_new(struct fx *fx, unsigned int flags);
/* Builds it in an existing (empty) directory. */
int fx_build(const char *root, unsigned int flags);
void fx_free(struct fx *fx);

int fx_put(const struct fx *fx, const char *rel, const char *content);
int fx_append(const struct fx *fx, const char *rel, const char *content);
/* content without trailing newlines, or -errno */
int fx_get(const struct fx *fx, const char *rel, char *buf, size_t size);
bool fx_exists(const struct fx *fx, const char *rel);
int fx_rm(const struct fx *fx, const char *rel);
/* Creates the fake node /dev/xen/<node> (privcmd, privcmd-gsi) and appends
 * answers (lines for fakesys.c's .fake/ioctl/<node>, may be NULL). */
int fx_xen_node(const struct fx *fx, const char *node, const char *answers);
/* driver of a device, "" when unbound */
int fx_driver(const struct fx *fx, const char *bdf, char *buf, size_t size);
/*
 * A PCI device made as the standard ones are (the "mkdev"): its
 * directory below parent (a bus directory, "/sys/devices/pci0000:00", or a
 * bridge's), vendor, device, class, config space, irq, INTx pin, its
 * driver (NULL, "" or "-": none; a driver directory is made when missing,
 * matching vendor:device), the bus/pci/devices link; no IOMMU group.
 */
int fx_add_dev(const struct fx *fx, const char *bdf, const char *parent,
	       unsigned int vendor, unsigned int device, unsigned int class,
	       const char *driver, int pin, int irq);
int fx_add_dev_at(const char *root, const char *bdf, const char *parent,
		  unsigned int vendor, unsigned int device, unsigned int class,
		  const char *driver, int pin, int irq);
/* A block device at the directory dir (below the root): dev (devnum
 * "MAJ:MIN", none when NULL), holders/, and /sys/class/block/NAME. */
int fx_add_block(const struct fx *fx, const char *dir, const char *devnum);
/* rel becomes a symlink to target (both below the root). */
int fx_link(const struct fx *fx, const char *rel, const char *target);
int fx_mkdir(const struct fx *fx, const char *rel);
int fx_rm_rf(const struct fx *fx, const char *rel);
/* Hot removal, as the kernel does it: the device's directory and every
 * link to it (bus/pci/devices, its driver's, its IOMMU group's) go. */
int fx_unplug(const struct fx *fx, const char *bdf);
int fx_unplug_at(const char *root, const char *bdf);

/* What an assignment call may change about a device: a refused device
 * must have the same before and after. */
struct fx_state {
	char driver[64], override[64];
	char slots[512];
	char record[512];
	bool journal;
	char quarantined[512];
	char rules[2048];
};
void fx_state_of(const struct fx *fx, const char *bdf, struct fx_state *st);
/* true when a and b are the same; else why says what changed */
bool fx_state_same(const struct fx_state *a, const struct fx_state *b,
		   char *why, size_t size);

/* A context on the fixture; logs to stderr when XENPT_TEST_LOG is set,
 * and keeps the last error message in fx_last_error. */
struct xenpt_ctx *fx_ctx(const struct fx *fx);
extern char fx_last_error[1024];
extern int fx_errors;
/* whether a message at priority prio (LOG_WARNING, ...) holding part was
 * logged since the tree was made (or fx_log_clear()) */
bool fx_logged(int prio, const char *part);
void fx_log_clear(void);

/* fx_new + fx_ctx: a context on a new standard tree, or NULL */
struct xenpt_ctx *fx_open(struct fx *fx, unsigned int flags);
/* xenpt_ctx_unref + fx_free */
void fx_close(struct fx *fx, struct xenpt_ctx *ctx);
/* true when fakesys.so is preloaded (the fake kernel answers writes) */
bool fx_preloaded(void);

/*
 * FX_TEST(name, flags) { body using ctx }: a TEST that runs its body with a
 * context on a fresh standard tree built in the file's "struct fx fx", and
 * removes the tree after it.  FX_TEST_IF(name, flags, ready) first fails the
 * test when ready is false (why: what it needs).
 */
#define FX_TEST_IF(name, flags, ready, why) \
	static void name##_on(struct xenpt_ctx *ctx __attribute__((unused))); \
	TEST(name) \
	{ \
		struct xenpt_ctx *ctx; \
		if (!(ready)) { \
			t_fail(__FILE__, __LINE__, "%s", why); \
			return; \
		} \
		ctx = fx_open(&fx, flags); \
		CHECK(ctx); \
		name##_on(ctx); \
		fx_close(&fx, ctx); \
	} \
	static void name##_on(struct xenpt_ctx *ctx __attribute__((unused)))

#define FX_TEST(name, flags) FX_TEST_IF(name, flags, true, "")

#endif
