// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Does dom0 use the storage a device carries?  The block devices it
 * carries and what is stacked on them come from blockstack.c; here, who
 * holds any of them: mounted (/proc/self/mountinfo's MAJ:MIN, else
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
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blockstack.h"

struct mnt {
	char *src, *dst, *fstype;
	unsigned int major, minor;	/* 0:0 unknown (/proc/mounts) */
};

struct usage {
	struct pt_blockstack st;
	struct mnt *m;
	size_t nm;
};

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

static bool has_bcache(const char *dir)
{
	char p[PATH_MAX];

	return !pt_path_join(p, sizeof(p), dir, "bcache") && pt_exists(p);
}

static int add_mount(struct usage *u, const char *src, const char *dst,
		     const char *fstype, unsigned int major, unsigned int minor)
{
	struct mnt *m = realloc(u->m, (u->nm + 1) * sizeof(*m));

	if (!m)
		return -ENOMEM;
	u->m = m;
	m += u->nm;
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
	u->nm++;
	return 0;
}

/* /proc/self/mountinfo (MAJ:MIN: also /dev/root), else /proc/mounts. */
static int read_mounts(struct usage *u)
{
	char path[PATH_MAX], line[8192];
	bool info = true;
	FILE *f = NULL;
	int err = 0;

	if (!pt_path(u->st.ctx, XENPT_DIR_PROC, path, sizeof(path), "/self/mountinfo"))
		f = fopen(path, "re");
	if (!f) {
		info = false;
		if (pt_path(u->st.ctx, XENPT_DIR_PROC, path, sizeof(path), "/mounts") ||
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
			pt_usage_unescape(tok[0]);
			pt_usage_unescape(tok[1]);
			err = add_mount(u, tok[0], tok[1], tok[2], 0, 0);
			continue;
		}
		/* ID PARENT MAJ:MIN ROOT POINT OPTS [OPTIONAL...] - TYPE SOURCE SUPER */
		for (k = 6; k < n && strcmp(tok[k], "-"); k++)
			;
		if (n < 6 || k + 2 >= n || sscanf(tok[2], "%u:%u", &ma, &mi) != 2)
			continue;
		pt_usage_unescape(tok[4]);
		pt_usage_unescape(tok[k + 2]);
		err = add_mount(u, tok[k + 2], tok[4], tok[k + 1], ma, mi);
	}
	fclose(f);
	return err;
}

static void check_mounts(struct usage *u, struct pt_reasons *r)
{
	size_t i;
	int m;

	for (i = 0; i < u->nm; i++) {
		const struct mnt *x = &u->m[i];

		m = x->major ? pt_blockstack_find_devnum(&u->st, x->major, x->minor) : -1;
		if (m < 0)
			m = pt_blockstack_match_node(&u->st, x->src);
		if (m < 0)
			continue;
		pt_usage_reason(r, "%s (%s) is mounted on %s", x->src, u->st.v[m].name, x->dst);
		pt_blockstack_cover(&u->st, m);
	}
}

static void check_swaps(struct usage *u, struct pt_reasons *r)
{
	char path[PATH_MAX], line[4096], src[PATH_MAX];
	FILE *f;
	int m;

	if (pt_path(u->st.ctx, XENPT_DIR_PROC, path, sizeof(path), "/swaps") ||
	    !(f = fopen(path, "re")))
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%4095s", src) != 1)
			continue;
		pt_usage_unescape(src);
		m = pt_blockstack_match_node(&u->st, src);
		if (m < 0)
			continue;
		pt_usage_reason(r, "%s (%s) is used for swap", src, u->st.v[m].name);
		pt_blockstack_cover(&u->st, m);
	}
	fclose(f);
}

/* Where a btrfs whose devices are dv is mounted: a mount of one of them. */
static const char *btrfs_mount(const struct usage *u, char **dv, size_t ndv)
{
	size_t j, d;

	for (j = 0; j < u->nm; j++) {
		if (strcmp(u->m[j].fstype, "btrfs") || strncmp(u->m[j].src, "/dev/", 5))
			continue;
		for (d = 0; d < ndv; d++)
			if (!strcmp(dv[d], u->m[j].src + 5))
				return u->m[j].dst;
	}
	return NULL;
}

/* A mounted btrfs: /sys/fs/btrfs/FSID/ exists while it is; devices/ names
 * every device of it, any of which can be the one mount names. */
static int check_btrfs(struct usage *u, struct pt_reasons *r)
{
	char path[PATH_MAX], ddir[PATH_MAX], real[PATH_MAX], label[256], **fs, **dv;
	size_t nfs, ndv, i, k;
	int err;

	if (pt_path(u->st.ctx, XENPT_DIR_SYS, path, sizeof(path), "/fs/btrfs"))
		return 0;
	err = pt_dir_list(path, true, &fs, &nfs);
	for (i = 0; !err && i < nfs; i++) {
		const char *where;

		if (pt_path_join(ddir, sizeof(ddir), fs[i], "devices") ||
		    pt_dir_list(ddir, false, &dv, &ndv))
			continue;
		where = btrfs_mount(u, dv, ndv);
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
				m = pt_blockstack_find_dir(&u->st, real);
			if (m < 0)
				m = pt_blockstack_find_name(&u->st, dv[k]);
			if (m < 0)
				continue;
			if (where)
				pt_usage_reason(r, "%s is a device of the btrfs file system %s "
					      "mounted on %s", u->st.v[m].name, label, where);
			else
				pt_usage_reason(r, "%s is a device of the mounted btrfs file "
					      "system %s", u->st.v[m].name, label);
			pt_blockstack_cover(&u->st, m);
		}
		pt_strv_free(dv, ndv);
	}
	pt_strv_free(fs, nfs);
	return err;
}

/* A vdev of an imported ZFS pool: ZFS holds its vdevs without a sysfs
 * holder; udev's probe of the device names the pool, and the pool's kstat
 * directory exists while it is imported. */
static void check_zfs(struct usage *u, struct pt_reasons *r)
{
	char path[PATH_MAX], text[4096], type[64], pool[256];
	size_t i;

	for (i = 0; i < u->st.n; i++) {
		const struct pt_block *d = &u->st.v[i];
		char *p, *save = NULL;

		if (!d->has_dev ||
		    (size_t)snprintf(path, sizeof(path), "%s/udev/data/b%u:%u",
				     u->st.ctx->run, d->major, d->minor) >= sizeof(path) ||
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
		    pt_path(u->st.ctx, XENPT_DIR_PROC, path, sizeof(path),
			    "/spl/kstat/zfs/%s", pool) || !pt_exists(path))
			continue;
		pt_usage_reason(r, "%s is a vdev of the imported ZFS pool %s", d->name, pool);
		pt_blockstack_cover(&u->st, (int)i);
	}
}

/* blkback's vbd-DOMID-DEVID devices: physical_device "MAJ:MIN" in hex. */
static int check_blkback(struct usage *u, struct pt_reasons *r)
{
	char path[PATH_MAX], buf[64], **v;
	unsigned int ma, mi, dom, id;
	size_t n, i;
	int err, m;

	if (pt_path(u->st.ctx, XENPT_DIR_SYS, path, sizeof(path), "/bus/xen-backend/devices"))
		return 0;
	err = pt_dir_list(path, true, &v, &n);
	for (i = 0; !err && i < n; i++) {
		const char *b = base_name(v[i]);

		if (sscanf(b, "vbd-%u-%u", &dom, &id) != 2 ||
		    pt_path_join(path, sizeof(path), v[i], "physical_device") ||
		    pt_read_file(path, buf, sizeof(buf)) <= 0 ||
		    sscanf(buf, "%x:%x", &ma, &mi) != 2)
			continue;
		m = pt_blockstack_find_devnum(&u->st, ma, mi);
		if (m < 0)
			continue;
		pt_usage_reason(r, "%s is a disk of domain %u (blkback %s)", u->st.v[m].name,
			      dom, b);
		pt_blockstack_cover(&u->st, m);
	}
	pt_strv_free(v, n);
	return err;
}

/* Block targets: LIO's backstores (configfs core/HBA/DEV/udev_path) and
 * the NVMe target's enabled namespaces (nvmet/subsystems/NQN/namespaces/N
 * /device_path). */
static int check_targets(struct usage *u, struct pt_reasons *r)
{
	char path[PATH_MAX], node[PATH_MAX], en[8], **hba, **dv;
	size_t nh, nd, i, k;
	int err = 0, m;

	hba = NULL;
	nh = 0;
	if (!pt_path(u->st.ctx, XENPT_DIR_SYS, path, sizeof(path),
		     "/kernel/config/target/core"))
		err = pt_dir_list(path, true, &hba, &nh);
	for (i = 0; !err && i < nh; i++) {
		if (pt_dir_list(hba[i], true, &dv, &nd))
			continue;
		for (k = 0; k < nd; k++)
			if (!pt_path_join(path, sizeof(path), dv[k], "udev_path") &&
			    pt_read_file(path, node, sizeof(node)) > 0 &&
			    (m = pt_blockstack_match_node(&u->st, node)) >= 0) {
				pt_usage_reason(r, "%s is exported by the LIO target (%s/%s)",
					      u->st.v[m].name, base_name(hba[i]),
					      base_name(dv[k]));
				pt_blockstack_cover(&u->st, m);
			}
		pt_strv_free(dv, nd);
	}
	pt_strv_free(hba, nh);
	if (err || pt_path(u->st.ctx, XENPT_DIR_SYS, path, sizeof(path),
			   "/kernel/config/nvmet/subsystems"))
		return err;
	err = pt_dir_list(path, true, &hba, &nh);
	for (i = 0; !err && i < nh; i++) {
		if (pt_path_join(path, sizeof(path), hba[i], "namespaces") ||
		    pt_dir_list(path, true, &dv, &nd))
			continue;
		for (k = 0; k < nd; k++) {
			if (pt_path_join(path, sizeof(path), dv[k], "device_path") ||
			    pt_read_file(path, node, sizeof(node)) <= 0 ||
			    (m = pt_blockstack_match_node(&u->st, node)) < 0)
				continue;
			if (!pt_path_join(path, sizeof(path), dv[k], "enable") &&
			    pt_read_file(path, en, sizeof(en)) > 0 && strcmp(en, "1"))
				continue;	/* not enabled: not opened */
			pt_usage_reason(r, "%s is exported by the NVMe target (%s, namespace "
				      "%s)", u->st.v[m].name, base_name(hba[i]),
				      base_name(dv[k]));
			pt_blockstack_cover(&u->st, m);
		}
		pt_strv_free(dv, nd);
	}
	pt_strv_free(hba, nh);
	return err;
}

/* "(vg0-guest1)", "(luks-1234, dm-crypt)", "(raid1)" or "" */
static void holder_desc(const struct pt_block *h, char *buf, size_t size)
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
static void check_held(struct usage *u, struct pt_reasons *r)
{
	char desc[320];
	size_t i;
	int k;

	for (i = 0; i < u->st.n; i++) {
		struct pt_block *h = &u->st.v[i];

		if ((h->how != PT_BLOCK_HOLDER && h->how != PT_BLOCK_LOOP) || h->covered)
			continue;
		for (k = 0; k < h->nparent; k++) {
			const struct pt_block *p = &u->st.v[h->parent[k]];

			if (p->how == PT_BLOCK_HOLDER || p->how == PT_BLOCK_LOOP)
				continue;	/* said lower down */
			if (h->how == PT_BLOCK_LOOP) {
				pt_usage_reason(r, "%s is the backing file of %s", p->name,
					      h->name);
			} else {
				holder_desc(h, desc, sizeof(desc));
				pt_usage_reason(r, "%s is held by %s%s", p->name, h->name, desc);
			}
		}
		pt_blockstack_cover(&u->st, (int)i);
	}
	for (i = 0; i < u->st.n; i++)
		if (!u->st.v[i].covered && has_bcache(u->st.v[i].dir)) {
			pt_usage_reason(r, "%s is registered with bcache", u->st.v[i].name);
			pt_blockstack_cover(&u->st, (int)i);
		}
}

int pt_usage_storage(const struct xenpt_ctx *ctx, const char *devreal,
		     struct pt_reasons *r)
{
	struct usage u;
	size_t i;
	int err;

	memset(&u, 0, sizeof(u));
	err = pt_blockstack_build(ctx, devreal, &u.st);
	if (err || !u.st.n)
		goto out;
	err = read_mounts(&u);
	if (err)
		goto out;
	check_mounts(&u, r);
	check_swaps(&u, r);
	err = check_btrfs(&u, r);
	if (!err) {
		check_zfs(&u, r);
		err = check_blkback(&u, r);
	}
	if (!err)
		err = check_targets(&u, r);
	if (!err)
		check_held(&u, r);
out:
	for (i = 0; i < u.nm; i++) {
		free(u.m[i].src);
		free(u.m[i].dst);
		free(u.m[i].fstype);
	}
	free(u.m);
	pt_blockstack_free(&u.st);
	return err;
}
