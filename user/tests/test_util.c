// SPDX-License-Identifier: GPL-2.0
/* The generic helpers of lib/util.c: files, numbers, paths, locks. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "harness.h"
#include "internal.h"

static struct fx fx;

/* fx.root/rel */
static const char *at(const char *rel)
{
	static char p[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s%s", fx.root, rel);
	return p[k];
}

FX_TEST(util_parse_uint_is_strict, 0)
{
	unsigned long v;

	CHECK_INT(pt_parse_uint("42", 10, 100, &v), ==, 0);
	CHECK_INT(v, ==, 42);
	CHECK_INT(pt_parse_uint("0x1f", 16, 100, &v), ==, 0);
	CHECK_INT(v, ==, 31);
	CHECK_INT(pt_parse_uint("101", 10, 100, &v), ==, -EINVAL);
	CHECK_INT(pt_parse_uint("", 10, 100, &v), ==, -EINVAL);
	CHECK_INT(pt_parse_uint("-1", 10, 100, &v), ==, -EINVAL);
	CHECK_INT(pt_parse_uint("+1", 10, 100, &v), ==, -EINVAL);
	CHECK_INT(pt_parse_uint(" 1", 10, 100, &v), ==, -EINVAL);
	CHECK_INT(pt_parse_uint("1 ", 10, 100, &v), ==, -EINVAL);
	CHECK_INT(pt_parse_uint(NULL, 10, 100, &v), ==, -EINVAL);
}

FX_TEST(util_small_files, 0)
{
	unsigned long v;
	char buf[8];

	CHECK_INT(fx_put(&fx, "/f", "abc \n\n"), ==, 0);
	CHECK_INT(pt_read_file(at("/f"), buf, sizeof(buf)), ==, 3);
	CHECK_STR(buf, "abc");
	CHECK_INT(fx_put(&fx, "/long", "0123456789"), ==, 0);
	CHECK_INT(pt_read_file(at("/long"), buf, sizeof(buf)), ==, 7);	/* truncated */
	CHECK_INT(pt_read_file(at("/none"), buf, sizeof(buf)), ==, -ENOENT);
	CHECK_INT(fx_put(&fx, "/n", "0x8086\n"), ==, 0);
	CHECK_INT(pt_read_uint(at("/n"), 16, &v), ==, 0);
	CHECK_INT(v, ==, 0x8086);
	/* an attribute: it must exist, and is written in place */
	CHECK_INT(pt_write_file(at("/none"), "1"), ==, -ENOENT);
	CHECK_INT(pt_write_file(at("/f"), "xy"), ==, 0);
	CHECK_INT(pt_read_file(at("/f"), buf, sizeof(buf)), ==, 3);
	CHECK_STR(buf, "xyc");
	CHECK(pt_exists(at("/f")));
	CHECK(!pt_exists(at("/none")));
}

FX_TEST(util_file_has_line, 0)
{
	CHECK_INT(fx_put(&fx, "/slots", "0000:00:04.0\n0000:00:05.0\n"), ==, 0);
	CHECK_INT(pt_file_has_line(at("/slots"), "0000:00:05.0"), ==, 1);
	CHECK_INT(pt_file_has_line(at("/slots"), "0000:00:05"), ==, 0);
	CHECK_INT(pt_file_has_line(at("/none"), "x"), ==, -ENOENT);
}

FX_TEST(util_link_name, 0)
{
	char buf[16], small[4];

	CHECK_INT(symlink("../../bus/pci/drivers/e1000", at("/l")), ==, 0);
	CHECK_INT(pt_link_name(at("/l"), buf, sizeof(buf)), ==, 0);
	CHECK_STR(buf, "e1000");
	CHECK_INT(pt_link_name(at("/l"), small, sizeof(small)), ==, -ENAMETOOLONG);
	CHECK_INT(pt_link_name(at("/none"), buf, sizeof(buf)), ==, -ENOENT);
}

FX_TEST(util_paths, 0)
{
	char buf[16], real[512];

	CHECK_INT(pt_path_join(buf, sizeof(buf), "/a/b", "c"), ==, 0);
	CHECK_STR(buf, "/a/b/c");
	CHECK_INT(pt_path_join(buf, sizeof(buf), "/a/b", "0123456789a"), ==, -ENAMETOOLONG);
	CHECK_INT(pt_mkdir_p(at("/x/y/z"), 0755), ==, 0);
	CHECK_INT(pt_mkdir_p(at("/x/y/z"), 0755), ==, 0);	/* exists: fine */
	CHECK(pt_exists(at("/x/y/z")));
	CHECK(realpath(at("/x"), real));
	CHECK(pt_path_below(at("/x/y/z"), real));
	CHECK(!pt_path_below(at("/x"), real));		/* itself: not below */
	CHECK_INT(symlink(at("/x/y"), at("/ly")), ==, 0);
	CHECK(pt_path_below(at("/ly/z"), real));	/* by its real path */
	CHECK(!pt_path_below(at("/none"), real));
}

FX_TEST(util_atomic_write_and_unlink, 0)
{
	char buf[32];

	CHECK_INT(pt_mkdir_p(at("/d"), 0755), ==, 0);
	CHECK_INT(pt_atomic_write(at("/d"), "r", "one\n", 4), ==, 0);
	CHECK_INT(pt_atomic_write(at("/d"), "r", "two\n", 4), ==, 0);
	CHECK_INT(fx_get(&fx, "/d/r", buf, sizeof(buf)), ==, 3);
	CHECK_STR(buf, "two");
	CHECK(!fx_exists(&fx, "/d/.r.tmp"));
	CHECK_INT(pt_atomic_write(at("/none"), "r", "x", 1), ==, -ENOENT);
	CHECK_INT(pt_unlink_sync(at("/d"), "r"), ==, 0);
	CHECK(!fx_exists(&fx, "/d/r"));
	CHECK_INT(pt_unlink_sync(at("/d"), "r"), ==, -ENOENT);
}

TEST(util_key_value_lines)
{
	char v[8];

	CHECK_INT(pt_kv_get("a=1\nb=x", "b", v, sizeof(v)), ==, 0);
	CHECK_STR(v, "x");
	CHECK(pt_kv_bool("a=1\nb=0\n", "a"));
	CHECK(!pt_kv_bool("a=1\nb=0\n", "b"));
	CHECK(!pt_kv_bool("a=1\nb=0\n", "c"));
	CHECK(!pt_kv_bool("a=11\n", "a"));
}

FX_TEST(util_lock_file, 0)
{
	struct stat st;
	int fd, fd2, flags;

	CHECK_INT(pt_lock_file(at("/lock"), &fd), ==, 0);
	CHECK_INT(fstat(fd, &st), ==, 0);
	CHECK_INT(st.st_mode & 0777, ==, 0600);
	flags = fcntl(fd, F_GETFD);
	CHECK(flags >= 0 && (flags & FD_CLOEXEC));
	/* another descriptor cannot take it meanwhile */
	fd2 = open(at("/lock"), O_RDWR | O_CLOEXEC);
	CHECK(fd2 >= 0);
	CHECK_INT(flock(fd2, LOCK_EX | LOCK_NB), ==, -1);
	pt_unlock_file(fd);
	CHECK_INT(flock(fd2, LOCK_EX | LOCK_NB), ==, 0);
	close(fd2);
	pt_unlock_file(-1);	/* nothing */
	CHECK_INT(pt_lock_file(at("/none/lock"), &fd), ==, -ENOENT);
}

int main(int argc, char **argv)
{
	return t_main(argc, argv);
}
