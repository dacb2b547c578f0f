// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Which other devices a device is not isolated from: the devices whose DMA
 * the IOMMU cannot tell from its own, or that can reach it peer to peer
 * without the IOMMU seeing.  A guest given one of them can reach the
 * others.
 *
 * Where Linux runs the IOMMU, the kernel has worked it out: the device's
 * IOMMU group (/sys/kernel/iommu_groups).  In a Xen dom0 it does not (the
 * IOMMU is Xen's): no groups at all.  Then it is worked out here from the
 * topology, as the kernel's pci_device_group() does for VFIO (the facts,
 * not its code): going up from the device,
 *  - a conventional PCI bridge or a PCIe-to-PCI/PCI-X bridge: the devices
 *    below it share its requester ID (the IOMMU sees them as one);
 *  - a PCIe root port or downstream port without ACS (source validation,
 *    P2P request and completion redirect, upstream forwarding: those of
 *    them it implements) enabled: the devices below it reach each other
 *    directly;
 * and at the top of that, the other functions of a multi-function device
 * without ACS (and what hangs below them).  Upstream ports need no ACS.
 * Where config space cannot be read far enough to tell (an unprivileged
 * reader sees 64 bytes; a PCIe device whose extended config space the
 * kernel cannot reach shows 256), the devices it concerns are reported as
 * "unsure" and the reason is given: isolation is not proven.  Device
 * specific DMA aliases (quirks) are not known here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include "internal.h"

static int add_peer(struct pt_isolation *iso, const char *name, const char *why,
		    bool unsure, bool dedupe)
{
	struct pt_peer *p;
	size_t i;

	if (dedupe)
		for (i = 0; i < iso->n; i++)
			if (!strcmp(iso->peers[i].name, name))
				return 0;
	p = realloc(iso->peers, (iso->n + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	iso->peers = p;
	p += iso->n++;
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->why, sizeof(p->why), "%s", why);
	p->unsure = unsure;
	return 0;
}

void pt_isolation_free(struct pt_isolation *iso)
{
	free(iso->peers);
	memset(iso, 0, sizeof(*iso));
}

/* The kernel's IOMMU group, when there is one: 1 and its peers; 0 none. */
static int group_peers(const struct xenpt_ctx *ctx, const char *name,
		       struct pt_isolation *iso)
{
	char path[PATH_MAX], grp[32], why[64];
	struct dirent **ents;
	int n, i, err = 0;

	if (pt_dev_path(ctx, name, "iommu_group", path, sizeof(path)) ||
	    pt_link_name(path, grp, sizeof(grp)) ||
	    pt_dev_path(ctx, name, "iommu_group/devices", path, sizeof(path)))
		return 0;
	n = scandir(path, &ents, NULL, alphasort);
	snprintf(why, sizeof(why), "is in the same IOMMU group (%s)", grp);
	for (i = 0; i < n; i++) {
		struct pt_addr a;
		char peer[XENPT_DEV_STRLEN];

		if (!err && !pt_addr_parse(ents[i]->d_name, &a) && !a.all_fns) {
			pt_addr_format(&a, peer, sizeof(peer));
			if (strcmp(peer, name) && !pt_kind_is_bridge(ctx, peer))
				err = add_peer(iso, peer, why, false, false);
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	return err ? err : 1;
}

/* The endpoints below a bridge's directory, but self. */
static int subtree_peers(const struct xenpt_ctx *ctx, const struct pt_dev *devs,
			 size_t ndev, const char *top_real, const char *self,
			 const char *why, bool unsure, struct pt_isolation *iso,
			 int *added)
{
	size_t i;
	int err;

	for (i = 0; i < ndev; i++) {
		if (!devs[i].real || !strcmp(devs[i].name, self) ||
		    !pt_path_below(devs[i].real, top_real) ||
		    pt_kind_is_bridge(ctx, devs[i].name))
			continue;
		err = add_peer(iso, devs[i].name, why, unsure, true);
		if (err)
			return err;
		(*added)++;
	}
	return 0;
}

static const char *real_of(const struct pt_dev *devs, size_t ndev, const char *name)
{
	size_t i;

	for (i = 0; i < ndev; i++)
		if (!strcmp(devs[i].name, name))
			return devs[i].real;
	return NULL;
}

/* Why a config space says too little, for the reason. */
static void unreadable(const char *name, const struct pt_config *c, bool ok,
		       char *buf, size_t size)
{
	if (!ok)
		snprintf(buf, size, "%s's config space cannot be read", name);
	else if (c->len < 256)
		snprintf(buf, size, "%s's config space cannot be read in full (%zu "
			 "bytes)", name, c->len);
	else
		snprintf(buf, size, "%s's extended config space (ACS) cannot be read",
			 name);
}

/*
 * The other functions of top's slot (and what hangs below them), unless
 * top's ACS isolates the functions from each other.  self: the device
 * asked about.
 */
static int function_peers(const struct xenpt_ctx *ctx, const struct pt_dev *devs,
			  size_t ndev, const char *top, const char *self,
			  struct pt_isolation *iso, bool dedupe)
{
	char sib[XENPT_DEV_STRLEN], why[192], cannot[160] = "";
	struct pt_config c;
	struct pt_addr a, s;
	enum pt_acs acs;
	unsigned int fn;
	bool unsure, ok;
	int err, added = 0;

	if (pt_addr_parse(top, &a) || pt_kind_is_vf(ctx, top))
		return 0;
	ok = !pt_config_read(ctx, top, &c);
	acs = ok ? pt_config_acs(&c, PT_ACS_ISOLATING) : PT_ACS_UNKNOWN;
	if (acs == PT_ACS_ENABLED)
		return 0;
	unsure = acs == PT_ACS_UNKNOWN;
	if (unsure)
		unreadable(top, &c, ok, cannot, sizeof(cannot));
	s = a;
	for (fn = 0; fn < 8; fn++) {
		const char *real;

		if (fn == a.fn)
			continue;
		s.fn = (uint8_t)fn;
		pt_addr_format(&s, sib, sizeof(sib));
		if (pt_dev_exists(ctx, sib) || pt_kind_is_vf(ctx, sib))
			continue;
		if (!pt_kind_is_bridge(ctx, sib) && strcmp(sib, self)) {
			if (!strcmp(top, self))
				snprintf(why, sizeof(why), "is another function of the "
					 "same device");
			else
				snprintf(why, sizeof(why), "is another function of the "
					 "same device as %s", top);
			err = add_peer(iso, sib, why, unsure, dedupe);
			if (err)
				return err;
			added++;
		}
		real = real_of(devs, ndev, sib);
		if (real) {
			snprintf(why, sizeof(why), "is below %s, another function of "
				 "the same device as %s", sib, top);
			err = subtree_peers(ctx, devs, ndev, real, self, why, unsure,
					    iso, &added);
			if (err)
				return err;
		}
	}
	if (unsure && added && !iso->unknown[0])
		snprintf(iso->unknown, sizeof(iso->unknown), "%s", cannot);
	return 0;
}

/*
 * What bridge b above the device makes of the devices below it: 1 and
 * why, when they are not isolated from each other (a requester ID they
 * share; a port without ACS; unsure: its config space cannot tell); 0
 * when they are, or b needs no ACS.
 */
static int boundary(const struct xenpt_ctx *ctx, const char *b, char *why,
		    size_t size, bool *unsure, char *cannot, size_t csize)
{
	struct pt_config c;
	enum pt_alias alias;
	const char *what;
	bool ok;
	int type;

	*unsure = false;
	alias = pt_kind_bridge_alias(ctx, b, &what);
	ok = !pt_config_read(ctx, b, &c);
	if (alias == PT_ALIAS_YES) {
		snprintf(why, size, "shares its requester ID (behind %s %s)", what, b);
		return 1;
	}
	if (alias == PT_ALIAS_NO) {
		type = pt_config_pcie_type(&c);
		if (type != PT_PCIE_ROOT_PORT && type != PT_PCIE_DOWNSTREAM)
			return 0;	/* upstream ports need no ACS */
		switch (pt_config_acs(&c, PT_ACS_ISOLATING)) {
		case PT_ACS_ENABLED:
			return 0;
		case PT_ACS_DISABLED:
			snprintf(why, size, "is below %s too, which has ACS but not "
				 "enabled", b);
			return 1;
		case PT_ACS_ABSENT:
			snprintf(why, size, "is below %s too, which has no ACS", b);
			return 1;
		case PT_ACS_UNKNOWN:
			break;
		}
	}
	*unsure = true;
	unreadable(b, &c, ok, cannot, csize);
	snprintf(why, size, "may reach it (below %s: %s)", b, cannot);
	return 1;
}

/* From the topology: each boundary above the device, nearest first (its
 * subtree's devices are peers), then the functions at the topmost. */
static int topology_peers(const struct xenpt_ctx *ctx, const struct pt_dev *devs,
			  size_t ndev, const char *name, struct pt_isolation *iso)
{
	char (*anc)[XENPT_DEV_STRLEN] = NULL, why[192], cannot[160];
	const char *top = name;
	size_t nanc = 0, i;
	int err;

	err = pt_dev_ancestors(ctx, name, &anc, &nanc);
	for (i = nanc; !err && i-- > 0;) {
		const char *real = real_of(devs, ndev, anc[i]);
		bool unsure;
		int added = 0;

		if (!real || !boundary(ctx, anc[i], why, sizeof(why), &unsure, cannot,
				       sizeof(cannot)))
			continue;
		top = anc[i];
		err = subtree_peers(ctx, devs, ndev, real, name, why, unsure, iso, &added);
		if (unsure && added && !iso->unknown[0])
			snprintf(iso->unknown, sizeof(iso->unknown), "%s", cannot);
	}
	if (!err)
		err = function_peers(ctx, devs, ndev, top, name, iso, true);
	free(anc);
	return err;
}

int pt_isolation_of(const struct xenpt_ctx *ctx, const char *name,
		     struct pt_isolation *iso)
{
	struct pt_dev *devs = NULL;
	size_t ndev = 0;
	int err;

	memset(iso, 0, sizeof(*iso));
	err = group_peers(ctx, name, iso);
	if (err >= 0) {
		iso->groups = err == 1;
		err = pt_devs_get(ctx, true, &devs, &ndev);
	}
	if (!err && iso->groups)
		err = function_peers(ctx, devs, ndev, name, name, iso, false);
	else if (!err)
		err = topology_peers(ctx, devs, ndev, name, iso);
	pt_devs_free(devs, ndev);
	if (err)
		pt_isolation_free(iso);
	return err;
}

int pt_isolation_peers(const struct xenpt_ctx *ctx, const char *bdf,
		 int (*fn)(void *data, const char *peer, const char *why),
		 void *data)
{
	struct pt_isolation iso;
	size_t i;
	int err;

	err = pt_isolation_of(ctx, bdf, &iso);
	for (i = 0; !err && i < iso.n; i++)
		err = fn(data, iso.peers[i].name, iso.peers[i].why);
	pt_isolation_free(&iso);
	return err;
}
