/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libxenpt: PCI passthrough helpers for a Xen dom0 (PVH or PV).
 *
 * Conventions (those of libkmod):
 *  - everything goes through an opaque context, struct pt_ctx;
 *  - functions that can fail return 0 (or a count) on success and a negative
 *    errno on failure; a GSI is only ever returned through an out pointer,
 *    so an error can never be mistaken for a GSI;
 *  - there is no global state; a context may be used by several threads at
 *    once once it is configured (pt_ctx_set_* are not meant to race with
 *    other calls on the same context);
 *  - the library prints nothing: messages go to the log callback, if one is
 *    set (pt_ctx_set_log_fn), at syslog priorities (LOG_ERR, ...).
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

struct pt_ctx;

/* ------------------------------------------------------------------ */
/* Context                                                            */

/* Creates a context with the default paths (/sys, /dev, /proc,
 * /var/lib/xenpt, the udev rules directory chosen at build time). */
int pt_ctx_new(struct pt_ctx **ctx);
struct pt_ctx *pt_ctx_ref(struct pt_ctx *ctx);
/* Drops a reference; frees the context on the last one.  Returns NULL. */
struct pt_ctx *pt_ctx_unref(struct pt_ctx *ctx);

enum pt_dir {
	PT_DIR_SYS = 0,		/* /sys */
	PT_DIR_DEV,		/* /dev */
	PT_DIR_PROC,		/* /proc */
	PT_DIR_STATE,		/* /var/lib/xenpt: remembered drivers, journal, lock */
	PT_DIR_UDEV,		/* /etc/udev/rules.d (build-time default) */
	PT_DIR_COUNT
};

/* Redirects every directory below ROOT: ROOT/sys, ROOT/dev, ROOT/proc,
 * ROOT/var/lib/xenpt and ROOT/etc/udev/rules.d.  For tests and chroots. */
int pt_ctx_set_root(struct pt_ctx *ctx, const char *root);
/* Redirects one directory. */
int pt_ctx_set_dir(struct pt_ctx *ctx, enum pt_dir which, const char *path);
const char *pt_ctx_get_dir(const struct pt_ctx *ctx, enum pt_dir which);

typedef void (*pt_log_fn)(void *data, int priority, const char *file,
			  int line, const char *fn, const char *format,
			  va_list args);
/* The callback may be called from any thread that uses the context. */
void pt_ctx_set_log_fn(struct pt_ctx *ctx, pt_log_fn fn, void *data);
/* Messages with a priority numerically above this are not passed to the
 * callback.  Default LOG_ERR. */
void pt_ctx_set_log_priority(struct pt_ctx *ctx, int priority);
int pt_ctx_get_log_priority(const struct pt_ctx *ctx);

/*
 * TEST ONLY: replaces open/ioctl/close on the /dev/xen nodes (privcmd and
 * privcmd-gsi), which a test cannot emulate with files.  open returns a
 * descriptor or -errno, ioctl 0 or -errno.  NULL restores the real calls.
 */
struct pt_ioctl_ops {
	int (*open)(void *data, const char *path, int flags);
	int (*ioctl)(void *data, int fd, unsigned long request, void *arg);
	void (*close)(void *data, int fd);
};
int pt_ctx_set_ioctl_ops(struct pt_ctx *ctx, const struct pt_ioctl_ops *ops,
			 void *data);

/* ------------------------------------------------------------------ */
/* BDF: [DDDD:]BB:DD.F as xl accepts it, hex, F may be '*'            */

struct pt_bdf {
	uint16_t domain;	/* segment, 0..0xffff */
	uint8_t bus;		/* 0..0xff */
	uint8_t dev;		/* 0..0x1f */
	uint8_t fn;		/* 0..7; 0 when all_fns */
	uint8_t all_fns;	/* 1 for "DD.*" */
};

#define PT_BDF_STRLEN	16	/* "dddd:bb:dd.f" and its NUL fit */

/* 0, or -EINVAL for anything else than one BDF (empty, junk, out of range,
 * signs, whitespace, overflow). */
int pt_bdf_parse(const char *str, struct pt_bdf *bdf);
/* Canonical form "0000:00:04.0" (or "0000:00:04.*"): its length, -EINVAL
 * for a value out of range, -ENOSPC when size is too small. */
int pt_bdf_format(const struct pt_bdf *bdf, char *buf, size_t size);
/* sbdf = seg << 16 | bus << 8 | dev << 3 | fn; -EINVAL for "*". */
int pt_bdf_to_sbdf(const struct pt_bdf *bdf, uint32_t *sbdf);
void pt_sbdf_to_bdf(uint32_t sbdf, struct pt_bdf *bdf);
/* Every existing function of bdf (one element unless all_fns); the array
 * is malloc'ed, free() it.  -ENODEV when "*" matches no function. */
int pt_bdf_expand(struct pt_ctx *ctx, const struct pt_bdf *bdf,
		  struct pt_bdf **list, size_t *count);

/* ------------------------------------------------------------------ */
/* GSI lookup                                                         */

enum pt_gsi_source {
	PT_GSI_SRC_NONE = 0,
	PT_GSI_SRC_PRIVCMD,	/* IOCTL_PRIVCMD_PCIDEV_GET_GSI on /dev/xen/privcmd (Linux >= 6.12) */
	PT_GSI_SRC_PRIVCMD_GSI,	/* /dev/xen/privcmd-gsi (the privcmd-gsi module) */
	PT_GSI_SRC_SYSFS,	/* /sys/bus/pci/devices/BDF/gsi (the privcmd-gsi module) */
	PT_GSI_SRC_IRQ,		/* the irq, which is the GSI: PV dom0 or not Xen */
};
/* "privcmd", "privcmd-gsi", "sysfs", "irq", "none". */
const char *pt_gsi_source_name(enum pt_gsi_source source);

enum pt_guest_type {
	PT_GUEST_NONE = 0,	/* not running on Xen (no /sys/hypervisor/guest_type) */
	PT_GUEST_PV,
	PT_GUEST_PVH,
	PT_GUEST_HVM,
	PT_GUEST_UNKNOWN,	/* anything else: treated like PVH */
};
int pt_guest_type(struct pt_ctx *ctx, enum pt_guest_type *type);

/*
 * The GSI of a PCI device's INTx.  Sources in order: upstream privcmd,
 * /dev/xen/privcmd-gsi, the sysfs gsi file, then the irq where it equals
 * the GSI (PV dom0, not Xen).  source may be NULL.
 * Errors: -ENODEV no such device, -ENOENT no INTx pin (and only then),
 * -ENODATA a pin whose GSI is not known, -ENOTSUP no source on a PVH dom0
 * (the log names the module to load), -EACCES the only source could not
 * be opened.
 */
int pt_gsi_from_sbdf(struct pt_ctx *ctx, uint32_t sbdf, uint32_t *gsi,
		     enum pt_gsi_source *source);

/*
 * What IOCTL_PRIVCMD_PCIDEV_GET_GSI on /dev/xen/privcmd answers with
 * privcmd-gsi loaded (see the README's table): as Linux 6.12, the GSI of a
 * device bound to pciback; -EOPNOTSUPP when pciback is not loaded;
 * -ENODEV for a device not on pciback or absent; beyond 6.12, -ENOENT for
 * a device on pciback without an INTx pin, -ENODATA for one with a pin
 * whose GSI cannot be known.  The answer of libxenpt-preload.so and of
 * xenpt_xc_pcidev_get_gsi().
 */
int pt_privcmd_get_gsi(struct pt_ctx *ctx, uint32_t sbdf, uint32_t *gsi);
/* The GSI behind a Linux irq: PRIVCMD_GSI_IOCTL_IRQ_TO_GSI, then the
 * devices whose irq file holds irq, then the irq itself where correct.
 * -ENOENT: the irq maps to no known GSI; -ENOTSUP as pt_gsi_from_sbdf(). */
int pt_gsi_from_irq(struct pt_ctx *ctx, uint32_t irq, uint32_t *gsi,
		    enum pt_gsi_source *source);

/*
 * Drop-in for Xen 4.20's libxenctrl
 *     int xc_pcidev_get_gsi(xc_interface *xch, uint32_t sbdf);
 * same convention: the GSI (>= 0), or -1 with errno set.  xch is ignored;
 * a default context is used (XENPT_ROOT, if set in the environment of a
 * non-setuid process, redirects it like pt_ctx_set_root()).
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

#define PT_DRIVER_MAX	64

struct pt_device_info {
	struct pt_bdf bdf;
	uint16_t vendor, device;
	uint32_t class_code;		/* 24 bits: class, subclass, prog-if */
	char driver[PT_DRIVER_MAX];	/* "" when unbound */
	int32_t irq;			/* -1 unknown */
	int32_t iommu_group;		/* -1 none */
	uint8_t pin;			/* INTx pin (1..4), 0 none or unknown */
	bool assigned;			/* bound to pciback */
	bool known;			/* xenpt remembers the original driver */
	bool persist;			/* seized at boot (udev rule) */
	char orig_driver[PT_DRIVER_MAX];/* remembered driver, "" none */
};

int pt_device_get(struct pt_ctx *ctx, const struct pt_bdf *bdf,
		  struct pt_device_info *info);
/* Every PCI device, sorted by BDF; free() the array. */
int pt_device_list(struct pt_ctx *ctx, struct pt_device_info **list,
		   size_t *count);
/* 1 and a reason when dom0 uses the device (a mounted or swapped-on block
 * device beneath it, a network interface beneath it that is up or has
 * addresses), 0 when not, -errno. */
int pt_device_in_use(struct pt_ctx *ctx, const struct pt_bdf *bdf,
		     char *reason, size_t size);

/* ------------------------------------------------------------------ */
/* Assignment to xen-pciback                                          */

#define PT_ASSIGN_FORCE		(1U << 0)	/* even if dom0 uses it */
#define PT_ASSIGN_PERSIST	(1U << 1)	/* seize it again at boot (udev rule) */
#define PT_ASSIGN_STRICT	(1U << 2)	/* refuse if an IOMMU group peer or
						   another function is not assignable */

/*
 * Makes devices assignable: binds them to pciback, remembering their driver
 * in the state directory.  A transaction per device: on failure the device
 * is back on its driver (said through the log) and the result is -errno.
 * Idempotent.  results (may be NULL) gets one code per device; the return
 * value is 0 or the first error.  Peers among bdfs count as assignable.
 */
int pt_assignable_add_many(struct pt_ctx *ctx, const struct pt_bdf *bdfs,
			   size_t count, unsigned int flags, int *results);
int pt_assignable_add(struct pt_ctx *ctx, const struct pt_bdf *bdf,
		      unsigned int flags);

#define PT_REMOVE_REBIND	(1U << 0)	/* give it back to its driver */

/* Takes a device from pciback; with PT_REMOVE_REBIND binds the remembered
 * driver, otherwise leaves it unbound.  On failure it stays on pciback. */
int pt_assignable_remove(struct pt_ctx *ctx, const struct pt_bdf *bdf,
			 unsigned int flags);

struct pt_assigned {
	struct pt_bdf bdf;
	char driver[PT_DRIVER_MAX];	/* remembered driver, "" unknown/none */
	bool known;			/* xenpt assigned it (has a record) */
	bool persist;
};
/* Devices bound to pciback, sorted; free() the array. */
int pt_assignable_list(struct pt_ctx *ctx, struct pt_assigned **list,
		       size_t *count);

/* Finishes or rolls back operations interrupted by a crash.  Every
 * assignment call does this first; 0 or the first error. */
int pt_recover(struct pt_ctx *ctx);

/* Rewrites the udev rule file (60-xenpt.rules) from the persistent
 * devices; removes it when there is none. */
int pt_udev_rules_update(struct pt_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif /* XENPT_H */
