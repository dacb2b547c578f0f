// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The block devices a PCI device carries, and everything stacked on them.
 *
 * What it carries (its "bases"): the block devices in sysfs below the
 * device's directory (SATA, SCSI, NVMe namespaces without multipath,
 * virtio, MMC, USB mass storage behind a USB controller), and the
 * namespaces of an NVMe subsystem one of its controllers belongs to: with
 * Linux's native NVMe multipath the namespace's disk hangs below
 * /sys/devices/virtual/nvme-subsystem/nvme-subsysN/, which links to its
 * controllers (nvmeN), not below the controller.  A directory is a block
 * device when /sys/class/block names it, its subsystem link says "block",
 * or it has a dev file and holders/, a partition file, a block/ parent or
 * a disk's name.
 *
 * Stacked on them, to a fixed point: partitions (block devices below a
 * member's directory), holders/ (device-mapper: LVM, dm-crypt, multipath,
 * kpartx; md; bcache), loop devices whose backing file is a member's node
 * (loop/backing_file).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "blockstack.h"

#define MAX_DEPTH	12

void pt_blockstack_free(struct pt_blockstack *st)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		free(st->v[i].dir);
	free(st->v);
	pt_strv_free(st->known, st->nknown);
	memset(st, 0, sizeof(*st));
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !lstat(path, &st) && S_ISDIR(st.st_mode);
}

static bool sub_exists(const char *dir, const char *sub)
{
	char p[PATH_MAX];

	return !pt_path_join(p, sizeof(p), dir, sub) && pt_exists(p);
}

/* The names disks get (sd, nvme, mmcblk...): a dev file and such a name
 * make a block device where sysfs says nothing else. */
static bool disk_name(const char *name)
{
	static const char *const prefixes[] = { "sd", "vd", "xvd", "hd", "sr",
		"nvme", "mmcblk", "nbd", "pmem", "rsxx", "skd", "mtip" };
	size_t i, len;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		len = strlen(prefixes[i]);
		if (strncmp(name, prefixes[i], len))
			continue;
		/* nvme0 (the controller, a character device) is no disk */
		if (!strcmp(prefixes[i], "nvme"))
			return strchr(name + len, 'n') != NULL;
		return name[len] != '\0';
	}
	return false;
}

static bool is_block_dir(const struct pt_blockstack *st, const char *dir)
{
	char p[PATH_MAX], sub[64], parent[PATH_MAX];
	size_t i;

	for (i = 0; i < st->nknown; i++)
		if (!strcmp(st->known[i], dir))
			return true;
	if (!pt_path_join(p, sizeof(p), dir, "subsystem") &&
	    !pt_link_name(p, sub, sizeof(sub)))
		return !strcmp(sub, "block");
	if (!sub_exists(dir, "dev"))
		return false;
	snprintf(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
	return sub_exists(dir, "holders") || sub_exists(dir, "partition") ||
	       !strcmp(base_name(parent), "block") || disk_name(base_name(dir));
}

int pt_blockstack_find_dir(const struct pt_blockstack *st, const char *dir)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(st->v[i].dir, dir))
			return (int)i;
	return -1;
}

int pt_blockstack_find_name(const struct pt_blockstack *st, const char *name)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(st->v[i].name, name))
			return (int)i;
	return -1;
}

int pt_blockstack_find_devnum(const struct pt_blockstack *st, unsigned int major,
			      unsigned int minor)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->v[i].has_dev && st->v[i].major == major && st->v[i].minor == minor)
			return (int)i;
	return -1;
}

/* Another parent of a member. */
static void add_parent(struct pt_block *d, int parent, int self)
{
	int k;

	if (parent < 0 || parent == self || d->nparent == PT_BLOCK_PARENTS)
		return;
	for (k = 0; k < d->nparent; k++)
		if (d->parent[k] == parent)
			return;
	d->parent[d->nparent++] = parent;
}

/* A member at dir, stacked on parent (-1: none): its index; *added when
 * new (-errno on failure). */
static int add(struct pt_blockstack *st, const char *dir, int parent,
	       enum pt_block_how how, bool *added)
{
	char p[PATH_MAX], buf[32];
	struct pt_block *d;
	int i = pt_blockstack_find_dir(st, dir);

	*added = false;
	if (i >= 0) {
		add_parent(&st->v[i], parent, i);
		return i;
	}
	if (strlen(base_name(dir)) > NAME_MAX)
		return -ENAMETOOLONG;
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 16;
		struct pt_block *v = realloc(st->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		st->v = v;
		st->cap = cap;
	}
	d = &st->v[st->n];
	memset(d, 0, sizeof(*d));
	d->dir = strdup(dir);
	if (!d->dir)
		return -ENOMEM;
	strcpy(d->name, base_name(dir));
	d->how = how;
	add_parent(d, parent, (int)st->n);
	if (!pt_path_join(p, sizeof(p), dir, "dev") &&
	    pt_read_file(p, buf, sizeof(buf)) > 0 &&
	    sscanf(buf, "%u:%u", &d->major, &d->minor) == 2)
		d->has_dev = true;
	*added = true;
	return (int)st->n++;
}

/* The block devices below dir (real directories, not links), each stacked
 * on the block device above it, if any. */
static int walk(struct pt_blockstack *st, const char *dir, int parent, int depth)
{
	char **v, p[PATH_MAX];
	size_t n, i;
	int err;

	if (depth > MAX_DEPTH)
		return 0;
	err = pt_dir_list(dir, false, &v, &n);
	for (i = 0; !err && i < n; i++) {
		bool added;
		int idx;

		if (pt_path_join(p, sizeof(p), dir, v[i]) || !is_dir(p))
			continue;
		if (!is_block_dir(st, p)) {
			err = walk(st, p, parent, depth + 1);
			continue;
		}
		idx = add(st, p, parent, parent >= 0 ? PT_BLOCK_PART : PT_BLOCK_BASE,
			  &added);
		if (idx < 0)
			err = idx;
		else if (added)
			err = walk(st, p, idx, depth + 1);
	}
	pt_strv_free(v, n);
	return err;
}

/* Whether an NVMe subsystem links to a controller below devreal. */
static int subsystem_ours(const char *sub, const char *devreal, bool *ours)
{
	char **links;
	size_t n, i;
	int err;

	*ours = false;
	err = pt_dir_list(sub, true, &links, &n);
	for (i = 0; !err && i < n; i++)
		*ours |= pt_path_below(links[i], devreal);
	pt_strv_free(links, n);
	return err;
}

/* The namespaces of the NVMe subsystems one of the device's controllers
 * belongs to (native multipath). */
static int nvme_subsystems(struct pt_blockstack *st, const char *devreal)
{
	static const char *const where[] = { "/class/nvme-subsystem",
		"/devices/virtual/nvme-subsystem" };
	char path[PATH_MAX], **subs, **seen = NULL;
	size_t nsub, nseen = 0, i, j, w;
	int err = 0;

	for (w = 0; !err && w < 2; w++) {
		if (pt_path(st->ctx, XENPT_DIR_SYS, path, sizeof(path), "%s", where[w]) ||
		    (err = pt_dir_list(path, true, &subs, &nsub)))
			continue;
		for (i = 0; !err && i < nsub; i++) {
			bool ours;

			for (j = 0; j < nseen && strcmp(seen[j], subs[i]); j++)
				;
			if (j < nseen)
				continue;	/* the class link and the device */
			err = subsystem_ours(subs[i], devreal, &ours);
			if (!err && ours)
				err = walk(st, subs[i], -1, 0);
			if (!err)
				err = pt_strv_add(&seen, &nseen, subs[i]);
		}
		pt_strv_free(subs, nsub);
	}
	pt_strv_free(seen, nseen);
	return err;
}

int pt_blockstack_match_node(const struct pt_blockstack *st, const char *node)
{
	char path[PATH_MAX], dmname[NAME_MAX + 1];
	struct stat sb;
	size_t i;
	int m;

	if (strncmp(node, "/dev/", 5))
		return -1;
	if (!pt_path(st->ctx, XENPT_DIR_DEV, path, sizeof(path), "/%s", node + 5) &&
	    !stat(path, &sb) && S_ISBLK(sb.st_mode)) {
		m = pt_blockstack_find_devnum(st, major(sb.st_rdev), minor(sb.st_rdev));
		if (m >= 0)
			return m;
	}
	m = pt_blockstack_find_name(st, node + 5);
	if (m >= 0 || strncmp(node + 5, "mapper/", 7))
		return m;
	for (i = 0; i < st->n; i++) {
		char p[PATH_MAX];

		if (!pt_path_join(p, sizeof(p), st->v[i].dir, "dm/name") &&
		    pt_read_file(p, dmname, sizeof(dmname)) > 0 &&
		    !strcmp(dmname, node + 12))
			return (int)i;
	}
	return -1;
}

/* The holders of member i, and their partitions. */
static int holders(struct pt_blockstack *st, int i)
{
	char p[PATH_MAX], **hv;
	size_t nh, k;
	int err;

	st->v[i].holders_done = true;
	if (pt_path_join(p, sizeof(p), st->v[i].dir, "holders"))
		return 0;
	err = pt_dir_list(p, true, &hv, &nh);
	for (k = 0; !err && k < nh; k++) {
		bool added;
		int h = add(st, hv[k], i, PT_BLOCK_HOLDER, &added);

		if (h < 0)
			err = h;
		else if (added)
			err = walk(st, hv[k], h, 0);	/* its partitions */
	}
	pt_strv_free(hv, nh);
	return err;
}

/* Loop devices whose backing file is a member's node. */
static int loops(struct pt_blockstack *st, bool *changed)
{
	static const char *const where[] = { "/class/block", "/devices/virtual/block" };
	char path[PATH_MAX], file[PATH_MAX], **v;
	size_t n, i, w;
	int err = 0;

	for (w = 0; !err && w < 2; w++) {
		if (pt_path(st->ctx, XENPT_DIR_SYS, path, sizeof(path), "%s", where[w]) ||
		    (err = pt_dir_list(path, true, &v, &n)))
			continue;
		for (i = 0; !err && i < n; i++) {
			bool added;
			int m, l;

			if (strncmp(base_name(v[i]), "loop", 4) ||
			    pt_blockstack_find_dir(st, v[i]) >= 0 ||
			    pt_path_join(path, sizeof(path), v[i], "loop/backing_file") ||
			    pt_read_file(path, file, sizeof(file)) <= 0)
				continue;
			m = pt_blockstack_match_node(st, file);
			if (m < 0)
				continue;
			l = add(st, v[i], m, PT_BLOCK_LOOP, &added);
			if (l < 0)
				err = l;
			else if (added && !(err = walk(st, v[i], l, 0)))
				*changed = true;
		}
		pt_strv_free(v, n);
	}
	return err;
}

int pt_blockstack_build(const struct xenpt_ctx *ctx, const char *devreal,
			struct pt_blockstack *st)
{
	char path[PATH_MAX];
	bool changed = true;
	size_t i;
	int err = 0;

	memset(st, 0, sizeof(*st));
	st->ctx = ctx;
	if (!pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/class/block"))
		err = pt_dir_list(path, true, &st->known, &st->nknown);
	if (!err)
		err = walk(st, devreal, -1, 0);
	if (!err)
		err = nvme_subsystems(st, devreal);
	/* stacked on them, to a fixed point */
	while (!err && st->n && changed) {
		changed = false;
		for (i = 0; !err && i < st->n; i++)
			if (!st->v[i].holders_done)
				err = holders(st, (int)i);
		if (!err)
			err = loops(st, &changed);
	}
	if (err)
		pt_blockstack_free(st);
	return err;
}

static void cover(struct pt_blockstack *st, int i, int depth)
{
	int k;

	if (i < 0 || depth > 32)
		return;
	st->v[i].covered = true;
	for (k = 0; k < st->v[i].nparent; k++)
		cover(st, st->v[i].parent[k], depth + 1);
}

void pt_blockstack_cover(struct pt_blockstack *st, int i)
{
	cover(st, i, 0);
}
