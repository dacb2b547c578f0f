// SPDX-License-Identifier: GPL-2.0
/*
 * The state store: records, journal, atomic replacement (with write,
 * fsync and rename failures injected by fakesys.so), the lock between
 * processes and threads, persistence across contexts, udev rule text.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "harness.h"
#include "internal.h"

#define BDF "0000:00:04.0"
#define REC "/var/lib/xenpt/devices/" BDF

static struct fx fx;

FX_TEST(record_roundtrip, 0)
{
	struct pt_record rec = { .driver = "e1000", .persist = true }, got;
	char (*names)[XENPT_BDF_STRLEN];
	size_t n;

	CHECK_INT(pt_record_get(ctx, BDF, &got), ==, -ENOENT);
	CHECK_INT(pt_record_put(ctx, BDF, &rec), ==, 0);
	CHECK_INT(pt_record_get(ctx, BDF, &got), ==, 0);
	CHECK_STR(got.driver, "e1000");
	CHECK(got.persist);
	rec.persist = false;
	snprintf(rec.driver, sizeof(rec.driver), "%s", "");
	CHECK_INT(pt_record_put(ctx, "0000:00:03.0", &rec), ==, 0);
	CHECK_INT(pt_record_get(ctx, "0000:00:03.0", &got), ==, 0);
	CHECK_STR(got.driver, "");
	CHECK(!got.persist);
	CHECK_INT(pt_record_names(ctx, &names, &n), ==, 0);
	CHECK_INT(n, ==, 2);
	CHECK_STR(names[0], "0000:00:03.0");	/* sorted */
	CHECK_STR(names[1], BDF);
	free(names);
	CHECK_INT(pt_record_del(ctx, BDF), ==, 0);
	CHECK_INT(pt_record_get(ctx, BDF, &got), ==, -ENOENT);
	CHECK_INT(pt_record_del(ctx, BDF), ==, -ENOENT);
	/* name and quarantine */
	snprintf(rec.name, sizeof(rec.name), "gpu-0");
	rec.quarantine = true;
	CHECK_INT(pt_record_put(ctx, BDF, &rec), ==, 0);
	CHECK_INT(pt_record_get(ctx, BDF, &got), ==, 0);
	CHECK_STR(got.name, "gpu-0");
	CHECK(got.quarantine);
	CHECK(pt_record_same(&rec, &got));
	/* a record of xenpt 1.0: no name, no quarantine */
	CHECK_INT(fx_put(&fx, REC, "version=1\ndriver=e1000\npersist=1\n"), ==, 0);
	CHECK_INT(pt_record_get(ctx, BDF, &got), ==, 0);
	CHECK_STR(got.name, "");
	CHECK(got.persist && !got.quarantine);
}

/* Names: as xl (<= 64 printable characters, no blanks), and never
 * anything that reads as a BDF or breaks a PCI spec string. */
FX_TEST(names_are_validated, 0)
{
	struct pt_record rec = { .driver = "e1000" };
	char longest[XENPT_NAME_MAX + 2];

	CHECK_INT(xenpt_name_check("gpu"), ==, 0);
	CHECK_INT(xenpt_name_check("nic-1_a.b+c"), ==, 0);
	memset(longest, 'x', sizeof(longest));
	longest[XENPT_NAME_MAX] = '\0';
	CHECK_INT(xenpt_name_check(longest), ==, 0);
	longest[XENPT_NAME_MAX] = 'x';
	longest[XENPT_NAME_MAX + 1] = '\0';
	CHECK_INT(xenpt_name_check(longest), ==, -EINVAL);
	CHECK_INT(xenpt_name_check(""), ==, -EINVAL);
	CHECK_INT(xenpt_name_check(NULL), ==, -EINVAL);
	CHECK_INT(xenpt_name_check("a b"), ==, -EINVAL);
	CHECK_INT(xenpt_name_check("a\tb"), ==, -EINVAL);
	CHECK_INT(xenpt_name_check("00:04.0"), ==, -EINVAL);
	CHECK_INT(xenpt_name_check("a,b"), ==, -EINVAL);
	CHECK_INT(xenpt_name_check("a=b"), ==, -EINVAL);
	CHECK_INT(xenpt_name_check("a@1"), ==, -EINVAL);
	CHECK_INT(xenpt_name_check("a/b"), ==, -EINVAL);
	CHECK_INT(xenpt_name_check("a*"), ==, -EINVAL);
	CHECK_INT(xenpt_name_check("caf\xc3\xa9"), ==, -EINVAL);
	snprintf(rec.name, sizeof(rec.name), "a b");
	CHECK_INT(pt_record_put(ctx, BDF, &rec), ==, -EINVAL);
	CHECK_INT(fx_put(&fx, REC, "driver=e1000\nname=a:b\n"), ==, 0);
	CHECK_INT(pt_record_get(ctx, BDF, &rec), ==, -EBADMSG);
}

FX_TEST(record_rejects_bad_driver_names, 0)
{
	struct pt_record rec = { .driver = "a/b" };

	CHECK_INT(pt_record_put(ctx, BDF, &rec), ==, -EINVAL);
	snprintf(rec.driver, sizeof(rec.driver), "x\ny");
	CHECK_INT(pt_record_put(ctx, BDF, &rec), ==, -EINVAL);
	snprintf(rec.driver, sizeof(rec.driver), "..");
	CHECK_INT(pt_record_put(ctx, BDF, &rec), ==, -EINVAL);
	CHECK(!fx_exists(&fx, REC));
}

FX_TEST(record_corrupt_is_ebadmsg, 0)
{
	struct pt_record got;

	CHECK_INT(fx_put(&fx, REC, "garbage\n"), ==, 0);
	CHECK_INT(pt_record_get(ctx, BDF, &got), ==, -EBADMSG);
	CHECK_INT(fx_put(&fx, REC, "driver=../../x\n"), ==, 0);
	CHECK_INT(pt_record_get(ctx, BDF, &got), ==, -EBADMSG);
}

FX_TEST(journal_roundtrip_and_validation, 0)
{
	struct pt_journal j = { 0 }, got;
	char (*names)[XENPT_BDF_STRLEN];
	size_t n;

	snprintf(j.op, sizeof(j.op), "remove");
	snprintf(j.bdf, sizeof(j.bdf), BDF);
	snprintf(j.rec.driver, sizeof(j.rec.driver), "e1000");
	snprintf(j.step, sizeof(j.step), "rebind");
	snprintf(j.from, sizeof(j.from), "pciback");
	j.rebind = j.slot_removed = j.had_record = true;
	j.rec.quarantine = true;
	CHECK_INT(pt_journal_put(ctx, &j), ==, 0);
	CHECK_INT(pt_journal_get(ctx, BDF, &got), ==, 0);
	CHECK_STR(got.op, "remove");
	CHECK_STR(got.rec.driver, "e1000");
	CHECK_STR(got.step, "rebind");
	CHECK_STR(got.from, "pciback");
	CHECK(got.rebind && got.slot_removed && got.had_record && got.rec.quarantine);
	CHECK(!got.rec.persist && !got.slot_added);
	CHECK_INT(pt_journal_names(ctx, &names, &n), ==, 0);
	CHECK_INT(n, ==, 1);
	free(names);
	/* an add keeps the record it replaces, exactly */
	memset(&j, 0, sizeof(j));
	snprintf(j.op, sizeof(j.op), "add");
	snprintf(j.bdf, sizeof(j.bdf), BDF);
	snprintf(j.from, sizeof(j.from), "e1000");
	snprintf(j.rec.driver, sizeof(j.rec.driver), "e1000");
	snprintf(j.rec.name, sizeof(j.rec.name), "nic");
	j.rec.persist = true;
	j.had_record = true;
	snprintf(j.old.driver, sizeof(j.old.driver), "igb");
	snprintf(j.old.name, sizeof(j.old.name), "old-name");
	j.old.persist = true;
	j.old.quarantine = true;
	CHECK_INT(pt_journal_put(ctx, &j), ==, 0);
	CHECK_INT(pt_journal_get(ctx, BDF, &got), ==, 0);
	CHECK(pt_record_same(&got.rec, &j.rec));
	CHECK(pt_record_same(&got.old, &j.old));
	CHECK_STR(got.old.name, "old-name");
	/* a journal naming another device, or an unknown op, is corrupt */
	CHECK_INT(fx_put(&fx, "/var/lib/xenpt/journal/" BDF,
			 "op=add\nbdf=0000:00:03.0\ndriver=e1000\n"), ==, 0);
	CHECK_INT(pt_journal_get(ctx, BDF, &got), ==, -EBADMSG);
	CHECK_INT(fx_put(&fx, "/var/lib/xenpt/journal/" BDF,
			 "op=frob\nbdf=" BDF "\ndriver=e1000\n"), ==, 0);
	CHECK_INT(pt_journal_get(ctx, BDF, &got), ==, -EBADMSG);
	CHECK_INT(pt_journal_del(ctx, BDF), ==, 0);
	CHECK_INT(pt_journal_get(ctx, BDF, &got), ==, -ENOENT);
}

FX_TEST(names_skip_temp_and_foreign_files, 0)
{
	char (*names)[XENPT_BDF_STRLEN];
	size_t n;

	fx_put(&fx, "/var/lib/xenpt/devices/." BDF ".tmp", "driver=x\n");
	fx_put(&fx, "/var/lib/xenpt/devices/README", "x\n");
	fx_put(&fx, "/var/lib/xenpt/devices/0000:00:05.*", "x\n");
	fx_put(&fx, REC, "driver=e1000\n");
	CHECK_INT(pt_record_names(ctx, &names, &n), ==, 0);
	CHECK_INT(n, ==, 1);
	CHECK_STR(names[0], BDF);
	free(names);
}

FX_TEST(atomic_write_replaces_without_leftovers, 0)
{
	struct pt_record rec = { .driver = "e1000" };
	char buf[256];

	CHECK_INT(pt_record_put(ctx, BDF, &rec), ==, 0);
	snprintf(rec.driver, sizeof(rec.driver), "igb");
	CHECK_INT(pt_record_put(ctx, BDF, &rec), ==, 0);
	CHECK(fx_get(&fx, REC, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "driver=igb"));
	CHECK(!fx_exists(&fx, "/var/lib/xenpt/devices/." BDF ".tmp"));
}

/* a failure at any point of the replacement keeps the old content */
static void atomic_failure(const char *rule)
{
	struct xenpt_ctx *ctx = fx_open(&fx, 0);
	struct pt_record rec = { .driver = "e1000" }, got;

	CHECK(ctx);
	CHECK_INT(pt_record_put(ctx, BDF, &rec), ==, 0);
	CHECK_INT(fx_put(&fx, "/.fake/fail", rule), ==, 0);
	snprintf(rec.driver, sizeof(rec.driver), "igb");
	CHECK(pt_record_put(ctx, BDF, &rec) < 0);
	CHECK_INT(pt_record_get(ctx, BDF, &got), ==, 0);
	CHECK_STR(got.driver, "e1000");
	CHECK(!fx_exists(&fx, "/var/lib/xenpt/devices/." BDF ".tmp"));
	fx_close(&fx, ctx);
}

TEST(atomic_write_failure_of_write_keeps_old)
{
	if (!fx_preloaded())
		return;
	atomic_failure("write /devices/." BDF ".tmp 0 ENOSPC\n");
}

TEST(atomic_write_failure_of_fsync_keeps_old)
{
	if (!fx_preloaded())
		return;
	atomic_failure("fsync /devices/." BDF ".tmp 0 EIO\n");
}

TEST(atomic_write_failure_of_rename_keeps_old)
{
	if (!fx_preloaded())
		return;
	atomic_failure("rename /devices/" BDF " 0 EROFS\n");
}

TEST(state_survives_a_new_context)
{
	struct xenpt_ctx *ctx = fx_open(&fx, 0), *ctx2;
	struct pt_record rec = { .driver = "e1000", .persist = true }, got;

	CHECK(ctx);
	CHECK_INT(pt_record_put(ctx, BDF, &rec), ==, 0);
	xenpt_ctx_unref(ctx);
	ctx2 = fx_ctx(&fx);	/* "after a reboot": nothing in memory */
	CHECK(ctx2);
	CHECK_INT(pt_record_get(ctx2, BDF, &got), ==, 0);
	CHECK_STR(got.driver, "e1000");
	CHECK(got.persist);
	fx_close(&fx, ctx2);
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

FX_TEST(lock_serializes_processes, 0)
{
	int fd, status, i;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		int cfd;

		if (pt_state_lock(ctx, &cfd))
			_exit(1);
		fx_put(&fx, "/in", "1");
		sleep_ms(300);
		fx_put(&fx, "/out", "1");
		pt_state_unlock(cfd);
		_exit(0);
	}
	for (i = 0; i < 500 && !fx_exists(&fx, "/in"); i++)
		sleep_ms(10);
	CHECK(fx_exists(&fx, "/in"));
	CHECK_INT(pt_state_lock(ctx, &fd), ==, 0);
	CHECK(fx_exists(&fx, "/out"));	/* waited for the child */
	pt_state_unlock(fd);
	waitpid(pid, &status, 0);
	CHECK_INT(status, ==, 0);
}

static int inside, max_inside;

static void *locker(void *arg)
{
	struct xenpt_ctx *ctx = arg;
	int i, fd, now;

	for (i = 0; i < 50; i++) {
		if (pt_state_lock(ctx, &fd))
			return NULL;
		now = __atomic_add_fetch(&inside, 1, __ATOMIC_SEQ_CST);
		if (now > max_inside)
			max_inside = now;
		sleep_ms(1);
		__atomic_sub_fetch(&inside, 1, __ATOMIC_SEQ_CST);
		pt_state_unlock(fd);
	}
	return NULL;
}

FX_TEST(lock_serializes_threads, 0)
{
	pthread_t t[4];
	int i;

	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, locker, ctx);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK_INT(max_inside, ==, 1);
}

TEST(kv_parsing)
{
	char v[8];

	CHECK_INT(pt_kv_get("a=1\nab=2\nb=3", "b", v, sizeof(v)), ==, 0);
	CHECK_STR(v, "3");
	CHECK_INT(pt_kv_get("a=1\nab=2\n", "ab", v, sizeof(v)), ==, 0);
	CHECK_STR(v, "2");
	CHECK_INT(pt_kv_get("a=1\n", "c", v, sizeof(v)), ==, -ENOENT);
	CHECK_INT(pt_kv_get("a=123456789\n", "a", v, sizeof(v)), ==, -ENAMETOOLONG);
	CHECK_INT(pt_kv_get("a=\n", "a", v, sizeof(v)), ==, 0);
	CHECK_STR(v, "");
}

FX_TEST(udev_rules_follow_persistent_records, 0)
{
	struct pt_record p = { .driver = "e1000", .persist = true }, np = { .driver = "igb" };
	char buf[2048];

	CHECK_INT(pt_record_put(ctx, BDF, &p), ==, 0);
	CHECK_INT(pt_record_put(ctx, "0000:00:05.0", &np), ==, 0);
	CHECK_INT(xenpt_udev_rules_update(ctx), ==, 0);
	CHECK(fx_get(&fx, "/etc/udev/rules.d/60-xenpt.rules", buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "SUBSYSTEM==\"pci\", KERNEL==\"" BDF "\", "
		     "ATTR{driver_override}=\"pciback\""));
	CHECK(!strstr(buf, "0000:00:05.0"));
	CHECK_INT(pt_record_del(ctx, BDF), ==, 0);
	CHECK_INT(xenpt_udev_rules_update(ctx), ==, 0);
	CHECK(!fx_exists(&fx, "/etc/udev/rules.d/60-xenpt.rules"));
	CHECK_INT(xenpt_udev_rules_update(ctx), ==, 0);	/* none: fine */
}

int main(int argc, char **argv)
{
	return t_main(argc, argv);
}
