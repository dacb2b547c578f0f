// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: recovery of GSIs from the MADT and IO-APIC irq domains
 * (kernel/privcmd-gsi/recover.c).
 */
#include <kunit/test.h>
#include <linux/acpi.h>
#include <linux/slab.h>

#include "internal.h"

#define MADT_MAX	512

struct madt_buf {
	u8 bytes[MADT_MAX];
	u32 len;
};

static struct madt_buf *madt_new(struct kunit *test)
{
	struct madt_buf *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->len = sizeof(struct acpi_table_madt);
	memcpy(m->bytes, ACPI_SIG_MADT, 4);
	return m;
}

static void madt_add(struct madt_buf *m, const void *sub, u8 len)
{
	memcpy(m->bytes + m->len, sub, len);
	m->len += len;
}

static void madt_add_ioapic(struct madt_buf *m, u8 id, u32 gsi_base)
{
	struct acpi_madt_io_apic io = {
		.header.type = ACPI_MADT_TYPE_IO_APIC,
		.header.length = sizeof(io),
		.id = id,
		.address = 0xfec00000,
		.global_irq_base = gsi_base,
	};

	madt_add(m, &io, sizeof(io));
}

static void madt_add_lapic(struct madt_buf *m, u8 id)
{
	struct acpi_madt_local_apic lapic = {
		.header.type = ACPI_MADT_TYPE_LOCAL_APIC,
		.header.length = sizeof(lapic),
		.id = id,
	};

	madt_add(m, &lapic, sizeof(lapic));
}

static const struct acpi_table_header *madt_hdr(struct madt_buf *m)
{
	struct acpi_table_header *h = (void *)m->bytes;

	h->length = m->len;
	return h;
}

static struct pgsi_ioapic_table *new_table(struct kunit *test)
{
	struct pgsi_ioapic_table *t = kunit_kzalloc(test, sizeof(*t),
						    GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	return t;
}

static void madt_parse_two_ioapics(struct kunit *test)
{
	struct pgsi_ioapic_table *t = new_table(test);
	struct madt_buf *m = madt_new(test);

	madt_add_lapic(m, 0);
	madt_add_ioapic(m, 0, 0);
	madt_add_lapic(m, 1);
	madt_add_ioapic(m, 1, 24);

	/* A tail too short for a subtable header is ignored, as Linux does. */
	m->len += 1;

	KUNIT_ASSERT_EQ(test, 0, pgsi_madt_parse(madt_hdr(m), t));
	KUNIT_ASSERT_EQ(test, 2U, t->count);
	KUNIT_EXPECT_EQ(test, 0U, t->ioapic[0].id);
	KUNIT_EXPECT_EQ(test, 0U, t->ioapic[0].gsi_base);
	KUNIT_EXPECT_EQ(test, 1U, t->ioapic[1].id);
	KUNIT_EXPECT_EQ(test, 24U, t->ioapic[1].gsi_base);
}

static void madt_parse_rejects_malformed(struct kunit *test)
{
	struct pgsi_ioapic_table *t = new_table(test);
	struct madt_buf *m = madt_new(test);
	struct acpi_subtable_header bad = { .type = 0x7f, .length = 1 };

	/* No IO-APIC at all. */
	madt_add_lapic(m, 0);
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_madt_parse(madt_hdr(m), t));

	/* A subtable shorter than its own header. */
	madt_add_ioapic(m, 0, 0);
	madt_add(m, &bad, sizeof(bad));
	KUNIT_EXPECT_EQ(test, -EINVAL, pgsi_madt_parse(madt_hdr(m), t));

	/* A subtable running past the end of the table. */
	m = madt_new(test);
	madt_add_ioapic(m, 0, 0);
	m->len -= 2;
	KUNIT_EXPECT_EQ(test, -EINVAL, pgsi_madt_parse(madt_hdr(m), t));

	/* A table shorter than the MADT header. */
	m = madt_new(test);
	m->len = sizeof(struct acpi_table_header);
	KUNIT_EXPECT_EQ(test, -EINVAL, pgsi_madt_parse(madt_hdr(m), t));

	/* Two IO-APICs with the same id: which one is which is unknown. */
	m = madt_new(test);
	madt_add_ioapic(m, 2, 0);
	madt_add_ioapic(m, 2, 24);
	KUNIT_EXPECT_EQ(test, -EINVAL, pgsi_madt_parse(madt_hdr(m), t));
}

static void madt_parse_too_many_ioapics(struct kunit *test)
{
	struct pgsi_ioapic_table *t = new_table(test);
	u8 *big;
	u32 i, len = sizeof(struct acpi_table_madt);
	struct acpi_madt_io_apic io = {
		.header.type = ACPI_MADT_TYPE_IO_APIC,
		.header.length = sizeof(io),
	};

	big = kunit_kzalloc(test, len + (PGSI_MAX_IOAPICS + 1) * sizeof(io),
			    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	for (i = 0; i <= PGSI_MAX_IOAPICS; i++) {
		io.id = i;
		io.global_irq_base = i * 24;
		memcpy(big + len, &io, sizeof(io));
		len += sizeof(io);
	}
	((struct acpi_table_header *)big)->length = len;
	KUNIT_EXPECT_EQ(test, -E2BIG,
			pgsi_madt_parse((struct acpi_table_header *)big, t));
}

static struct pgsi_ioapic_table *two_ioapics(struct kunit *test)
{
	struct pgsi_ioapic_table *t = new_table(test);

	t->count = 2;
	t->ioapic[0] = (struct pgsi_ioapic){ .id = 0, .gsi_base = 0 };
	t->ioapic[1] = (struct pgsi_ioapic){ .id = 1, .gsi_base = 24 };
	return t;
}

static void pin_to_gsi_adds_base(struct kunit *test)
{
	struct pgsi_ioapic_table *t = two_ioapics(test);
	u32 gsi = 0;

	KUNIT_EXPECT_EQ(test, 0, pgsi_ioapic_pin_to_gsi(t, "IO-APIC-0", 19,
							&gsi));
	KUNIT_EXPECT_EQ(test, 19U, gsi);
	KUNIT_EXPECT_EQ(test, 0, pgsi_ioapic_pin_to_gsi(t, "IO-APIC-1", 3,
							&gsi));
	KUNIT_EXPECT_EQ(test, 27U, gsi);
	/* The last IO-APIC's range is open-ended. */
	KUNIT_EXPECT_EQ(test, 0, pgsi_ioapic_pin_to_gsi(t, "IO-APIC-1", 100,
							&gsi));
	KUNIT_EXPECT_EQ(test, 124U, gsi);
}

static void pin_to_gsi_refuses_to_guess(struct kunit *test)
{
	struct pgsi_ioapic_table *t = two_ioapics(test);
	u32 gsi = 0xdead;

	/* Not an IO-APIC domain: an MSI vector, a Xen pirq, anything. */
	KUNIT_EXPECT_EQ(test, -ENOENT,
			pgsi_ioapic_pin_to_gsi(t, "PCI-MSI-3", 0, &gsi));
	KUNIT_EXPECT_EQ(test, -ENOENT, pgsi_ioapic_pin_to_gsi(t, NULL, 0, &gsi));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			pgsi_ioapic_pin_to_gsi(t, "IO-APIC-", 0, &gsi));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			pgsi_ioapic_pin_to_gsi(t, "IO-APIC-1x", 0, &gsi));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			pgsi_ioapic_pin_to_gsi(t, "IO-APIC--1", 0, &gsi));
	KUNIT_EXPECT_EQ(test, -ENOENT,
			pgsi_ioapic_pin_to_gsi(t, "IR-IO-APIC-0", 0, &gsi));
	/* An IO-APIC the MADT does not list. */
	KUNIT_EXPECT_EQ(test, -ENOENT,
			pgsi_ioapic_pin_to_gsi(t, "IO-APIC-7", 0, &gsi));
	/* A pin of IO-APIC 0 that would be IO-APIC 1's GSI 24. */
	KUNIT_EXPECT_EQ(test, -ERANGE,
			pgsi_ioapic_pin_to_gsi(t, "IO-APIC-0", 24, &gsi));
	t->ioapic[1].gsi_base = 0xfffffff0;
	KUNIT_EXPECT_EQ(test, -ERANGE,
			pgsi_ioapic_pin_to_gsi(t, "IO-APIC-1", 0x20, &gsi));
	KUNIT_EXPECT_EQ(test, 0xdeadU, gsi);
}

static struct kunit_case recover_cases[] = {
	KUNIT_CASE(madt_parse_two_ioapics),
	KUNIT_CASE(madt_parse_rejects_malformed),
	KUNIT_CASE(madt_parse_too_many_ioapics),
	KUNIT_CASE(pin_to_gsi_adds_base),
	KUNIT_CASE(pin_to_gsi_refuses_to_guess),
	{}
};

static struct kunit_suite recover_suite = {
	.name = "privcmd_gsi_recover",
	.test_cases = recover_cases,
};

kunit_test_suite(recover_suite);
