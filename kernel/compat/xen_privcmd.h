/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpt: xen-privcmd's file operations, exported by every kernel xenpt
 * supports (EXPORT_SYMBOL_GPL in drivers/xen/privcmd.c) but declared only
 * in drivers/xen/privcmd.h, which is not among the installed headers.
 */
#ifndef XENPT_COMPAT_XEN_PRIVCMD_H
#define XENPT_COMPAT_XEN_PRIVCMD_H

#include <linux/fs.h>

extern const struct file_operations xen_privcmd_fops;

#endif
