/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers of the test beds' programs: see guest.c. */
#ifndef XENPT_GUEST_H
#define XENPT_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

#define PCI_DEVICES	"/sys/bus/pci/devices"
#define PCIBACK		"/sys/bus/pci/drivers/pciback"
#define PRIVCMD		"/dev/xen/privcmd"

/* include/uapi/xen/privcmd.h */
struct privcmd_hypercall {
	uint64_t op;
	uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL \
	_IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))
#define HYPERVISOR_XEN_VERSION	17	/* __HYPERVISOR_xen_version */
#define HYPERVISOR_SYSCTL	35	/* __HYPERVISOR_sysctl */

extern int tap_n;		/* TAP lines printed by this process */
extern int tap_failed;		/* of which failed */
extern uint64_t deadline;	/* for stopped(), in now_ns() time */

/* One TAP line, "ok - ..." or "not ok - ...": the host numbers them. */
void tap(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A failing TAP line, and exit(1). */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* A file's contents, NUL-terminated: its length or -errno. */
int read_file(const char *path, char *buf, size_t len);
/* Writes @val to @path: 0 or -errno. */
int write_file(const char *path, const char *val);
/* "SSSS:BB:DD.F" to seg << 16 | bus << 8 | devfn. */
bool parse_bdf(const char *s, uint32_t *sbdf);
/* An errno's name, for answers printed and compared as text. */
const char *errno_name(long v);
/* The device's driver's name, or "". */
void current_driver(const char *bdf, char *drv, size_t len);
/* From driver @orig (or none) to pciback, as xl pci-assignable-add does. */
int bind_pciback(const char *bdf, const char *orig);
/* Off pciback and back to @orig (or none): 0 or -errno. */
int unbind_pciback(const char *bdf, const char *orig);
uint64_t rnd(void);
uint64_t now_ns(void);
bool stopped(void);

#endif
