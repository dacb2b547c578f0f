// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: privcmd-gsi's record store (kernel/privcmd-gsi/store.c).
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "internal.h"
#include "kunit_util.h"

#define SBDF_A	PRIVCMD_GSI_SBDF(0, 0, 3, 0)
#define SBDF_B	PRIVCMD_GSI_SBDF(0, 0, 4, 0)
#define SBDF_C	PRIVCMD_GSI_SBDF(1, 0x80, 0x1f, 7)

static int reg(struct pgsi_store *s, u32 sbdf, u32 gsi, int irq)
{
	struct pgsi_reg r = {
		.sbdf = sbdf,
		.gsi = gsi,
		.irq = irq,
		.trigger = PRIVCMD_GSI_TRIGGER_LEVEL,
		.polarity = PRIVCMD_GSI_POLARITY_LOW,
		.source = PRIVCMD_GSI_SOURCE_REGISTERED,
	};

	return pgsi_store_register(s, &r);
}

static void store_records_device_gsi_and_irq(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct privcmd_gsi_record rec;
	u32 gsi = 0;

	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_A, 19, 51));

	KUNIT_EXPECT_EQ(test, 0, pgsi_store_gsi_by_sbdf(s, SBDF_A, &gsi));
	KUNIT_EXPECT_EQ(test, 19U, gsi);
	gsi = 0;
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_gsi_by_irq(s, 51, &gsi));
	KUNIT_EXPECT_EQ(test, 19U, gsi);

	KUNIT_ASSERT_EQ(test, 0, pgsi_store_get(s, SBDF_A, &rec));
	KUNIT_EXPECT_EQ(test, SBDF_A, rec.sbdf);
	KUNIT_EXPECT_EQ(test, 19U, rec.gsi);
	KUNIT_EXPECT_EQ(test, 51U, rec.irq);
	KUNIT_EXPECT_EQ(test, PRIVCMD_GSI_TRIGGER_LEVEL, rec.trigger);
	KUNIT_EXPECT_EQ(test, PRIVCMD_GSI_POLARITY_LOW, rec.polarity);
	KUNIT_EXPECT_EQ(test, PRIVCMD_GSI_SOURCE_REGISTERED, rec.source);
	KUNIT_EXPECT_EQ(test, PRIVCMD_GSI_F_PCI | PRIVCMD_GSI_F_IRQ_VALID,
			rec.flags);
	KUNIT_EXPECT_EQ(test, 0, rec.reserved0);
	KUNIT_EXPECT_EQ(test, 0U, rec.reserved1);
}

static void store_unknown_lookups_are_enoent(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct privcmd_gsi_record rec;
	u32 gsi = 0xdead;

	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_store_gsi_by_sbdf(s, SBDF_A, &gsi));
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_store_gsi_by_irq(s, 51, &gsi));
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_store_get(s, SBDF_A, &rec));
	KUNIT_EXPECT_EQ(test, 0xdeadU, gsi);
	/* Unregistering a GSI never seen changes nothing. */
	pgsi_store_unregister(s, 19);
	KUNIT_EXPECT_EQ(test, 0U, pgsi_store_count(s));
}

/* pciback disables the device on bind: the GSI must survive that. */
static void store_unregister_keeps_gsi(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct privcmd_gsi_record rec;
	u32 gsi = 0;

	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_A, 19, 51));
	pgsi_store_unregister(s, 19);

	KUNIT_EXPECT_EQ(test, 0, pgsi_store_gsi_by_sbdf(s, SBDF_A, &gsi));
	KUNIT_EXPECT_EQ(test, 19U, gsi);
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_store_gsi_by_irq(s, 51, &gsi));
	KUNIT_ASSERT_EQ(test, 0, pgsi_store_get(s, SBDF_A, &rec));
	KUNIT_EXPECT_EQ(test, PRIVCMD_GSI_F_PCI, rec.flags);
	KUNIT_EXPECT_EQ(test, PRIVCMD_GSI_NO_IRQ, rec.irq);

	/* Enabled again, with another irq: the new one answers. */
	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_A, 19, 60));
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_gsi_by_irq(s, 60, &gsi));
	KUNIT_EXPECT_EQ(test, 19U, gsi);
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_store_gsi_by_irq(s, 51, &gsi));
	KUNIT_EXPECT_EQ(test, 1U, pgsi_store_count(s));
}

static void store_shared_gsi_counts_users(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	u32 gsi = 0;

	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_A, 16, 52));
	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_B, 16, 52));

	pgsi_store_unregister(s, 16);
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_gsi_by_irq(s, 52, &gsi));
	KUNIT_EXPECT_EQ(test, 16U, gsi);

	pgsi_store_unregister(s, 16);
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_store_gsi_by_irq(s, 52, &gsi));
	/* One unregistration too many is ignored. */
	pgsi_store_unregister(s, 16);
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_gsi_by_sbdf(s, SBDF_A, &gsi));
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_gsi_by_sbdf(s, SBDF_B, &gsi));
	KUNIT_EXPECT_EQ(test, 16U, gsi);
}

static void store_failed_registration_keeps_gsi_only(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct privcmd_gsi_record rec;
	u32 gsi = 0;

	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_A, 19, -ENOSPC));
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_gsi_by_sbdf(s, SBDF_A, &gsi));
	KUNIT_EXPECT_EQ(test, 19U, gsi);
	KUNIT_ASSERT_EQ(test, 0, pgsi_store_get(s, SBDF_A, &rec));
	KUNIT_EXPECT_FALSE(test, rec.flags & PRIVCMD_GSI_F_IRQ_VALID);
	/* The failed call will never be unregistered: no user was counted. */
	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_B, 19, 51));
	pgsi_store_unregister(s, 19);
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_store_gsi_by_irq(s, 51, &gsi));
}

static void store_irq_reused_by_other_gsi(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct privcmd_gsi_record rec;
	u32 gsi = 0;

	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_A, 19, 51));
	pgsi_store_unregister(s, 19);
	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_B, 17, 51));
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_gsi_by_irq(s, 51, &gsi));
	KUNIT_EXPECT_EQ(test, 17U, gsi);

	/* Even if the irq was never seen to go, the newest owner wins. */
	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_A, 19, 60));
	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_C, 22, 60));
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_gsi_by_irq(s, 60, &gsi));
	KUNIT_EXPECT_EQ(test, 22U, gsi);
	KUNIT_ASSERT_EQ(test, 0, pgsi_store_get(s, SBDF_A, &rec));
	KUNIT_EXPECT_FALSE(test, rec.flags & PRIVCMD_GSI_F_IRQ_VALID);
	/* ... and unregistering the loser does not unmap the winner. */
	pgsi_store_unregister(s, 19);
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_gsi_by_irq(s, 60, &gsi));
	KUNIT_EXPECT_EQ(test, 22U, gsi);
}

static void store_recovered_never_replaces_registered(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct pgsi_reg r = {
		.sbdf = SBDF_A,
		.gsi = 23,
		.irq = 23,
		.trigger = PRIVCMD_GSI_TRIGGER_LEVEL,
		.source = PRIVCMD_GSI_SOURCE_RECOVERED,
	};
	struct privcmd_gsi_record rec;

	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_A, 19, 51));
	KUNIT_EXPECT_EQ(test, -EEXIST, pgsi_store_register(s, &r));
	KUNIT_ASSERT_EQ(test, 0, pgsi_store_get(s, SBDF_A, &rec));
	KUNIT_EXPECT_EQ(test, 19U, rec.gsi);
	KUNIT_EXPECT_EQ(test, PRIVCMD_GSI_SOURCE_REGISTERED, rec.source);

	r.sbdf = SBDF_B;
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_register(s, &r));
	KUNIT_ASSERT_EQ(test, 0, pgsi_store_get(s, SBDF_B, &rec));
	KUNIT_EXPECT_EQ(test, 23U, rec.gsi);
	KUNIT_EXPECT_EQ(test, PRIVCMD_GSI_SOURCE_RECOVERED, rec.source);
	KUNIT_EXPECT_EQ(test, PRIVCMD_GSI_POLARITY_UNKNOWN, rec.polarity);
}

static void store_snapshot_lists_devices_then_bare_gsis(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct privcmd_gsi_record *buf;

	buf = kunit_kcalloc(test, 4, sizeof(*buf), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	KUNIT_ASSERT_EQ(test, 0, reg(s, PRIVCMD_GSI_NO_SBDF, 9, 9));
	KUNIT_ASSERT_EQ(test, 0, reg(s, PRIVCMD_GSI_NO_SBDF, 8, 8));
	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_B, 17, 53));
	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_A, 19, 51));
	KUNIT_EXPECT_EQ(test, 4U, pgsi_store_count(s));

	/* Too small: the size comes back, nothing is written. */
	buf[0].gsi = 0xabcd;
	KUNIT_EXPECT_EQ(test, 4U, pgsi_store_snapshot(s, buf, 3));
	KUNIT_EXPECT_EQ(test, 0xabcdU, buf[0].gsi);

	KUNIT_ASSERT_EQ(test, 4U, pgsi_store_snapshot(s, buf, 4));
	KUNIT_EXPECT_EQ(test, SBDF_A, buf[0].sbdf);
	KUNIT_EXPECT_EQ(test, 19U, buf[0].gsi);
	KUNIT_EXPECT_EQ(test, SBDF_B, buf[1].sbdf);
	KUNIT_EXPECT_EQ(test, PRIVCMD_GSI_NO_SBDF, buf[2].sbdf);
	KUNIT_EXPECT_EQ(test, 8U, buf[2].gsi);
	KUNIT_EXPECT_EQ(test, 0U, buf[2].flags & PRIVCMD_GSI_F_PCI);
	KUNIT_EXPECT_EQ(test, 9U, buf[3].gsi);

	/* A GSI that gains a PCI device is listed once, with the device. */
	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_C, 9, 9));
	KUNIT_EXPECT_EQ(test, 4U, pgsi_store_count(s));
	KUNIT_ASSERT_EQ(test, 4U, pgsi_store_snapshot(s, buf, 4));
	KUNIT_EXPECT_EQ(test, SBDF_C, buf[2].sbdf);
	KUNIT_EXPECT_EQ(test, 9U, buf[2].gsi);
	KUNIT_EXPECT_EQ(test, 8U, buf[3].gsi);
}

/* A deleted device's record goes: a new device may take its address. */
static void store_forget_drops_only_that_device(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct privcmd_gsi_record buf[2];
	u32 gsi = 0;

	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_A, 19, 51));
	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_B, 17, 53));
	pgsi_store_forget(s, SBDF_A);
	pgsi_store_forget(s, SBDF_C);	/* never recorded: nothing happens */

	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_store_gsi_by_sbdf(s, SBDF_A, &gsi));
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_gsi_by_sbdf(s, SBDF_B, &gsi));
	KUNIT_EXPECT_EQ(test, 17U, gsi);
	KUNIT_EXPECT_EQ(test, 1U, pgsi_store_count(s));
	KUNIT_ASSERT_EQ(test, 1U, pgsi_store_snapshot(s, buf, 2));
	KUNIT_EXPECT_EQ(test, SBDF_B, buf[0].sbdf);

	/* A new registration at the address is recorded afresh. */
	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_A, 22, 60));
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_gsi_by_sbdf(s, SBDF_A, &gsi));
	KUNIT_EXPECT_EQ(test, 22U, gsi);
	KUNIT_EXPECT_EQ(test, 2U, pgsi_store_count(s));
}

#define MANY	4096

static void store_many_records(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	u32 i, gsi;

	for (i = 0; i < MANY; i++)
		KUNIT_ASSERT_EQ(test, 0, reg(s, 0xfffe0000 | i, 1000 + i,
					     2000 + i));
	KUNIT_EXPECT_EQ(test, MANY, pgsi_store_count(s));
	for (i = 0; i < MANY; i++) {
		KUNIT_ASSERT_EQ(test, 0,
				pgsi_store_gsi_by_sbdf(s, 0xfffe0000 | i, &gsi));
		KUNIT_ASSERT_EQ(test, 1000 + i, gsi);
		KUNIT_ASSERT_EQ(test, 0, pgsi_store_gsi_by_irq(s, 2000 + i, &gsi));
		KUNIT_ASSERT_EQ(test, 1000 + i, gsi);
	}
}

/* The recorder calls in with preemption and often interrupts disabled. */
static DEFINE_SPINLOCK(atomic_test_lock);

static void store_register_in_atomic_context(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	unsigned long flags;
	int ret;
	u32 gsi;

	spin_lock_irqsave(&atomic_test_lock, flags);
	ret = reg(s, SBDF_A, 19, 51);
	pgsi_store_unregister(s, 19);
	spin_unlock_irqrestore(&atomic_test_lock, flags);

	KUNIT_EXPECT_EQ(test, 0, ret);
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_gsi_by_sbdf(s, SBDF_A, &gsi));
}

struct churn {
	struct pgsi_store *s;
	u32 base;
	atomic_t *stop;
};

static int churn_fn(void *data)
{
	struct churn *c = data;
	u32 i = 0;

	while (!atomic_read(c->stop)) {
		reg(c->s, c->base | (i % 64), 100 + i % 64, 500 + i % 64);
		pgsi_store_unregister(c->s, 100 + i % 64);
		i++;
		cond_resched();
	}
	return 0;
}

/* Writers on two threads while this one reads: lockdep and KASAN watch. */
static void store_concurrent_register_and_lookup(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct privcmd_gsi_record *buf;
	struct task_struct *t[2];
	struct churn c[2];
	atomic_t stop = ATOMIC_INIT(0);
	u32 i, gsi;
	int n;

	buf = kunit_kcalloc(test, 256, sizeof(*buf), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (n = 0; n < 2; n++) {
		c[n] = (struct churn){ .s = s, .base = n << 8, .stop = &stop };
		t[n] = kthread_run(churn_fn, &c[n], "pgsi-churn%d", n);
		if (IS_ERR(t[n]))
			break;
		get_task_struct(t[n]);
	}
	/* No assertion may leave the threads running on a freed store. */
	for (i = 0; n == 2 && i < 20000; i++) {
		if (!pgsi_store_gsi_by_sbdf(s, i % 64, &gsi) &&
		    gsi != 100 + i % 64) {
			KUNIT_FAIL(test, "sbdf %u: gsi %u", i % 64, gsi);
			break;
		}
		if (!pgsi_store_gsi_by_irq(s, 500 + i % 64, &gsi) &&
		    gsi != 100 + i % 64) {
			KUNIT_FAIL(test, "irq %u: gsi %u", 500 + i % 64, gsi);
			break;
		}
		if (i % 1000 == 0 && pgsi_store_snapshot(s, buf, 256) > 128) {
			KUNIT_FAIL(test, "more records than written");
			break;
		}
		cond_resched();
	}
	atomic_set(&stop, 1);
	while (n--) {
		kthread_stop(t[n]);
		put_task_struct(t[n]);
	}
	KUNIT_ASSERT_EQ(test, 20000U, i);
	KUNIT_EXPECT_EQ(test, 128U, pgsi_store_count(s));
}

/*
 * A device whose GSI cannot be known is remembered so, until its next
 * registration: asking again evaluates no ACPI (any user can read the gsi
 * file).  It counts nowhere and is never listed.
 */
static void store_unknown_device_until_registered(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct privcmd_gsi_record rec, buf[2];
	u32 gsi;

	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_store_get(s, SBDF_A, &rec));
	pgsi_store_mark_unknown(s, SBDF_A, pgsi_store_forgets(s));
	KUNIT_EXPECT_EQ(test, -ENODATA, pgsi_store_get(s, SBDF_A, &rec));
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_store_gsi_by_sbdf(s, SBDF_A, &gsi));
	KUNIT_EXPECT_EQ(test, 0U, pgsi_store_count(s));
	KUNIT_EXPECT_EQ(test, 0U, pgsi_store_snapshot(s, buf, 2));

	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_A, 20, 20));
	KUNIT_ASSERT_EQ(test, 0, pgsi_store_get(s, SBDF_A, &rec));
	KUNIT_EXPECT_EQ(test, 20U, rec.gsi);
	KUNIT_EXPECT_EQ(test, 1U, pgsi_store_count(s));

	/* A device with a record is never marked unknown. */
	pgsi_store_mark_unknown(s, SBDF_A, pgsi_store_forgets(s));
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_get(s, SBDF_A, &rec));
	/* Forgotten (hot-removed): no record at all. */
	pgsi_store_mark_unknown(s, SBDF_B, pgsi_store_forgets(s));
	pgsi_store_forget(s, SBDF_B);
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_store_get(s, SBDF_B, &rec));
	KUNIT_EXPECT_EQ(test, 1U, pgsi_store_count(s));
}

/*
 * A lookup resolves from ACPI outside any lock; a device forgotten
 * meanwhile may be the one it asked about, whose address the next card in
 * that slot takes: its answer is not kept.
 */
static void store_acpi_answer_after_a_forget_is_not_kept(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);
	struct privcmd_gsi_record rec;
	struct pgsi_reg r = {
		.sbdf = SBDF_A,
		.gsi = 20,
		.irq = -1,
		.trigger = PRIVCMD_GSI_TRIGGER_LEVEL,
		.polarity = PRIVCMD_GSI_POLARITY_HIGH,
		.source = PRIVCMD_GSI_SOURCE_ACPI,
	};

	r.forgets = pgsi_store_forgets(s);
	pgsi_store_forget(s, SBDF_A);		/* the card went meanwhile */
	KUNIT_EXPECT_EQ(test, -EAGAIN, pgsi_store_register(s, &r));
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_store_get(s, SBDF_A, &rec));
	pgsi_store_mark_unknown(s, SBDF_A, r.forgets);
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_store_get(s, SBDF_A, &rec));

	r.forgets = pgsi_store_forgets(s);
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_register(s, &r));
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_get(s, SBDF_A, &rec));
	KUNIT_EXPECT_EQ(test, PRIVCMD_GSI_SOURCE_ACPI, rec.source);
	/* Registrations are the kernel's own: never dropped so. */
	r.source = PRIVCMD_GSI_SOURCE_REGISTERED;
	r.forgets = 0;
	pgsi_store_forget(s, SBDF_B);
	KUNIT_EXPECT_EQ(test, 0, pgsi_store_register(s, &r));
}

static void store_gsi_registered_follows_the_irq(struct kunit *test)
{
	struct pgsi_store *s = kunit_new_store(test);

	KUNIT_EXPECT_FALSE(test, pgsi_store_gsi_registered(s, 20));
	KUNIT_ASSERT_EQ(test, 0, reg(s, SBDF_A, 20, 20));
	KUNIT_EXPECT_TRUE(test, pgsi_store_gsi_registered(s, 20));
	pgsi_store_unregister(s, 20);
	KUNIT_EXPECT_FALSE(test, pgsi_store_gsi_registered(s, 20));
}

static struct kunit_case store_cases[] = {
	KUNIT_CASE(store_records_device_gsi_and_irq),
	KUNIT_CASE(store_unknown_lookups_are_enoent),
	KUNIT_CASE(store_unregister_keeps_gsi),
	KUNIT_CASE(store_shared_gsi_counts_users),
	KUNIT_CASE(store_failed_registration_keeps_gsi_only),
	KUNIT_CASE(store_irq_reused_by_other_gsi),
	KUNIT_CASE(store_recovered_never_replaces_registered),
	KUNIT_CASE(store_snapshot_lists_devices_then_bare_gsis),
	KUNIT_CASE(store_forget_drops_only_that_device),
	KUNIT_CASE(store_unknown_device_until_registered),
	KUNIT_CASE(store_acpi_answer_after_a_forget_is_not_kept),
	KUNIT_CASE(store_gsi_registered_follows_the_irq),
	KUNIT_CASE(store_many_records),
	KUNIT_CASE(store_register_in_atomic_context),
	KUNIT_CASE(store_concurrent_register_and_lookup),
	{}
};

static struct kunit_suite store_suite = {
	.name = "privcmd_gsi_store",
	.test_cases = store_cases,
};

kunit_test_suite(store_suite);
