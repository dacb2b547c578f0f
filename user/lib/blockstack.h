/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The block devices a PCI device carries and everything stacked on them
 * (blockstack.c), for usage_storage.c to say who holds them.  Hidden, as
 * internal.h.
 */
#ifndef XENPT_BLOCKSTACK_H
#define XENPT_BLOCKSTACK_H

#include "internal.h"

#define PT_BLOCK_PARENTS	8

enum pt_block_how {
	PT_BLOCK_BASE,		/* carried by the device itself */
	PT_BLOCK_PART,		/* a partition (a block device below another) */
	PT_BLOCK_HOLDER,	/* in a member's holders/: dm, md, bcache */
	PT_BLOCK_LOOP,		/* a loop device backed by a member's node */
};

struct pt_block {
	char name[NAME_MAX + 1];	/* "sdb1", "dm-0" */
	char *dir;			/* the real path of its directory */
	unsigned int major, minor;
	bool has_dev;
	enum pt_block_how how;
	int parent[PT_BLOCK_PARENTS];	/* the members it is stacked on */
	int nparent;
	bool holders_done;
	bool covered;			/* a reason names it or what is above */
};

struct pt_blockstack {
	const struct xenpt_ctx *ctx;
	struct pt_block *v;
	size_t n, cap;
	char **known;			/* real paths of /sys/class/block/ */
	size_t nknown;
};

/* The stack of the device whose directory's real path is devreal:
 * 0 (st->n may be 0) or -errno.  pt_blockstack_free() it. */
int pt_blockstack_build(const struct xenpt_ctx *ctx, const char *devreal,
			struct pt_blockstack *st);
void pt_blockstack_free(struct pt_blockstack *st);
/* A member: by the real path of its directory, its name, its number;
 * -1 none. */
int pt_blockstack_find_dir(const struct pt_blockstack *st, const char *dir);
int pt_blockstack_find_name(const struct pt_blockstack *st, const char *name);
int pt_blockstack_find_devnum(const struct pt_blockstack *st, unsigned int major,
			      unsigned int minor);
/* The member a node names ("/dev/sdb1", "/dev/mapper/vg-home", a link in
 * /dev/disk/by-*), through the (redirectable) /dev: -1 none. */
int pt_blockstack_match_node(const struct pt_blockstack *st, const char *node);
/* A reason names member i: it and what it is stacked on are covered. */
void pt_blockstack_cover(struct pt_blockstack *st, int i);

#endif
