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
	xenpt_log_fn log_fn;
	void *log_data;
	int log_priority;
};

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
/* The device names in <sys>/bus/pci/devices that parse as BDFs, sorted. */
int pt_dev_names(const struct xenpt_ctx *ctx, char (**names)[XENPT_BDF_STRLEN],
		 size_t *count);
/* An array of the devices fill takes: fill(ctx, name, elem) is called in
 * turn with each device name and the next free element (of elem_size,
 * zeroed at first) and returns 0 to keep it; one spare element follows
 * the kept ones. */
int pt_dev_collect(const struct xenpt_ctx *ctx, size_t elem_size,
		   int (*fill)(const struct xenpt_ctx *ctx, const char *name,
			       void *elem),
		   void **list, size_t *count);

/* state.c: the persistent store */
struct pt_record {
	char driver[XENPT_DRIVER_MAX];	/* original driver, "" none */
	bool persist;
	char name[XENPT_NAME_MAX + 1];	/* "" none */
	bool quarantine;		/* xenpt put it in Xen's quarantine */
};

struct pt_journal {
	char op[8];			/* "add" or "remove" */
	char bdf[XENPT_BDF_STRLEN];
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
/* Calls fn for each IOMMU group peer and other function of bdf. */
int pt_dev_peers(const struct xenpt_ctx *ctx, const char *bdf,
		 int (*fn)(void *data, const char *peer, const char *why),
		 void *data);

#endif
