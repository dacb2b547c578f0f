// SPDX-License-Identifier: GPL-2.0
/*
 * xenpt qemu-args [--permissive] SPEC...: QEMU -device arguments for
 * cold-plugged passed-through devices, laid out as libxl lays them out.
 *
 * SPEC is xl's PCI_SPEC_STRING (xl-pci-configuration(5)):
 *     [DDDD:]BB:DD.F[@VSLOT][,KEY=VALUE...]    or    KEY=VALUE[,KEY=VALUE...]
 * keys bdf, vslot (hex), name (instead of bdf: a name from assignable-add
 * -n), permissive, msitranslate, seize, power_mgmt (0|1), rdm_policy
 * (strict|relaxed); each at most once; an empty value is the default.
 *
 * Layout (libxl__device_pci_add and friends): the functions of one host
 * slot go in one guest slot, each keeping its function number, function 0
 * with multifunction on (QEMU refuses other functions in a slot whose
 * function 0 is single-function); a lone function is function 0 of its
 * guest slot (a guest sees no slot without function 0).  The guest slot is
 * the VSLOT given; without one, a lone function gets no addr (QEMU picks,
 * as libxl leaves it), and a multi-function slot gets the highest free
 * slot from 1f down (QEMU fills free slots from the lowest up, so the two
 * never meet).  SR-IOV virtual functions are no multi-function device:
 * each is a lone function, its own guest slot.  Output: functions in the
 * order given, a slot's together, function 0 first.
 *
 * Only endpoints can be passed through: a bridge or port (even one that
 * another tool put on pciback) or a device without an SBDF (a domain above
 * ffff, behind Intel VMD) is refused with the reason.  Devices that share
 * a requester ID (behind one PCI or PCIe-to-PCI bridge) go to one guest:
 * a warning names those left out.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

#define SPEC_SYNTAX "[DDDD:]BB:DD.F[@VSLOT][,KEY=VALUE...]"

struct spec {
	const char *arg;
	struct xenpt_bdf bdf;
	bool have_bdf;
	char beyond[XENPT_DEV_STRLEN];	/* an address without an SBDF */
	const char *name;	/* name=, points into the copy */
	int vslot;		/* -1: none */
	int permissive, msitranslate, seize, power_mgmt;	/* -1 unset */
	int rdm_policy;		/* -1 unset, 0 strict, 1 relaxed */
	char *copy;
};

/* One function to pass through. */
struct fn {
	struct xenpt_bdf bdf;
	const struct spec *spec;
	bool vf;		/* an SR-IOV VF: a slot of its own */
	int group;
	int vfn;		/* guest function */
};

struct group {
	struct xenpt_bdf slot;	/* host slot (fn 0) */
	bool vf;		/* a VF's own slot */
	int vslot;		/* -1: QEMU picks (lone function only) */
	int nfn;
	bool has_fn0;
};

static int spec_error(const struct spec *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int spec_error(const struct spec *s, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return cli_usage_error("%s: invalid PCI spec: %s (expected " SPEC_SYNTAX ")",
			       s->arg, why);
}

static int parse_vslot(const struct spec *s, const char *v, int *vslot)
{
	char *end;
	unsigned long x;

	if (!*v) {
		*vslot = -1;	/* empty: the default */
		return 0;
	}
	if (!strncmp(v, "0x", 2) || !strncmp(v, "0X", 2))
		v += 2;
	x = strtoul(v, &end, 16);
	if (!*v || *end || *v == '-' || *v == '+' || *v == ' ' || x > 0x1f)
		return spec_error(s, "vslot '%s' is not a slot number in hex, 1..1f", v);
	if (x == 0)
		return spec_error(s, "vslot 0 is the guest's host bridge");
	*vslot = (int)x;
	return 0;
}

static int parse_bool(const struct spec *s, const char *key, const char *v, int *out)
{
	if (!*v)
		*out = -1;
	else if (!strcmp(v, "0") || !strcmp(v, "1"))
		*out = v[0] - '0';
	else
		return spec_error(s, "%s=%s: 0 or 1", key, v);
	return 0;
}

/* One KEY=VALUE; seen: a bit per key, each at most once. */
static int parse_key(struct spec *s, char *kv, unsigned int *seen)
{
	static const char *const keys[] = { "bdf", "vslot", "permissive",
		"msitranslate", "seize", "power_mgmt", "rdm_policy", "name" };
	char *v = strchr(kv, '=');
	unsigned int k;

	if (!v)
		return spec_error(s, "'%s' is not KEY=VALUE (only the BDF comes "
				  "without a key, first)", kv);
	*v++ = '\0';
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (!strcmp(kv, keys[k]))
			break;
	if (k == sizeof(keys) / sizeof(keys[0]))
		return spec_error(s, "unknown key '%s' (bdf, vslot, permissive, "
				  "msitranslate, seize, power_mgmt, rdm_policy, name)", kv);
	if (*seen & (1U << k))
		return spec_error(s, "%s given twice", kv);
	*seen |= 1U << k;
	switch (k) {
	case 0:
		if (xenpt_bdf_parse(v, &s->bdf) &&
		    xenpt_dev_name(v, s->beyond, sizeof(s->beyond)) < 0)
			return spec_error(s, "bdf=%s: not a BDF", v);
		s->have_bdf = true;
		return 0;
	case 1:
		return parse_vslot(s, v, &s->vslot);
	case 2:
		return parse_bool(s, kv, v, &s->permissive);
	case 3:
		return parse_bool(s, kv, v, &s->msitranslate);
	case 4:
		return parse_bool(s, kv, v, &s->seize);
	case 5:
		return parse_bool(s, kv, v, &s->power_mgmt);
	case 6:
		if (!*v)
			s->rdm_policy = -1;
		else if (!strcmp(v, "strict"))
			s->rdm_policy = 0;
		else if (!strcmp(v, "relaxed"))
			s->rdm_policy = 1;
		else
			return spec_error(s, "rdm_policy=%s: strict or relaxed", v);
		return 0;
	default:
		if (xenpt_name_check(v))
			return spec_error(s, "name=%s: not a name", v);
		s->name = v;
		return 0;
	}
}

/* 0, or an exit code after a message. */
static int parse_spec(const char *arg, struct spec *s)
{
	unsigned int seen = 0;
	char *tok, *next;
	int err;

	memset(s, 0, sizeof(*s));
	s->arg = arg;
	s->vslot = s->permissive = s->msitranslate = s->seize = -1;
	s->power_mgmt = s->rdm_policy = -1;
	s->copy = strdup(arg);
	if (!s->copy)
		return EXIT_FAIL;
	if (!*s->copy)
		return spec_error(s, "empty");
	for (tok = s->copy; tok; tok = next) {
		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		if (!*tok)
			return spec_error(s, "empty field");
		if (tok == s->copy && !strchr(tok, '=')) {
			/* the positional BDF, and its @VSLOT */
			char *at = strchr(tok, '@');

			if (at)
				*at++ = '\0';
			if (xenpt_bdf_parse(tok, &s->bdf) &&
			    xenpt_dev_name(tok, s->beyond, sizeof(s->beyond)) < 0)
				return spec_error(s, "'%s' is not a BDF", tok);
			s->have_bdf = true;
			seen |= 1U << 0;
			if (at) {
				err = parse_vslot(s, at, &s->vslot);
				if (err)
					return err;
				if (s->vslot < 0)
					return spec_error(s, "nothing after '@'");
				seen |= 1U << 1;
			}
			continue;
		}
		err = parse_key(s, tok, &seen);
		if (err)
			return err;
	}
	if (s->have_bdf == !!s->name)
		return spec_error(s, s->name ? "bdf and name both given" :
				  "no bdf (or name)");
	return 0;
}

static bool same_slot(const struct xenpt_bdf *a, const struct xenpt_bdf *b)
{
	return a->domain == b->domain && a->bus == b->bus && a->dev == b->dev;
}

static void slot_name(const struct xenpt_bdf *b, char *buf, size_t size)
{
	snprintf(buf, size, "%04x:%02x:%02x", b->domain, b->bus, b->dev);
}

/* The functions of the specs, grouped by host slot, with guest
 * addresses: 0, or an exit code after a message. */
static int layout(struct fn *fns, size_t nfn, struct group *groups, size_t *ngroups)
{
	bool used[32] = { false };
	size_t i, g, n = 0;
	int slot = 0x1f;

	used[0] = true;		/* the guest's host bridge */
	for (i = 0; i < nfn; i++) {
		int vs = fns[i].spec->vslot;

		for (g = 0; g < n; g++)
			if (!fns[i].vf && !groups[g].vf &&
			    same_slot(&groups[g].slot, &fns[i].bdf))
				break;
		if (g == n) {
			memset(&groups[n], 0, sizeof(groups[n]));
			groups[n].slot = fns[i].bdf;
			groups[n].slot.fn = 0;
			groups[n].vf = fns[i].vf;
			groups[n].vslot = -1;
			n++;
		}
		fns[i].group = (int)g;
		groups[g].nfn++;
		groups[g].has_fn0 |= fns[i].bdf.fn == 0;
		if (vs >= 0) {
			char sn[16];

			slot_name(&groups[g].slot, sn, sizeof(sn));
			if (groups[g].vslot >= 0 && groups[g].vslot != vs)
				return cli_usage_error("%s: its functions are given vslots "
						       "%x and %x: a slot's functions "
						       "share one guest slot", sn,
						       groups[g].vslot, vs);
			groups[g].vslot = vs;
		}
	}
	for (g = 0; g < n; g++) {
		char sn[16], other[16];
		size_t h;

		if (groups[g].vslot < 0)
			continue;
		slot_name(&groups[g].slot, sn, sizeof(sn));
		for (h = 0; h < g; h++)
			if (groups[h].vslot == groups[g].vslot) {
				slot_name(&groups[h].slot, other, sizeof(other));
				return cli_usage_error("vslot %x is given to both %s and %s",
						       groups[g].vslot, other, sn);
			}
		used[groups[g].vslot] = true;
		if (groups[g].nfn > 1 && !groups[g].has_fn0)
			return cli_usage_error("%s: functions without function 0: a "
					       "guest sees no function of a slot "
					       "without function 0 (give %s.0 too)",
					       sn, sn);
	}
	/* multi-function slots without a vslot: from 1f down */
	for (g = 0; g < n; g++) {
		char sn[16];

		if (groups[g].vslot >= 0 || groups[g].nfn == 1)
			continue;
		slot_name(&groups[g].slot, sn, sizeof(sn));
		if (!groups[g].has_fn0)
			return cli_usage_error("%s: functions without function 0: a "
					       "guest sees no function of a slot "
					       "without function 0 (give %s.0 too)",
					       sn, sn);
		while (slot > 0 && used[slot])
			slot--;
		if (slot <= 0)
			return cli_usage_error("no free guest slot left");
		groups[g].vslot = slot;
		used[slot] = true;
	}
	for (i = 0; i < nfn; i++)
		fns[i].vfn = groups[fns[i].group].nfn > 1 ? fns[i].bdf.fn : 0;
	*ngroups = n;
	return 0;
}

static int on_qemu_opt(int opt, void *data)
{
	bool *permissive = data;

	if (opt != OPT_PERMISSIVE)
		return -1;
	*permissive = true;
	return 0;
}

static bool is_vf(struct cli *c, const struct xenpt_bdf *b)
{
	struct xenpt_device_kind k;
	char name[XENPT_BDF_STRLEN];

	xenpt_bdf_format(b, name, sizeof(name));
	return !xenpt_device_kind(c->ctx, name, &k) && (k.flags & XENPT_KIND_VF);
}

/* The specs' functions, names resolved, wildcards expanded, each once. */
static int expand(struct cli *c, struct spec *specs, size_t nspec,
		  struct fn **out, size_t *nout)
{
	struct fn *fns = NULL;
	size_t n = 0, i, k, j;
	int err;

	for (i = 0; i < nspec; i++) {
		struct xenpt_bdf *l;
		struct fn *tmp;

		if (specs[i].name) {
			err = cli_resolve_name(c, specs[i].name, &specs[i].bdf);
			if (err)
				goto fail;
		}
		if (specs[i].beyond[0]) {
			/* no SBDF: QEMU's hostaddr cannot name it, Xen neither */
			struct xenpt_device_kind kind;

			err = xenpt_device_kind(c->ctx, specs[i].beyond, &kind);
			cli_fail(specs[i].beyond, "%s", err == -ENODEV ?
				 "no such PCI device" : err ? strerror(-err) : kind.reason);
			err = EXIT_FAIL;
			goto fail;
		}
		err = xenpt_bdf_expand(c->ctx, &specs[i].bdf, &l, &k);
		if (err) {
			char name[XENPT_BDF_STRLEN];

			xenpt_bdf_format(&specs[i].bdf, name, sizeof(name));
			fprintf(stderr, "xenpt: %s: no such PCI device\n", name);
			err = EXIT_FAIL;
			goto fail;
		}
		tmp = realloc(fns, (n + k) * sizeof(*fns));
		if (!tmp) {
			free(l);
			err = EXIT_FAIL;
			goto fail;
		}
		fns = tmp;
		for (j = 0; j < k; j++) {
			size_t m;

			for (m = 0; m < n; m++)
				if (!memcmp(&fns[m].bdf, &l[j], sizeof(l[j]))) {
					char name[XENPT_BDF_STRLEN];

					xenpt_bdf_format(&l[j], name, sizeof(name));
					free(l);
					err = cli_usage_error("%s: given twice", name);
					goto fail;
				}
			memset(&fns[n], 0, sizeof(fns[n]));
			fns[n].bdf = l[j];
			fns[n].spec = &specs[i];
			fns[n].vf = is_vf(c, &l[j]);
			n++;
		}
		free(l);
	}
	*out = fns;
	*nout = n;
	return 0;
fail:
	free(fns);
	return err;
}

/* Endpoints only; seize=1 (xl: make it assignable first); and every
 * function on pciback: 0 or EXIT_FAIL after the messages. */
static int ready(struct cli *c, const struct fn *fns, size_t n)
{
	int rc = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		struct xenpt_device_kind k;
		struct xenpt_device_info d;
		char name[XENPT_BDF_STRLEN];
		int err;

		xenpt_bdf_format(&fns[i].bdf, name, sizeof(name));
		err = xenpt_device_kind(c->ctx, name, &k);
		if (!err && k.kind != XENPT_KIND_ENDPOINT) {
			cli_fail(name, "%s", k.reason);
			rc = EXIT_FAIL;
			continue;
		}
		if (!err)
			err = xenpt_device_get(c->ctx, &fns[i].bdf, &d);
		if (!err && !d.assigned && fns[i].spec->seize == 1) {
			const char *names[1] = { name };
			struct xenpt_result res;

			xenpt_assignable_add_devices(c->ctx, names, 1, 0, NULL, &res);
			if (res.err) {
				cli_fail(name, "seize=1: %s", res.reason);
				rc = EXIT_FAIL;
				continue;
			}
			err = xenpt_device_get(c->ctx, &fns[i].bdf, &d);
		}
		if (err) {
			cli_fail(name, "%s", err == -ENODEV ? "no such PCI device" :
				 strerror(-err));
			rc = EXIT_FAIL;
		} else if (!d.assigned) {
			cli_fail(name, "not assignable (not bound to pciback): run xenpt "
				 "assignable-add %s first (or give seize=1)", name);
			rc = EXIT_FAIL;
		}
	}
	return rc;
}

static bool given(const struct fn *fns, size_t n, const char *name)
{
	char b[XENPT_BDF_STRLEN];
	size_t i;

	for (i = 0; i < n; i++) {
		xenpt_bdf_format(&fns[i].bdf, b, sizeof(b));
		if (!strcmp(b, name))
			return true;
	}
	return false;
}

/* Devices behind one PCI or PCIe-to-PCI bridge share its requester ID:
 * the IOMMU (Xen's) sees them as one, so one guest gets them all. */
static void shared_rids(struct cli *c, const struct fn *fns, size_t n)
{
	struct xenpt_device_entry *l;
	size_t nl, i, k;

	if (c->verbosity < 0 || xenpt_device_list_all(c->ctx, &l, &nl))
		return;
	for (i = 0; i < n; i++) {
		char name[XENPT_BDF_STRLEN];
		const struct xenpt_device_entry *e = NULL;

		xenpt_bdf_format(&fns[i].bdf, name, sizeof(name));
		for (k = 0; k < nl && !e; k++)
			if (!strcmp(l[k].name, name))
				e = &l[k];
		if (!e || !(e->kind.flags & XENPT_KIND_SHARED_RID))
			continue;
		for (k = 0; k < nl; k++)
			if (&l[k] != e && l[k].kind.kind == XENPT_KIND_ENDPOINT &&
			    (l[k].kind.flags & XENPT_KIND_SHARED_RID) &&
			    !strcmp(l[k].kind.rid_bridge, e->kind.rid_bridge) &&
			    !given(fns, n, l[k].name))
				fprintf(stderr, "xenpt: warning: %s: shares its requester "
					"ID with %s (behind PCI bridge %s): the IOMMU cannot "
					"tell them apart; give them to one guest\n", name,
					l[k].name, e->kind.rid_bridge);
	}
	free(l);
}

/* What QEMU's xen-pci-passthrough has no property for: said once each. */
static void notes(const struct cli *c, const struct spec *specs, size_t n)
{
	size_t i;

	if (c->verbosity < 0)
		return;
	for (i = 0; i < n; i++) {
		if (specs[i].msitranslate == 1)
			fprintf(stderr, "xenpt: warning: %s: msitranslate=1 ignored: "
				"only qemu-traditional translated MSI to INTx; "
				"QEMU's xen-pci-passthrough has no such property\n",
				specs[i].arg);
		if (specs[i].power_mgmt == 1)
			fprintf(stderr, "xenpt: warning: %s: power_mgmt=1 ignored: "
				"a qemu-traditional option; QEMU's "
				"xen-pci-passthrough has no such property\n",
				specs[i].arg);
	}
}

int cmd_qemu_args(struct cli *c, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "permissive", no_argument, NULL, OPT_PERMISSIVE },
		{ NULL, 0, NULL, 0 },
	};
	bool permissive = false, comma = false;
	struct group *groups = NULL;
	struct spec *specs = NULL;
	struct fn *fns = NULL;
	size_t nspec = 0, nfn = 0, ngroups = 0, g, i;
	int first, r = 0;

	first = cli_opts(c, argc, argv, "+", longs, on_qemu_opt, &permissive);
	if (first < 0)
		return EXIT_USAGE;
	if (first >= argc)
		return cli_usage_error("missing PCI spec argument (" SPEC_SYNTAX ")");
	specs = calloc((size_t)(argc - first), sizeof(*specs));
	if (!specs)
		return EXIT_FAIL;
	for (i = 0; i < (size_t)(argc - first) && !r; i++, nspec++)
		r = parse_spec(argv[first + (int)i], &specs[i]);
	if (!r)
		r = expand(c, specs, nspec, &fns, &nfn);
	if (!r) {
		groups = calloc(nfn, sizeof(*groups));
		r = groups ? layout(fns, nfn, groups, &ngroups) : EXIT_FAIL;
	}
	if (!r)
		r = ready(c, fns, nfn);
	if (r)
		goto out;
	notes(c, specs, nspec);
	shared_rids(c, fns, nfn);
	if (c->json)
		fputc('[', stdout);
	/* a slot's functions together, function 0 first */
	for (g = 0; g < ngroups; g++) {
		int f;

		for (f = 0; f < 8; f++)
			for (i = 0; i < nfn; i++) {
				const struct fn *x = &fns[i];
				const struct group *gr = &groups[g];
				char name[XENPT_BDF_STRLEN], id[32], obj[384], addr[16] = "";
				const struct xenpt_bdf *b = &x->bdf;
				bool perm;

				if (x->group != (int)g || x->vfn != f)
					continue;
				xenpt_bdf_format(b, name, sizeof(name));
				/* libxl's id for the device: pci-pt-BB_DD.F */
				if (b->domain)
					snprintf(id, sizeof(id), "pci-pt-%04x_%02x_%02x.%x",
						 b->domain, b->bus, b->dev, b->fn);
				else
					snprintf(id, sizeof(id), "pci-pt-%02x_%02x.%x", b->bus,
						 b->dev, b->fn);
				if (gr->vslot >= 0)
					snprintf(addr, sizeof(addr), "%02x.%x", gr->vslot, x->vfn);
				perm = x->spec->permissive >= 0 ? x->spec->permissive == 1 :
				       permissive;
				snprintf(obj, sizeof(obj),
					 "{\"driver\":\"xen-pci-passthrough\",\"id\":\"%s\","
					 "\"hostaddr\":\"%s\"%s%s%s%s%s}", id, name,
					 addr[0] ? ",\"addr\":\"" : "", addr,
					 addr[0] ? "\"" : "",
					 gr->nfn > 1 && x->vfn == 0 ? ",\"multifunction\":true" : "",
					 perm ? ",\"permissive\":true" : "");
				if (c->json) {
					bool fl = true;

					printf("%s{", comma ? "," : "");
					comma = true;
					json_key(stdout, &fl, "bdf");
					json_str(stdout, name);
					json_key(stdout, &fl, "addr");
					json_str(stdout, addr[0] ? addr : NULL);
					json_key(stdout, &fl, "rdm_policy");
					json_str(stdout, x->spec->rdm_policy == 1 ? "relaxed" :
						 "strict");
					json_key(stdout, &fl, "args");
					fputs("[\"-device\",", stdout);
					json_str(stdout, obj);
					fputs("]}", stdout);
				} else {
					/* the object has no single quote: safe in '...' */
					printf("-device '%s'\n", obj);
				}
			}
	}
	if (c->json)
		fputs("]\n", stdout);
out:
	for (i = 0; i < nspec; i++)
		free(specs[i].copy);
	free(specs);
	free(fns);
	free(groups);
	return r;
}
