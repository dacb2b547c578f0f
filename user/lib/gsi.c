// SPDX-License-Identifier: LGPL-2.1-or-later
/* GSI lookup: upstream privcmd, privcmd-gsi, sysfs, then the irq where
 * (and only where) it is the GSI. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xen/privcmd-gsi.h>

#include "internal.h"

#define NODE_PRIVCMD	"xen/privcmd"
#define NODE_OURS	PRIVCMD_GSI_DEVICE_NAME

PT_EXPORT const char *xenpt_gsi_source_name(enum xenpt_gsi_source source)
{
	switch (source) {
	case XENPT_GSI_SRC_PRIVCMD:	return "privcmd";
	case XENPT_GSI_SRC_PRIVCMD_GSI:	return "privcmd-gsi";
	case XENPT_GSI_SRC_SYSFS:		return "sysfs";
	case XENPT_GSI_SRC_IRQ:		return "irq";
	case XENPT_GSI_SRC_NONE:		break;
	}
	return "none";
}

/* Opens a /dev/xen node: a descriptor or -errno. */
static int xen_open(const struct xenpt_ctx *ctx, const char *node, int flags)
{
	char path[PATH_MAX];
	int fd, err;

	err = pt_path(ctx, XENPT_DIR_DEV, path, sizeof(path), "/%s", node);
	if (err)
		return err;
	fd = open(path, flags | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	/* no node (module not loaded, no driver behind it): ENXIO, so that
	 * it is not taken for an answer such as ENOENT "GSI unknown" */
	if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
		return -ENXIO;
	return -errno;
}

PT_EXPORT int xenpt_guest_type(struct xenpt_ctx *ctx, enum xenpt_guest_type *type)
{
	char path[PATH_MAX], buf[32];
	int n;

	if (!ctx || !type)
		return -EINVAL;
	n = pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path),
		    "/hypervisor/guest_type");
	if (n)
		return n;
	n = pt_read_file(path, buf, sizeof(buf));
	if (n == -ENOENT) {
		*type = XENPT_GUEST_NONE;
		return 0;
	}
	if (n < 0)
		return n;
	if (!strcmp(buf, "PV"))
		*type = XENPT_GUEST_PV;
	else if (!strcmp(buf, "PVH"))
		*type = XENPT_GUEST_PVH;
	else if (!strcmp(buf, "HVM"))
		*type = XENPT_GUEST_HVM;
	else
		*type = XENPT_GUEST_UNKNOWN;
	return 0;
}

/* One ioctl on a freshly opened node: 0 or -errno. */
int pt_xen_ioctl(const struct xenpt_ctx *ctx, const char *node, unsigned long req,
		 void *arg)
{
	int fd, err;

	fd = xen_open(ctx, node, O_RDWR);
	if (fd < 0)
		return fd;
	err = ioctl(fd, req, arg) < 0 ? -errno : 0;
	close(fd);
	return err;
}

/* IOCTL_PRIVCMD_PCIDEV_GET_GSI on a node: 0 and *gsi, or -errno. */
static int get_gsi_ioctl(const struct xenpt_ctx *ctx, const char *node,
			 uint32_t sbdf, uint32_t *gsi)
{
	struct privcmd_pcidev_get_gsi arg = { .sbdf = sbdf, .gsi = 0 };
	int err;

	err = pt_xen_ioctl(ctx, node, IOCTL_PRIVCMD_PCIDEV_GET_GSI, &arg);
	if (!err)
		*gsi = arg.gsi;
	return err;
}

/* The sysfs gsi file of privcmd-gsi. */
static int get_gsi_sysfs(const struct xenpt_ctx *ctx, const char *bdf,
			 uint32_t *gsi)
{
	char path[PATH_MAX];
	unsigned long v;
	int err;

	err = pt_dev_path(ctx, bdf, "gsi", path, sizeof(path));
	if (err)
		return err;
	/* no file: module not loaded (ENXIO here); a file whose read fails
	 * with ENOENT: the module does not know the GSI */
	if (!pt_exists(path))
		return -ENXIO;
	err = pt_read_uint(path, 10, &v);
	if (err)
		return err;
	if (v > UINT32_MAX)
		return -ERANGE;
	*gsi = (uint32_t)v;
	return 0;
}

/* Outcome of the sources, for the final error. */
struct attempt {
	int privcmd, ours, sysfs;	/* -errno of each, 1 not tried */
	bool sysfs_file;		/* the gsi file exists */
};

static bool irq_is_gsi(enum xenpt_guest_type t)
{
	return t == XENPT_GUEST_NONE || t == XENPT_GUEST_PV;
}

/* A lookup's failure: its errno, the reason, the priority the 1.0 calls
 * log it at.  Returns err. */
static int answer(struct pt_gsi_answer *a, int err, int prio, const char *fmt, ...)
	PT_PRINTF(4, 5);
static int answer(struct pt_gsi_answer *a, int err, int prio, const char *fmt, ...)
{
	va_list ap;

	a->err = err;
	a->prio = prio;
	va_start(ap, fmt);
	vsnprintf(a->reason, sizeof(a->reason), fmt, ap);
	va_end(ap);
	return err;
}

static int found(struct pt_gsi_answer *a, uint32_t gsi, enum xenpt_gsi_source src)
{
	a->err = 0;
	a->gsi = gsi;
	a->src = src;
	a->reason[0] = '\0';
	return 0;
}

/* The error when no source answered on a PVH (or unknown) dom0. */
static int no_source(const struct attempt *t, struct pt_gsi_answer *a, int unknown,
		     const char *unknown_why)
{
	/*
	 * privcmd-gsi answered that it does not know: trust it.  Its ABI 1.0
	 * said ENOENT for that, 1.1 says ENODATA; a device without a pin
	 * never gets here.
	 */
	if (t->ours == -ENODATA || t->sysfs == -ENODATA ||
	    t->ours == -ENOENT || t->sysfs == -ENOENT)
		return answer(a, unknown, LOG_INFO, "%s", unknown_why);
	if (t->ours == -EACCES || t->ours == -EPERM)
		return answer(a, -EACCES, LOG_ERR, "cannot open /dev/" NODE_OURS
			      ": permission denied (needs CAP_SYS_ADMIN)");
	return answer(a, -ENOTSUP, LOG_ERR, "no GSI source on this PVH dom0 (the irq "
		      "is not the GSI): load the privcmd-gsi module (modprobe "
		      "privcmd-gsi), or use Linux >= 6.12 with the device on pciback");
}

int pt_gsi_lookup(const struct xenpt_ctx *ctx, uint32_t sbdf, struct pt_gsi_answer *a)
{
	struct attempt t = { 1, 1, 1, false };
	enum xenpt_guest_type type;
	char bdf[XENPT_BDF_STRLEN], ebuf[PT_ERRBUF];
	enum pt_irq_kind kind;
	struct xenpt_bdf b;
	unsigned long irq;
	uint8_t pin;
	uint32_t g = 0;
	int err;

	memset(a, 0, sizeof(*a));
	xenpt_sbdf_to_bdf(sbdf, &b);
	xenpt_bdf_format(&b, bdf, sizeof(bdf));
	if (pt_dev_exists(ctx, bdf))
		return answer(a, -ENODEV, LOG_DEBUG, "no such PCI device");
	/* no INTx pin: there is no GSI, whatever a source might say */
	if (pt_dev_pin(ctx, bdf, &pin) == 0 && pin == 0)
		return answer(a, -ENOENT, LOG_DEBUG, "no GSI: the device has no INTx pin");
	/* a pin wired to nothing: no usable legacy interrupt either (the
	 * kernel says so only when ACPI had no route for it) */
	if (pt_dev_irq(ctx, bdf, &irq, &kind))
		kind = PT_IRQ_NONE;
	if (kind == PT_IRQ_NOT_CONNECTED)
		return answer(a, -ENOENT, LOG_ERR, "no GSI: its INTx pin is not connected "
			      "(irq file %lu%s)", irq, irq & PT_IRQ_NOTCONNECTED ?
			      ", IRQ_NOTCONNECTED" : ", Interrupt Line 0xff");

	/* Linux >= 6.12; ENOTTY: older kernel; ENODEV: not on pciback */
	t.privcmd = err = get_gsi_ioctl(ctx, NODE_PRIVCMD, sbdf, &g);
	if (!err)
		return found(a, g, XENPT_GSI_SRC_PRIVCMD);
	pt_dbg(ctx, "%s: /dev/" NODE_PRIVCMD ": %d", bdf, err);

	t.ours = err = get_gsi_ioctl(ctx, NODE_OURS, sbdf, &g);
	if (!err)
		return found(a, g, XENPT_GSI_SRC_PRIVCMD_GSI);
	pt_dbg(ctx, "%s: /dev/" NODE_OURS ": %d", bdf, err);

	t.sysfs = err = get_gsi_sysfs(ctx, bdf, &g);
	if (!err)
		return found(a, g, XENPT_GSI_SRC_SYSFS);
	pt_dbg(ctx, "%s: sysfs gsi: %d", bdf, err);

	err = xenpt_guest_type((struct xenpt_ctx *)ctx, &type);
	if (err)
		return answer(a, err, LOG_ERR, "cannot tell the guest type: %s",
			      pt_serr(-err, ebuf));
	if (!irq_is_gsi(type))
		return no_source(&t, a, -ENODATA, "GSI not known: no ACPI route to it, "
				 "and it was never enabled");

	/* the irq is the GSI only when it is the routed INTx line; an irq
	 * file that cannot be read or parsed says nothing of the GSI */
	err = pt_dev_irq(ctx, bdf, &irq, &kind);
	if (err)
		return answer(a, -ENODATA, LOG_DEBUG, "GSI not known: its irq file "
			      "cannot be read (%s)", pt_serr(-err, ebuf));
	switch (kind) {
	case PT_IRQ_INTX:
		break;
	case PT_IRQ_MSI:
		return answer(a, -ENODATA, LOG_ERR, "GSI not known: the irq file holds "
			      "an MSI interrupt (irq %lu), not INTx: a dom0 driver "
			      "enabled MSI; load privcmd-gsi, or unbind the driver", irq);
	case PT_IRQ_BEYOND:
		return answer(a, -ENODATA, LOG_ERR, "GSI not known: irq %lu is not a "
			      "legacy INTx line (1..%lu)", irq, PT_INTX_IRQ_MAX);
	default:
		return answer(a, -ENODATA, LOG_DEBUG, "GSI not known: its INTx is not "
			      "routed (irq %lu)", irq);
	}
	return found(a, (uint32_t)irq, XENPT_GSI_SRC_IRQ);
}

PT_EXPORT int xenpt_gsi_from_sbdf(struct xenpt_ctx *ctx, uint32_t sbdf,
				  uint32_t *gsi, enum xenpt_gsi_source *source)
{
	struct pt_gsi_answer a;
	char bdf[XENPT_BDF_STRLEN];
	struct xenpt_bdf b;

	if (!ctx || !gsi)
		return -EINVAL;
	if (source)
		*source = XENPT_GSI_SRC_NONE;
	if (pt_gsi_lookup(ctx, sbdf, &a)) {
		xenpt_sbdf_to_bdf(sbdf, &b);
		xenpt_bdf_format(&b, bdf, sizeof(bdf));
		pt_logp(ctx, a.prio, "%s: %s", bdf, a.reason);
		return a.err;
	}
	*gsi = a.gsi;
	if (source)
		*source = a.src;
	return 0;
}

/* Whether xen-pciback's driver is registered, and the device bound to it. */
static int pciback_state(const struct xenpt_ctx *ctx, const char *bdf,
			 bool *loaded, bool *bound)
{
	char path[PATH_MAX], drv[XENPT_DRIVER_MAX];
	int err;

	err = pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path),
		      "/bus/pci/drivers/" PCIBACK);
	if (err)
		return err;
	*loaded = pt_exists(path);
	*bound = false;
	err = pt_dev_path(ctx, bdf, "driver", path, sizeof(path));
	if (err)
		return err;
	*bound = !pt_link_name(path, drv, sizeof(drv)) && !strcmp(drv, PCIBACK);
	return 0;
}

PT_EXPORT int xenpt_privcmd_get_gsi(struct xenpt_ctx *ctx, uint32_t sbdf,
				    uint32_t *gsi)
{
	char bdf[XENPT_BDF_STRLEN];
	bool loaded, bound;
	struct xenpt_bdf b;
	int err;

	if (!ctx || !gsi)
		return -EINVAL;
	xenpt_sbdf_to_bdf(sbdf, &b);
	xenpt_bdf_format(&b, bdf, sizeof(bdf));
	err = pciback_state(ctx, bdf, &loaded, &bound);
	if (err)
		return err;
	if (!loaded)
		return -EOPNOTSUPP;
	if (pt_dev_exists(ctx, bdf) || !bound)
		return -ENODEV;
	err = xenpt_gsi_from_sbdf(ctx, sbdf, gsi, NULL);
	/* no source on a PVH dom0: a pin whose GSI cannot be known here */
	return err == -ENOTSUP ? -ENODATA : err;
}

static int irq_to_gsi_ours(const struct xenpt_ctx *ctx, uint32_t irq,
			   uint32_t *gsi)
{
	struct privcmd_gsi_irq_to_gsi arg = { .irq = irq };
	int err;

	err = pt_xen_ioctl(ctx, NODE_OURS, PRIVCMD_GSI_IOCTL_IRQ_TO_GSI, &arg);
	if (!err)
		*gsi = arg.gsi;
	return err;
}

int pt_gsi_lookup_irq(const struct xenpt_ctx *ctx, uint32_t irq,
		      struct pt_gsi_answer *a)
{
	struct attempt t = { 1, 1, 1, false };
	char (*names)[XENPT_BDF_STRLEN] = NULL;
	char msi_of[XENPT_BDF_STRLEN] = "", ebuf[PT_ERRBUF];
	enum xenpt_guest_type type;
	size_t n = 0, i;
	uint32_t g = 0;
	int err;

	memset(a, 0, sizeof(*a));
	t.ours = err = irq_to_gsi_ours(ctx, irq, &g);
	if (!err)
		return found(a, g, XENPT_GSI_SRC_PRIVCMD_GSI);
	pt_dbg(ctx, "irq %u: /dev/" NODE_OURS ": %d", irq, err);

	/* The devices using this irq: their GSI by the per-device sources.
	 * An irq that is a device's MSI irq is no GSI at all. */
	err = pt_dev_names(ctx, &names, &n);
	if (err && err != -ENOENT)
		return answer(a, err, LOG_ERR, "cannot list PCI devices: %s",
			      pt_serr(-err, ebuf));
	for (i = 0; i < n; i++) {
		enum pt_irq_kind kind;
		enum xenpt_gsi_source src;
		unsigned long v;
		uint32_t sbdf;
		struct xenpt_bdf b;
		int e;

		if (pt_dev_msi_irq(ctx, names[i], irq)) {
			if (!msi_of[0])
				snprintf(msi_of, sizeof(msi_of), "%s", names[i]);
			continue;
		}
		if (pt_dev_irq(ctx, names[i], &v, &kind) || v != irq ||
		    kind != PT_IRQ_INTX)
			continue;	/* not this irq, or not as an INTx */
		xenpt_bdf_parse(names[i], &b);
		xenpt_bdf_to_sbdf(&b, &sbdf);
		src = XENPT_GSI_SRC_PRIVCMD;
		e = get_gsi_ioctl(ctx, NODE_PRIVCMD, sbdf, &g);
		if (e) {
			src = XENPT_GSI_SRC_SYSFS;
			e = get_gsi_sysfs(ctx, names[i], &g);
		}
		if (!e) {
			free(names);
			return found(a, g, src);
		}
		if (e == -ENOENT)
			t.sysfs = e;
	}
	free(names);
	if (msi_of[0])
		return answer(a, -ENOENT, LOG_ERR, "an MSI interrupt of %s, not a GSI",
			      msi_of);

	err = xenpt_guest_type((struct xenpt_ctx *)ctx, &type);
	if (err)
		return answer(a, err, LOG_ERR, "cannot tell the guest type: %s",
			      pt_serr(-err, ebuf));
	/* an irq that maps to no known GSI: ENOENT, "no such mapping" */
	if (!irq_is_gsi(type))
		return no_source(&t, a, -ENOENT, "not mapped to a GSI");
	/* the irq itself, but only as a legacy INTx line */
	if (irq == 0 || irq > PT_INTX_IRQ_MAX)
		return answer(a, -ENOENT, LOG_ERR, "not a legacy INTx line (1..%lu): "
			      "no GSI%s", PT_INTX_IRQ_MAX, irq & PT_IRQ_NOTCONNECTED ?
			      " (IRQ_NOTCONNECTED: a pin wired to nothing)" : "");
	return found(a, irq, XENPT_GSI_SRC_IRQ);
}

PT_EXPORT int xenpt_gsi_from_irq(struct xenpt_ctx *ctx, uint32_t irq,
				 uint32_t *gsi, enum xenpt_gsi_source *source)
{
	struct pt_gsi_answer a;

	if (!ctx || !gsi)
		return -EINVAL;
	if (source)
		*source = XENPT_GSI_SRC_NONE;
	if (pt_gsi_lookup_irq(ctx, irq, &a)) {
		pt_logp(ctx, a.prio, "irq %u: %s", irq, a.reason);
		return a.err;
	}
	*gsi = a.gsi;
	if (source)
		*source = a.src;
	return 0;
}
