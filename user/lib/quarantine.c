// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Xen's quarantine, as xl pci-assignable-add/-remove use it since Xen 4.12
 * (libxl__device_pci_assignable_add/_remove): a device on pciback is
 * assigned to DOMID_IO, a domain without mappings, so that it cannot DMA
 * into dom0 while it waits for a guest; it is taken back (deassigned from
 * DOMID_IO) before dom0's driver gets it again.
 *
 * Through libxenctrl, loaded at run time: its ABI must match the running
 * hypervisor, so the library is the one of /sys/hypervisor/version,
 * libxenctrl.so.MAJOR.MINOR, as Debian's xen-utils-common picks its xl.
 * Not running on Xen (no /sys/hypervisor/type "xen"): nothing to do.
 * Xen running but that library absent: -ELIBACC, said once.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define DOMID_IO		0x7FF1U	/* xen/include/public/xen.h */
#define DEV_RDM_RELAXED		1U	/* XEN_DOMCTL_DEV_RDM_RELAXED */

typedef void *(*xc_open_fn)(void *logger, void *dombuild_logger,
			    unsigned int open_flags);
typedef int (*xc_close_fn)(void *xch);
typedef int (*xc_assign_fn)(void *xch, uint32_t domid, uint32_t sbdf,
			    uint32_t flag);
typedef int (*xc_deassign_fn)(void *xch, uint32_t domid, uint32_t sbdf);

/* Whether this is Xen, and its version: 0 and the version, 1 not Xen. */
static int xen_version(const struct xenpt_ctx *ctx, unsigned long *major,
		       unsigned long *minor)
{
	char path[PATH_MAX], type[16];
	int err;

	err = pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/hypervisor/type");
	if (err)
		return err;
	if (pt_read_file(path, type, sizeof(type)) < 0 || strcmp(type, "xen"))
		return 1;
	err = pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path),
		      "/hypervisor/version/major");
	if (!err)
		err = pt_read_uint(path, 10, major);
	if (!err)
		err = pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path),
			      "/hypervisor/version/minor");
	if (!err)
		err = pt_read_uint(path, 10, minor);
	return err;
}

/* Gives up: err is the answer from now on, and why (logged at prio,
 * "cannot quarantine devices: WHY"). */
static int fail(const struct xenpt_ctx *ctx, struct pt_xc *xc, int prio, int err,
		const char *fmt, ...) PT_PRINTF(5, 6);
static int fail(const struct xenpt_ctx *ctx, struct pt_xc *xc, int prio, int err,
		const char *fmt, ...)
{
	char why[sizeof(xc->why)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	pt_xc_release(xc);
	xc->state = err;
	memcpy(xc->why, why, sizeof(why));
	pt_logp(ctx, prio, "cannot quarantine devices: %s", xc->why);
	return err;
}

int pt_xc_ready(const struct xenpt_ctx *ctx, struct pt_xc *xc, int prio)
{
	unsigned long major = 0, minor = 0;
	char ebuf[PT_ERRBUF];
	int err;

	if (xc->state == PT_XC_READY)
		return 0;
	if (xc->state == PT_XC_NO_XEN)
		return 1;
	if (xc->state < 0)
		return xc->state;
	err = xen_version(ctx, &major, &minor);
	if (err == 1) {
		pt_dbg(ctx, "not running on Xen: no quarantine");
		xc->state = PT_XC_NO_XEN;
		return 1;
	}
	if (err)
		return fail(ctx, xc, prio, -ELIBACC, "the version of Xen is unknown "
			    "(/sys/hypervisor/version: %s), so is its libxenctrl",
			    pt_serr(-err, ebuf));
	snprintf(xc->lib, sizeof(xc->lib), "libxenctrl.so.%lu.%lu", major, minor);
	xc->dl = dlopen(xc->lib, RTLD_NOW | RTLD_LOCAL);
	if (!xc->dl)
		return fail(ctx, xc, prio, -ELIBACC, "%s (the libxenctrl of the "
			    "running Xen %lu.%lu) is not installed; install Xen "
			    "%lu.%lu's libraries, or skip the quarantine "
			    "(--no-quarantine)", xc->lib, major, minor, major, minor);
	*(void **)&xc->open = dlsym(xc->dl, "xc_interface_open");
	*(void **)&xc->close = dlsym(xc->dl, "xc_interface_close");
	*(void **)&xc->assign = dlsym(xc->dl, "xc_assign_device");
	*(void **)&xc->deassign = dlsym(xc->dl, "xc_deassign_device");
	if (!xc->open || !xc->close || !xc->assign || !xc->deassign)
		return fail(ctx, xc, prio, -ELIBBAD, "%s lacks xc_interface_open, "
			    "xc_assign_device or xc_deassign_device", xc->lib);
	errno = 0;
	xc->xch = xc->open(NULL, NULL, 0);
	if (!xc->xch) {
		err = errno ? -errno : -EACCES;
		return fail(ctx, xc, prio, err, "xc_interface_open (%s): %s", xc->lib,
			    pt_serr(-err, ebuf));
	}
	pt_dbg(ctx, "quarantine through %s", xc->lib);
	xc->state = PT_XC_READY;
	return 0;
}

void pt_xc_release(struct pt_xc *xc)
{
	if (xc->xch && xc->close)
		xc->close(xc->xch);
	if (xc->dl)
		dlclose(xc->dl);
	xc->xch = NULL;
	xc->dl = NULL;
	xc->open = NULL;
	xc->close = NULL;
	xc->assign = NULL;
	xc->deassign = NULL;
	xc->state = PT_XC_UNTRIED;
}

static int sbdf_of(const char *bdf, uint32_t *sbdf)
{
	struct xenpt_bdf b;

	if (xenpt_bdf_parse(bdf, &b) || xenpt_bdf_to_sbdf(&b, sbdf))
		return -EINVAL;
	return 0;
}

int pt_quarantine(const struct xenpt_ctx *ctx, struct pt_xc *xc,
		  const char *bdf)
{
	uint32_t sbdf;
	int err;

	err = pt_xc_ready(ctx, xc, LOG_ERR);
	if (err)
		return err;	/* 1: not Xen */
	err = sbdf_of(bdf, &sbdf);
	if (err)
		return err;
	/* as libxl: DOMID_IO has no mappings, so RDM_RELAXED never denies */
	errno = 0;
	if (xc->assign(xc->xch, DOMID_IO, sbdf, DEV_RDM_RELAXED) < 0)
		return errno ? -errno : -EIO;
	pt_dbg(ctx, "%s: in Xen's quarantine (DOMID_IO)", bdf);
	return 0;
}

int pt_dequarantine(const struct xenpt_ctx *ctx, struct pt_xc *xc,
		    const char *bdf)
{
	uint32_t sbdf;
	int err;

	if (xc->state != PT_XC_READY)
		return xc->state == PT_XC_NO_XEN ? 1 : xc->state < 0 ? xc->state : -EINVAL;
	err = sbdf_of(bdf, &sbdf);
	if (err)
		return err;
	errno = 0;
	if (xc->deassign(xc->xch, DOMID_IO, sbdf) < 0) {
		/* Xen: not assigned to DOMID_IO, so not quarantined */
		if (errno == ENODEV) {
			pt_dbg(ctx, "%s: was not in Xen's quarantine", bdf);
			return 1;
		}
		return errno ? -errno : -EIO;
	}
	pt_dbg(ctx, "%s: out of Xen's quarantine", bdf);
	return 0;
}
