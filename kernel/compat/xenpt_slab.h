/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenpt: kzalloc_obj(), the typed allocation of Linux 7.0 and later
 * (<linux/slab.h>), on kernels without it.  Always given its gfp here.
 */
#ifndef XENPT_COMPAT_SLAB_H
#define XENPT_COMPAT_SLAB_H

#include <linux/slab.h>

#ifndef kzalloc_obj
#define kzalloc_obj(P, gfp)	kzalloc(sizeof(P), gfp)
#endif

#endif
