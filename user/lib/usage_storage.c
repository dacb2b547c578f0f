// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Does dom0 use the storage a device carries?  First the block devices it
 * carries, then everything stacked on them, then who holds any of them.
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
 *
 * Held, when any member is: mounted (/proc/self/mountinfo's MAJ:MIN, else
 * /proc/mounts by node, name or /dev/mapper name), swap (/proc/swaps), a
 * device of a mounted btrfs (/sys/fs/btrfs/FSID/devices/, which exists
 * while it is mounted), a vdev of an imported ZFS pool (udev's probe,
 * /run/udev/data/bMAJ:MIN ID_FS_TYPE=zfs_member ID_FS_LABEL=POOL, and
 * /proc/spl/kstat/zfs/POOL), registered with bcache (its bcache/
 * directory: a cache device has no holder), a disk blkback serves a guest
 * (/sys/bus/xen-backend/devices/vbd-D-N/physical_device, hex MAJ:MIN), a
 * LIO target's backstore (configfs udev_path) or an enabled NVMe target
 * namespace (configfs device_path); and a holder or a loop device itself,
 * mounted or not (an LV a guest uses through blkback is held by its dm
 * device): "nvme0n1p1 is held by dm-0 (vg0-guest1)".  Each stack is named
 * once, at the highest point that says why.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "internal.h"

#define MAX_PARENTS	8
#define MAX_DEPTH	12

enum how { B_BASE, B_PART, B_HOLDER, B_LOOP };

struct bdev {
	char name[NAME_MAX + 1];
	char *dir;			/* real path */
	unsigned int major, minor;
	bool has_dev;
	enum how how;
	int parent[MAX_PARENTS];	/* the members it is stacked on */
	int nparent;
	bool holders_done;
	bool covered;			/* a reason names it or what is above */
};

struct mnt {
	char *src, *dst, *fstype;
	unsigned int major, minor;	/* 0:0 unknown (/proc/mounts) */
};

struct stack {
	const struct xenpt_ctx *ctx;
	struct bdev *v;
	size_t n, cap;
	char **known;			/* real paths of /sys/class/block/ */
	size_t nknown;
	struct mnt *m;
	size_t nm;
};

static void stack_free(struct stack *st)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		free(st->v[i].dir);
	free(st->v);
	for (i = 0; i < st->nknown; i++)
		free(st->known[i]);
	free(st->known);
	for (i = 0; i < st->nm; i++) {
		free(st->m[i].src);
		free(st->m[i].dst);
		free(st->m[i].fstype);
	}
	free(st->m);
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

/* The real paths of what a directory's entries point to (or are). */
static int list_dir(const char *dir, char ***out, size_t *count)
{
	struct dirent **ents;
	char **v;
	size_t k = 0;
	int n, i;

	*out = NULL;
	*count = 0;
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return 0;
	v = calloc((size_t)n + 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		char p[PATH_MAX], r[PATH_MAX];

		if (v && ents[i]->d_name[0] != '.' &&
		    !pt_path_join(p, sizeof(p), dir, ents[i]->d_name) && realpath(p, r))
			v[k++] = strdup(r);
		free(ents[i]);
	}
	free(ents);
	if (!v)
		return -ENOMEM;
	*out = v;
	*count = k;
	return 0;
}

static void free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
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

static bool is_block_dir(const struct stack *st, const char *dir)
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

static int find_dir(const struct stack *st, const char *dir)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(st->v[i].dir, dir))
			return (int)i;
	return -1;
}

static int find_name(const struct stack *st, const char *name)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(st->v[i].name, name))
			return (int)i;
	return -1;
}

static int find_devnum(const struct stack *st, unsigned int major, unsigned int minor)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->v[i].has_dev && st->v[i].major == major && st->v[i].minor == minor)
			return (int)i;
	return -1;
}

/* A member at dir, stacked on parent (-1: none): its index; *added when
 * new (-errno on failure). */
static int add(struct stack *st, const char *dir, int parent, enum how how,
	       bool *added)
{
	char p[PATH_MAX], buf[32];
	struct bdev *d;
	int i = find_dir(st, dir);

	*added = false;
	if (i >= 0) {
		d = &st->v[i];
		if (parent >= 0 && parent != i && d->nparent < MAX_PARENTS) {
			int k;

			for (k = 0; k < d->nparent && d->parent[k] != parent; k++)
				;
			if (k == d->nparent)
				d->parent[d->nparent++] = parent;
		}
		return i;
	}
	if (strlen(base_name(dir)) > NAME_MAX)
		return -ENAMETOOLONG;
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 16;
		struct bdev *v = realloc(st->v, cap * sizeof(*v));

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
	if (parent >= 0)
		d->parent[d->nparent++] = parent;
	if (!pt_path_join(p, sizeof(p), dir, "dev") &&
	    pt_read_file(p, buf, sizeof(buf)) > 0 &&
	    sscanf(buf, "%u:%u", &d->major, &d->minor) == 2)
		d->has_dev = true;
	*added = true;
	return (int)st->n++;
}

/* The block devices below dir (real directories, not links), each stacked
 * on the block device above it, if any. */
static int walk(struct stack *st, const char *dir, int parent, int depth)
{
	struct dirent **ents;
	int n, i, err = 0;

	if (depth > MAX_DEPTH)
		return 0;
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return 0;
	for (i = 0; i < n; i++) {
		char p[PATH_MAX];
		bool added;
		int idx;

		if (err || ents[i]->d_name[0] == '.' ||
		    pt_path_join(p, sizeof(p), dir, ents[i]->d_name) || !is_dir(p))
			goto next;
		if (is_block_dir(st, p)) {
			idx = add(st, p, parent, parent >= 0 ? B_PART : B_BASE, &added);
			if (idx < 0)
				err = idx;
			else if (added)
				err = walk(st, p, idx, depth + 1);
		} else {
			err = walk(st, p, parent, depth + 1);
		}
next:
		free(ents[i]);
	}
	free(ents);
	return err;
}

/* Adds a copy of s to the list v. */
static int remember(char ***v, size_t *n, const char *s)
{
	char **t = realloc(*v, (*n + 1) * sizeof(*t));

	if (!t)
		return -ENOMEM;
	*v = t;
	t[*n] = strdup(s);
	if (!t[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

/* The namespaces of the NVMe subsystems one of the device's controllers
 * belongs to (native multipath). */
static int nvme_subsystems(struct stack *st, const char *devreal)
{
	static const char *const where[] = { "/class/nvme-subsystem",
		"/devices/virtual/nvme-subsystem" };
	char path[PATH_MAX], **subs = NULL, **seen = NULL;
	size_t nsub, nseen = 0, i, w;
	int err = 0;

	for (w = 0; !err && w < 2; w++) {
		if (pt_path(st->ctx, XENPT_DIR_SYS, path, sizeof(path), "%s", where[w]))
			continue;
		err = list_dir(path, &subs, &nsub);
		for (i = 0; !err && i < nsub; i++) {
			char **links;
			size_t nl, k, j;
			bool ours = false;

			for (j = 0; j < nseen && strcmp(seen[j], subs[i]); j++)
				;
			if (j < nseen)
				continue;
			err = list_dir(subs[i], &links, &nl);
			for (k = 0; !err && k < nl; k++)
				ours |= pt_path_below(links[k], devreal);
			free_list(links, nl);
			if (!err && ours)
				err = walk(st, subs[i], -1, 0);
			if (!err)
				err = remember(&seen, &nseen, subs[i]);
		}
		free_list(subs, nsub);
		subs = NULL;
	}
	free_list(seen, nseen);
	return err;
}

/* A member a node names ("/dev/sdb1", "/dev/mapper/vg-home", a link in
 * /dev/disk/by-*): by device number through the (redirected) /dev, by
 * name, by device-mapper name. */
static int match_node(const struct stack *st, const char *node)
{
	char path[PATH_MAX], dmname[NAME_MAX + 1];
	struct stat sb;
	size_t i;
	int m;

	if (strncmp(node, "/dev/", 5))
		return -1;
	if (!pt_path(st->ctx, XENPT_DIR_DEV, path, sizeof(path), "/%s", node + 5) &&
	    !stat(path, &sb) && S_ISBLK(sb.st_mode)) {
		m = find_devnum(st, major(sb.st_rdev), minor(sb.st_rdev));
		if (m >= 0)
			return m;
	}
	m = find_name(st, node + 5);
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

static int holders(struct stack *st, int i)
{
	char p[PATH_MAX], **hv;
	size_t nh, k;
	int err;

	st->v[i].holders_done = true;
	if (pt_path_join(p, sizeof(p), st->v[i].dir, "holders"))
		return 0;
	err = list_dir(p, &hv, &nh);
	for (k = 0; !err && k < nh; k++) {
		bool added;
		int h = add(st, hv[k], i, B_HOLDER, &added);

		if (h < 0)
			err = h;
		else if (added)
			err = walk(st, hv[k], h, 0);	/* its partitions */
	}
	free_list(hv, nh);
	return err;
}

/* Loop devices whose backing file is a member's node. */
static int loops(struct stack *st, bool *changed)
{
	static const char *const where[] = { "/class/block", "/devices/virtual/block" };
	char path[PATH_MAX], file[PATH_MAX], **v;
	size_t n, i, w;
	int err = 0;

	for (w = 0; !err && w < 2; w++) {
		if (pt_path(st->ctx, XENPT_DIR_SYS, path, sizeof(path), "%s", where[w]))
			continue;
		err = list_dir(path, &v, &n);
		for (i = 0; !err && i < n; i++) {
			bool added;
			int m, l;

			if (strncmp(base_name(v[i]), "loop", 4) || find_dir(st, v[i]) >= 0 ||
			    pt_path_join(path, sizeof(path), v[i], "loop/backing_file") ||
			    pt_read_file(path, file, sizeof(file)) <= 0)
				continue;
			m = match_node(st, file);
			if (m < 0)
				continue;
			l = add(st, v[i], m, B_LOOP, &added);
			if (l < 0)
				err = l;
			else if (added && !(err = walk(st, v[i], l, 0)))
				*changed = true;
		}
		free_list(v, n);
	}
	return err;
}

/* Everything stacked on the bases, to a fixed point. */
static int stack_up(struct stack *st)
{
	bool changed = true;
	size_t i;
	int err = 0;

	while (!err && changed) {
		changed = false;
		for (i = 0; !err && i < st->n; i++)
			if (!st->v[i].holders_done)
				err = holders(st, (int)i);
		if (!err)
			err = loops(st, &changed);
	}
	return err;
}

static void cover(struct stack *st, int i, int depth)
{
	int k;

	if (i < 0 || depth > 32)
		return;
	st->v[i].covered = true;
	for (k = 0; k < st->v[i].nparent; k++)
		cover(st, st->v[i].parent[k], depth + 1);
}

/* --- what holds them ---------------------------------------------------- */

static int add_mount(struct stack *st, const char *src, const char *dst,
		     const char *fstype, unsigned int major, unsigned int minor)
{
	struct mnt *m = realloc(st->m, (st->nm + 1) * sizeof(*m));

	if (!m)
		return -ENOMEM;
	st->m = m;
	m += st->nm;
	m->src = strdup(src);
	m->dst = strdup(dst);
	m->fstype = strdup(fstype);
	m->major = major;
	m->minor = minor;
	if (!m->src || !m->dst || !m->fstype) {
		free(m->src);
		free(m->dst);
		free(m->fstype);
		return -ENOMEM;
	}
	st->nm++;
	return 0;
}

/* /proc/self/mountinfo (MAJ:MIN: also /dev/root), else /proc/mounts. */
static int read_mounts(struct stack *st)
{
	char path[PATH_MAX], line[8192];
	bool info = true;
	FILE *f = NULL;
	int err = 0;

	if (!pt_path(st->ctx, XENPT_DIR_PROC, path, sizeof(path), "/self/mountinfo"))
		f = fopen(path, "re");
	if (!f) {
		info = false;
		if (pt_path(st->ctx, XENPT_DIR_PROC, path, sizeof(path), "/mounts") ||
		    !(f = fopen(path, "re")))
			return 0;
	}
	while (!err && fgets(line, sizeof(line), f)) {
		char *tok[64], *save = NULL, *t;
		unsigned int ma = 0, mi = 0;
		int n = 0, k;

		for (t = strtok_r(line, " \n", &save); t && n < 64; t = strtok_r(NULL, " \n", &save))
			tok[n++] = t;
		if (!info) {
			if (n < 3)
				continue;
			pt_unescape_octal(tok[0]);
			pt_unescape_octal(tok[1]);
			err = add_mount(st, tok[0], tok[1], tok[2], 0, 0);
			continue;
		}
		/* ID PARENT MAJ:MIN ROOT POINT OPTS [OPTIONAL...] - TYPE SOURCE SUPER */
		for (k = 6; k < n && strcmp(tok[k], "-"); k++)
			;
		if (n < 6 || k + 2 >= n || sscanf(tok[2], "%u:%u", &ma, &mi) != 2)
			continue;
		pt_unescape_octal(tok[4]);
		pt_unescape_octal(tok[k + 2]);
		err = add_mount(st, tok[k + 2], tok[4], tok[k + 1], ma, mi);
	}
	fclose(f);
	return err;
}

static void check_mounts(struct stack *st, struct pt_reasons *r)
{
	size_t i;
	int m;

	for (i = 0; i < st->nm; i++) {
		const struct mnt *x = &st->m[i];

		m = x->major ? find_devnum(st, x->major, x->minor) : -1;
		if (m < 0)
			m = match_node(st, x->src);
		if (m < 0)
			continue;
		pt_reason_add(r, "%s (%s) is mounted on %s", x->src, st->v[m].name, x->dst);
		cover(st, m, 0);
	}
}

static void check_swaps(struct stack *st, struct pt_reasons *r)
{
	char path[PATH_MAX], line[4096], src[PATH_MAX];
	FILE *f;
	int m;

	if (pt_path(st->ctx, XENPT_DIR_PROC, path, sizeof(path), "/swaps") ||
	    !(f = fopen(path, "re")))
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%4095s", src) != 1)
			continue;
		pt_unescape_octal(src);
		m = match_node(st, src);
		if (m < 0)
			continue;
		pt_reason_add(r, "%s (%s) is used for swap", src, st->v[m].name);
		cover(st, m, 0);
	}
	fclose(f);
}

/* The names of a directory's entries (not "." ones). */
static int list_names(const char *dir, char ***out, size_t *count)
{
	struct dirent **ents;
	char **v;
	size_t k = 0;
	int n, i;

	*out = NULL;
	*count = 0;
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return 0;
	v = calloc((size_t)n + 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		if (v && ents[i]->d_name[0] != '.')
			v[k++] = strdup(ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	if (!v)
		return -ENOMEM;
	*out = v;
	*count = k;
	return 0;
}

/* Where a btrfs whose devices are dv is mounted: a mount of one of them. */
static const char *btrfs_mount(const struct stack *st, char **dv, size_t ndv)
{
	size_t j, d;

	for (j = 0; j < st->nm; j++) {
		if (strcmp(st->m[j].fstype, "btrfs") || strncmp(st->m[j].src, "/dev/", 5))
			continue;
		for (d = 0; d < ndv; d++)
			if (!strcmp(dv[d], st->m[j].src + 5))
				return st->m[j].dst;
	}
	return NULL;
}

/* A mounted btrfs: /sys/fs/btrfs/FSID/ exists while it is; devices/ names
 * every device of it, any of which can be the one mount names. */
static int check_btrfs(struct stack *st, struct pt_reasons *r)
{
	char path[PATH_MAX], ddir[PATH_MAX], real[PATH_MAX], label[256], **fs, **dv;
	size_t nfs, ndv, i, k;
	int err;

	if (pt_path(st->ctx, XENPT_DIR_SYS, path, sizeof(path), "/fs/btrfs"))
		return 0;
	err = list_dir(path, &fs, &nfs);
	for (i = 0; !err && i < nfs; i++) {
		const char *where;

		if (pt_path_join(ddir, sizeof(ddir), fs[i], "devices") ||
		    list_names(ddir, &dv, &ndv))
			continue;
		where = btrfs_mount(st, dv, ndv);
		label[0] = '"';
		if (pt_path_join(path, sizeof(path), fs[i], "label") ||
		    pt_read_file(path, label + 1, sizeof(label) - 2) <= 0)
			snprintf(label, sizeof(label), "%s", base_name(fs[i]));
		else
			strcat(label, "\"");
		for (k = 0; k < ndv; k++) {
			int m = -1;

			if (!pt_path_join(path, sizeof(path), ddir, dv[k]) &&
			    realpath(path, real))
				m = find_dir(st, real);
			if (m < 0)
				m = find_name(st, dv[k]);
			if (m < 0)
				continue;
			if (where)
				pt_reason_add(r, "%s is a device of the btrfs file system %s "
					      "mounted on %s", st->v[m].name, label, where);
			else
				pt_reason_add(r, "%s is a device of the mounted btrfs file "
					      "system %s", st->v[m].name, label);
			cover(st, m, 0);
		}
		free_list(dv, ndv);
	}
	free_list(fs, nfs);
	return err;
}

/* A vdev of an imported ZFS pool: ZFS holds its vdevs without a sysfs
 * holder; udev's probe of the device names the pool, and the pool's kstat
 * directory exists while it is imported. */
static void check_zfs(struct stack *st, struct pt_reasons *r)
{
	char path[PATH_MAX], text[4096], type[64], pool[256];
	size_t i;

	for (i = 0; i < st->n; i++) {
		const struct bdev *d = &st->v[i];
		char *p, *save = NULL;

		if (!d->has_dev ||
		    (size_t)snprintf(path, sizeof(path), "%s/udev/data/b%u:%u",
				     st->ctx->run, d->major, d->minor) >= sizeof(path) ||
		    pt_read_file(path, text, sizeof(text)) <= 0)
			continue;
		type[0] = pool[0] = '\0';
		for (p = strtok_r(text, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
			if (!strncmp(p, "E:ID_FS_TYPE=", 13))
				snprintf(type, sizeof(type), "%s", p + 13);
			else if (!strncmp(p, "E:ID_FS_LABEL=", 14))
				snprintf(pool, sizeof(pool), "%s", p + 14);
		}
		if (strcmp(type, "zfs_member") || !pool[0] || strchr(pool, '/') ||
		    pt_path(st->ctx, XENPT_DIR_PROC, path, sizeof(path),
			    "/spl/kstat/zfs/%s", pool) || !pt_exists(path))
			continue;
		pt_reason_add(r, "%s is a vdev of the imported ZFS pool %s", d->name, pool);
		cover(st, (int)i, 0);
	}
}

/* blkback's vbd-DOMID-DEVID devices: physical_device "MAJ:MIN" in hex. */
static int check_blkback(struct stack *st, struct pt_reasons *r)
{
	char path[PATH_MAX], buf[64], **v;
	unsigned int ma, mi, dom, id;
	size_t n, i;
	int err, m;

	if (pt_path(st->ctx, XENPT_DIR_SYS, path, sizeof(path), "/bus/xen-backend/devices"))
		return 0;
	err = list_dir(path, &v, &n);
	for (i = 0; !err && i < n; i++) {
		const char *b = base_name(v[i]);

		if (sscanf(b, "vbd-%u-%u", &dom, &id) != 2 ||
		    pt_path_join(path, sizeof(path), v[i], "physical_device") ||
		    pt_read_file(path, buf, sizeof(buf)) <= 0 ||
		    sscanf(buf, "%x:%x", &ma, &mi) != 2)
			continue;
		m = find_devnum(st, ma, mi);
		if (m < 0)
			continue;
		pt_reason_add(r, "%s is a disk of domain %u (blkback %s)", st->v[m].name,
			      dom, b);
		cover(st, m, 0);
	}
	free_list(v, n);
	return err;
}

/* Block targets: LIO's backstores (configfs core/HBA/DEV/udev_path) and
 * the NVMe target's enabled namespaces (nvmet/subsystems/NQN/namespaces/N
 * /device_path). */
static int check_targets(struct stack *st, struct pt_reasons *r)
{
	char path[PATH_MAX], node[PATH_MAX], en[8], **hba, **dv;
	size_t nh, nd, i, k;
	int err = 0, m;

	hba = NULL;
	nh = 0;
	if (!pt_path(st->ctx, XENPT_DIR_SYS, path, sizeof(path),
		     "/kernel/config/target/core"))
		err = list_dir(path, &hba, &nh);
	for (i = 0; !err && i < nh; i++) {
		if (list_dir(hba[i], &dv, &nd))
			continue;
		for (k = 0; k < nd; k++)
			if (!pt_path_join(path, sizeof(path), dv[k], "udev_path") &&
			    pt_read_file(path, node, sizeof(node)) > 0 &&
			    (m = match_node(st, node)) >= 0) {
				pt_reason_add(r, "%s is exported by the LIO target (%s/%s)",
					      st->v[m].name, base_name(hba[i]),
					      base_name(dv[k]));
				cover(st, m, 0);
			}
		free_list(dv, nd);
	}
	free_list(hba, nh);
	if (err || pt_path(st->ctx, XENPT_DIR_SYS, path, sizeof(path),
			   "/kernel/config/nvmet/subsystems"))
		return err;
	err = list_dir(path, &hba, &nh);
	for (i = 0; !err && i < nh; i++) {
		if (pt_path_join(path, sizeof(path), hba[i], "namespaces") ||
		    list_dir(path, &dv, &nd))
			continue;
		for (k = 0; k < nd; k++) {
			if (pt_path_join(path, sizeof(path), dv[k], "device_path") ||
			    pt_read_file(path, node, sizeof(node)) <= 0 ||
			    (m = match_node(st, node)) < 0)
				continue;
			if (!pt_path_join(path, sizeof(path), dv[k], "enable") &&
			    pt_read_file(path, en, sizeof(en)) > 0 && strcmp(en, "1"))
				continue;	/* not enabled: not opened */
			pt_reason_add(r, "%s is exported by the NVMe target (%s, namespace "
				      "%s)", st->v[m].name, base_name(hba[i]),
				      base_name(dv[k]));
			cover(st, m, 0);
		}
		free_list(dv, nd);
	}
	free_list(hba, nh);
	return err;
}

/* "(vg0-guest1)", "(luks-1234, dm-crypt)", "(raid1)" or "" */
static void holder_desc(const struct bdev *h, char *buf, size_t size)
{
	static const struct { const char *prefix, *kind; } dm_kinds[] = {
		{ "CRYPT-", "dm-crypt" }, { "LVM-", "LVM" }, { "mpath-", "multipath" },
		{ "part", "partition" }, { "DMRAID-", "dmraid" }, { "VDO-", "VDO" },
	};
	char p[PATH_MAX], name[NAME_MAX + 1], uuid[256], level[32];
	const char *kind = NULL;
	size_t i;

	buf[0] = '\0';
	if (!pt_path_join(p, sizeof(p), h->dir, "dm/name") &&
	    pt_read_file(p, name, sizeof(name)) > 0) {
		if (!pt_path_join(p, sizeof(p), h->dir, "dm/uuid") &&
		    pt_read_file(p, uuid, sizeof(uuid)) > 0)
			for (i = 0; i < sizeof(dm_kinds) / sizeof(dm_kinds[0]); i++)
				if (!strncmp(uuid, dm_kinds[i].prefix, strlen(dm_kinds[i].prefix)))
					kind = dm_kinds[i].kind;
		snprintf(buf, size, " (%s%s%s)", name, kind ? ", " : "", kind ? kind : "");
	} else if (!pt_path_join(p, sizeof(p), h->dir, "md/level") &&
		   pt_read_file(p, level, sizeof(level)) > 0) {
		snprintf(buf, size, " (%s)", level);
	}
}

/* What holds a base with nothing else to say: its holder or loop device
 * (held even unmounted), a bcache registration. */
static void check_held(struct stack *st, struct pt_reasons *r)
{
	char desc[320];
	size_t i;
	int k;

	for (i = 0; i < st->n; i++) {
		struct bdev *h = &st->v[i];

		if ((h->how != B_HOLDER && h->how != B_LOOP) || h->covered)
			continue;
		for (k = 0; k < h->nparent; k++) {
			const struct bdev *p = &st->v[h->parent[k]];

			if (p->how == B_HOLDER || p->how == B_LOOP)
				continue;	/* said lower down */
			if (h->how == B_LOOP) {
				pt_reason_add(r, "%s is the backing file of %s", p->name,
					      h->name);
			} else {
				holder_desc(h, desc, sizeof(desc));
				pt_reason_add(r, "%s is held by %s%s", p->name, h->name, desc);
			}
		}
		cover(st, (int)i, 0);
	}
	for (i = 0; i < st->n; i++)
		if (!st->v[i].covered && sub_exists(st->v[i].dir, "bcache")) {
			pt_reason_add(r, "%s is registered with bcache", st->v[i].name);
			cover(st, (int)i, 0);
		}
}

int pt_usage_storage(const struct xenpt_ctx *ctx, const char *devreal,
		     struct pt_reasons *r)
{
	struct stack st = { .ctx = ctx };
	char path[PATH_MAX];
	int err;

	if (!pt_path(ctx, XENPT_DIR_SYS, path, sizeof(path), "/class/block")) {
		err = list_dir(path, &st.known, &st.nknown);
		if (err)
			goto out;
	}
	err = walk(&st, devreal, -1, 0);
	if (!err)
		err = nvme_subsystems(&st, devreal);
	if (err || !st.n)
		goto out;
	err = stack_up(&st);
	if (!err)
		err = read_mounts(&st);
	if (err)
		goto out;
	check_mounts(&st, r);
	check_swaps(&st, r);
	err = check_btrfs(&st, r);
	if (!err) {
		check_zfs(&st, r);
		err = check_blkback(&st, r);
	}
	if (!err)
		err = check_targets(&st, r);
	if (!err)
		check_held(&st, r);
out:
	stack_free(&st);
	return err;
}
