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
 * ROOT/var/lib/xenpt and ROOT/etc/udev/rules.d (and ROOT/run, where udev's
 * database is read).  For tests and chroots. */
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
 * Errors: -ENODEV no such device; -ENOENT no INTx pin, or a pin that is
 * not connected (the irq file holds IRQ_NOTCONNECTED, 1U << 31, or 0xff
 * with an Interrupt Line of 0xff): no usable legacy interrupt, the one
 * case besides "no pin" that is -ENOENT (Xen 4.21's libxl skips irqs
 * outside 1..0xfe for the same reason); -ENODATA a pin whose GSI is not
 * known (also: the irq file holds an MSI irq, a driver having enabled MSI,
 * or an irq outside the INTx line range 1..0xfe, or 0); -ENOTSUP no source
 * on a PVH dom0 (the log names the module to load); -EACCES the only
 * source could not be opened.  The irq stands for the GSI only when it is
 * the device's routed INTx line: never 0, 0xff, a value with bit 31 set,
 * an MSI irq (msi_irqs/) or anything above 0xfe.
 */
int xenpt_gsi_from_sbdf(struct xenpt_ctx *ctx, uint32_t sbdf, uint32_t *gsi,
			enum xenpt_gsi_source *source);

/*
 * What IOCTL_PRIVCMD_PCIDEV_GET_GSI on /dev/xen/privcmd answers with
 * privcmd-gsi loaded (see the README's table): as Linux 6.12, the GSI of a
 * device bound to pciback; -EOPNOTSUPP when pciback is not loaded;
 * -ENODEV for a device not on pciback or absent; beyond 6.12, -ENOENT for
 * a device on pciback without an INTx pin or with a pin that is not
 * connected, -ENODATA for one with a pin whose GSI cannot be known (an
 * MSI irq in its irq file included).  The answer of libxenpt-preload.so
 * and of xenpt_xc_pcidev_get_gsi().
 */
int xenpt_privcmd_get_gsi(struct xenpt_ctx *ctx, uint32_t sbdf, uint32_t *gsi);
/* The GSI behind a Linux irq: PRIVCMD_GSI_IOCTL_IRQ_TO_GSI, then the
 * devices whose irq file holds irq as their INTx, then the irq itself where
 * correct (PV dom0, not Xen) and a legacy INTx line (1..0xfe).
 * -ENOENT: the irq maps to no known GSI (an MSI irq of a device, 0,
 * IRQ_NOTCONNECTED, above 0xfe); -ENOTSUP as xenpt_gsi_from_sbdf(). */
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
/* The longest name of an assignable device (as xl's), without the NUL. */
#define XENPT_NAME_MAX		64

/* States a device should not be left in (xenpt_device_info.problems): */
/* unbound with a driver_override: no driver takes it until the override
 * goes (another tool stopped half-way); assignable-remove -r repairs it */
#define XENPT_PROBLEM_STUCK		(1U << 0)
/* bound to another driver than its driver_override names (the native
 * driver probed first, or a rescan) */
#define XENPT_PROBLEM_STALE_OVERRIDE	(1U << 1)
/* a persistent assignment that did not take effect: not on pciback */
#define XENPT_PROBLEM_PERSIST_IDLE	(1U << 2)
/* xenpt remembers it as assignable, but it is not on pciback (another
 * tool gave it back) */
#define XENPT_PROBLEM_RECORD_IDLE	(1U << 3)
/* (since 1.1) xenpt remembers it, but there is no such device: it was
 * hot-removed, or it was a virtual function its PF destroyed; with
 * XENPT_PROBLEM_RECORD_IDLE or _PERSIST_IDLE.  xenpt_assignable_remove()
 * forgets it. */
#define XENPT_PROBLEM_ABSENT		(1U << 4)

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
	char name[XENPT_NAME_MAX + 1];	/* its name (assignable-add -n), "" */
	char override[XENPT_DRIVER_MAX]; /* driver_override, "" none */
	bool quarantined;		/* xenpt put it in Xen's quarantine */
	unsigned int problems;		/* XENPT_PROBLEM_* */
};

int xenpt_device_get(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdf,
		     struct xenpt_device_info *info);
/* Every PCI device, sorted by BDF; free() the array. */
int xenpt_device_list(struct xenpt_ctx *ctx, struct xenpt_device_info **list,
		      size_t *count);
/*
 * 1 and a reason (reasons "; "-separated, each naming the holder) when
 * dom0 uses the device, 0 when not, -errno.  Dom0 uses it when anything
 * holds what it carries (the block devices below it in sysfs, and the
 * namespaces of an NVMe subsystem one of its controllers belongs to, with
 * what is stacked on them: partitions, holders such as dm (LVM, dm-crypt,
 * multipath), md and bcache, loop devices backed by them): mounted (by
 * /proc/self/mountinfo's MAJ:MIN, or /proc/mounts), swap, a device of a
 * mounted btrfs, a vdev of an imported ZFS pool (udev's database), a
 * bcache cache device, a disk blkback serves a guest, a LIO or NVMe
 * target's backstore, or merely held ("nvme0n1p1 is held by dm-0
 * (vg0-guest1)"); when it is the boot VGA device, carries a framebuffer,
 * a lit display, a console tty or a keyboard the console reads; when a
 * network interface below it is up, has addresses, is enslaved or carries
 * a netconsole.  From sysfs and /proc only.
 * (Assignment also counts what unbinding its driver removes: see
 * XENPT_ASSIGN_FORCE.)
 */
int xenpt_device_in_use(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdf,
			char *reason, size_t size);

/* ------------------------------------------------------------------ */
/* Assignment to xen-pciback                                          */

/*
 * Refused whatever the flags, nothing changed: a device that is not an
 * endpoint (-EINVAL: host bridges, PCI bridges and PCIe ports, other
 * bridges; xenpt_device_kind()), one without an SBDF (-ERANGE: a domain
 * above ffff).  Refused unless forced (-EBUSY): a device dom0 uses
 * (xenpt_device_in_use()), and an SR-IOV physical function whose virtual
 * functions are in use (by dom0, or bound to pciback, i.e. given to a
 * guest): unbinding the PF's driver destroys them.  With
 * XENPT_ASSIGN_STRICT the latter is refused even when forced.
 *
 * Isolation: the devices it is not isolated from are its IOMMU group
 * peers where the kernel has groups; without them (a Xen dom0, whose
 * IOMMU is Xen's) they are worked out from the topology as the kernel's
 * pci_device_group() does: devices behind a PCI or PCIe-to-PCI/PCI-X
 * bridge share its requester ID; the devices below a PCIe root or
 * downstream port without ACS enabled reach each other; so do the
 * functions of a multi-function device without ACS.  Where config space
 * cannot tell (64 bytes for an unprivileged reader) isolation is not
 * proven.  Those of them left to a dom0 driver are warned about;
 * XENPT_ASSIGN_STRICT refuses (-EBUSY).
 */
#define XENPT_ASSIGN_FORCE	(1U << 0)	/* even if dom0 uses it */
#define XENPT_ASSIGN_PERSIST	(1U << 1)	/* seize it again at boot (udev rule) */
#define XENPT_ASSIGN_STRICT	(1U << 2)	/* refuse if a device it is not
						   (provably) isolated from,
						   another function or a VF is
						   not assignable */
#define XENPT_ASSIGN_NO_QUARANTINE (1U << 3)	/* do not put it in Xen's
						   quarantine (DOMID_IO) */
#define XENPT_ASSIGN_AS_RECORDED (1U << 4)	/* a device xenpt remembers: into
						   the quarantine only if its
						   record says it was (the boot's
						   add of a persistent device) */

/*
 * Makes devices assignable: binds them to pciback, remembering their driver
 * in the state directory, then (as xl since Xen 4.12) assigns them to Xen's
 * quarantine domain (xc_assign_device(DOMID_IO)) so that they cannot DMA
 * into dom0; that goes through the running Xen's libxenctrl.so.MAJOR.MINOR
 * (MAJOR.MINOR from /sys/hypervisor/version), loaded at run time; not on
 * Xen, there is no quarantine.  A transaction per device: on failure the
 * device is back on its driver (said through the log at LOG_ERR, "BDF:
 * reason"; xenpt_assignable_add_devices() gives it as data), its record
 * as it was, and the result is -errno: -EBUSY in use or not isolated (see
 * above), -EINVAL not an endpoint, -ELIBACC that libxenctrl is not
 * installed (nothing changed; XENPT_ASSIGN_NO_QUARANTINE skips the
 * quarantine), -EEXIST a name another device has.
 * Idempotent: a device on pciback is (re)quarantined, as xl does.  A
 * device xenpt already remembers keeps its record's persistence and name
 * unless told otherwise.  results (may be NULL) gets one code per device;
 * the return value is 0 or the first error.  Peers among bdfs count as
 * assignable.  The udev rule file always follows the records.
 */
int xenpt_assignable_add_many(struct xenpt_ctx *ctx,
			      const struct xenpt_bdf *bdfs, size_t count,
			      unsigned int flags, int *results);
int xenpt_assignable_add(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdf,
			 unsigned int flags);
/* The same for one device, giving it a name (xl pci-assignable-add -n):
 * NULL keeps the name it has.  -EINVAL for a name xenpt_name_check()
 * refuses, -EEXIST for one another device has. */
int xenpt_assignable_add_named(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdf,
			       unsigned int flags, const char *name);
/* 0 when name can name an assignable device: 1..XENPT_NAME_MAX printable
 * characters, no blanks (as xl), none of the characters , = @ : / * (so that it never reads
 * as a BDF or breaks a PCI spec); -EINVAL otherwise. */
int xenpt_name_check(const char *name);
/* The device of that name: 0, -ENOENT when no device has it. */
int xenpt_assignable_find(struct xenpt_ctx *ctx, const char *name,
			  struct xenpt_bdf *bdf);

#define XENPT_REMOVE_REBIND	(1U << 0)	/* give it back to its driver */

/*
 * Takes a device from pciback: out of Xen's quarantine first (when xenpt
 * put it there, libxenctrl must be there: -ELIBACC otherwise; a device not
 * in the quarantine is fine), then unbound, its driver_override and
 * pciback slot cleared, its record forgotten; with XENPT_REMOVE_REBIND
 * binds the remembered driver (or lets the kernel probe one), otherwise
 * leaves it unbound.  On failure it stays on pciback, quarantined as it
 * was.  Also repairs a device left with a driver_override of pciback that
 * is not on pciback (XENPT_PROBLEM_STUCK, _STALE_OVERRIDE), forgets a
 * record whose assignment is not in effect, and forgets a device xenpt
 * remembers that is gone (XENPT_PROBLEM_ABSENT: its record, name and udev
 * rule line; out of Xen's quarantine if Xen still has it there).
 * -ENODEV when there is nothing of the kind.
 */
int xenpt_assignable_remove(struct xenpt_ctx *ctx, const struct xenpt_bdf *bdf,
			    unsigned int flags);

struct xenpt_assigned {
	struct xenpt_bdf bdf;
	char driver[XENPT_DRIVER_MAX];	/* remembered driver, "" unknown/none */
	bool known;			/* xenpt assigned it (has a record) */
	bool persist;
	char name[XENPT_NAME_MAX + 1];	/* "" none */
	bool assigned;			/* on pciback; false: a record whose
					   assignment is not in effect */
	char cur_driver[XENPT_DRIVER_MAX]; /* its driver now, "" none */
	bool quarantined;		/* xenpt put it in Xen's quarantine */
	unsigned int problems;		/* XENPT_PROBLEM_* */
};
/* Devices bound to pciback, and the devices xenpt remembers that are not
 * (assigned false: a persistent assignment that did not take effect, a
 * device that is gone, XENPT_PROBLEM_ABSENT, ...), sorted; free() the
 * array.  -ENOENT when xen-pciback is not loaded (as xl says "pciback
 * driver not loaded"). */
int xenpt_assignable_list(struct xenpt_ctx *ctx, struct xenpt_assigned **list,
			  size_t *count);

/* Finishes or rolls back operations interrupted by a crash, and brings the
 * udev rule file in line with the records.  Every assignment call does
 * this first; 0 or the first error. */
int xenpt_recover(struct xenpt_ctx *ctx);

/* Rewrites the udev rule file (60-xenpt.rules) from the persistent
 * devices when it says otherwise; removes it when there is none.  Each
 * device's line sets driver_override to pciback when the device is added
 * and runs "xenpt --boot assignable-add BDF", which takes the device from
 * a native driver that bound first (built in, in the initramfs) and
 * quarantines it, as driverctl does for its overrides. */
int xenpt_udev_rules_update(struct xenpt_ctx *ctx);

/* ================================================================== */
/* Since LIBXENPT_1.1                                                 */
/*
 * Devices by name: the kernel's name of a PCI function, "0000:00:04.0",
 * in every domain the kernel numbers, Linux's own domains above ffff
 * included ("10000:e1:00.0": the devices behind an Intel VMD controller),
 * which struct xenpt_bdf and an SBDF (16 bits of segment, as Xen's
 * pci_sbdf_t and the GSI ABI's) cannot hold.  Per-device outcomes come
 * back as data (errno and a reason), not only through the log; the log
 * keeps warnings.
 */

#define XENPT_DEV_STRLEN	20	/* "ffffffff:ff:1f.7" and its NUL fit */
#define XENPT_REASON_MAX	512	/* a reason, "" or one line, and its NUL */

/*
 * "[DOMAIN:]BB:DD.F" (DOMAIN 1 to 8 hex digits, default 0; BB, DD, F as
 * xenpt_bdf_parse(); F may be '*') in canonical form, "%04x:%02x:%02x.%x"
 * ("10000:e1:00.0"): its length; -EINVAL for anything else, -ENOSPC when
 * size is too small.  Names a function that may or may not exist.
 */
int xenpt_dev_name(const char *str, char *buf, size_t size);

/*
 * What a PCI function is, which decides whether it can be assigned at all
 * (only endpoints can: every assignment call refuses the others, forced
 * or not) and how (multi-function devices, VFs, requester IDs).  Decided
 * from sysfs: class, config space (header type at 0x0e, the PCI Express
 * capability's device/port type), physfn, the parent directories.
 */
enum xenpt_dev_kind {
	XENPT_KIND_ENDPOINT = 0,	/* a function a guest can be given */
	XENPT_KIND_HOST_BRIDGE,		/* class 0600 */
	XENPT_KIND_BRIDGE,		/* PCI-to-PCI bridge, PCIe root, upstream
					   or downstream port, PCIe-to-PCI/PCI-X
					   bridge: class 0604 or 0609, a type 1
					   header, or such a PCIe port type */
	XENPT_KIND_OTHER_BRIDGE,	/* ISA (LPC), EISA, MCA, PCMCIA, NuBus,
					   CardBus, RACEway, InfiniBand-to-PCI
					   bridges: class 06xx other than 0680,
					   or a type 2 (CardBus) header */
	XENPT_KIND_NO_SBDF,		/* in a domain above ffff (Intel VMD):
					   Xen cannot name it, and its DMA carries
					   the VMD controller's requester ID */
};
/* xenpt_device_kind.flags */
#define XENPT_KIND_MULTIFUNCTION (1U << 0)	/* one of the functions of a
						   multi-function device: they
						   share one guest slot */
#define XENPT_KIND_VF		(1U << 1)	/* an SR-IOV virtual function:
						   independent, its own guest
						   slot (pf names its PF) */
#define XENPT_KIND_SHARED_RID	(1U << 2)	/* behind a PCIe-to-PCI/PCI-X
						   or PCI bridge (rid_bridge):
						   its DMA carries a requester
						   ID that the bridge's other
						   devices share */
#define XENPT_KIND_SRIOV_PF	(1U << 3)	/* has SR-IOV virtual functions */

struct xenpt_device_kind {
	enum xenpt_dev_kind kind;
	unsigned int flags;			/* XENPT_KIND_MULTIFUNCTION, ... */
	char pf[XENPT_DEV_STRLEN];		/* a VF's physical function, "" */
	char rid_bridge[XENPT_DEV_STRLEN];	/* with XENPT_KIND_SHARED_RID */
	char reason[XENPT_REASON_MAX];		/* not an endpoint: why it can
						   never be assigned; "" */
};
/* The kind of the device named dev (xenpt_dev_name()): 0; -ENODEV no such
 * device; -EINVAL. */
int xenpt_device_kind(struct xenpt_ctx *ctx, const char *dev,
		      struct xenpt_device_kind *kind);
/* "endpoint", "host bridge", "bridge", "other bridge", "no SBDF". */
const char *xenpt_dev_kind_name(enum xenpt_dev_kind kind);

/*
 * The GSI of a device's INTx and how the interrupt is wired: trigger and
 * polarity, and how privcmd-gsi learnt them (its record's source, here
 * "origin": the lookup's own source keeps its name).  Trigger, polarity
 * and origin come from privcmd-gsi's PRIVCMD_GSI_IOCTL_GET_RECORD on
 * /dev/xen/privcmd-gsi, else from pciback-ext's files
 * (/sys/bus/pci/devices/BDF/xenpt/{trigger,polarity,gsi_source}, devices
 * on pciback), else they are unknown (upstream privcmd, the sysfs gsi
 * file and the irq say nothing of them).
 */
enum xenpt_trigger {
	XENPT_TRIGGER_UNKNOWN = 0,
	XENPT_TRIGGER_EDGE,
	XENPT_TRIGGER_LEVEL,
};
enum xenpt_polarity {
	XENPT_POLARITY_UNKNOWN = 0,
	XENPT_POLARITY_HIGH,
	XENPT_POLARITY_LOW,
};
enum xenpt_gsi_origin {
	XENPT_ORIGIN_UNKNOWN = 0,
	XENPT_ORIGIN_REGISTERED,	/* privcmd-gsi saw acpi_register_gsi() */
	XENPT_ORIGIN_RECOVERED,		/* rebuilt at its load from the MADT and
					   the IO-APIC irq domain */
	XENPT_ORIGIN_ACPI,		/* resolved from the ACPI _PRT */
};
struct xenpt_gsi_record {
	int err;			/* 0, or as xenpt_gsi_from_sbdf(); also
					   -ERANGE: no SBDF (domain above ffff) */
	uint32_t gsi;			/* when err is 0 */
	enum xenpt_gsi_source source;	/* the lookup that answered */
	enum xenpt_trigger trigger;
	enum xenpt_polarity polarity;
	enum xenpt_gsi_origin origin;
	char reason[XENPT_REASON_MAX];	/* err: why there is no GSI, one line */
};
/* The record of the device named dev: returns rec->err (0 when the GSI is
 * known); -EINVAL without filling rec for NULL arguments.  The lookup is
 * xenpt_gsi_from_sbdf()'s; its reasons go to rec->reason, not the log. */
int xenpt_gsi_record(struct xenpt_ctx *ctx, const char *dev,
		     struct xenpt_gsi_record *rec);
/* The same for a Linux irq, looked up as xenpt_gsi_from_irq() does. */
int xenpt_gsi_record_of_irq(struct xenpt_ctx *ctx, uint32_t irq,
			    struct xenpt_gsi_record *rec);
/* "edge", "level", "unknown"; "high", "low", "unknown"; "registered",
 * "recovered", "acpi", "unknown". */
const char *xenpt_trigger_name(enum xenpt_trigger trigger);
const char *xenpt_polarity_name(enum xenpt_polarity polarity);
const char *xenpt_gsi_origin_name(enum xenpt_gsi_origin origin);

/* Every PCI device the kernel has, with everything xenpt knows of it. */
struct xenpt_device_entry {
	char name[XENPT_DEV_STRLEN];	/* "0000:00:04.0", "10000:e1:00.0" */
	bool has_sbdf;			/* info.bdf holds it (domain <= ffff) */
	struct xenpt_device_info info;	/* as xenpt_device_get(); info.bdf is
					   zero without an SBDF */
	struct xenpt_device_kind kind;
	struct xenpt_gsi_record gsi;
};
/* Every PCI device in sysfs, domains above ffff included, sorted by
 * domain, bus, device, function; free() the array.  (xenpt_device_list()
 * leaves out what struct xenpt_bdf cannot hold, with a LOG_INFO line.) */
int xenpt_device_list_all(struct xenpt_ctx *ctx,
			  struct xenpt_device_entry **list, size_t *count);

/* The outcome of an assignment call for one device. */
struct xenpt_result {
	char dev[XENPT_DEV_STRLEN];	/* the device, canonical */
	int err;			/* 0 done, or -errno */
	char reason[XENPT_REASON_MAX];	/* err: why, and where the device is
					   now; 0: a note worth telling (a
					   repair made, a gone device
					   forgotten), or "" */
};
/*
 * xenpt_assignable_add_many() and xenpt_assignable_add_named() for devices
 * by name, each device's outcome in results[i] (count elements, required):
 * what it refused and why, naming the holder ("in use by dom0: nvme0n1p1
 * is held by dm-0 (vg0-guest1)"), or what failed and where the device is.
 * Refused without changing anything, whatever the flags: a device that is
 * not an endpoint (-EINVAL), one without an SBDF (-ERANGE).  name: as
 * xenpt_assignable_add_named(), count 1 only.  Failures of a device are
 * not logged at LOG_ERR (they are in its result); warnings are logged.
 * Returns 0, or the first device's error (-EINVAL for bad arguments,
 * results untouched).
 */
int xenpt_assignable_add_devices(struct xenpt_ctx *ctx, const char *const *devs,
				 size_t count, unsigned int flags,
				 const char *name, struct xenpt_result *results);
/* xenpt_assignable_remove() for devices by name, with results as above;
 * a device xenpt remembers that is gone is forgotten (0, and a note). */
int xenpt_assignable_remove_devices(struct xenpt_ctx *ctx,
				    const char *const *devs, size_t count,
				    unsigned int flags,
				    struct xenpt_result *results);

#ifdef __cplusplus
}
#endif

#endif /* XENPT_H */
