// SPDX-License-Identifier: GPL-2.0
/*
 * pciback-ext: the hypercalls a PVH dom0 makes for xen-pciback's devices,
 * and what each answer means.
 *
 *  - PHYSDEVOP_setup_gsi (21) once a device with an INTx pin is bound, as
 *    Linux 6.12's xen-pciback makes it (xen_pvh_setup_gsi(),
 *    arch/x86/xen/enlighten_pvh.c): Xen programs the GSI's IO-APIC pin.
 *    Without that a GSI that no dom0 driver ever unmasked stays
 *    unregistered in Xen, and an HVM guest given the device never gets an
 *    interrupt, silently.  Here dom0 binds the GSI itself first
 *    (env->dom0_bind, bind.c), which registers it the way every dom0
 *    interrupt is registered, bound to dom0 as well; setup_gsi then only
 *    confirms it (-EEXIST), and says -ENOSYS on Xen before 4.20.
 *  - PHYSDEVOP_pci_device_reset (32), flag FLR, after every reset pciback
 *    does, so that Xen rebuilds its vPCI state of the device; as
 *    xen_reset_device() (6.12, drivers/xen/pci.c), whatever kind of reset
 *    Linux did, even one that did nothing.
 *
 * And one that 6.12 lacks: a PV guest binds the pirq it reads from the
 * device's virtual Interrupt Line, which pciback fills with dom0's irq
 * (conf_space_header.c, interrupt_read()); on a PV dom0 libxl maps the GSI
 * at that very pirq, but on a PVH dom0 it lets Xen choose one
 * (libxl__arch_hvm_map_gsi(), pirq -1), and the guest's bind fails.
 * pbx_pirq_align() moves the mapping to the pirq the guest will read,
 * with PHYSDEVOP_map_pirq (13) and PHYSDEVOP_unmap_pirq (14), and checks
 * with Xen that it did.
 *
 * Unlike 6.12, a failure never fails the bind: on Xen before 4.20 (both
 * -ENOSYS) the device stays on pciback and the state says why INTx cannot
 * reach a guest; a device without a pin binds (6.12: -EINVAL).  A PV dom0
 * registers GSIs through its own irq code and needs neither.
 */
#include <linux/module.h>
#include <xen/xen.h>
#include <xen/interface/physdev.h>
#include <xen/interface/hvm/hvm_op.h>
#include <xen/interface/hvm/params.h>
#include <asm/xen/hypercall.h>
#include <xen/xenbus.h>

#include "internal.h"

/* Xen >= 4.20's public/physdev.h; not in Linux 6.1's copy of it. */
#ifndef PHYSDEVOP_pci_device_reset
#define PHYSDEVOP_pci_device_reset	32
#define PCI_DEVICE_RESET_FLR		0x3
struct pci_device_reset {
	struct physdev_pci_device dev;
	u32 flags;
};
#endif

/**
 * pbx_setup_gsi() - a device's GSI registered with Xen, and what came of it
 * @env: the dom0, its binding and its hypercall
 * @lookup: the GSI lookup's result: 0, -ENOENT (no pin), -ENODATA
 *	    (unknown), -EOPNOTSUPP (privcmd-gsi not loaded), other errors
 * @rec: its record, when @lookup is 0
 *
 * dom0 binds the GSI first (env->dom0_bind), then PHYSDEVOP_setup_gsi
 * confirms Xen has it: -EEXIST, which Linux 6.12 takes as success too.
 * A 0 means setup_gsi registered it now, without dom0's binding.
 *
 * Return: the state (enum pbx_setup_state) and setup_gsi's answer, or the
 * lookup's error when no hypercall was made.
 */
struct pbx_result pbx_setup_gsi(const struct pbx_env *env, int lookup,
				const struct privcmd_gsi_record *rec)
{
	struct physdev_setup_gsi arg = {};
	struct pbx_result r = { .rc = lookup };
	int bound;

	if (env->pv_dom0) {
		r.state = PBX_SETUP_PV_DOM0;
		return r;
	}
	switch (lookup) {
	case 0:
		break;
	case -ENOENT:
		r.state = PBX_SETUP_NO_PIN;
		return r;
	case -EOPNOTSUPP:
		r.state = PBX_SETUP_NO_PRIVCMD_GSI;
		return r;
	default:
		r.state = PBX_SETUP_UNKNOWN_GSI;
		return r;
	}
	if (rec->trigger == PRIVCMD_GSI_TRIGGER_UNKNOWN ||
	    rec->polarity == PRIVCMD_GSI_POLARITY_UNKNOWN) {
		r.state = PBX_SETUP_UNKNOWN_MODE;
		return r;
	}

	bound = env->dom0_bind(rec->gsi, rec->trigger, rec->polarity);
	arg.gsi = rec->gsi;
	arg.triggering = rec->trigger == PRIVCMD_GSI_TRIGGER_LEVEL;	/* 1: level */
	arg.polarity = rec->polarity == PRIVCMD_GSI_POLARITY_LOW;	/* 1: low */
	r.rc = env->physdev_op(PHYSDEVOP_setup_gsi, &arg);
	if (r.rc == -EEXIST)
		r.state = bound ? PBX_SETUP_ALREADY : PBX_SETUP_DONE;
	else if (!r.rc)
		r.state = PBX_SETUP_XEN_ONLY;
	else if (r.rc == -ENOSYS)
		r.state = PBX_SETUP_UNSUPPORTED;
	else
		r.state = PBX_SETUP_FAILED;	/* a positive rc too: the SCI */
	return r;
}
EXPORT_SYMBOL_IF_KUNIT(pbx_setup_gsi);

/**
 * pbx_reset_notify() - PHYSDEVOP_pci_device_reset after a reset
 * @env: the dom0 and its hypercall
 * @seg: PCI segment
 * @bus: bus number
 * @devfn: device and function
 *
 * Return: the state (enum pbx_reset_state) and the hypercall's answer.
 */
struct pbx_result pbx_reset_notify(const struct pbx_env *env, u32 seg,
				   u8 bus, u8 devfn)
{
	struct pci_device_reset arg = {
		.dev.seg = seg,
		.dev.bus = bus,
		.dev.devfn = devfn,
		.flags = PCI_DEVICE_RESET_FLR,
	};
	struct pbx_result r = {};

	if (env->pv_dom0) {
		r.state = PBX_RESET_PV_DOM0;
		return r;
	}
	if (seg > 0xffff) {
		r.state = PBX_RESET_BAD_SEGMENT;
		return r;
	}
	r.rc = env->physdev_op(PHYSDEVOP_pci_device_reset, &arg);
	if (!r.rc)
		r.state = PBX_RESET_DONE;
	else if (r.rc == -ENOSYS)
		r.state = PBX_RESET_UNSUPPORTED;
	else
		r.state = PBX_RESET_FAILED;
	return r;
}
EXPORT_SYMBOL_IF_KUNIT(pbx_reset_notify);

/* PHYSDEVOP_map_pirq of @gsi for @domid at @pirq (-1: Xen's choice). */
static int pbx_map(const struct pbx_env *env, u16 domid, u32 gsi, int *pirq)
{
	struct physdev_map_pirq map = {
		.domid = domid,
		.type = MAP_PIRQ_TYPE_GSI,
		.index = gsi,
		.pirq = *pirq,
	};
	int rc = env->physdev_op(PHYSDEVOP_map_pirq, &map);

	if (!rc)
		*pirq = map.pirq;
	return rc;
}

/**
 * pbx_pirq_align() - make a PV guest's pirq for a GSI the one it will bind
 * @env: the dom0 and its hypercall
 * @domid: the guest
 * @gsi: the device's GSI
 * @line: what pciback reports as the device's Interrupt Line (dom0's irq,
 *	  8 bits), which the guest's pcifront binds as its pirq
 * @pirq: gets the guest's pirq for @gsi afterwards, or -1
 *
 * Only for a PV guest: pciback exports devices to HVM guests too, whose
 * QEMU binds the pirq it mapped and must keep it (HVMOP_get_param answers
 * -EINVAL for a domain that is not HVM, which tells them apart), and to
 * the stubdomains of device models, left alone as well.
 *
 * The guest's mapping is libxl's (map_pirq with pirq -1 returns it: libxl
 * mapped the GSI before pciback exports the device, from the same GSI
 * source).  When it is not @line, it is unmapped and @gsi mapped at
 * @line.  Xen's map_domain_pirq() answers 0 without mapping anything when
 * @line is taken by another of the guest's interrupts, so the result is
 * checked: mapping at the old pirq again must fail with -EEXIST (the GSI
 * has a pirq now); if it succeeds instead, nothing was mapped at @line
 * and that very call put the old mapping back.  The GSI, never dom0's
 * irq, is what Xen maps; @line is only the pirq number.
 *
 * Return: the state (enum pbx_pirq_state) and the last hypercall's answer
 * (-EBUSY when @line was taken).
 */
struct pbx_result pbx_pirq_align(const struct pbx_env *env, u16 domid,
				 u32 gsi, int line, int *pirq)
{
	struct physdev_unmap_pirq unmap = { .domid = domid };
	struct xen_hvm_param hvm = {
		.domid = domid,
		.index = HVM_PARAM_CALLBACK_IRQ,
	};
	struct pbx_result r = {};
	int first = -1, again;

	*pirq = -1;
	if (env->pv_dom0) {
		r.state = PBX_PIRQ_PV_DOM0;
		return r;
	}
	if (line <= 0 || line >= 0xff) {
		r.state = PBX_PIRQ_NO_LINE;
		return r;
	}
	r.rc = env->hvm_op(HVMOP_get_param, &hvm);
	if (!r.rc) {
		r.state = PBX_PIRQ_HVM_GUEST;
		return r;
	}
	if (r.rc != -EINVAL) {
		/* Cannot tell what the guest is: leave its pirq alone. */
		r.state = PBX_PIRQ_FAILED;
		return r;
	}
	if (env->is_stubdom(domid)) {
		r.rc = 0;
		r.state = PBX_PIRQ_STUBDOM;
		return r;
	}
	r.rc = pbx_map(env, domid, gsi, &first);
	if (r.rc) {
		r.state = PBX_PIRQ_FAILED;
		return r;
	}
	*pirq = first;
	if (first == line) {
		r.state = PBX_PIRQ_ALIGNED;
		return r;
	}

	unmap.pirq = first;
	r.rc = env->physdev_op(PHYSDEVOP_unmap_pirq, &unmap);
	if (r.rc) {
		r.state = PBX_PIRQ_FAILED;
		return r;
	}
	*pirq = line;
	r.rc = pbx_map(env, domid, gsi, pirq);
	if (r.rc) {
		/* Leave it as libxl had it. */
		*pirq = first;
		if (pbx_map(env, domid, gsi, pirq))
			*pirq = -1;
		r.state = PBX_PIRQ_FAILED;
		return r;
	}
	again = first;
	switch (pbx_map(env, domid, gsi, &again)) {
	case -EEXIST:
		r.rc = 0;
		r.state = PBX_PIRQ_REMAPPED;
		break;
	case 0:
		/* @line was taken: nothing mapped, libxl's pirq is back. */
		*pirq = first;
		r.rc = -EBUSY;
		r.state = PBX_PIRQ_FAILED;
		break;
	default:
		*pirq = -1;
		r.rc = -EIO;
		r.state = PBX_PIRQ_FAILED;
		break;
	}
	return r;
}
EXPORT_SYMBOL_IF_KUNIT(pbx_pirq_align);

/* True when nothing later can change the outcome of setup_gsi. */
bool pbx_setup_settled(int state)
{
	return state != PBX_SETUP_NONE && state != PBX_SETUP_NO_PRIVCMD_GSI &&
	       state != PBX_SETUP_WAITING && state != PBX_SETUP_UNKNOWN_GSI &&
	       state != PBX_SETUP_UNKNOWN_MODE;
}
EXPORT_SYMBOL_IF_KUNIT(pbx_setup_settled);

/* The words of the sysfs files (see the README). */
const char *pbx_setup_name(int state)
{
	static const char * const names[] = {
		[PBX_SETUP_NONE] = "none",
		[PBX_SETUP_DONE] = "done",
		[PBX_SETUP_ALREADY] = "already",
		[PBX_SETUP_XEN_ONLY] = "xen-only",
		[PBX_SETUP_NO_PIN] = "no-pin",
		[PBX_SETUP_PV_DOM0] = "pv-dom0",
		[PBX_SETUP_NO_PRIVCMD_GSI] = "no-privcmd-gsi",
		[PBX_SETUP_WAITING] = "waiting",
		[PBX_SETUP_UNKNOWN_GSI] = "unknown-gsi",
		[PBX_SETUP_UNKNOWN_MODE] = "unknown-polarity",
		[PBX_SETUP_UNSUPPORTED] = "unsupported",
		[PBX_SETUP_FAILED] = "failed",
		[PBX_SETUP_BY_PCIBACK] = "pciback",
	};

	return state >= 0 && state < ARRAY_SIZE(names) ? names[state] : "?";
}
EXPORT_SYMBOL_IF_KUNIT(pbx_setup_name);

const char *pbx_reset_name(int state)
{
	static const char * const names[] = {
		[PBX_RESET_NONE] = "none",
		[PBX_RESET_DONE] = "done",
		[PBX_RESET_PV_DOM0] = "pv-dom0",
		[PBX_RESET_BAD_SEGMENT] = "bad-segment",
		[PBX_RESET_UNSUPPORTED] = "unsupported",
		[PBX_RESET_FAILED] = "failed",
		[PBX_RESET_BY_PCIBACK] = "pciback",
	};

	return state >= 0 && state < ARRAY_SIZE(names) ? names[state] : "?";
}
EXPORT_SYMBOL_IF_KUNIT(pbx_reset_name);

const char *pbx_pirq_name(int state)
{
	static const char * const names[] = {
		[PBX_PIRQ_NONE] = "none",
		[PBX_PIRQ_ALIGNED] = "aligned",
		[PBX_PIRQ_REMAPPED] = "remapped",
		[PBX_PIRQ_NO_LINE] = "no-line",
		[PBX_PIRQ_NO_GSI] = "no-gsi",
		[PBX_PIRQ_PV_DOM0] = "pv-dom0",
		[PBX_PIRQ_HVM_GUEST] = "hvm-guest",
		[PBX_PIRQ_STUBDOM] = "stubdom",
		[PBX_PIRQ_FAILED] = "failed",
	};

	return state >= 0 && state < ARRAY_SIZE(names) ? names[state] : "?";
}
EXPORT_SYMBOL_IF_KUNIT(pbx_pirq_name);

static int pbx_physdev_op(int cmd, void *arg)
{
	return HYPERVISOR_physdev_op(cmd, arg);
}

static int pbx_hvm_op(int op, void *arg)
{
	return HYPERVISOR_hvm_op(op, arg);
}

/*
 * libxl writes /local/domain/STUBDOM/target = GUEST for the stubdomain
 * running a guest's device model (libxl__spawn_stub_dm()).  Process
 * context.
 */
static bool pbx_is_stubdom(u16 domid)
{
	char dir[32];

	snprintf(dir, sizeof(dir), "/local/domain/%u", domid);
	return xenbus_exists(XBT_NIL, dir, "target");
}

/* Outside Xen (test builds only): every hypercall is missing. */
static int __maybe_unused pbx_no_physdev_op(int cmd, void *arg)
{
	return -ENOSYS;
}

static int __maybe_unused pbx_no_dom0_bind(u32 gsi, u8 trigger, u8 polarity)
{
	return -ENOSYS;
}

static bool __maybe_unused pbx_no_stubdom(u16 domid)
{
	return false;
}

static struct pbx_env pbx_xen_env = {
	.physdev_op = pbx_physdev_op,
	.hvm_op = pbx_hvm_op,
	.dom0_bind = pbx_dom0_bind,
	.is_stubdom = pbx_is_stubdom,
};

const struct pbx_env *pbx_env = &pbx_xen_env;

/* Called once at load, before anything uses pbx_env. */
void pbx_env_init(bool xen)
{
	pbx_xen_env.pv_dom0 = xen_pv_domain();
	if (!xen) {
		pbx_xen_env.physdev_op = pbx_no_physdev_op;
		pbx_xen_env.hvm_op = pbx_no_physdev_op;
		pbx_xen_env.dom0_bind = pbx_no_dom0_bind;
		pbx_xen_env.is_stubdom = pbx_no_stubdom;
	}
}
