/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pciback-ext: declarations shared by the module's files and its KUnit
 * suite (tests/kunit/pciback_ext_test.c).
 */
#ifndef PCIBACK_EXT_INTERNAL_H
#define PCIBACK_EXT_INTERNAL_H

#include <linux/types.h>
#include <xen/privcmd-gsi.h>

#include "kunit_visibility.h"

struct pci_dev;
struct pt_regs;
struct pbx_redirect_ops;

/* The name xen-pciback's driver registers (PCISTUB_DRIVER_NAME). */
#define PBX_PCIBACK	"pciback"

/* ---- xen.c: which hypercall, and what its answer means ---- */

/* Where dom0 runs and how it reaches Xen; KUnit passes its own. */
struct pbx_env {
	bool pv_dom0;
	int (*physdev_op)(int cmd, void *arg);
	int (*hvm_op)(int op, void *arg);
	/* bind.c: dom0's own registration of a GSI (0 or -errno) */
	int (*dom0_bind)(u32 gsi, u8 trigger, u8 polarity);
	/* true when the domain is a stubdomain (its device model's) */
	bool (*is_stubdom)(u16 domid);
};

extern const struct pbx_env *pbx_env;
void pbx_env_init(bool xen);

enum pbx_setup_state {
	PBX_SETUP_NONE,		/* not tried yet */
	PBX_SETUP_DONE,		/* dom0 bound the GSI, Xen has the pin */
	PBX_SETUP_ALREADY,	/* registered before, by someone else */
	PBX_SETUP_XEN_ONLY,	/* Xen has the pin, dom0 could not bind it */
	PBX_SETUP_NO_PIN,	/* no INTx pin: nothing to set up */
	PBX_SETUP_PV_DOM0,	/* PV dom0 registers GSIs itself */
	PBX_SETUP_NO_PRIVCMD_GSI,	/* the GSI source is not loaded */
	PBX_SETUP_WAITING,	/* pciback has not enabled the device yet */
	PBX_SETUP_UNKNOWN_GSI,	/* a pin whose GSI is not known */
	PBX_SETUP_UNKNOWN_MODE,	/* GSI known, trigger or polarity not */
	PBX_SETUP_UNSUPPORTED,	/* -ENOSYS: Xen before 4.20 */
	PBX_SETUP_FAILED,	/* any other answer */
	PBX_SETUP_BY_PCIBACK,	/* 6.12+: pciback did it before we loaded */
};

enum pbx_reset_state {
	PBX_RESET_NONE,		/* no reset seen yet */
	PBX_RESET_DONE,
	PBX_RESET_PV_DOM0,	/* PV dom0: Xen needs no notice */
	PBX_RESET_BAD_SEGMENT,	/* segment beyond 16 bits: cannot say */
	PBX_RESET_UNSUPPORTED,	/* -ENOSYS: Xen before 4.20 */
	PBX_RESET_FAILED,
	PBX_RESET_BY_PCIBACK,	/* 6.12+: xen-pciback tells Xen itself */
};

enum pbx_pirq_state {
	PBX_PIRQ_NONE,		/* not given to a PV guest yet */
	PBX_PIRQ_ALIGNED,	/* the guest's pirq is what pciback reports */
	PBX_PIRQ_REMAPPED,	/* made so, and Xen's mapping checked */
	PBX_PIRQ_NO_LINE,	/* no interrupt line to report: nothing to do */
	PBX_PIRQ_NO_GSI,	/* GSI unknown: nothing to map */
	PBX_PIRQ_PV_DOM0,	/* pirq == irq already, as libxl maps on PV */
	PBX_PIRQ_HVM_GUEST,	/* QEMU binds its own pirq: left alone */
	PBX_PIRQ_STUBDOM,	/* a device model's stubdomain: left alone */
	PBX_PIRQ_FAILED,	/* left as the toolstack mapped it */
};

/* state: an enum pbx_setup_state, pbx_reset_state or pbx_pirq_state */
struct pbx_result {
	int state;
	int rc;			/* the hypercall's answer, or the lookup's */
};

struct pbx_result pbx_setup_gsi(const struct pbx_env *env, int lookup,
				const struct privcmd_gsi_record *rec);
struct pbx_result pbx_reset_notify(const struct pbx_env *env, u32 seg,
				   u8 bus, u8 devfn);
struct pbx_result pbx_pirq_align(const struct pbx_env *env, u16 domid,
				 u32 gsi, int line, int *pirq);
const char *pbx_setup_name(int state);
const char *pbx_reset_name(int state);
const char *pbx_pirq_name(int state);
bool pbx_setup_settled(int state);

/* ---- bind.c: dom0's own binding of a GSI ---- */

int pbx_dom0_bind(u32 gsi, u8 trigger, u8 polarity);

/* ---- device.c: pciback's devices, their state and sysfs ---- */

int pbx_devices_start(void);
void pbx_devices_stop(void);
void pbx_device_reset_done(struct pci_dev *pdev, struct pbx_result r);
bool pbx_device_gsi(struct pci_dev *pdev, u32 *gsi);
void pbx_device_pirq_done(struct pci_dev *pdev, u16 domid, int pirq,
			  struct pbx_result r);
void pbx_device_registered(struct pci_dev *pdev, u32 gsi);
void pbx_device_pciback_setup(struct pci_dev *pdev, int lookup,
			      const struct privcmd_gsi_record *rec,
			      struct pbx_result r);
void pbx_reset_tell_xen(struct pci_dev *pdev);

/* ---- pciback.c: xen-pciback's module, and calls from its code ---- */

int pbx_pciback_start(void);
void pbx_pciback_stop(void);
bool pbx_called_by_pciback(unsigned long caller, struct pci_dev *pdev);
bool pbx_pciback_initialized(struct pci_dev *pdev);

/* ---- redirect.c: a kernel function replaced for some of its calls ---- */

/*
 * @func: the kernel's function; @to: ours, with the same prototype, which
 * must end with module_put(THIS_MODULE); @want: whether this call goes to
 * @to (any context: it runs on the function's entry), with the caller's
 * return address.  Calls from this module always reach @func itself.
 */
struct pbx_redirect {
	const char *name;
	unsigned long func;
	unsigned long to;
	bool (*want)(struct pt_regs *regs, unsigned long caller);
	struct pbx_redirect_ops *ops;	/* while armed */
};

int pbx_redirect_arm(struct pbx_redirect *r);
void pbx_redirect_disarm(struct pbx_redirect *r);

/* ---- legacy.c (Linux < 6.12) or upstream.c (6.12 and later) ---- */

/* True where xen-pciback sets up GSIs and notifies resets itself. */
extern const bool pbx_pciback_does_gsi;
int pbx_gsi_start(void);
void pbx_gsi_stop(void);
/* The GSI xen-pciback recorded for a device (6.12+), or -errno. */
int pbx_pciback_gsi(struct pci_dev *pdev);

/* ---- pirq.c: the pirq a PV guest binds ---- */

int pbx_pirq_start(void);
void pbx_pirq_stop(void);

#endif /* PCIBACK_EXT_INTERNAL_H */
