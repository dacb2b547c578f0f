/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixture trees for the tests: a fake root with sys/, proc/, dev/ and the
 * fake kernel's control directory .fake/ (see fakesys.c), built at run
 * time under $TMPDIR.
 *
 * Standard devices (fx_new):
 *   0000:00:00.0  8086:29c0 060000 -      host bridge, no pin, group 0
 *   0000:00:03.0  8086:100e 020000 e1000  irq 11 gsi 11, eth0 UP, group 1
 *   0000:00:04.0  8086:100e 020000 e1000  irq 51 gsi 19, eth1 down, group 2
 *   0000:00:05.0  8086:10c9 020000 igb    irq 52 gsi 20, multi-function, group 3
 *   0000:00:05.1  8086:10c9 020000 igb    irq 53 gsi 21, multi-function, group 3
 *   0000:00:1f.2  8086:2922 010601 ahci   irq 54 gsi 16, sda1 mounted on /, group 4
 *   0000:01:00.0  1234:5678 ff0000 -      no pin, group 5
 *   0000:02:00.0  8086:100e 020000 -      irq 55, GSI never set up, group 6
 *   0001:00:02.0  8086:100e 020000 e1000  irq 56 gsi 23, group 7
 * Drivers e1000, igb, ahci and pciback; /sys/hypervisor/guest_type PVH.
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

struct fx {
	char root[256];
};

/* Builds the standard tree in a new temp dir; sets FAKESYS_ROOT. */
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
/* driver of a device, "" when unbound */
int fx_driver(const struct fx *fx, const char *bdf, char *buf, size_t size);
/* A context on the fixture; logs to stderr when XENPT_TEST_LOG is set,
 * and keeps the last error message in fx_last_error. */
struct pt_ctx *fx_ctx(const struct fx *fx);
extern char fx_last_error[1024];
extern int fx_errors;

/* fx_new + fx_ctx: a context on a new standard tree, or NULL */
struct pt_ctx *fx_open(struct fx *fx, unsigned int flags);
/* pt_ctx_unref + fx_free */
void fx_close(struct fx *fx, struct pt_ctx *ctx);
/* true when fakesys.so is preloaded (the fake kernel answers writes) */
bool fx_preloaded(void);

/*
 * FX_TEST(name, flags) { body using ctx }: a TEST that runs its body with a
 * context on a fresh standard tree built in the file's "struct fx fx", and
 * removes the tree after it.  FX_TEST_IF(name, flags, ready) first fails the
 * test when ready is false (why: what it needs).
 */
#define FX_TEST_IF(name, flags, ready, why) \
	static void name##_on(struct pt_ctx *ctx __attribute__((unused))); \
	TEST(name) \
	{ \
		struct pt_ctx *ctx; \
		if (!(ready)) { \
			t_fail(__FILE__, __LINE__, "%s", why); \
			return; \
		} \
		ctx = fx_open(&fx, flags); \
		CHECK(ctx); \
		name##_on(ctx); \
		fx_close(&fx, ctx); \
	} \
	static void name##_on(struct pt_ctx *ctx __attribute__((unused)))

#define FX_TEST(name, flags) FX_TEST_IF(name, flags, true, "")

#endif
