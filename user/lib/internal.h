/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libxenpt internals shared by the library's files (and its unit tests).
 * Names: public xenpt_*, XENPT_* (include/xenpt.h, lib/libxenpt.sym);
 * internal and hidden (never exported) pt_*, PT_*: here and in util.h.
 */
#ifndef XENPT_INTERNAL_H
#define XENPT_INTERNAL_H

#include <limits.h>
#include <stdatomic.h>
#include <syslog.h>

#include "util.h"
#include "xenpt.h"

#define PT_EXPORT __attribute__((visibility("default")))

#define PCIBACK "pciback"

struct xenpt_ctx {
	atomic_int refcount;
	char *dirs[XENPT_DIR_COUNT];
	char *run;		/* /run (udev's database), below the root */
	xenpt_log_fn log_fn;
	void *log_data;
	int log_priority;
};

/* bdf.c: a PCI function of any domain: Linux numbers the domains behind
 * an Intel VMD controller from 10000 up, beyond struct xenpt_bdf's (and an
 * SBDF's) 16 bits of segment. */
struct pt_addr {
	uint32_t domain;
	uint8_t bus, dev, fn, all_fns;
};
/* "[DOMAIN:]BB:DD.F", DOMAIN up to ffffffff, F may be '*': 0, -EINVAL. */
int pt_addr_parse(const char *str, struct pt_addr *addr);
/* "%04x:%02x:%02x.%x": its length, -EINVAL, -ENOSPC. */
int pt_addr_format(const struct pt_addr *addr, char *buf, size_t size);
/* The same as a struct xenpt_bdf: false when the domain is above ffff. */
bool pt_addr_bdf(const struct pt_addr *addr, struct xenpt_bdf *bdf);

/* ctx.c: paths below the context's directories, logging */
int pt_path(const struct xenpt_ctx *ctx, enum xenpt_dir dir, char *buf,
	    size_t size, const char *fmt, ...) PT_PRINTF(5, 6);
void pt_log(const struct xenpt_ctx *ctx, int priority, const char *file,
	    int line, const char *fn, const char *fmt, ...) PT_PRINTF(6, 7);
#define pt_logp(ctx, prio, ...) \
	do { \
		if ((ctx)->log_fn && (prio) <= (ctx)->log_priority) \
			pt_log(ctx, prio, __FILE__, __LINE__, __func__, __VA_ARGS__); \
	} while (0)
#define pt_err(ctx, ...)	pt_logp(ctx, LOG_ERR, __VA_ARGS__)
#define pt_warn(ctx, ...)	pt_logp(ctx, LOG_WARNING, __VA_ARGS__)
#define pt_notice(ctx, ...)	pt_logp(ctx, LOG_NOTICE, __VA_ARGS__)
#define pt_info(ctx, ...)	pt_logp(ctx, LOG_INFO, __VA_ARGS__)
#define pt_dbg(ctx, ...)	pt_logp(ctx, LOG_DEBUG, __VA_ARGS__)

/* sysfs.c: the PCI devices and drivers in sysfs */
/* <sys>/bus/pci/devices/<bdf>[/<attr>] */
int pt_dev_path(const struct xenpt_ctx *ctx, const char *bdf, const char *attr,
		char *buf, size_t size);
int pt_dev_exists(const struct xenpt_ctx *ctx, const char *bdf);
/* "" when unbound; -ENODEV when the device does not exist. */
int pt_dev_driver(const struct xenpt_ctx *ctx, const char *bdf, char *buf,
		  size_t size);
int pt_dev_write(const struct xenpt_ctx *ctx, const char *bdf,
		 const char *attr, const char *str);
/* Bound to driver now. */
bool pt_dev_on_driver(const struct xenpt_ctx *ctx, const char *bdf, const char *driver);
/* drivers_probe: the kernel matches it a driver (its override's). */
int pt_dev_probe(const struct xenpt_ctx *ctx, const char *bdf);
/* Clears driver_override when set. */
int pt_dev_clear_override(const struct xenpt_ctx *ctx, const char *bdf);
int pt_drv_write(const struct xenpt_ctx *ctx, const char *driver,
		 const char *attr, const char *str);
bool pt_drv_loaded(const struct xenpt_ctx *ctx, const char *driver);
/* 1 when bdf is in pciback's slots list. */
int pt_pciback_has_slot(const struct xenpt_ctx *ctx, const char *bdf);
/* driver_override, "" when unset ("(null)"). */
int pt_dev_override(const struct xenpt_ctx *ctx, const char *bdf, char *buf,
		    size_t size);
int pt_dev_pin(const struct xenpt_ctx *ctx, const char *bdf, uint8_t *pin);
/* INTx pin (config 0x3d) and Interrupt Line (0x3c). */
int pt_dev_intx(const struct xenpt_ctx *ctx, const char *bdf, uint8_t *pin,
		uint8_t *line);

/*
 * What the irq file of a device holds.  Only PT_IRQ_INTX may stand for a
 * GSI (where the irq is the GSI at all: PV dom0, not Xen):
 *  - PT_IRQ_NONE: no INTx pin, or 0 (not routed, never enabled);
 *  - PT_IRQ_NOT_CONNECTED: IRQ_NOTCONNECTED (1U << 31; any value with bit
 *    31 set), or 0xff with an Interrupt Line of 0xff: the pin is wired to
 *    nothing, there is no usable legacy interrupt (Linux's
 *    acpi_pci_irq_valid(); libxl skips irqs outside 1..0xfe likewise);
 *  - PT_IRQ_MSI: the irq is one of msi_irqs/: a driver enabled MSI and the
 *    kernel shows the first MSI vector's irq there, not the INTx;
 *  - PT_IRQ_BEYOND: above 0xfe, outside the legacy INTx line range.
 */
enum pt_irq_kind {
	PT_IRQ_INTX = 0,
	PT_IRQ_NONE,
	PT_IRQ_NOT_CONNECTED,
	PT_IRQ_MSI,
	PT_IRQ_BEYOND,
};
#define PT_IRQ_NOTCONNECTED	(1UL << 31)
#define PT_INTX_IRQ_MAX		0xfeUL
int pt_dev_irq(const struct xenpt_ctx *ctx, const char *bdf,
	       unsigned long *irq, enum pt_irq_kind *kind);
/* msi_irqs/<irq> exists: irq is one of the device's MSI/MSI-X irqs. */
bool pt_dev_msi_irq(const struct xenpt_ctx *ctx, const char *bdf,
		    unsigned long irq);
/* The device names in <sys>/bus/pci/devices that struct xenpt_bdf can
 * hold (domain <= ffff), sorted. */
int pt_dev_names(const struct xenpt_ctx *ctx, char (**names)[XENPT_BDF_STRLEN],
		 size_t *count);
/* One PCI function in sysfs, of any domain. */
struct pt_dev {
	char name[XENPT_DEV_STRLEN];	/* canonical */
	struct pt_addr addr;
	char *real;			/* the real path of its directory */
};
/* Every PCI function in <sys>/bus/pci/devices, sorted by domain, bus,
 * device, function; with real, their real paths (a device gone meanwhile
 * is left out).  pt_devs_free() them. */
int pt_devs_get(const struct xenpt_ctx *ctx, bool real, struct pt_dev **v,
		size_t *n);
void pt_devs_free(struct pt_dev *v, size_t n);
/* The PCI functions above a device in the sysfs tree (its bridges, and a
 * VMD controller), from the root down; free() *anc.  -ENODEV. */
int pt_dev_ancestors(const struct xenpt_ctx *ctx, const char *name,
		     char (**anc)[XENPT_DEV_STRLEN], size_t *count);
/* An array of the devices fill takes: fill(ctx, name, elem) is called in
 * turn with each device name and the next free element (of elem_size,
 * zeroed at first) and returns 0 to keep it; one spare element follows
 * the kept ones. */
int pt_dev_collect(const struct xenpt_ctx *ctx, size_t elem_size,
		   int (*fill)(const struct xenpt_ctx *ctx, const char *name,
			       void *elem),
		   void **list, size_t *count);

/* config.c: a function's config space as sysfs lets the reader see it
 * (64 bytes unprivileged, 256 conventional PCI, 4096 PCI Express) */
struct pt_config {
	unsigned char b[4096];
	size_t len;
};
int pt_config_read(const struct xenpt_ctx *ctx, const char *name,
		   struct pt_config *c);
/* Header type (0 normal, 1 PCI-to-PCI bridge, 2 CardBus), -1 unknown. */
int pt_config_header_type(const struct pt_config *c);
/* Bit 7 of the header type: a multi-function device. */
bool pt_config_multifunction(const struct pt_config *c);
/* The PCI Express capability's device/port type (PT_PCIE_*), or
 * PT_PCIE_NONE (conventional PCI), PT_PCIE_UNKNOWN (not readable). */
#define PT_PCIE_NONE		(-1)
#define PT_PCIE_UNKNOWN		(-2)
#define PT_PCIE_ENDPOINT	0x0
#define PT_PCIE_LEG_END		0x1
#define PT_PCIE_ROOT_PORT	0x4
#define PT_PCIE_UPSTREAM	0x5
#define PT_PCIE_DOWNSTREAM	0x6
#define PT_PCIE_TO_PCI		0x7	/* PCI Express-to-PCI/PCI-X bridge */
#define PT_PCIE_FROM_PCI	0x8	/* PCI/PCI-X-to-PCI Express bridge */
#define PT_PCIE_RC_END		0x9
#define PT_PCIE_RC_EC		0xa
int pt_config_pcie_type(const struct pt_config *c);
/* ACS (Access Control Services) of a port or multi-function device: the
 * flags need (those the capability implements) enabled in its control
 * register, or not, or no capability, or not readable. */
#define PT_ACS_SV	0x01	/* source validation */
#define PT_ACS_RR	0x04	/* P2P request redirect */
#define PT_ACS_CR	0x08	/* P2P completion redirect */
#define PT_ACS_UF	0x10	/* upstream forwarding */
#define PT_ACS_ISOLATING (PT_ACS_SV | PT_ACS_RR | PT_ACS_CR | PT_ACS_UF)
enum pt_acs { PT_ACS_ENABLED, PT_ACS_DISABLED, PT_ACS_ABSENT, PT_ACS_UNKNOWN };
enum pt_acs pt_config_acs(const struct pt_config *c, unsigned int need);

/* kind.c: what a function is (see xenpt_device_kind()) */
int pt_kind_of(const struct xenpt_ctx *ctx, const char *name,
		struct xenpt_device_kind *k);
int pt_kind_class(const struct xenpt_ctx *ctx, const char *name, uint32_t *class_code);
/* An SR-IOV virtual function (it has a physfn link). */
bool pt_kind_is_vf(const struct xenpt_ctx *ctx, const char *name);
/* Not an endpoint: a bridge of any kind. */
bool pt_kind_is_bridge(const struct xenpt_ctx *ctx, const char *name);
/* Whether a bridge makes the devices below it share a requester ID: a
 * conventional PCI bridge or a PCIe-to-PCI/PCI-X bridge (what: its name). */
enum pt_alias { PT_ALIAS_NO, PT_ALIAS_YES, PT_ALIAS_UNKNOWN };
enum pt_alias pt_kind_bridge_alias(const struct xenpt_ctx *ctx, const char *name,
			      const char **what);
/* Why a function in a domain above ffff has no SBDF (naming its VMD
 * controller), one line. */
void pt_kind_no_sbdf_reason(const struct xenpt_ctx *ctx, const char *name,
		       const struct pt_addr *a, char *buf, size_t size);

/* usage.c: does dom0 use a device (see xenpt_device_in_use()) */
/* Reasons, "; "-separated, into a caller's buffer (may be NULL). */
struct pt_reasons {
	char *buf;
	size_t size, used;
	int count;
};
void pt_usage_reason(struct pt_reasons *r, const char *fmt, ...) PT_PRINTF(2, 3);
/* Undoes /proc/mounts' \ooo escapes in place. */
void pt_usage_unescape(char *s);
/* 1 and reasons when dom0 uses the function name, 0 when not, -errno. */
int pt_usage_of(const struct xenpt_ctx *ctx, const char *name,
		  struct pt_reasons *r);
/* The kinds (devreal: the real path of the device's directory): */
int pt_usage_storage(const struct xenpt_ctx *ctx, const char *devreal,
		     struct pt_reasons *r);
void pt_usage_display(const struct xenpt_ctx *ctx, const char *name,
		      const char *devreal, struct pt_reasons *r);
void pt_usage_net(const struct xenpt_ctx *ctx, const char *devreal,
		  struct pt_reasons *r);
void pt_usage_backend(const struct xenpt_ctx *ctx, const char *devreal,
		      struct pt_reasons *r);

/* gsi.c: the lookups, their failures as data */
struct pt_gsi_answer {
	int err;			/* 0 or -errno */
	uint32_t gsi;
	enum xenpt_gsi_source src;
	int prio;			/* err: the 1.0 calls' log priority */
	char reason[XENPT_REASON_MAX];	/* err: why, one line */
};
int pt_gsi_lookup(const struct xenpt_ctx *ctx, uint32_t sbdf, struct pt_gsi_answer *a);
int pt_gsi_lookup_irq(const struct xenpt_ctx *ctx, uint32_t irq,
		      struct pt_gsi_answer *a);
/* gsi_record.c: trigger, polarity, origin.  Every record privcmd-gsi has,
 * with one PRIVCMD_GSI_IOCTL_LIST (struct privcmd_gsi_record *v): */
struct privcmd_gsi_record;
struct pt_gsi_records {
	struct privcmd_gsi_record *v;
	size_t n;
	bool loaded;
};
int pt_gsi_records_load(const struct xenpt_ctx *ctx, struct pt_gsi_records *r);
void pt_gsi_records_free(struct pt_gsi_records *r);
/* The record of the function name (any domain), from list when loaded. */
int pt_gsi_record(const struct xenpt_ctx *ctx, const char *name,
		  const struct pt_gsi_records *list, struct xenpt_gsi_record *rec);
/* One ioctl on a freshly opened /dev node (NODE: "xen/privcmd-gsi"). */
int pt_xen_ioctl(const struct xenpt_ctx *ctx, const char *node, unsigned long req,
		 void *arg);

/* state.c: the persistent store */
struct pt_record {
	char driver[XENPT_DRIVER_MAX];	/* original driver, "" none */
	bool persist;
	char name[XENPT_NAME_MAX + 1];	/* "" none */
	bool quarantine;		/* xenpt put it in Xen's quarantine */
};

struct pt_journal {
	char op[8];			/* "add" or "remove" */
	char bdf[XENPT_DEV_STRLEN];
	char step[32];			/* the step about to be done */
	char from[XENPT_DRIVER_MAX];	/* add: its driver before, "" none */
	struct pt_record rec;		/* add: the record it writes; remove:
					   the record it forgets */
	bool rebind;
	bool had_record;	/* there was a record before: old (add) or
				   rec (remove) is put back on rollback */
	struct pt_record old;	/* add: the record before */
	bool slot_added;
	bool slot_removed;
};

/* A name as xenpt accepts it (xenpt_name_check). */
bool pt_name_valid(const char *name);
bool pt_record_same(const struct pt_record *a, const struct pt_record *b);

int pt_state_lock(const struct xenpt_ctx *ctx, int *fd);
void pt_state_unlock(int fd);
int pt_record_get(const struct xenpt_ctx *ctx, const char *bdf,
		  struct pt_record *rec);
int pt_record_put(const struct xenpt_ctx *ctx, const char *bdf,
		  const struct pt_record *rec);
int pt_record_del(const struct xenpt_ctx *ctx, const char *bdf);
int pt_record_names(const struct xenpt_ctx *ctx,
		    char (**names)[XENPT_BDF_STRLEN], size_t *count);
int pt_journal_get(const struct xenpt_ctx *ctx, const char *bdf,
		   struct pt_journal *j);
int pt_journal_put(const struct xenpt_ctx *ctx, const struct pt_journal *j);
int pt_journal_del(const struct xenpt_ctx *ctx, const char *bdf);
int pt_journal_names(const struct xenpt_ctx *ctx,
		     char (**names)[XENPT_BDF_STRLEN], size_t *count);

/* quarantine.c: Xen's quarantine through the running Xen's libxenctrl,
 * loaded at run time.  One per call of the public API (not shared). */
enum { PT_XC_UNTRIED = 0, PT_XC_READY = 1, PT_XC_NO_XEN = 2 };
struct pt_xc {
	int state;		/* PT_XC_*, or -errno: why it cannot be used */
	char lib[40];		/* "libxenctrl.so.4.20" */
	char why[256];		/* state < 0: why, one line */
	void *dl;		/* dlopen handle */
	void *xch;		/* xc_interface * */
	void *(*open)(void *logger, void *dombuild_logger, unsigned int flags);
	int (*close)(void *xch);
	int (*assign)(void *xch, uint32_t domid, uint32_t sbdf, uint32_t flag);
	int (*deassign)(void *xch, uint32_t domid, uint32_t sbdf);
};
/* Loads and opens libxenctrl once: 0 ready, 1 not running on Xen (no
 * quarantine), -ELIBACC the running Xen's libxenctrl.so.MAJOR.MINOR is
 * not installed (logged once at prio), other -errno. */
int pt_xc_ready(const struct xenpt_ctx *ctx, struct pt_xc *xc, int prio);
void pt_xc_release(struct pt_xc *xc);
/* xc_assign_device(DOMID_IO, sbdf, RDM_RELAXED): 0, 1 not Xen, -errno.
 * Idempotent (a quarantined device stays there). */
int pt_quarantine(const struct xenpt_ctx *ctx, struct pt_xc *xc,
		  const char *bdf);
/* xc_deassign_device(DOMID_IO, sbdf) once pt_xc_ready() said 0: 0 done,
 * 1 it was not quarantined (ENODEV) or not Xen, -errno. */
int pt_dequarantine(const struct xenpt_ctx *ctx, struct pt_xc *xc,
		    const char *bdf);

/* udev.c */
#define PT_UDEV_RULES_FILE "60-xenpt.rules"
int pt_udev_rules_text(const struct xenpt_ctx *ctx, char **text);

/* device.c */
/* XENPT_PROBLEM_* of a device: its driver, driver_override, record. */
unsigned int pt_dev_problems(const char *driver, const char *override,
			     bool known, bool persist);
/* Calls fn for each SR-IOV virtual function of bdf (its virtfnN links). */
int pt_dev_vfs(const struct xenpt_ctx *ctx, const char *bdf,
	       int (*fn)(void *data, const char *vf), void *data);

/* isolation.c: the devices a device is not (provably) isolated from */
struct pt_peer {
	char name[XENPT_DEV_STRLEN];
	char why[224];		/* "is in the same IOMMU group (3)", "shares
				   its requester ID (behind PCI bridge ...)" */
	bool unsure;		/* isolation from it could not be told */
};
struct pt_isolation {
	bool groups;		/* from the kernel's IOMMU groups */
	struct pt_peer *peers;
	size_t n;
	char unknown[192];	/* why isolation could not be told, "" */
};
int pt_isolation_of(const struct xenpt_ctx *ctx, const char *name,
		     struct pt_isolation *iso);
void pt_isolation_free(struct pt_isolation *iso);
/* Calls fn for each peer of bdf (pt_isolation_of()). */
int pt_isolation_peers(const struct xenpt_ctx *ctx, const char *bdf,
		 int (*fn)(void *data, const char *peer, const char *why),
		 void *data);

#endif
