// SPDX-License-Identifier: GPL-2.0
/*
 * Assignment to pciback against the fake kernel (run with fakesys.so
 * preloaded): the paths that succeed, the refusals, and a fault injected
 * at every step of add and remove (an errno, a lie, a crash before or
 * after the step), after which the device must be on its original driver
 * (or fully assigned) with a consistent state store.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "fixture.h"
#include "harness.h"
#include "xenpt.h"

#define BDF "0000:00:04.0"

static struct fx fx;

#define NEED_FAKE() \
	do { \
		if (!fx_preloaded()) { \
			t_fail(__FILE__, __LINE__, "needs LD_PRELOAD=fakesys.so"); \
			return; \
		} \
	} while (0)

/* a test on a fresh tree that needs the fake kernel */
#define FAKE_TEST(name, flags) \
	FX_TEST_IF(name, flags, fx_preloaded(), "needs LD_PRELOAD=fakesys.so")

static int add(struct xenpt_ctx *ctx, const char *bdf, unsigned int flags)
{
	struct xenpt_bdf b;

	if (xenpt_bdf_parse(bdf, &b))
		return -100;
	return xenpt_assignable_add(ctx, &b, flags);
}

static int rm(struct xenpt_ctx *ctx, const char *bdf, unsigned int flags)
{
	struct xenpt_bdf b;

	if (xenpt_bdf_parse(bdf, &b))
		return -100;
	return xenpt_assignable_remove(ctx, &b, flags);
}

static bool has_slot(const char *bdf)
{
	char buf[1024];

	return fx_get(&fx, "/sys/bus/pci/drivers/pciback/slots", buf, sizeof(buf)) > 0 &&
	       strstr(buf, bdf);
}

static void override_of(const char *bdf, char *buf, size_t size)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/driver_override", bdf);
	if (fx_get(&fx, rel, buf, size) < 0)
		snprintf(buf, size, "?");
}

static bool file_exists(const char *dir, const char *bdf)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "/var/lib/xenpt/%s/%s", dir, bdf);
	return fx_exists(&fx, rel);
}

/* Whether Xen (the fake libxenctrl) has the device in its quarantine. */
static bool in_quarantine(const char *bdf)
{
	char buf[1024], want[16], *line, *save = NULL;
	struct xenpt_bdf b;
	uint32_t sbdf;

	if (xenpt_bdf_parse(bdf, &b) || xenpt_bdf_to_sbdf(&b, &sbdf) ||
	    fx_get(&fx, "/.fake/xc.quarantined", buf, sizeof(buf)) <= 0)
		return false;
	snprintf(want, sizeof(want), "%x", sbdf);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strcmp(line, want))
			return true;
	return false;
}

static bool xc_log_has(const char *s)
{
	static char buf[1 << 16];

	return fx_get(&fx, "/.fake/xc.log", buf, sizeof(buf)) >= 0 && strstr(buf, s);
}

/* On its original driver, nothing left behind, out of the quarantine. */
static bool is_clean(const char *bdf, const char *drv, char *why, size_t size)
{
	char cur[64], ov[64];

	fx_driver(&fx, bdf, cur, sizeof(cur));
	override_of(bdf, ov, sizeof(ov));
	if (strcmp(cur, drv))
		snprintf(why, size, "driver \"%s\", not \"%s\"", cur, drv);
	else if (strcmp(ov, "(null)"))
		snprintf(why, size, "driver_override \"%s\"", ov);
	else if (has_slot(bdf))
		snprintf(why, size, "pciback slot left");
	else if (file_exists("devices", bdf))
		snprintf(why, size, "record left");
	else if (file_exists("journal", bdf))
		snprintf(why, size, "journal left");
	else if (in_quarantine(bdf))
		snprintf(why, size, "still in Xen's quarantine");
	else
		return true;
	return false;
}

/* On pciback, its driver remembered, no journal, in Xen's quarantine as
 * its record says. */
static bool is_assigned(const char *bdf, const char *orig, char *why, size_t size)
{
	char cur[64], rec[256], rel[128], want[80];

	fx_driver(&fx, bdf, cur, sizeof(cur));
	snprintf(rel, sizeof(rel), "/var/lib/xenpt/devices/%s", bdf);
	snprintf(want, sizeof(want), "driver=%s\n", orig);
	if (strcmp(cur, "pciback"))
		snprintf(why, size, "driver \"%s\", not pciback", cur);
	else if (fx_get(&fx, rel, rec, sizeof(rec)) < 0 || !strstr(rec, want))
		snprintf(why, size, "no record of %s", orig);
	else if (file_exists("journal", bdf))
		snprintf(why, size, "journal left");
	else if (in_quarantine(bdf) != (strstr(rec, "quarantine=1") != NULL))
		snprintf(why, size, "quarantine %d, record says otherwise",
			 in_quarantine(bdf));
	else
		return true;
	return false;
}

/* is(bdf, drv, why, size) holds, or the test fails saying why not */
#define CHECK_WHERE(is, what, bdf, drv) \
	do { \
		char w_[128]; \
		if (!is(bdf, drv, w_, sizeof(w_))) { \
			t_fail(__FILE__, __LINE__, "%s not %s: %s", bdf, what, w_); \
			return; \
		} \
	} while (0)
#define CHECK_CLEAN(bdf, drv) CHECK_WHERE(is_clean, "clean", bdf, drv)
#define CHECK_ASSIGNED(bdf, drv) CHECK_WHERE(is_assigned, "assigned", bdf, drv)

static bool log_has(const char *s)
{
	static char buf[1 << 16];

	return fx_get(&fx, "/.fake/log", buf, sizeof(buf)) >= 0 && strstr(buf, s);
}

static bool sys_writes_in_log(void)
{
	return log_has("write /sys/");
}

/* --- the paths that work ------------------------------------------------ */

FAKE_TEST(add_binds_through_driver_override, 0)
{
	char ov[64];

	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	CHECK_ASSIGNED(BDF, "e1000");
	override_of(BDF, ov, sizeof(ov));
	CHECK_STR(ov, "pciback");
	CHECK(log_has("write /sys/bus/pci/devices/" BDF "/driver_override pciback -> ok"));
	CHECK(log_has("write /sys/bus/pci/drivers/e1000/unbind " BDF " -> ok"));
	CHECK(log_has("write /sys/bus/pci/drivers_probe " BDF " -> ok"));
	CHECK(!log_has("new_slot"));	/* not needed with driver_override */
	CHECK(!has_slot(BDF));
}

FAKE_TEST(add_is_idempotent, 0)
{
	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	fx_put(&fx, "/.fake/log", "");
	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	CHECK_ASSIGNED(BDF, "e1000");
	CHECK(!sys_writes_in_log());
	CHECK(!log_has("rename"));	/* the state store did not change */
}

FAKE_TEST(add_old_pciback_falls_back_to_new_slot_and_bind, FX_OLD_PCIBACK)
{
	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	CHECK_ASSIGNED(BDF, "e1000");
	CHECK(has_slot(BDF));
	CHECK(log_has("write /sys/bus/pci/drivers/pciback/new_slot " BDF " -> ok"));
	CHECK(log_has("write /sys/bus/pci/drivers/pciback/bind " BDF " -> ok"));
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, 0);
	CHECK_CLEAN(BDF, "e1000");
}

FAKE_TEST(remove_rebinds_the_remembered_driver_by_bind_file, 0)
{
	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	fx_put(&fx, "/.fake/log", "");
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, 0);
	CHECK_CLEAN(BDF, "e1000");
	CHECK(log_has("write /sys/bus/pci/drivers/pciback/unbind " BDF " -> ok"));
	CHECK(log_has("write /sys/bus/pci/drivers/e1000/bind " BDF " -> ok"));
}

FAKE_TEST(remove_without_rebind_leaves_it_unbound, 0)
{
	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	CHECK_INT(rm(ctx, BDF, 0), ==, 0);
	CHECK_CLEAN(BDF, "");
}

FAKE_TEST(remove_of_a_device_not_on_pciback_fails, 0)
{
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, -ENODEV);
	CHECK(strstr(fx_last_error, BDF ": not assignable"));
	CHECK(!sys_writes_in_log());
	CHECK_INT(rm(ctx, "0000:00:09.0", 0), ==, -ENODEV);
	CHECK(strstr(fx_last_error, "no such PCI device"));
}

FAKE_TEST(remove_rebind_needs_the_driver_loaded, 0)
{
	char p[512];

	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	/* "rmmod e1000" */
	snprintf(p, sizeof(p), "rm -rf '%s/sys/bus/pci/drivers/e1000'", fx.root);
	CHECK_INT(system(p), ==, 0);
	fx_put(&fx, "/.fake/log", "");
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, -ENOENT);
	CHECK(strstr(fx_last_error, "e1000: driver not loaded"));
	CHECK_ASSIGNED(BDF, "e1000");
	CHECK(!sys_writes_in_log());
}

FAKE_TEST(remove_of_a_device_assigned_by_someone_else, 0)
{
	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	fx_rm(&fx, "/var/lib/xenpt/devices/" BDF);	/* e.g. xl pci-assignable-add */
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, 0);
	CHECK_CLEAN(BDF, "e1000");	/* drivers_probe found it a driver */
}

FAKE_TEST(add_and_remove_an_unbound_device, 0)
{
	CHECK_INT(add(ctx, "0000:02:00.0", 0), ==, 0);
	CHECK_ASSIGNED("0000:02:00.0", "");
	CHECK_INT(rm(ctx, "0000:02:00.0", 0), ==, 0);
	CHECK_CLEAN("0000:02:00.0", "");
}

FAKE_TEST(add_on_another_segment, 0)
{
	CHECK_INT(add(ctx, "0001:00:02.0", 0), ==, 0);
	CHECK_ASSIGNED("0001:00:02.0", "e1000");
	CHECK_INT(rm(ctx, "0001:00:02.0", XENPT_REMOVE_REBIND), ==, 0);
	CHECK_CLEAN("0001:00:02.0", "e1000");
}

/* --- refusals --------------------------------------------------------------- */

FAKE_TEST(add_refuses_a_disk_dom0_mounted, 0)
{
	CHECK_INT(add(ctx, "0000:00:1f.2", 0), ==, -EBUSY);
	CHECK(strstr(fx_last_error, "0000:00:1f.2: in use by dom0: /dev/sda1"));
	CHECK(strstr(fx_last_error, "--force"));
	CHECK_CLEAN("0000:00:1f.2", "ahci");
	CHECK(!sys_writes_in_log());
}

FAKE_TEST(add_refuses_an_interface_that_is_up, 0)
{
	CHECK_INT(add(ctx, "0000:00:03.0", 0), ==, -EBUSY);
	CHECK(strstr(fx_last_error, "eth0 is up"));
	CHECK_CLEAN("0000:00:03.0", "e1000");
}

FAKE_TEST(add_force_takes_a_device_in_use, 0)
{
	CHECK_INT(add(ctx, "0000:00:1f.2", XENPT_ASSIGN_FORCE), ==, 0);
	CHECK_ASSIGNED("0000:00:1f.2", "ahci");
}

FAKE_TEST(add_without_pciback_loaded, FX_NO_PCIBACK)
{
	CHECK_INT(add(ctx, BDF, 0), ==, -ENOENT);
	CHECK(strstr(fx_last_error, "modprobe xen-pciback"));
	CHECK_CLEAN(BDF, "e1000");
	CHECK(!sys_writes_in_log());
}

/* A PVH dom0 under Xen 4.17 cannot pass devices through: refused, untouched. */
FAKE_TEST(add_refuses_xen_before_4_20_on_pvh, 0)
{
	fx_put(&fx, "/sys/hypervisor/version/major", "4\n");
	fx_put(&fx, "/sys/hypervisor/version/minor", "17\n");
	CHECK_INT(add(ctx, BDF, 0), ==, -EOPNOTSUPP);
	CHECK(strstr(fx_last_error, "Xen 4.17 cannot pass devices through from a PVH dom0"));
	CHECK_CLEAN(BDF, "e1000");
	/* --force: on pciback all the same (no libxenctrl.so.4.17 here: no
	 * quarantine either) */
	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_FORCE | XENPT_ASSIGN_NO_QUARANTINE), ==, 0);
	CHECK_ASSIGNED(BDF, "e1000");
	/* Xen 4.20 and later, or 5.x: fine */
	fx_put(&fx, "/sys/hypervisor/version/minor", "20\n");
	CHECK_INT(add(ctx, "0000:00:05.0", 0), ==, 0);
	fx_put(&fx, "/sys/hypervisor/version/major", "5\n");
	fx_put(&fx, "/sys/hypervisor/version/minor", "0\n");
	CHECK_INT(add(ctx, "0000:00:05.1", XENPT_ASSIGN_NO_QUARANTINE), ==, 0);
}

/* A PV dom0 has passed devices through for long: Xen 4.17 is fine there. */
FAKE_TEST(add_on_pv_dom0_any_xen, FX_PV)
{
	fx_put(&fx, "/sys/hypervisor/version/major", "4\n");
	fx_put(&fx, "/sys/hypervisor/version/minor", "17\n");
	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_NO_QUARANTINE), ==, 0);
	CHECK_ASSIGNED(BDF, "e1000");
}

FAKE_TEST(add_of_a_missing_device, 0)
{
	struct xenpt_bdf b;

	CHECK_INT(add(ctx, "0000:00:09.0", 0), ==, -ENODEV);
	CHECK(strstr(fx_last_error, "0000:00:09.0: no such PCI device"));
	xenpt_bdf_parse("00:04.*", &b);
	CHECK_INT(xenpt_assignable_add(ctx, &b, 0), ==, -EINVAL);
	CHECK_INT(add(ctx, BDF, 1U << 9), ==, -EINVAL);
}

FAKE_TEST(add_reports_group_and_function_peers, 0)
{
	/* strict: refused, untouched */
	CHECK_INT(add(ctx, "0000:00:05.0", XENPT_ASSIGN_STRICT), ==, -EBUSY);
	CHECK(strstr(fx_last_error, "related device is not assignable"));
	CHECK_CLEAN("0000:00:05.0", "igb");
	/* default: a warning, done */
	CHECK_INT(add(ctx, "0000:00:05.0", 0), ==, 0);
	CHECK_ASSIGNED("0000:00:05.0", "igb");
}

FAKE_TEST(add_many_treats_the_set_as_assignable, 0)
{
	struct xenpt_bdf b[2];
	int res[2] = { 1, 1 };

	xenpt_bdf_parse("00:05.0", &b[0]);
	xenpt_bdf_parse("00:05.1", &b[1]);
	CHECK_INT(xenpt_assignable_add_many(ctx, b, 2, XENPT_ASSIGN_STRICT, res), ==, 0);
	CHECK_INT(res[0], ==, 0);
	CHECK_INT(res[1], ==, 0);
	CHECK_ASSIGNED("0000:00:05.0", "igb");
	CHECK_ASSIGNED("0000:00:05.1", "igb");
}

FAKE_TEST(add_many_reports_each_device, 0)
{
	struct xenpt_bdf b[3];
	int res[3];

	xenpt_bdf_parse("00:04.0", &b[0]);
	xenpt_bdf_parse("00:03.0", &b[1]);	/* in use */
	xenpt_bdf_parse("01:00.0", &b[2]);
	CHECK_INT(xenpt_assignable_add_many(ctx, b, 3, 0, res), ==, -EBUSY);
	CHECK_INT(res[0], ==, 0);
	CHECK_INT(res[1], ==, -EBUSY);
	CHECK_INT(res[2], ==, 0);
	CHECK_ASSIGNED("0000:00:04.0", "e1000");
	CHECK_CLEAN("0000:00:03.0", "e1000");
	CHECK_ASSIGNED("0000:01:00.0", "");
}

FAKE_TEST(add_lock_failure_touches_nothing, 0)
{
	fx_put(&fx, "/.fake/fail", "open /var/lib/xenpt/lock 0 EACCES\n");
	CHECK_INT(add(ctx, BDF, 0), ==, -EACCES);
	CHECK(strstr(fx_last_error, "cannot lock"));
	CHECK_CLEAN(BDF, "e1000");
	CHECK(!sys_writes_in_log());
}

/* --- list, persistence ---------------------------------------------------------- */

FAKE_TEST(assignable_list_with_remembered_drivers, 0)
{
	struct xenpt_assigned *l;
	size_t n;
	char name[XENPT_BDF_STRLEN];

	CHECK_INT(add(ctx, "0000:00:05.1", XENPT_ASSIGN_PERSIST), ==, 0);
	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	CHECK_INT(xenpt_assignable_list(ctx, &l, &n), ==, 0);
	CHECK_INT(n, ==, 2);
	xenpt_bdf_format(&l[0].bdf, name, sizeof(name));
	CHECK_STR(name, BDF);
	CHECK_STR(l[0].driver, "e1000");
	CHECK(l[0].known && !l[0].persist);
	CHECK_STR(l[1].driver, "igb");
	CHECK(l[1].persist);
	free(l);
}

FAKE_TEST(persist_writes_and_removes_the_udev_rule, 0)
{
	char buf[2048];

	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_PERSIST), ==, 0);
	CHECK_INT(add(ctx, "0000:01:00.0", 0), ==, 0);
	CHECK(fx_get(&fx, "/etc/udev/rules.d/60-xenpt.rules", buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "KERNEL==\"" BDF "\""));
	CHECK(strstr(buf, "ATTR{driver_override}=\"pciback\""));
	CHECK(!strstr(buf, "0000:01:00.0"));
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, 0);
	CHECK(!fx_exists(&fx, "/etc/udev/rules.d/60-xenpt.rules"));
}

FAKE_TEST(persist_can_be_added_to_an_assigned_device, 0)
{
	char buf[2048];

	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	CHECK(!fx_exists(&fx, "/etc/udev/rules.d/60-xenpt.rules"));
	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_PERSIST), ==, 0);
	CHECK(fx_get(&fx, "/etc/udev/rules.d/60-xenpt.rules", buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, BDF));
	CHECK_ASSIGNED(BDF, "e1000");
}

TEST(persist_after_reboot_gives_the_driver_back)
{
	struct xenpt_ctx *ctx;
	char rel[128];

	NEED_FAKE();
	ctx = fx_open(&fx, 0);
	CHECK(ctx);
	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_PERSIST), ==, 0);
	xenpt_ctx_unref(ctx);
	/* reboot: the device comes back unbound; udev applies the rule
	 * (driver_override=pciback) and the kernel probes it */
	snprintf(rel, sizeof(rel), "/sys/bus/pci/drivers/pciback/unbind");
	fx_put(&fx, rel, BDF);
	fx_put(&fx, "/sys/bus/pci/devices/" BDF "/driver_override", "");
	fx_put(&fx, "/sys/bus/pci/devices/" BDF "/driver_override", "pciback\n");
	fx_put(&fx, "/sys/bus/pci/drivers_probe", BDF);
	ctx = fx_ctx(&fx);
	CHECK(ctx);
	CHECK_ASSIGNED(BDF, "e1000");
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, 0);
	CHECK_CLEAN(BDF, "e1000");
	fx_close(&fx, ctx);
}

/* --- persistence: the records and the rule always agree ------------------------------ */

#define RULES "/etc/udev/rules.d/60-xenpt.rules"

/* A persistent device found back on e1000 with driver_override=pciback:
 * e1000 built in (or in the initramfs) probed it before udev ran, or a
 * rescan did. */
static void native_driver_first(const char *bdf, const char *drv)
{
	char rel[128];

	fx_put(&fx, "/sys/bus/pci/drivers/pciback/unbind", bdf);
	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/driver_override", bdf);
	fx_put(&fx, rel, "\n");
	snprintf(rel, sizeof(rel), "/sys/bus/pci/drivers/%s/bind", drv);
	fx_put(&fx, rel, bdf);
	snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/driver_override", bdf);
	fx_put(&fx, rel, "pciback");
	fx_put(&fx, "/.fake/xc.quarantined", "");	/* Xen rebooted too */
}

static struct xenpt_device_info info_of(struct xenpt_ctx *ctx, const char *bdf)
{
	struct xenpt_device_info d;
	struct xenpt_bdf b;

	memset(&d, 0, sizeof(d));
	if (!xenpt_bdf_parse(bdf, &b))
		xenpt_device_get(ctx, &b, &d);
	return d;
}

/* The rule's line: driver_override on "add", and the CLI's own add for a
 * device a native driver took first (what driverctl's rule does). */
FAKE_TEST(persist_rule_sets_the_override_and_runs_the_boot_add, 0)
{
	char buf[4096];

	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_PERSIST), ==, 0);
	CHECK(fx_get(&fx, RULES, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "ACTION==\"add\", SUBSYSTEM==\"pci\", KERNEL==\"" BDF "\", "
		     "ATTR{driver_override}=\"pciback\", RUN{builtin}+=\"kmod load "
		     "xen-pciback xen-privcmd\", RUN+=\"" XENPT_PROG
		     " --boot assignable-add " BDF "\""));
	CHECK(XENPT_PROG[0] == '/');
}

/* Found back on e1000: the device says so (XENPT_PROBLEM_PERSIST_IDLE), a
 * plain add assigns it again and it stays persistent, with its rule. */
FAKE_TEST(persist_plain_add_keeps_it_persistent, 0)
{
	struct xenpt_device_info d;
	char rec[256], rules1[4096], rules2[4096];

	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_PERSIST), ==, 0);
	CHECK(fx_get(&fx, RULES, rules1, sizeof(rules1)) > 0);
	native_driver_first(BDF, "e1000");
	d = info_of(ctx, BDF);
	CHECK(d.known && d.persist && !d.assigned);
	CHECK_INT(d.problems, ==, XENPT_PROBLEM_PERSIST_IDLE | XENPT_PROBLEM_STALE_OVERRIDE);
	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	CHECK_ASSIGNED(BDF, "e1000");
	CHECK(fx_get(&fx, "/var/lib/xenpt/devices/" BDF, rec, sizeof(rec)) > 0);
	CHECK(strstr(rec, "persist=1"));
	CHECK(fx_get(&fx, RULES, rules2, sizeof(rules2)) > 0);
	CHECK_STR(rules1, rules2);
	CHECK(in_quarantine(BDF));
	d = info_of(ctx, BDF);
	CHECK_INT(d.problems, ==, 0);
}

/* A failed add from that state leaves the record exactly as it was, and
 * the rule with it. */
FAKE_TEST(persist_failed_add_restores_the_record, 0)
{
	char rec1[256], rec2[256], rules1[4096], rules2[4096];

	CHECK_INT(xenpt_assignable_add_named(ctx, &(struct xenpt_bdf){ .bus = 0, .dev = 4 },
					     XENPT_ASSIGN_PERSIST, "nic"), ==, 0);
	native_driver_first(BDF, "e1000");
	CHECK(fx_get(&fx, "/var/lib/xenpt/devices/" BDF, rec1, sizeof(rec1)) > 0);
	CHECK(fx_get(&fx, RULES, rules1, sizeof(rules1)) > 0);
	fx_put(&fx, "/.fake/fail", "probe pciback 0 ENODEV -1\n");
	CHECK_INT(add(ctx, BDF, 0), ==, -ENODEV);
	CHECK(fx_get(&fx, "/var/lib/xenpt/devices/" BDF, rec2, sizeof(rec2)) > 0);
	CHECK_STR(rec1, rec2);
	CHECK(fx_get(&fx, RULES, rules2, sizeof(rules2)) > 0);
	CHECK_STR(rules1, rules2);
	fx_put(&fx, "/.fake/fail", "");
	/* and assignable-remove -r forgets it, rule included */
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, 0);
	CHECK_CLEAN(BDF, "e1000");
	CHECK(!fx_exists(&fx, RULES));
}

/* The rule never names a device xenpt does not remember, and names every
 * persistent one: any call brings it in line. */
FAKE_TEST(rule_follows_the_records_whatever_happened, 0)
{
	char buf[4096];

	fx_put(&fx, RULES, "ACTION==\"add\", KERNEL==\"0000:00:05.0\", "
	       "ATTR{driver_override}=\"pciback\"\n");
	CHECK_INT(xenpt_recover(ctx), ==, 0);
	CHECK(!fx_exists(&fx, RULES));
	fx_put(&fx, "/var/lib/xenpt/devices/0000:00:05.1",
	       "version=1\ndriver=igb\npersist=1\nname=\nquarantine=0\n");
	CHECK_INT(add(ctx, BDF, 0), ==, 0);	/* any call */
	CHECK(fx_get(&fx, RULES, buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "KERNEL==\"0000:00:05.1\""));
	CHECK(!strstr(buf, BDF));
	/* a plain add does not write it again (nothing changed) */
	fx_put(&fx, "/.fake/log", "");
	CHECK_INT(add(ctx, "0000:01:00.0", 0), ==, 0);
	CHECK(!log_has("60-xenpt.rules"));
}

/* --- stuck states -------------------------------------------------------------------- */

/* Left unbound with driver_override=pciback by another tool, no record:
 * flagged, and assignable-remove -r gives it back to its driver. */
FAKE_TEST(stuck_override_is_flagged_and_repaired, 0)
{
	struct xenpt_device_info d;

	fx_put(&fx, "/sys/bus/pci/devices/" BDF "/driver_override", "pciback");
	fx_put(&fx, "/sys/bus/pci/drivers/e1000/unbind", BDF);
	d = info_of(ctx, BDF);
	CHECK_STR(d.override, "pciback");
	CHECK_INT(d.problems, ==, XENPT_PROBLEM_STUCK);
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, 0);
	CHECK(strstr(fx_last_error, "") != NULL);
	CHECK_CLEAN(BDF, "e1000");
	CHECK(log_has("write /sys/bus/pci/drivers_probe " BDF " -> ok"));
	d = info_of(ctx, BDF);
	CHECK_INT(d.problems, ==, 0);
	/* bound to e1000 with a stale override: cleared, left on e1000 */
	fx_put(&fx, "/sys/bus/pci/devices/" BDF "/driver_override", "pciback");
	d = info_of(ctx, BDF);
	CHECK_INT(d.problems, ==, XENPT_PROBLEM_STALE_OVERRIDE);
	CHECK_INT(rm(ctx, BDF, 0), ==, 0);
	CHECK_CLEAN(BDF, "e1000");
	/* nothing of the kind: not assignable */
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, -ENODEV);
	/* a pciback slot left behind counts too */
	fx_put(&fx, "/sys/bus/pci/drivers/pciback/new_slot", "0000:00:05.0");
	CHECK_INT(rm(ctx, "0000:00:05.0", 0), ==, 0);
	CHECK(!has_slot("0000:00:05.0"));
}

/* xl: "Looks like pciback driver is not loaded"; an error, not an empty
 * list. */
FAKE_TEST(assignable_list_without_pciback_is_an_error, FX_NO_PCIBACK)
{
	struct xenpt_assigned *l = NULL;
	size_t n = 0;

	CHECK_INT(xenpt_assignable_list(ctx, &l, &n), ==, -ENOENT);
	CHECK(strstr(fx_last_error, "xen-pciback is not loaded"));
	CHECK(l == NULL);
}

/* Records not in effect are listed, said to be so. */
FAKE_TEST(assignable_list_shows_assignments_not_in_effect, 0)
{
	struct xenpt_assigned *l;
	size_t n;

	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_PERSIST), ==, 0);
	CHECK_INT(add(ctx, "0000:00:05.1", 0), ==, 0);
	native_driver_first(BDF, "e1000");
	CHECK_INT(xenpt_assignable_list(ctx, &l, &n), ==, 0);
	CHECK_INT(n, ==, 2);
	CHECK(l[0].known && l[0].persist && !l[0].assigned && !l[0].quarantined);
	CHECK_STR(l[0].cur_driver, "e1000");
	CHECK(l[0].problems & XENPT_PROBLEM_PERSIST_IDLE);
	CHECK(l[1].assigned && l[1].quarantined && !l[1].problems);
	free(l);
}

/* --- SR-IOV: a PF whose VFs are in use ------------------------------------------------ */

/* Unbinding the PF's driver destroys its VFs: one with eth9 up makes the
 * PF in use; --strict refuses even with --force. */
FAKE_TEST(sriov_pf_with_vfs_in_use_is_refused, FX_SRIOV)
{
	fx_put(&fx, "/.fake/log", "");
	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_STRICT), ==, -EBUSY);
	CHECK(strstr(fx_last_error, BDF ": in use: unbinding it from e1000 destroys its "
		     "SR-IOV virtual functions, and this one is used: 0000:00:10.0 "
		     "(igbvf: network interface eth9 is up) (--strict)"));
	CHECK_INT(add(ctx, BDF, 0), ==, -EBUSY);
	CHECK(strstr(fx_last_error, "(--force to assign it anyway)"));
	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_FORCE | XENPT_ASSIGN_STRICT), ==, -EBUSY);
	CHECK_CLEAN(BDF, "e1000");
	CHECK(!sys_writes_in_log());
	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_FORCE), ==, 0);
	CHECK_ASSIGNED(BDF, "e1000");
}

/* A VF on pciback (given to a guest) counts as in use; VFs only bound to a
 * dom0 driver are a warning, refused with --strict. */
FAKE_TEST(sriov_vf_on_pciback_counts_as_in_use, FX_SRIOV)
{
	/* eth9 down: 00:10.0 on igbvf, unused */
	fx_put(&fx, "/sys/devices/pci0000:00/0000:00:10.0/net/eth9/flags", "0x1002\n");
	fx_put(&fx, "/sys/devices/pci0000:00/0000:00:10.0/net/eth9/operstate", "down\n");
	CHECK_INT(add(ctx, "0000:00:10.1", 0), ==, 0);	/* the other VF to a guest */
	CHECK_INT(add(ctx, BDF, 0), ==, -EBUSY);
	CHECK(strstr(fx_last_error, "0000:00:10.1 (on pciback: assignable, maybe in a guest)"));
	CHECK_INT(rm(ctx, "0000:00:10.1", 0), ==, 0);
	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_STRICT), ==, -EBUSY);
	CHECK(strstr(fx_last_error, "1 virtual function would go (--strict)"));
	CHECK_INT(add(ctx, BDF, 0), ==, 0);	/* a warning */
	CHECK_ASSIGNED(BDF, "e1000");
}

/* --- names (xl pci-assignable-add -n) -------------------------------------------------- */

FAKE_TEST(names_are_stored_found_unique_and_kept, 0)
{
	struct xenpt_bdf b, got;
	struct xenpt_device_info d;

	xenpt_bdf_parse(BDF, &b);
	CHECK_INT(xenpt_assignable_add_named(ctx, &b, 0, "nic0"), ==, 0);
	CHECK_ASSIGNED(BDF, "e1000");
	CHECK_INT(xenpt_assignable_find(ctx, "nic0", &got), ==, 0);
	CHECK(!memcmp(&got, &b, sizeof(b)));
	CHECK_INT(xenpt_assignable_find(ctx, "nic1", &got), ==, -ENOENT);
	/* unique */
	xenpt_bdf_parse("00:05.0", &got);
	CHECK_INT(xenpt_assignable_add_named(ctx, &got, 0, "nic0"), ==, -EEXIST);
	CHECK(strstr(fx_last_error, "0000:00:05.0: the name \"nic0\" is 0000:00:04.0's already"));
	CHECK_CLEAN("0000:00:05.0", "igb");
	CHECK_INT(xenpt_assignable_add_named(ctx, &got, 0, "bad name"), ==, -EINVAL);
	/* a plain add keeps it; another name renames it */
	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	d = info_of(ctx, BDF);
	CHECK_STR(d.name, "nic0");
	CHECK_INT(xenpt_assignable_add_named(ctx, &b, 0, "nic-renamed"), ==, 0);
	CHECK_INT(xenpt_assignable_find(ctx, "nic0", &got), ==, -ENOENT);
	CHECK_INT(xenpt_assignable_find(ctx, "nic-renamed", &got), ==, 0);
	/* its own name again: fine */
	CHECK_INT(xenpt_assignable_add_named(ctx, &b, 0, "nic-renamed"), ==, 0);
	/* gone with the record */
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, 0);
	CHECK_INT(xenpt_assignable_find(ctx, "nic-renamed", &got), ==, -ENOENT);
	CHECK_CLEAN(BDF, "e1000");
}

/* --- Xen's quarantine (a fake libxenctrl.so.4.20: tests/fakexc.c) ------------------ */

/*
 * As xl since Xen 4.12: after the bind to pciback, xc_assign_device(xch,
 * DOMID_IO, sbdf, XEN_DOMCTL_DEV_RDM_RELAXED); before the unbind,
 * xc_deassign_device(xch, DOMID_IO, sbdf); libxenctrl opened with
 * xc_interface_open(NULL, NULL, 0) and closed.
 */
FAKE_TEST(add_quarantines_after_pciback_and_remove_takes_it_out_first, 0)
{
	char rec[256];

	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	CHECK_ASSIGNED(BDF, "e1000");
	CHECK(in_quarantine(BDF));
	CHECK(xc_log_has("xc_interface_open NULL NULL 0 -> ok\n"
			 "xc_assign_device 0x7ff1 0x20 1 [pciback] -> ok\n"
			 "xc_interface_close"));	/* (the last newline is stripped) */
	CHECK(fx_get(&fx, "/var/lib/xenpt/devices/" BDF, rec, sizeof(rec)) > 0);
	CHECK(strstr(rec, "quarantine=1"));
	fx_put(&fx, "/.fake/xc.log", "");
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, 0);
	CHECK_CLEAN(BDF, "e1000");
	CHECK(xc_log_has("xc_interface_open NULL NULL 0 -> ok\n"
			 "xc_deassign_device 0x7ff1 0x20 [pciback] -> ok\n"
			 "xc_interface_close"));	/* (the last newline is stripped) */
	CHECK(!xc_log_has("BAD"));
}

/* xl quarantines a device already on pciback again, and so does xenpt;
 * a device quarantined by someone else (xl) comes out on remove; one that
 * is not (ENODEV from Xen) is no obstacle. */
FAKE_TEST(quarantine_is_idempotent_and_anyones, 0)
{
	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	fx_put(&fx, "/.fake/xc.log", "");
	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	CHECK(xc_log_has("xc_assign_device 0x7ff1 0x20 1 [pciback] -> ok"));
	CHECK_ASSIGNED(BDF, "e1000");
	/* "xl pci-assignable-add 00:05.0": pciback and quarantine, no record */
	fx_put(&fx, "/sys/bus/pci/drivers/igb/unbind", "0000:00:05.0");
	fx_put(&fx, "/sys/bus/pci/devices/0000:00:05.0/driver_override", "pciback");
	fx_put(&fx, "/sys/bus/pci/drivers/pciback/bind", "0000:00:05.0");
	fx_append(&fx, "/.fake/xc.quarantined", "28\n");
	CHECK_INT(rm(ctx, "0000:00:05.0", XENPT_REMOVE_REBIND), ==, 0);
	CHECK(!in_quarantine("0000:00:05.0"));
	CHECK_CLEAN("0000:00:05.0", "igb");
	/* not quarantined (added without): Xen's ENODEV is fine */
	CHECK_INT(add(ctx, "0000:00:05.1", XENPT_ASSIGN_NO_QUARANTINE), ==, 0);
	CHECK(!in_quarantine("0000:00:05.1"));
	CHECK_ASSIGNED("0000:00:05.1", "igb");
	fx_put(&fx, "/.fake/xc.log", "");
	CHECK_INT(rm(ctx, "0000:00:05.1", XENPT_REMOVE_REBIND), ==, 0);
	CHECK(xc_log_has("xc_deassign_device 0x7ff1 0x29 -> ENODEV"));
	CHECK_CLEAN("0000:00:05.1", "igb");
}

/* xl: "failed to quarantine" and an error; xenpt: the add rolls back, so
 * the device is on its driver, out of the quarantine, not remembered. */
FAKE_TEST(quarantine_failure_rolls_the_add_back, 0)
{
	fx_put(&fx, "/.fake/xc.fail", "assign EPERM\n");
	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_PERSIST), ==, -EPERM);
	CHECK(strstr(fx_last_error, BDF ": cannot put it in Xen's quarantine (xc_assign_device "
		     "to DOMID_IO): Operation not permitted; put back on e1000"));
	CHECK_CLEAN(BDF, "e1000");
	CHECK(!fx_exists(&fx, "/etc/udev/rules.d/60-xenpt.rules"));
	/* a persistent record from before is put back as it was */
	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_PERSIST), ==, 0);
	fx_put(&fx, "/sys/bus/pci/drivers/pciback/unbind", BDF);
	fx_put(&fx, "/sys/bus/pci/drivers/e1000/bind", BDF);	/* e1000 got it back */
	fx_put(&fx, "/.fake/xc.quarantined", "");	/* a reboot of Xen */
	fx_put(&fx, "/.fake/xc.fail", "assign EIO\n");
	CHECK_INT(add(ctx, BDF, 0), ==, -EIO);
	CHECK(file_exists("devices", BDF));
	CHECK(fx_exists(&fx, "/etc/udev/rules.d/60-xenpt.rules"));
	CHECK(!in_quarantine(BDF));
}

/* Out of the quarantine fails: the device stays on pciback, quarantined,
 * remembered. */
FAKE_TEST(dequarantine_failure_leaves_it_on_pciback, 0)
{
	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	fx_put(&fx, "/.fake/xc.fail", "deassign EBUSY\n");
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, -EBUSY);
	CHECK(strstr(fx_last_error, "cannot take it out of Xen's quarantine"));
	CHECK(strstr(fx_last_error, "left on pciback"));
	CHECK_ASSIGNED(BDF, "e1000");
	CHECK(in_quarantine(BDF));
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, 0);
	CHECK_CLEAN(BDF, "e1000");
}

/* The running Xen is 4.19 and there is no libxenctrl.so.4.19: ELIBACC,
 * said once, nothing touched; --no-quarantine goes on without.  A device
 * xenpt quarantined cannot leave pciback without the library. */
FAKE_TEST(no_libxenctrl_for_this_xen_is_elibacc, 0)
{
	CHECK_INT(add(ctx, "0000:00:05.0", 0), ==, 0);	/* Xen 4.20: quarantined */
	fx_put(&fx, "/sys/hypervisor/version/minor", "22\n");
	fx_put(&fx, "/.fake/log", "");
	fx_errors = 0;
	CHECK_INT(add(ctx, BDF, 0), ==, -ELIBACC);
	CHECK(strstr(fx_last_error, BDF ": not assigned: it cannot be quarantined; still on e1000"));
	CHECK_INT(fx_errors, ==, 2);	/* the library, once; then the device */
	CHECK_CLEAN(BDF, "e1000");
	CHECK(!sys_writes_in_log());
	CHECK_INT(rm(ctx, "0000:00:05.0", XENPT_REMOVE_REBIND), ==, -ELIBACC);
	CHECK(strstr(fx_last_error, "0000:00:05.0: cannot take it out of Xen's quarantine"));
	CHECK_ASSIGNED("0000:00:05.0", "igb");
	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_NO_QUARANTINE), ==, 0);
	CHECK_ASSIGNED(BDF, "e1000");
	/* not quarantined by xenpt: given back without libxenctrl */
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, 0);
	CHECK_CLEAN(BDF, "e1000");
}

FAKE_TEST(no_libxenctrl_message_names_the_library, 0)
{
	struct xenpt_bdf b;
	int res[2];

	fx_put(&fx, "/sys/hypervisor/version/minor", "22\n");
	xenpt_bdf_parse(BDF, &b);
	fx_errors = 0;
	CHECK_INT(xenpt_assignable_add_many(ctx, &b, 1, 0, res), ==, -ELIBACC);
	CHECK_INT(fx_errors, ==, 2);
	/* both lines: the first names the library */
	fx_put(&fx, "/sys/hypervisor/version/minor", "21\n");
	fx_last_error[0] = '\0';
	CHECK_INT(add(ctx, "0000:00:05.1", 0), ==, -ELIBACC);
	CHECK_CLEAN("0000:00:05.1", "igb");
	(void)res;
}

/* Not on Xen (no /sys/hypervisor/type): no quarantine, no libxenctrl. */
FAKE_TEST(no_quarantine_outside_xen, FX_NOXEN)
{
	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	CHECK_ASSIGNED(BDF, "e1000");
	CHECK(!fx_exists(&fx, "/.fake/xc.log"));
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, 0);
	CHECK_CLEAN(BDF, "e1000");
	CHECK(!fx_exists(&fx, "/.fake/xc.log"));
}

/* xc_interface_open fails (no privcmd, not root): nothing changes. */
FAKE_TEST(xc_interface_open_failure_touches_nothing, 0)
{
	fx_put(&fx, "/.fake/xc.fail", "open EACCES\n");
	fx_put(&fx, "/.fake/log", "");
	CHECK_INT(add(ctx, BDF, 0), ==, -EACCES);
	CHECK_CLEAN(BDF, "e1000");
	CHECK(!sys_writes_in_log());
}

/* A crash just before or after Xen is asked, on add and on remove: the
 * next call finishes or rolls back, the quarantine as the record says. */
static int crash_at_xc(const char *rule, bool remove_op)
{
	struct xenpt_ctx *ctx;
	pid_t pid;
	int status;
	char why[128], why2[128];

	ctx = fx_open(&fx, 0);
	REQUIRE(ctx);
	if (remove_op)
		REQUIRE(add(ctx, BDF, XENPT_ASSIGN_PERSIST) == 0);
	fx_put(&fx, "/.fake/xc.fail", rule);
	pid = fork();
	if (pid == 0) {
		struct xenpt_ctx *c = fx_ctx(&fx);

		_exit(remove_op ? rm(c, BDF, XENPT_REMOVE_REBIND) : add(c, BDF, XENPT_ASSIGN_PERSIST));
	}
	waitpid(pid, &status, 0);
	REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 97);
	REQUIRE(xenpt_recover(ctx) == 0);
	if (!is_clean(BDF, "e1000", why, sizeof(why)) &&
	    !is_assigned(BDF, "e1000", why2, sizeof(why2))) {
		t_fail(__FILE__, __LINE__, "%s: inconsistent: %s / %s", rule, why, why2);
		return -1;
	}
	REQUIRE(add(ctx, BDF, 0) == 0 && rm(ctx, BDF, XENPT_REMOVE_REBIND) == 0);
	REQUIRE(is_clean(BDF, "e1000", why, sizeof(why)));
	fx_close(&fx, ctx);
	return 0;
}

TEST(crash_around_the_quarantine_recovers)
{
	NEED_FAKE();
	CHECK_INT(crash_at_xc("assign CRASH\n", false), ==, 0);
	CHECK_INT(crash_at_xc("assign CRASHAFTER\n", false), ==, 0);
	CHECK_INT(crash_at_xc("deassign CRASH\n", true), ==, 0);
	CHECK_INT(crash_at_xc("deassign CRASHAFTER\n", true), ==, 0);
}

/* --- faults at every step ----------------------------------------------------------- */

struct event {
	char op[16];
	char path[256];
	int skip;
};

/* The writes, renames and fsyncs of the last run, from the fake's log. */
static int read_events(struct event *ev, int max)
{
	static char buf[1 << 16];
	char *line, *save = NULL;
	int n = 0, i;

	if (fx_get(&fx, "/.fake/log", buf, sizeof(buf)) < 0)
		return 0;
	for (line = strtok_r(buf, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		struct event *e = &ev[n];

		if (sscanf(line, "%15s %255s", e->op, e->path) != 2 ||
		    (strcmp(e->op, "write") && strcmp(e->op, "rename") &&
		     strcmp(e->op, "fsync")))
			continue;
		e->skip = 0;
		for (i = 0; i < n; i++)
			if (!strcmp(ev[i].op, e->op) && !strcmp(ev[i].path, e->path))
				e->skip++;
		n++;
	}
	return n;
}

static bool rule_consumed(void)
{
	char buf[512];

	return fx_get(&fx, "/.fake/fail", buf, sizeof(buf)) == 0;
}

enum fault { F_ERRNO, F_LIE, F_CRASH, F_CRASHAFTER };
static const char *const fault_names[] = { "EIO", "LIE", "CRASH", "CRASHAFTER" };

/*
 * Runs op (add, or remove after an add) once to learn its steps, then once
 * per step with the fault at that step.  Afterwards (and after xenpt_recover
 * for crashes) the device must be either where it started or where the
 * operation takes it, with a consistent store; and a full add/remove
 * cycle must work again.
 */
static int fault_every_step(unsigned int fxflags, bool remove_op, enum fault f,
			    int *steps)
{
	struct event ev[256];
	struct xenpt_ctx *ctx;
	int n, k, r, done = 0, other = 0;
	char why[128], why2[128];

	ctx = fx_open(&fx, fxflags);
	REQUIRE(ctx);
	if (remove_op) {
		REQUIRE(add(ctx, BDF, XENPT_ASSIGN_PERSIST) == 0);
		fx_put(&fx, "/.fake/log", "");
		REQUIRE(rm(ctx, BDF, XENPT_REMOVE_REBIND) == 0);
	} else {
		REQUIRE(add(ctx, BDF, XENPT_ASSIGN_PERSIST) == 0);
	}
	n = read_events(ev, 256);
	fx_close(&fx, ctx);
	REQUIRE(n >= 10);

	for (k = 0; k < n; k++) {
		char rule[512];

		if (f == F_LIE && strncmp(ev[k].path, "/sys/", 5))
			continue;	/* lies are for the kernel */
		ctx = fx_open(&fx, fxflags);
		REQUIRE(ctx);
		if (remove_op) {
			REQUIRE(add(ctx, BDF, XENPT_ASSIGN_PERSIST) == 0);
			fx_put(&fx, "/.fake/log", "");
		}
		snprintf(rule, sizeof(rule), "%s %s %d %s\n", ev[k].op, ev[k].path,
			 ev[k].skip, fault_names[f]);
		fx_put(&fx, "/.fake/fail", rule);
		if (f == F_CRASH || f == F_CRASHAFTER) {
			pid_t pid = fork();
			int status;

			if (pid == 0) {
				struct xenpt_ctx *c = fx_ctx(&fx);

				r = remove_op ? rm(c, BDF, XENPT_REMOVE_REBIND) : add(c, BDF, XENPT_ASSIGN_PERSIST);
				_exit(r ? 1 : 0);
			}
			waitpid(pid, &status, 0);
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 97) {
				t_fail(__FILE__, __LINE__, "step %d (%s %s): no crash (status %d)",
				       k, ev[k].op, ev[k].path, status);
				return -1;
			}
			r = xenpt_recover(ctx);
			if (r) {
				t_fail(__FILE__, __LINE__, "step %d (%s %s): recovery failed: %d (%s)",
				       k, ev[k].op, ev[k].path, r, fx_last_error);
				return -1;
			}
		} else {
			fx_last_error[0] = '\0';
			r = remove_op ? rm(ctx, BDF, XENPT_REMOVE_REBIND) : add(ctx, BDF, XENPT_ASSIGN_PERSIST);
			if (r) {
				const char *want = remove_op ? "left on pciback" : "put back on e1000";

				if (!strstr(fx_last_error, want) &&
				    !strstr(fx_last_error, "still on e1000")) {
					t_fail(__FILE__, __LINE__, "step %d (%s %s): message \"%s\"",
					       k, ev[k].op, ev[k].path, fx_last_error);
					return -1;
				}
			}
		}
		if (!rule_consumed()) {
			t_fail(__FILE__, __LINE__, "step %d (%s %s): fault not triggered",
			       k, ev[k].op, ev[k].path);
			return -1;
		}
		/* where it started or where it was going: nothing in between */
		if (!is_clean(BDF, remove_op ? "e1000" : "e1000", why, sizeof(why)) &&
		    !is_assigned(BDF, "e1000", why2, sizeof(why2))) {
			t_fail(__FILE__, __LINE__, "step %d (%s %s, %s): inconsistent: %s / %s",
			       k, ev[k].op, ev[k].path, fault_names[f], why, why2);
			return -1;
		}
		/* a rolled-back add never leaves a persistent rule behind */
		if (is_clean(BDF, "e1000", why, sizeof(why)) &&
		    fx_exists(&fx, "/etc/udev/rules.d/60-xenpt.rules")) {
			t_fail(__FILE__, __LINE__, "step %d: udev rule left", k);
			return -1;
		}
		if (is_assigned(BDF, "e1000", why, sizeof(why)))
			other++;
		/* and everything still works */
		if (add(ctx, BDF, 0) || rm(ctx, BDF, XENPT_REMOVE_REBIND) ||
		    !is_clean(BDF, "e1000", why, sizeof(why))) {
			t_fail(__FILE__, __LINE__, "step %d: no full cycle after: %s", k, why);
			return -1;
		}
		fx_close(&fx, ctx);
		done++;
	}
	fprintf(stderr, "# %s, %s: %d steps faulted, %d ended %s\n",
		remove_op ? "remove" : "add", fault_names[f], done, other,
		remove_op ? "still assigned" : "assigned anyway");
	*steps = done;
	return 0;
}

#define FAULT_TEST(name, fxflags, remove_op, f) \
	TEST(name) \
	{ \
		int steps = 0; \
		NEED_FAKE(); \
		if (fault_every_step(fxflags, remove_op, f, &steps)) \
			return; \
		CHECK_INT(steps, >=, 3); \
	}

FAULT_TEST(add_errno_at_every_step_rolls_back, 0, false, F_ERRNO)
FAULT_TEST(add_lie_at_every_kernel_step_is_caught, 0, false, F_LIE)
FAULT_TEST(add_crash_before_every_step_recovers, 0, false, F_CRASH)
FAULT_TEST(add_crash_after_every_step_recovers, 0, false, F_CRASHAFTER)
FAULT_TEST(add_old_pciback_errno_at_every_step, FX_OLD_PCIBACK, false, F_ERRNO)
FAULT_TEST(add_old_pciback_crash_at_every_step, FX_OLD_PCIBACK, false, F_CRASH)
FAULT_TEST(remove_errno_at_every_step_stays_on_pciback, 0, true, F_ERRNO)
FAULT_TEST(remove_lie_at_every_kernel_step_is_caught, 0, true, F_LIE)
FAULT_TEST(remove_crash_before_every_step_recovers, 0, true, F_CRASH)
FAULT_TEST(remove_crash_after_every_step_recovers, 0, true, F_CRASHAFTER)
FAULT_TEST(remove_old_pciback_errno_at_every_step, FX_OLD_PCIBACK, true, F_ERRNO)

FAKE_TEST(add_probe_failure_of_pciback_rolls_back, 0)
{
	fx_put(&fx, "/.fake/fail", "probe pciback 0 ENODEV -1\n");
	CHECK_INT(add(ctx, BDF, 0), ==, -ENODEV);
	CHECK(strstr(fx_last_error, BDF ": cannot bind to pciback: No such device; put back on e1000"));
	CHECK_CLEAN(BDF, "e1000");
}

FAKE_TEST(failed_rollback_is_reported_and_recovered_later, 0)
{
	/* pciback refuses it, and so does e1000 when taking it back */
	fx_put(&fx, "/.fake/fail", "probe pciback 0 ENODEV -1\nprobe e1000 0 EIO -1\n");
	CHECK_INT(add(ctx, BDF, 0), ==, -ENODEV);
	CHECK(strstr(fx_last_error, "could not put it back on e1000"));
	CHECK(strstr(fx_last_error, "the next xenpt call retries"));
	CHECK(file_exists("journal", BDF));
	CHECK(file_exists("devices", BDF));	/* the driver is not forgotten */
	/* still broken: another operation on it is refused, others work */
	CHECK_INT(add(ctx, BDF, 0), ==, -EBUSY);
	CHECK_INT(add(ctx, "0000:01:00.0", 0), ==, -ENODEV);	/* pciback probe fails */
	/* the fault goes away: the next call repairs it */
	fx_put(&fx, "/.fake/fail", "");
	CHECK_INT(xenpt_recover(ctx), ==, 0);
	CHECK_CLEAN(BDF, "e1000");
}

/* A journal as xenpt 1.0 wrote it, the add stopped after the unbind
 * (driver_override set, unbound): the engine of tables undoes it. */
FAKE_TEST(journal_of_xenpt_1_0_is_recovered, 0)
{
	fx_put(&fx, "/var/lib/xenpt/devices/" BDF,
	       "version=1\ndriver=e1000\npersist=1\nname=\nquarantine=1\n");
	fx_put(&fx, "/var/lib/xenpt/journal/" BDF,
	       "version=1\nop=add\nbdf=" BDF "\nstep=probe\nfrom=e1000\nrebind=0\n"
	       "had_record=0\nslot_added=0\nslot_removed=0\ndriver=e1000\n"
	       "persist=1\nname=\nquarantine=1\n");
	fx_put(&fx, "/sys/bus/pci/devices/" BDF "/driver_override", "pciback");
	fx_put(&fx, "/sys/bus/pci/drivers/e1000/unbind", BDF);
	CHECK_INT(xenpt_recover(ctx), ==, 0);
	CHECK_CLEAN(BDF, "e1000");
	CHECK(!fx_exists(&fx, "/etc/udev/rules.d/60-xenpt.rules"));
	/* and a remove interrupted after the unbind is finished */
	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_PERSIST), ==, 0);
	fx_put(&fx, "/var/lib/xenpt/journal/" BDF,
	       "version=1\nop=remove\nbdf=" BDF "\nstep=override\nfrom=pciback\n"
	       "rebind=1\nhad_record=1\nslot_added=0\nslot_removed=0\n"
	       "driver=e1000\npersist=1\nname=\nquarantine=1\n");
	fx_put(&fx, "/sys/bus/pci/drivers/pciback/unbind", BDF);
	fx_put(&fx, "/.fake/xc.quarantined", "");
	CHECK_INT(xenpt_recover(ctx), ==, 0);
	CHECK_CLEAN(BDF, "e1000");
}

/* --- hot removal (issue 18, input 5) ------------------------------------------------ */

/* An assigned device that is gone: listed as absent, and remove forgets
 * its record, its name and its udev rule line (0, with a note). */
FAKE_TEST(hot_removed_device_is_listed_and_forgotten, 0)
{
	struct xenpt_assigned *l;
	struct xenpt_bdf b;
	size_t n;

	xenpt_bdf_parse(BDF, &b);
	CHECK_INT(xenpt_assignable_add_named(ctx, &b, XENPT_ASSIGN_PERSIST, "guestnic"), ==, 0);
	CHECK_INT(fx_unplug(&fx, BDF), ==, 0);
	CHECK_INT(xenpt_assignable_list(ctx, &l, &n), ==, 0);
	CHECK_INT(n, ==, 1);
	CHECK(l[0].known && l[0].persist && !l[0].assigned && !l[0].quarantined);
	CHECK_STR(l[0].name, "guestnic");
	CHECK_STR(l[0].driver, "e1000");
	CHECK_STR(l[0].cur_driver, "");
	CHECK_INT(l[0].problems, ==, XENPT_PROBLEM_ABSENT | XENPT_PROBLEM_PERSIST_IDLE);
	free(l);
	fx_log_clear();
	fx_put(&fx, "/.fake/log", "");
	CHECK_INT(rm(ctx, BDF, XENPT_REMOVE_REBIND), ==, 0);
	CHECK(fx_logged(LOG_WARNING, BDF ": absent (hot-removed?): forgot its record, "
			"its name guestnic and its udev rule line"));
	CHECK(!file_exists("devices", BDF));
	CHECK(!file_exists("journal", BDF));
	CHECK(!fx_exists(&fx, "/etc/udev/rules.d/60-xenpt.rules"));
	CHECK_INT(xenpt_assignable_find(ctx, "guestnic", &b), ==, -ENOENT);
	CHECK(!sys_writes_in_log());
	/* Xen was asked to let go of it, as it was quarantined */
	CHECK(xc_log_has("xc_deassign_device 0x7ff1 0x20"));
	CHECK_INT(xenpt_assignable_list(ctx, &l, &n), ==, 0);
	CHECK_INT(n, ==, 0);
	free(l);
	/* nothing left: the device is not there, nor remembered */
	CHECK_INT(rm(ctx, BDF, 0), ==, -ENODEV);
	CHECK(strstr(fx_last_error, BDF ": no such PCI device"));
}

/* Gone, and libxenctrl of this Xen not installed: forgotten all the same,
 * with a warning that Xen may still hold it; the same through the 1.1
 * call, the note in the result. */
FAKE_TEST(hot_removed_device_is_forgotten_without_libxenctrl, 0)
{
	const char *devs[1] = { BDF };
	struct xenpt_result res;

	CHECK_INT(add(ctx, BDF, 0), ==, 0);
	CHECK_INT(fx_unplug(&fx, BDF), ==, 0);
	fx_put(&fx, "/sys/hypervisor/version/minor", "22\n");
	fx_log_clear();
	CHECK_INT(xenpt_assignable_remove_devices(ctx, devs, 1, 0, &res), ==, 0);
	CHECK_INT(res.err, ==, 0);
	CHECK_STR(res.dev, BDF);
	CHECK_STR(res.reason, "absent (hot-removed?): forgot its record");
	CHECK(fx_logged(LOG_WARNING, BDF ": Xen may still hold it in its quarantine: "
			"libxenctrl.so.4.22"));
	CHECK_INT(fx_errors, ==, 0);
	CHECK(!file_exists("devices", BDF));
}

/* A crash while forgetting a device that is gone: the next call finishes. */
TEST(hot_removed_device_crash_while_forgetting_recovers)
{
	struct xenpt_ctx *ctx;
	pid_t pid;
	int status;

	NEED_FAKE();
	ctx = fx_open(&fx, 0);
	CHECK(ctx);
	CHECK_INT(add(ctx, BDF, XENPT_ASSIGN_PERSIST), ==, 0);
	CHECK_INT(fx_unplug(&fx, BDF), ==, 0);
	fx_put(&fx, "/.fake/fail", "rename /var/lib/xenpt/journal/" BDF " 1 CRASH\n");
	pid = fork();
	if (pid == 0) {
		struct xenpt_ctx *c = fx_ctx(&fx);

		_exit(rm(c, BDF, 0) ? 1 : 0);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 97);
	CHECK(file_exists("journal", BDF));
	CHECK_INT(xenpt_recover(ctx), ==, 0);
	CHECK(!file_exists("journal", BDF));
	CHECK(!file_exists("devices", BDF));
	CHECK(!fx_exists(&fx, "/etc/udev/rules.d/60-xenpt.rules"));
	fx_close(&fx, ctx);
}

/* --- per-device results (LIBXENPT_1.1) ---------------------------------------------- */

/* Each device its errno and reason, in order; nothing logged at LOG_ERR;
 * the refused ones untouched, the others done. */
FAKE_TEST(results_say_each_device_and_log_no_error, 0)
{
	const char *devs[5] = { "00:04.0", "0000:00:03.0", "0000:00:00.0",
				"10000:e1:00.0", "0000:00:09.0" };
	struct xenpt_result res[5];

	memset(res, 0x5a, sizeof(res));
	fx_log_clear();
	CHECK_INT(xenpt_assignable_add_devices(ctx, devs, 5, 0, NULL, res), ==, -EBUSY);
	CHECK_STR(res[0].dev, BDF);
	CHECK_INT(res[0].err, ==, 0);
	CHECK_STR(res[0].reason, "");
	CHECK_INT(res[1].err, ==, -EBUSY);
	CHECK_STR(res[1].reason, "in use by dom0: network interface eth0 is up "
		  "(--force to assign it anyway)");
	CHECK_INT(res[2].err, ==, -EINVAL);
	CHECK_STR(res[2].reason, "a host bridge (class 0600), not an endpoint: it "
		  "cannot be passed through");
	CHECK_STR(res[3].dev, "10000:e1:00.0");
	CHECK_INT(res[3].err, ==, -ENODEV);
	CHECK_STR(res[3].reason, "no such PCI device");
	CHECK_INT(res[4].err, ==, -ENODEV);
	CHECK_INT(fx_errors, ==, 0);
	CHECK_ASSIGNED(BDF, "e1000");
	CHECK_CLEAN("0000:00:03.0", "e1000");
	/* a failure that is undone: where the device is now */
	fx_put(&fx, "/.fake/fail", "probe pciback 0 ENODEV -1\n");
	devs[0] = "0000:00:05.1";
	CHECK_INT(xenpt_assignable_add_devices(ctx, devs, 1, 0, NULL, res), ==, -ENODEV);
	CHECK_STR(res[0].reason, "cannot bind to pciback: No such device; put back on igb");
	CHECK_INT(fx_errors, ==, 0);
	fx_put(&fx, "/.fake/fail", "");
	/* remove: done, and a device that is not assignable */
	devs[0] = BDF;
	devs[1] = "0000:00:05.0";
	CHECK_INT(xenpt_assignable_remove_devices(ctx, devs, 2, XENPT_REMOVE_REBIND, res),
		  ==, -ENODEV);
	CHECK_INT(res[0].err, ==, 0);
	CHECK_INT(res[1].err, ==, -ENODEV);
	CHECK_STR(res[1].reason, "not assignable (not bound to pciback)");
	CHECK_CLEAN(BDF, "e1000");
	CHECK_INT(fx_errors, ==, 0);
	/* bad arguments: nothing done, results untouched */
	devs[0] = "00:04.*";
	res[0].err = 7;
	CHECK_INT(xenpt_assignable_add_devices(ctx, devs, 1, 0, NULL, res), ==, -EINVAL);
	CHECK_INT(res[0].err, ==, 7);
	CHECK_INT(xenpt_assignable_add_devices(ctx, devs, 1, 0, NULL, NULL), ==, -EINVAL);
	devs[0] = BDF;
	CHECK_INT(xenpt_assignable_add_devices(ctx, devs, 2, 0, "nic", res), ==, -EINVAL);
	CHECK_INT(xenpt_assignable_add_devices(ctx, devs, 1, 1U << 9, NULL, res), ==, -EINVAL);
	CHECK(!file_exists("devices", BDF));
}

/* A failure of the whole call (the lock; Xen too old for a PVH dom0):
 * every device's result says it, the log at LOG_ERR nothing. */
FAKE_TEST(results_carry_the_calls_failure, 0)
{
	const char *devs[2] = { BDF, "0000:01:00.0" };
	struct xenpt_result res[2];

	fx_put(&fx, "/.fake/fail", "open /var/lib/xenpt/lock 0 EACCES\n");
	CHECK_INT(xenpt_assignable_add_devices(ctx, devs, 2, 0, NULL, res), ==, -EACCES);
	CHECK_INT(res[1].err, ==, -EACCES);
	CHECK(strstr(res[1].reason, "cannot lock "));
	fx_put(&fx, "/sys/hypervisor/version/minor", "17\n");
	fx_put(&fx, "/.fake/log", "");
	CHECK_INT(xenpt_assignable_add_devices(ctx, devs, 2, 0, NULL, res), ==, -EOPNOTSUPP);
	CHECK_STR(res[0].reason, "Xen 4.17 cannot pass devices through from a PVH dom0 "
		  "(Xen 4.20 or later can); --force puts them on pciback anyway");
	CHECK_INT(fx_errors, ==, 0);
	CHECK_CLEAN(BDF, "e1000");
	CHECK(!sys_writes_in_log());
}

FAKE_TEST(corrupt_journal_is_dropped_with_a_warning, 0)
{
	fx_put(&fx, "/var/lib/xenpt/journal/" BDF, "nonsense\n");
	CHECK_INT(xenpt_recover(ctx), ==, 0);
	CHECK(!file_exists("journal", BDF));
	CHECK_INT(add(ctx, BDF, 0), ==, 0);
}

FAKE_TEST(concurrent_processes_are_serialized, 0)
{
	pid_t pid[3];
	int i, status, bad = 0;

	for (i = 0; i < 3; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			struct xenpt_ctx *c = fx_ctx(&fx);
			int j, r, errs = 0;

			for (j = 0; j < 12; j++) {
				r = add(c, BDF, 0);
				errs += r != 0;
				r = rm(c, BDF, XENPT_REMOVE_REBIND);
				errs += r != 0 && r != -ENODEV;	/* another removed it */
			}
			xenpt_ctx_unref(c);
			_exit(errs ? 1 : 0);
		}
	}
	for (i = 0; i < 3; i++) {
		waitpid(pid[i], &status, 0);
		bad += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	CHECK_INT(bad, ==, 0);
	CHECK_CLEAN(BDF, "e1000");
}

int main(int argc, char **argv)
{
	return t_main(argc, argv);
}
