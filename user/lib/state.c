// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The persistent store below the state directory (default /var/lib/xenpt):
 *
 *   lock             flock()ed by every assignment call (serializes processes
 *                    and threads: each call opens its own descriptor)
 *   devices/<bdf>    one record per device xenpt assigned: its original
 *                    driver, whether it is persistent, its name, whether
 *                    xenpt put it in Xen's quarantine
 *   journal/<bdf>    intent record of an operation in progress, rewritten
 *                    before each step; present after a crash only
 *
 * Files are "key=value" lines, replaced atomically: temp file, fsync,
 * rename, fsync of the directory.  They survive reboots.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define STATE_VERSION "1"

static int subdir(const struct xenpt_ctx *ctx, const char *sub, char *buf,
		  size_t size)
{
	return pt_path(ctx, XENPT_DIR_STATE, buf, size, "%s%s", *sub ? "/" : "",
		       sub);
}

int pt_state_lock(const struct xenpt_ctx *ctx, int *out)
{
	char path[PATH_MAX];
	int err;

	err = subdir(ctx, "", path, sizeof(path));
	if (!err)
		err = pt_mkdir_p(path, 0755);
	if (err)
		return err;
	err = pt_path(ctx, XENPT_DIR_STATE, path, sizeof(path), "/lock");
	if (err)
		return err;
	return pt_lock_file(path, out);
}

void pt_state_unlock(int fd)
{
	pt_unlock_file(fd);
}

static int read_text(const struct xenpt_ctx *ctx, const char *sub,
		     const char *bdf, char *buf, size_t size)
{
	char path[PATH_MAX];
	int n;

	n = pt_path(ctx, XENPT_DIR_STATE, path, sizeof(path), "/%s/%s", sub, bdf);
	if (n)
		return n;
	n = pt_read_file(path, buf, size);
	if (n < 0)
		return n;
	if ((size_t)n >= size - 1)
		return -EFBIG;
	return 0;
}

static int write_text(const struct xenpt_ctx *ctx, const char *sub,
		      const char *bdf, const char *text)
{
	char dir[PATH_MAX];
	int err;

	err = subdir(ctx, sub, dir, sizeof(dir));
	if (!err)
		err = pt_mkdir_p(dir, 0755);
	if (err)
		return err;
	return pt_atomic_write(dir, bdf, text, strlen(text));
}

static int del_file(const struct xenpt_ctx *ctx, const char *sub,
		    const char *bdf)
{
	char dir[PATH_MAX];
	int err;

	err = subdir(ctx, sub, dir, sizeof(dir));
	if (err)
		return err;
	return pt_unlink_sync(dir, bdf);
}

/* A driver name as the kernel makes them: no '/', no newline, not empty */
static bool valid_name(const char *s)
{
	return !strpbrk(s, "/\n=") && strcmp(s, ".") && strcmp(s, "..");
}

/* A device's name: 1..XENPT_NAME_MAX printable characters without blanks
 * (as xl), and none of the characters that separate the fields of a PCI
 * spec or a BDF (, = @ : / and *), so that a name never reads as a BDF. */
bool pt_name_valid(const char *name)
{
	size_t i, n = strlen(name);

	if (!n || n > XENPT_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c <= ' ' || c >= 0x7f || strchr(",=@:/*", c))
			return false;
	}
	return true;
}

PT_EXPORT int xenpt_name_check(const char *name)
{
	return name && pt_name_valid(name) ? 0 : -EINVAL;
}

bool pt_record_same(const struct pt_record *a, const struct pt_record *b)
{
	return !strcmp(a->driver, b->driver) && a->persist == b->persist &&
	       !strcmp(a->name, b->name) && a->quarantine == b->quarantine;
}

/* The fields of a record in text, under keys with prefix. */
static int record_parse(const char *text, const char *prefix,
			struct pt_record *rec)
{
	char key[32];

	memset(rec, 0, sizeof(*rec));
	snprintf(key, sizeof(key), "%sdriver", prefix);
	if (pt_kv_get(text, key, rec->driver, sizeof(rec->driver)) ||
	    !valid_name(rec->driver))
		return -EBADMSG;
	snprintf(key, sizeof(key), "%spersist", prefix);
	rec->persist = pt_kv_bool(text, key);
	snprintf(key, sizeof(key), "%squarantine", prefix);
	rec->quarantine = pt_kv_bool(text, key);
	snprintf(key, sizeof(key), "%sname", prefix);
	switch (pt_kv_get(text, key, rec->name, sizeof(rec->name))) {
	case 0:
		if (rec->name[0] && !pt_name_valid(rec->name))
			return -EBADMSG;
		break;
	case -ENOENT:		/* records of xenpt 1.0 */
		rec->name[0] = '\0';
		break;
	default:
		return -EBADMSG;
	}
	return 0;
}

static size_t record_text(char *buf, size_t size, const char *prefix,
			  const struct pt_record *rec)
{
	int n = snprintf(buf, size, "%sdriver=%s\n%spersist=%d\n%sname=%s\n"
			 "%squarantine=%d\n", prefix, rec->driver, prefix,
			 rec->persist, prefix, rec->name, prefix, rec->quarantine);

	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

static bool record_valid(const struct pt_record *rec)
{
	return valid_name(rec->driver) && (!rec->name[0] || pt_name_valid(rec->name));
}

int pt_record_get(const struct xenpt_ctx *ctx, const char *bdf,
		  struct pt_record *rec)
{
	char text[512];
	int err;

	err = read_text(ctx, "devices", bdf, text, sizeof(text));
	if (err)
		return err;
	return record_parse(text, "", rec);
}

int pt_record_put(const struct xenpt_ctx *ctx, const char *bdf,
		  const struct pt_record *rec)
{
	char text[512];
	size_t n;

	if (!record_valid(rec))
		return -EINVAL;
	n = (size_t)snprintf(text, sizeof(text), "version=" STATE_VERSION "\n");
	record_text(text + n, sizeof(text) - n, "", rec);
	return write_text(ctx, "devices", bdf, text);
}

int pt_record_del(const struct xenpt_ctx *ctx, const char *bdf)
{
	return del_file(ctx, "devices", bdf);
}

static int names_in(const struct xenpt_ctx *ctx, const char *sub,
		    char (**names)[XENPT_BDF_STRLEN], size_t *count)
{
	char dir[PATH_MAX];
	struct dirent **ents;
	char (*out)[XENPT_BDF_STRLEN];
	size_t k = 0;
	int n, i, err;

	*names = NULL;
	*count = 0;
	err = subdir(ctx, sub, dir, sizeof(dir));
	if (err)
		return err;
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return errno == ENOENT ? 0 : -errno;
	out = calloc((size_t)n + 1, sizeof(*out));
	for (i = 0; i < n; i++) {
		struct xenpt_bdf b;

		/* skips ".", "..", temp files ".name.tmp" */
		if (out && xenpt_bdf_parse(ents[i]->d_name, &b) == 0 &&
		    !b.all_fns && strlen(ents[i]->d_name) < XENPT_BDF_STRLEN)
			xenpt_bdf_format(&b, out[k++], XENPT_BDF_STRLEN);
		free(ents[i]);
	}
	free(ents);
	if (!out)
		return -ENOMEM;
	*names = out;
	*count = k;
	return 0;
}

int pt_record_names(const struct xenpt_ctx *ctx,
		    char (**names)[XENPT_BDF_STRLEN], size_t *count)
{
	return names_in(ctx, "devices", names, count);
}

int pt_journal_get(const struct xenpt_ctx *ctx, const char *bdf,
		   struct pt_journal *j)
{
	char text[1024];
	int err;

	err = read_text(ctx, "journal", bdf, text, sizeof(text));
	if (err)
		return err;
	memset(j, 0, sizeof(*j));
	if (pt_kv_get(text, "op", j->op, sizeof(j->op)) ||
	    (strcmp(j->op, "add") && strcmp(j->op, "remove")) ||
	    pt_kv_get(text, "bdf", j->bdf, sizeof(j->bdf)) ||
	    strcmp(j->bdf, bdf) || record_parse(text, "", &j->rec))
		return -EBADMSG;
	pt_kv_get(text, "step", j->step, sizeof(j->step));
	if (pt_kv_get(text, "from", j->from, sizeof(j->from)) == -ENAMETOOLONG ||
	    !valid_name(j->from))
		return -EBADMSG;
	j->rebind = pt_kv_bool(text, "rebind");
	j->had_record = pt_kv_bool(text, "had_record");
	if (j->had_record && !strcmp(j->op, "add") &&
	    record_parse(text, "old_", &j->old))
		return -EBADMSG;
	j->slot_added = pt_kv_bool(text, "slot_added");
	j->slot_removed = pt_kv_bool(text, "slot_removed");
	return 0;
}

int pt_journal_put(const struct xenpt_ctx *ctx, const struct pt_journal *j)
{
	char text[1024];
	size_t n;

	if (!record_valid(&j->rec) || !valid_name(j->from) ||
	    (j->had_record && !record_valid(&j->old)))
		return -EINVAL;
	n = (size_t)snprintf(text, sizeof(text),
		 "version=" STATE_VERSION "\nop=%s\nbdf=%s\nstep=%s\nfrom=%s\n"
		 "rebind=%d\nhad_record=%d\nslot_added=%d\nslot_removed=%d\n",
		 j->op, j->bdf, j->step, j->from, j->rebind, j->had_record,
		 j->slot_added, j->slot_removed);
	n += record_text(text + n, sizeof(text) - n, "", &j->rec);
	if (j->had_record && !strcmp(j->op, "add"))
		record_text(text + n, sizeof(text) - n, "old_", &j->old);
	return write_text(ctx, "journal", j->bdf, text);
}

int pt_journal_del(const struct xenpt_ctx *ctx, const char *bdf)
{
	return del_file(ctx, "journal", bdf);
}

int pt_journal_names(const struct xenpt_ctx *ctx,
		     char (**names)[XENPT_BDF_STRLEN], size_t *count)
{
	return names_in(ctx, "journal", names, count);
}
