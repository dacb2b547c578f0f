/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libxenpt: PCI passthrough helpers for a Xen dom0 (PVH or PV).
 *
 * Conventions (those of libkmod):
 *  - every name here starts with xenpt_ or XENPT_ (the library's internal,
 *    hidden ones with pt_);
 *  - everything goes through an opaque context, struct xenpt_ctx;
 *  - functions that can fail return 0 (or a count) on success and a negative
 *    errno on failure; a GSI is only ever returned through an out pointer,
 *    so an error can never be mistaken for a GSI;
 *  - there is no global state; a context may be used by several threads at
 *    once once it is configured (xenpt_ctx_set_* are not meant to race with
 *    other calls on the same context);
 *  - the library prints nothing: messages go to the log callback, if one is
 *    set (xenpt_ctx_set_log_fn), at syslog priorities (LOG_ERR, ...).
 *
 * Messages about one device start with its BDF ("0000:00:04.0: ...").
 */
#ifndef XENPT_H
#define XENPT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct xenpt_ctx;

/* ------------------------------------------------------------------ */
/* Context                                                            */

/* Creates a context with the default paths (/sys, /dev, /proc,
 * /var/lib/xenpt, the udev rules directory chosen at build time). */
int xenpt_ctx_new(struct xenpt_ctx **ctx);
struct xenpt_ctx *xenpt_ctx_ref(struct xenpt_ctx *ctx);
/* Drops a reference; frees the context on the last one.  Returns NULL. */
struct xenpt_ctx *xenpt_ctx_unref(struct xenpt_ctx *ctx);

enum xenpt_dir {
	XENPT_DIR_SYS = 0,	/* /sys */
	XENPT_DIR_DEV,		/* /dev */
	XENPT_DIR_PROC,		/* /proc */
	XENPT_DIR_STATE,	/* /var/lib/xenpt: remembered drivers, journal, lock */
	XENPT_DIR_UDEV,		/* /etc/udev/rules.d (build-time default) */
	XENPT_DIR_COUNT
};

/* Redirects every directory below ROOT: ROOT/sys, ROOT/dev, ROOT/proc,
 * ROOT/var/lib/xenpt and ROOT/etc/udev/rules.d.  For tests and chroots. */
int xenpt_ctx_set_root(struct xenpt_ctx *ctx, const char *root);
/* Redirects one directory. */
int xenpt_ctx_set_dir(struct xenpt_ctx *ctx, enum xenpt_dir which,
		      const char *path);
const char *xenpt_ctx_get_dir(const struct xenpt_ctx *ctx,
			      enum xenpt_dir which);

typedef void (*xenpt_log_fn)(void *data, int priority, const char *file,
			     int line, const char *fn, const char *format,
			     va_list args);
/* The callback may be called from any thread that uses the context. */
void xenpt_ctx_set_log_fn(struct xenpt_ctx *ctx, xenpt_log_fn fn, void *data);
/* Messages with a priority numerically above this are not passed to the
 * callback.  Default LOG_ERR. */
void xenpt_ctx_set_log_priority(struct xenpt_ctx *ctx, int priority);
int xenpt_ctx_get_log_priority(const struct xenpt_ctx *ctx);

/* ------------------------------------------------------------------ */
/* BDF: [DDDD:]BB:DD.F as xl accepts it, hex, F may be '*'            */

struct xenpt_bdf {
	uint16_t domain;	/* segment, 0..0xffff */
	uint8_t bus;		/* 0..0xff */
	uint8_t dev;		/* 0..0x1f */
	uint8_t fn;		/* 0..7; 0 when all_fns */
	uint8_t all_fns;	/* 1 for "DD.*" */
};

#define XENPT_BDF_STRLEN	16	/* "dddd:bb:dd.f" and its NUL fit */

/* 0, or -EINVAL for anything else than one BDF (empty, junk, out of range,
 * signs, whitespace, overflow). */
int xenpt_bdf_parse(const char *str, struct xenpt_bdf *bdf);
/* Canonical form "0000:00:04.0" (or "0000:00:04.*"): its length, -EINVAL
 * for a value out of range, -ENOSPC when size is too small. */
int xenpt_bdf_format(const struct xenpt_bdf *bdf, char *buf, size_t size);
/* sbdf = seg << 16 | bus << 8 | dev << 3 | fn; -EINVAL for "*". */
int xenpt_bdf_to_sbdf(const struct xenpt_bdf *bdf, uint32_t *sbdf);
void xenpt_sbdf_to_bdf(uint32_t sbdf, struct xenpt_bdf *bdf);
/* Every existing function of bdf (one element unless all_fns); the array
 * is malloc'ed, free() it.  -ENODEV when "*" matches no function. */
int xenpt_bdf_expand(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdf,
		     struct xenpt_bdf **list, size_t *count);

/* ------------------------------------------------------------------ */
/* GSI lookup                                                         */

enum xenpt_gsi_source {
	XENPT_GSI_SRC_NONE = 0,
	XENPT_GSI_SRC_PRIVCMD,		/* IOCTL_PRIVCMD_PCIDEV_GET_GSI on /dev/xen/privcmd (Linux >= 6.12) */
	XENPT_GSI_SRC_PRIVCMD_GSI,	/* /dev/xen/privcmd-gsi (the privcmd-gsi module) */
	XENPT_GSI_SRC_SYSFS,		/* /sys/bus/pci/devices/BDF/gsi (the privcmd-gsi module) */
	XENPT_GSI_SRC_IRQ,		/* the irq, which is the GSI: PV dom0 or not Xen */
};
/* "privcmd", "privcmd-gsi", "sysfs", "irq", "none". */
const char *xenpt_gsi_source_name(enum xenpt_gsi_source source);

enum xenpt_guest_type {
	XENPT_GUEST_NONE = 0,	/* not running on Xen (no /sys/hypervisor/guest_type) */
	XENPT_GUEST_PV,
	XENPT_GUEST_PVH,
	XENPT_GUEST_HVM,
	XENPT_GUEST_UNKNOWN,	/* anything else: treated like PVH */
};
int xenpt_guest_type(struct xenpt_ctx *ctx, enum xenpt_guest_type *type);

/*
 * The GSI of a PCI device's INTx.  Sources in order: upstream privcmd,
 * /dev/xen/privcmd-gsi, the sysfs gsi file, then the irq where it equals
 * the GSI (PV dom0, not Xen).  source may be NULL.
 * Errors: -ENODEV no such device, -ENOENT no INTx pin (and only then),
 * -ENODATA a pin whose GSI is not known, -ENOTSUP no source on a PVH dom0
 * (the log names the module to load), -EACCES the only source could not
 * be opened.
 */
int xenpt_gsi_from_sbdf(struct xenpt_ctx *ctx, uint32_t sbdf, uint32_t *gsi,
			enum xenpt_gsi_source *source);

/*
 * What IOCTL_PRIVCMD_PCIDEV_GET_GSI on /dev/xen/privcmd answers with
 * privcmd-gsi loaded (see the README's table): as Linux 6.12, the GSI of a
 * device bound to pciback; -EOPNOTSUPP when pciback is not loaded;
 * -ENODEV for a device not on pciback or absent; beyond 6.12, -ENOENT for
 * a device on pciback without an INTx pin, -ENODATA for one with a pin
 * whose GSI cannot be known.  The answer of libxenpt-preload.so and of
 * xenpt_xc_pcidev_get_gsi().
 */
int xenpt_privcmd_get_gsi(struct xenpt_ctx *ctx, uint32_t sbdf, uint32_t *gsi);
/* The GSI behind a Linux irq: PRIVCMD_GSI_IOCTL_IRQ_TO_GSI, then the
 * devices whose irq file holds irq, then the irq itself where correct.
 * -ENOENT: the irq maps to no known GSI; -ENOTSUP as xenpt_gsi_from_sbdf(). */
int xenpt_gsi_from_irq(struct xenpt_ctx *ctx, uint32_t irq, uint32_t *gsi,
		       enum xenpt_gsi_source *source);

/*
 * Drop-in for Xen 4.20's libxenctrl
 *     int xc_pcidev_get_gsi(xc_interface *xch, uint32_t sbdf);
 * same convention: the GSI (>= 0), or -1 with errno set.  xch is ignored;
 * a default context is used (XENPT_ROOT, if set in the environment of a
 * non-setuid process, redirects it like xenpt_ctx_set_root()).
 *
 * To use it where xc_pcidev_get_gsi() is expected:
 *  - source: #define xc_pcidev_get_gsi(xch, sbdf) \
 *                    xenpt_xc_pcidev_get_gsi((xch), (sbdf))
 *    and link with -lxenpt;
 *  - relink without source changes: link libxenpt-xc.so (built next to
 *    libxenpt.so), which exports xc_pcidev_get_gsi() as an alias of this
 *    function, before -lxenctrl, or LD_PRELOAD it for an existing binary
 *    (QEMU, libxl) whose libxenctrl answers ENOTTY on a kernel < 6.12.
 */
int xenpt_xc_pcidev_get_gsi(void *xch, uint32_t sbdf);

/* ------------------------------------------------------------------ */
/* Devices                                                            */

#define XENPT_DRIVER_MAX	64

struct xenpt_device_info {
	struct xenpt_bdf bdf;
	uint16_t vendor, device;
	uint32_t class_code;		/* 24 bits: class, subclass, prog-if */
	char driver[XENPT_DRIVER_MAX];	/* "" when unbound */
	int32_t irq;			/* -1 unknown */
	int32_t iommu_group;		/* -1 none */
	uint8_t pin;			/* INTx pin (1..4), 0 none or unknown */
	bool assigned;			/* bound to pciback */
	bool known;			/* xenpt remembers the original driver */
	bool persist;			/* seized at boot (udev rule) */
	char orig_driver[XENPT_DRIVER_MAX]; /* remembered driver, "" none */
};

int xenpt_device_get(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdf,
		     struct xenpt_device_info *info);
/* Every PCI device, sorted by BDF; free() the array. */
int xenpt_device_list(struct xenpt_ctx *ctx, struct xenpt_device_info **list,
		      size_t *count);
/* 1 and a reason when dom0 uses the device (a mounted or swapped-on block
 * device beneath it, a network interface beneath it that is up or has
 * addresses), 0 when not, -errno. */
int xenpt_device_in_use(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdf,
			char *reason, size_t size);

/* ------------------------------------------------------------------ */
/* Assignment to xen-pciback                                          */

#define XENPT_ASSIGN_FORCE	(1U << 0)	/* even if dom0 uses it */
#define XENPT_ASSIGN_PERSIST	(1U << 1)	/* seize it again at boot (udev rule) */
#define XENPT_ASSIGN_STRICT	(1U << 2)	/* refuse if an IOMMU group peer or
						   another function is not assignable */

/*
 * Makes devices assignable: binds them to pciback, remembering their driver
 * in the state directory.  A transaction per device: on failure the device
 * is back on its driver (said through the log) and the result is -errno.
 * Idempotent.  results (may be NULL) gets one code per device; the return
 * value is 0 or the first error.  Peers among bdfs count as assignable.
 */
int xenpt_assignable_add_many(struct xenpt_ctx *ctx,
			      const struct xenpt_bdf *bdfs, size_t count,
			      unsigned int flags, int *results);
int xenpt_assignable_add(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdf,
			 unsigned int flags);

#define XENPT_REMOVE_REBIND	(1U << 0)	/* give it back to its driver */

/* Takes a device from pciback; with XENPT_REMOVE_REBIND binds the remembered
 * driver, otherwise leaves it unbound.  On failure it stays on pciback. */
int xenpt_assignable_remove(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdf,
			    unsigned int flags);

struct xenpt_assigned {
	struct xenpt_bdf bdf;
	char driver[XENPT_DRIVER_MAX];	/* remembered driver, "" unknown/none */
	bool known;			/* xenpt assigned it (has a record) */
	bool persist;
};
/* Devices bound to pciback, sorted; free() the array. */
int xenpt_assignable_list(struct xenpt_ctx *ctx, struct xenpt_assigned **list,
			  size_t *count);

/* Finishes or rolls back operations interrupted by a crash.  Every
 * assignment call does this first; 0 or the first error. */
int xenpt_recover(struct xenpt_ctx *ctx);

/* Rewrites the udev rule file (60-xenpt.rules) from the persistent
 * devices; removes it when there is none. */
int xenpt_udev_rules_update(struct xenpt_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif /* XENPT_H */
