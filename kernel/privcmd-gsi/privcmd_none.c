// SPDX-License-Identifier: GPL-2.0
/*
 * privcmd-gsi: no answer on /dev/xen/privcmd.  Built instead of privcmd.c
 * where this kernel's privcmd answers IOCTL_PRIVCMD_PCIDEV_GET_GSI itself
 * (6.12 and later: its answers stay upstream's), or where it cannot be
 * diverted (no xen-privcmd, no ftrace with regs): see Kbuild.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "internal.h"

int pgsi_privcmd_start(bool enable)
{
	if (PGSI_PRIVCMD_UPSTREAM)
		pr_info("this kernel's privcmd answers IOCTL_PRIVCMD_PCIDEV_GET_GSI itself\n");
	else if (enable)
		pr_info("cannot answer IOCTL_PRIVCMD_PCIDEV_GET_GSI on /dev/xen/privcmd (a kernel without xen-privcmd or ftrace with regs): use libxenpt-preload.so\n");
	return 0;
}

void pgsi_privcmd_stop(void)
{
}
