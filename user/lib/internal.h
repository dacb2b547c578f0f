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
};

struct pt_journal {
	char op[8];			/* "add" or "remove" */
	char bdf[XENPT_BDF_STRLEN];
	char driver[XENPT_DRIVER_MAX];	/* original driver */
	char step[32];			/* the step about to be done */
	bool persist;
	bool rebind;
	bool record_created;	/* add: the record is ours to remove */
	bool had_record;	/* remove: there was a record */
	bool slot_added;
	bool slot_removed;
};

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

/* udev.c */
#define PT_UDEV_RULES_FILE "60-xenpt.rules"
int pt_udev_rules_text(const struct xenpt_ctx *ctx, char **text);

/* device.c */
/* Calls fn for each IOMMU group peer and other function of bdf. */
int pt_dev_peers(const struct xenpt_ctx *ctx, const char *bdf,
		 int (*fn)(void *data, const char *peer, const char *why),
		 void *data);

#endif
