// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What a PCI function is, which decides whether a guest can be given it
 * and how: only endpoints (never a host bridge, a PCI bridge or PCIe port,
 * nor an ISA/LPC, CardBus or other bridge: what hangs below them stays
 * dom0's, and the chipset with it); only functions with an SBDF (Linux
 * numbers the domains behind an Intel VMD controller itself, from 10000:
 * Xen cannot name those); and, for the layout and for isolation: the
 * functions of a multi-function device (one guest slot), SR-IOV virtual
 * functions (independent: each its own slot), devices behind a PCI or
 * PCIe-to-PCI/PCI-X bridge (their DMA carries the bridge's requester ID,
 * so they go together or not at all).
 *
 * Evidence: the class file, the config space (header type, PCI Express
 * capability), physfn and virtfnN links, the parent directories in sysfs.
 * Class codes from the PCI Code and ID Assignment Specification.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct bridge_class {
	unsigned int sub;		/* class >> 8 */
	enum xenpt_dev_kind kind;
	const char *what;
};

static const struct bridge_class bridge_classes[] = {
	{ 0x0600, XENPT_KIND_HOST_BRIDGE, "a host bridge" },
	{ 0x0601, XENPT_KIND_OTHER_BRIDGE, "an ISA bridge" },
	{ 0x0602, XENPT_KIND_OTHER_BRIDGE, "an EISA bridge" },
	{ 0x0603, XENPT_KIND_OTHER_BRIDGE, "a MicroChannel bridge" },
	{ 0x0604, XENPT_KIND_BRIDGE, "a PCI bridge" },
	{ 0x0605, XENPT_KIND_OTHER_BRIDGE, "a PCMCIA bridge" },
	{ 0x0606, XENPT_KIND_OTHER_BRIDGE, "a NuBus bridge" },
	{ 0x0607, XENPT_KIND_OTHER_BRIDGE, "a CardBus bridge" },
	{ 0x0608, XENPT_KIND_OTHER_BRIDGE, "a RACEway bridge" },
	{ 0x0609, XENPT_KIND_BRIDGE, "a semi-transparent PCI-to-PCI bridge" },
	{ 0x060a, XENPT_KIND_OTHER_BRIDGE, "an InfiniBand-to-PCI host bridge" },
	{ 0x060b, XENPT_KIND_OTHER_BRIDGE, "an Advanced Switching-to-PCI host bridge" },
};

static const char *const pcie_ports[] = {
	[PT_PCIE_ROOT_PORT] = "a PCI Express root port",
	[PT_PCIE_UPSTREAM] = "a PCI Express upstream port",
	[PT_PCIE_DOWNSTREAM] = "a PCI Express downstream port",
	[PT_PCIE_TO_PCI] = "a PCI Express-to-PCI/PCI-X bridge",
	[PT_PCIE_FROM_PCI] = "a PCI/PCI-X-to-PCI Express bridge",
};

int pt_kind_class(const struct xenpt_ctx *ctx, const char *name, uint32_t *class_code)
{
	char path[PATH_MAX];
	unsigned long v;
	int err;

	err = pt_dev_path(ctx, name, "class", path, sizeof(path));
	if (!err)
		err = pt_read_uint(path, 16, &v);
	if (!err)
		*class_code = (uint32_t)v & 0xffffff;
	return err;
}

bool pt_kind_is_vf(const struct xenpt_ctx *ctx, const char *name)
{
	char path[PATH_MAX];

	return !pt_dev_path(ctx, name, "physfn", path, sizeof(path)) && pt_exists(path);
}

/* Not an endpoint: what it is ("a PCI bridge (class 0604)"), its kind. */
static enum xenpt_dev_kind non_endpoint(uint32_t class_code, const struct pt_config *c,
					char *what, size_t size)
{
	int hdr = c ? pt_config_header_type(c) : -1;
	int type = c ? pt_config_pcie_type(c) : PT_PCIE_UNKNOWN;
	size_t i;

	for (i = 0; i < sizeof(bridge_classes) / sizeof(bridge_classes[0]); i++)
		if (class_code >> 8 == bridge_classes[i].sub) {
			snprintf(what, size, "%s (class %04x)", bridge_classes[i].what,
				 class_code >> 8);
			return bridge_classes[i].kind;
		}
	if (hdr == 1) {
		snprintf(what, size, "a PCI-to-PCI bridge (header type 1)");
		return XENPT_KIND_BRIDGE;
	}
	if (hdr == 2) {
		snprintf(what, size, "a CardBus bridge (header type 2)");
		return XENPT_KIND_OTHER_BRIDGE;
	}
	if (type >= 0 && (size_t)type < sizeof(pcie_ports) / sizeof(pcie_ports[0]) &&
	    pcie_ports[type]) {
		snprintf(what, size, "%s", pcie_ports[type]);
		return XENPT_KIND_BRIDGE;
	}
	return XENPT_KIND_ENDPOINT;
}

bool pt_kind_is_bridge(const struct xenpt_ctx *ctx, const char *name)
{
	struct pt_config c;
	uint32_t cls = 0;
	char what[128];
	bool have_cfg;

	if (pt_kind_class(ctx, name, &cls))
		return false;
	have_cfg = !pt_config_read(ctx, name, &c);
	return non_endpoint(cls, have_cfg ? &c : NULL, what, sizeof(what)) !=
	       XENPT_KIND_ENDPOINT;
}

enum pt_alias pt_kind_bridge_alias(const struct xenpt_ctx *ctx, const char *name,
			      const char **what)
{
	struct pt_config c;
	uint32_t cls = 0;
	int type, hdr;

	*what = "";
	if (pt_kind_class(ctx, name, &cls) || pt_config_read(ctx, name, &c))
		return PT_ALIAS_UNKNOWN;
	type = pt_config_pcie_type(&c);
	hdr = pt_config_header_type(&c);
	if (type == PT_PCIE_TO_PCI) {
		*what = "PCIe-to-PCI bridge";
		return PT_ALIAS_YES;
	}
	if (hdr != 1 && cls >> 8 != 0x0604 && cls >> 8 != 0x0609)
		return PT_ALIAS_NO;		/* not a PCI-to-PCI bridge */
	if (type == PT_PCIE_NONE) {
		*what = "PCI bridge";		/* conventional: no PCIe below */
		return PT_ALIAS_YES;
	}
	return type == PT_PCIE_UNKNOWN ? PT_ALIAS_UNKNOWN : PT_ALIAS_NO;
}

void pt_kind_no_sbdf_reason(const struct xenpt_ctx *ctx, const char *name,
		       const struct pt_addr *a, char *buf, size_t size)
{
	char (*anc)[XENPT_DEV_STRLEN] = NULL, drv[XENPT_DRIVER_MAX] = "";
	char why[192] = "(a domain Linux numbers itself, no PCI segment)";
	size_t n = 0, i;

	if (!pt_dev_ancestors(ctx, name, &anc, &n)) {
		for (i = n; i-- > 0;) {
			struct pt_addr up;

			if (pt_addr_parse(anc[i], &up) || up.domain > 0xffff)
				continue;
			if (!pt_dev_driver(ctx, anc[i], drv, sizeof(drv)) &&
			    !strcmp(drv, "vmd"))
				snprintf(why, sizeof(why), "(Linux numbers the domain of "
					 "the devices behind the VMD controller %s "
					 "itself; their DMA carries its requester ID)",
					 anc[i]);
			else
				snprintf(why, sizeof(why), "(a domain Linux numbers "
					 "itself, behind %s)", anc[i]);
			break;
		}
		free(anc);
	}
	snprintf(buf, size, "no SBDF: domain %x is above ffff %s, and Xen's SBDF, "
		 "as the GSI ABI's, has 16 bits of segment", a->domain, why);
}

/* Another function of the same slot that is not a VF exists. */
static bool has_sibling_function(const struct xenpt_ctx *ctx, const struct pt_addr *a)
{
	struct pt_addr s = *a;
	char name[XENPT_DEV_STRLEN];
	unsigned int fn;

	for (fn = 0; fn < 8; fn++) {
		if (fn == a->fn)
			continue;
		s.fn = (uint8_t)fn;
		pt_addr_format(&s, name, sizeof(name));
		if (!pt_dev_exists(ctx, name) && !pt_kind_is_vf(ctx, name))
			return true;
	}
	return false;
}

static bool has_vfs(const struct xenpt_ctx *ctx, const char *name)
{
	char path[PATH_MAX];

	return !pt_dev_path(ctx, name, "virtfn0", path, sizeof(path)) && pt_exists(path);
}

int pt_kind_of(const struct xenpt_ctx *ctx, const char *name,
		struct xenpt_device_kind *k)
{
	char (*anc)[XENPT_DEV_STRLEN] = NULL, path[PATH_MAX], what[128];
	struct pt_config c;
	struct pt_addr a;
	uint32_t cls = 0;
	size_t n = 0, i;
	int err;

	memset(k, 0, sizeof(*k));
	if (pt_addr_parse(name, &a) || a.all_fns)
		return -EINVAL;
	err = pt_dev_exists(ctx, name);
	if (err)
		return err;
	if (a.domain > 0xffff) {
		k->kind = XENPT_KIND_NO_SBDF;
		pt_kind_no_sbdf_reason(ctx, name, &a, k->reason, sizeof(k->reason));
		return 0;
	}
	pt_kind_class(ctx, name, &cls);
	k->kind = non_endpoint(cls, pt_config_read(ctx, name, &c) ? NULL : &c,
			       what, sizeof(what));
	if (k->kind != XENPT_KIND_ENDPOINT) {
		snprintf(k->reason, sizeof(k->reason), "%s, not an endpoint: it "
			 "cannot be passed through", what);
		return 0;
	}
	if (pt_kind_is_vf(ctx, name)) {
		k->flags |= XENPT_KIND_VF;
		if (!pt_dev_path(ctx, name, "physfn", path, sizeof(path)))
			pt_link_name(path, k->pf, sizeof(k->pf));
	} else if (has_sibling_function(ctx, &a)) {
		k->flags |= XENPT_KIND_MULTIFUNCTION;
	}
	if (has_vfs(ctx, name))
		k->flags |= XENPT_KIND_SRIOV_PF;
	/* the topmost bridge above that makes requester IDs shared */
	if (!pt_dev_ancestors(ctx, name, &anc, &n)) {
		for (i = 0; i < n; i++) {
			const char *w;

			if (pt_kind_bridge_alias(ctx, anc[i], &w) == PT_ALIAS_YES) {
				k->flags |= XENPT_KIND_SHARED_RID;
				snprintf(k->rid_bridge, sizeof(k->rid_bridge), "%s", anc[i]);
				break;
			}
		}
		free(anc);
	}
	return 0;
}

PT_EXPORT int xenpt_device_kind(struct xenpt_ctx *ctx, const char *dev,
				struct xenpt_device_kind *kind)
{
	char name[XENPT_DEV_STRLEN];
	struct pt_addr a;

	if (!ctx || !dev || !kind || pt_addr_parse(dev, &a) || a.all_fns)
		return -EINVAL;
	pt_addr_format(&a, name, sizeof(name));
	return pt_kind_of(ctx, name, kind);
}

PT_EXPORT const char *xenpt_dev_kind_name(enum xenpt_dev_kind kind)
{
	switch (kind) {
	case XENPT_KIND_ENDPOINT:	return "endpoint";
	case XENPT_KIND_HOST_BRIDGE:	return "host bridge";
	case XENPT_KIND_BRIDGE:		return "bridge";
	case XENPT_KIND_OTHER_BRIDGE:	return "other bridge";
	case XENPT_KIND_NO_SBDF:	return "no SBDF";
	}
	return "unknown";
}
