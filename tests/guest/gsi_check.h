/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gsi-check (tests/guest/gsi-check.c): what its files share.  The
 * devices, as sysfs and the kernel's own "PCI INT x -> GSI n" lines tell
 * (gsi_devices.c), and the command table each file contributes to.
 */
#ifndef XENPT_GSI_CHECK_H
#define XENPT_GSI_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/privcmd-gsi.h>

#include "guest.h"

#define NODE		"/dev/" PRIVCMD_GSI_DEVICE_NAME
#define MAX_DEVS	256
/* Linux >= 6.12 answers IOCTL_PRIVCMD_PCIDEV_GET_GSI there itself. */
#define UPSTREAM_NODE	PRIVCMD

struct truth {
	unsigned int gsi;
	int irq;
	int level;		/* 1 level, 0 edge */
	int low;		/* 1 low, 0 high */
	bool seen;
};

struct dev {
	char bdf[16];
	uint32_t sbdf;
	int pin;
	int irq;		/* sysfs irq */
	bool enabled;		/* sysfs enable: its irq is set up */
	char driver[64];
	struct truth truth;
};

/* One command: "gsi-check NAME ARGS...", its usage, its function. */
struct gsi_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
};

/* Each file's commands, ended by an empty row. */
extern const struct gsi_cmd gsi_oracle_cmds[];	/* gsi_oracle.c */
extern const struct gsi_cmd gsi_abuse_cmds[];	/* gsi_abuse.c */
extern const struct gsi_cmd gsi_bench_cmds[];	/* gsi_bench.c */
extern const struct gsi_cmd gsi_table_cmds[];	/* gsi_table.c */

/* gsi_devices.c */
void read_truth(struct dev *devs, int n);
int dev_cmp(const void *a, const void *b);
int scan_devices(struct dev *devs);
struct dev *find_dev(struct dev *devs, int n, const char *bdf);
int open_node(void);
long ioctl_get_gsi(int fd, uint32_t sbdf);
long ioctl_irq_to_gsi(int fd, uint32_t irq);
int ioctl_get_record(int fd, uint32_t sbdf, struct privcmd_gsi_record *r);
long sysfs_gsi(const char *bdf);
const char *source_name(int source);

#endif
