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

/* The name xen-pciback's driver registers (PCISTUB_DRIVER_NAME). */
#define PBX_PCIBACK	"pciback"

/* ---- xen.c: which hypercall, and what its answer means ---- */

/* Where dom0 runs and how to reach Xen; KUnit passes its own. */
struct pbx_env {
	bool pv_dom0;
	int (*physdev_op)(int cmd, void *arg);
	int (*hvm_op)(int op, void *arg);
};

extern const struct pbx_env *pbx_env;
void pbx_env_init(bool xen);

enum pbx_setup_state {
	PBX_SETUP_NONE,		/* not tried yet */
	PBX_SETUP_DONE,		/* Xen programmed the pin */
	PBX_SETUP_ALREADY,	/* -EEXIST: set up before (a dom0 driver) */
	PBX_SETUP_NO_PIN,	/* no INTx pin: nothing to set up */
	PBX_SETUP_PV_DOM0,	/* PV dom0 registers GSIs itself */
	PBX_SETUP_NO_PRIVCMD_GSI,	/* the GSI source is not loaded */
	PBX_SETUP_UNKNOWN_GSI,	/* a pin whose GSI is not known */
	PBX_SETUP_UNKNOWN_MODE,	/* GSI known, trigger or polarity not */
	PBX_SETUP_UNSUPPORTED,	/* -ENOSYS: Xen before 4.20 */
	PBX_SETUP_FAILED,	/* any other answer */
};

enum pbx_reset_state {
	PBX_RESET_NONE,		/* no reset seen yet */
	PBX_RESET_DONE,
	PBX_RESET_PV_DOM0,	/* PV dom0: Xen needs no notice */
	PBX_RESET_BAD_SEGMENT,	/* segment beyond 16 bits: cannot say */
	PBX_RESET_UNSUPPORTED,	/* -ENOSYS: Xen before 4.20 */
	PBX_RESET_FAILED,
};

enum pbx_pirq_state {
	PBX_PIRQ_NONE,		/* not given to a PV guest yet */
	PBX_PIRQ_ALIGNED,	/* the guest's pirq is what pciback reports */
	PBX_PIRQ_REMAPPED,	/* made so: moved from the pirq libxl chose */
	PBX_PIRQ_NO_LINE,	/* no interrupt line to report: nothing to do */
	PBX_PIRQ_NO_GSI,	/* GSI unknown: nothing to map */
	PBX_PIRQ_PV_DOM0,	/* pirq == irq already, as libxl maps on PV */
	PBX_PIRQ_HVM_GUEST,	/* QEMU binds its own pirq: left alone */
	PBX_PIRQ_FAILED,
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

/* ---- device.c: pciback's devices, their state and sysfs ---- */

int pbx_devices_start(void);
void pbx_devices_stop(void);
void pbx_device_reset_done(struct pci_dev *pdev, struct pbx_result r);
bool pbx_device_gsi(struct pci_dev *pdev, u32 *gsi);
void pbx_device_pirq_done(struct pci_dev *pdev, u16 domid, int pirq,
			  struct pbx_result r);

/* ---- reset.c: the resets pciback does ---- */

int pbx_reset_start(void);
void pbx_reset_stop(void);
void pbx_reset_tell_xen(struct pci_dev *pdev);
bool pbx_called_by_pciback(unsigned long caller, struct pci_dev *pdev);

/* ---- pirq.c: the pirq a PV guest binds ---- */

int pbx_pirq_start(void);
void pbx_pirq_stop(void);

#endif /* PCIBACK_EXT_INTERNAL_H */
