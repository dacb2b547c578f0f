/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Generic helpers of libxenpt (as kmod's shared/): small files, numbers,
 * paths, atomic replacement, key=value text.  Nothing here knows about
 * PCI, Xen or the context; all of it is internal (hidden): pt_*.
 * Errors are -errno.
 */
#ifndef XENPT_UTIL_H
#define XENPT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PT_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Thread-safe strerror into a caller's buffer (err > 0). */
const char *pt_strerror(int err, char *buf, size_t size);
#define PT_ERRBUF 64
#define pt_serr(err, buf) pt_strerror(err, buf, sizeof(buf))

/* Strict unsigned parse of the whole string; -EINVAL otherwise. */
int pt_parse_uint(const char *s, int base, unsigned long max, unsigned long *v);

/* Small files (sysfs attributes, state records) */
/* The content, trailing newlines and spaces stripped: its length. */
int pt_read_file(const char *path, char *buf, size_t size);
/* pt_read_file + pt_parse_uint */
int pt_read_uint(const char *path, int base, unsigned long *val);
/* One write of str to an existing file (no O_CREAT, no O_TRUNC): for
 * attributes that act, such as sysfs's. */
int pt_write_file(const char *path, const char *str);
/* 1 when a line of the file (newline stripped) is line, 0 when not. */
int pt_file_has_line(const char *path, const char *line);
/* The last component of a symlink's target. */
int pt_link_name(const char *path, char *buf, size_t size);
bool pt_exists(const char *path);

/* Paths and directories */
/* dir/name into buf; -ENAMETOOLONG when it does not fit. */
int pt_path_join(char *buf, size_t size, const char *dir, const char *name);
/* Is the real path of path below dir (itself a real path)? */
bool pt_path_below(const char *path, const char *dir);
int pt_mkdir_p(const char *path, mode_t mode);
/* Replaces dir/name with data: a temp file dir/.name.tmp, written and
 * fsynced, renamed over it, then the directory fsynced.  On failure the
 * old content stays and no temp file is left. */
int pt_atomic_write(const char *dir, const char *name, const char *data,
		    size_t len);
/* Removes dir/name and fsyncs the directory. */
int pt_unlink_sync(const char *dir, const char *name);
/* The entries of dir (not "." ones), sorted: with real, the real paths of
 * what they are or link to (dangling links left out); else their names.
 * A missing directory is empty.  pt_strv_free() the array. */
int pt_dir_list(const char *dir, bool real, char ***out, size_t *count);
void pt_strv_free(char **v, size_t n);
/* Appends a copy of s to *v. */
int pt_strv_add(char ***v, size_t *n, const char *s);

/* key=value lines */
/* The value of key: 0, -ENOENT, or -ENAMETOOLONG when size is too small. */
int pt_kv_get(const char *text, const char *key, char *out, size_t size);
/* Whether key is there with the value "1". */
bool pt_kv_bool(const char *text, const char *key);

/* Locks */
/* Opens (creating it, mode 0600) and flock()s path exclusively, waiting
 * for other holders: the descriptor in *fd. */
int pt_lock_file(const char *path, int *fd);
/* Closes the descriptor, which releases the lock; fd < 0: nothing. */
void pt_unlock_file(int fd);

#endif
