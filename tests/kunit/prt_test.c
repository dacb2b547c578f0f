// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: GSIs from the ACPI _PRT and link devices (kernel/privcmd-gsi/prt.c),
 * on synthetic routing tables and link resources.
 */
#include <kunit/test.h>
#include <linux/acpi.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "internal.h"

#define ENTRY_LEN	sizeof(struct acpi_pci_routing_table)

/* A _PRT of @n entries {slot, pin (0 = INTA), link name, index}. */
static void *make_prt(struct kunit *test, const u32 (*rows)[3],
		      const char * const *links, unsigned int n, size_t *len)
{
	struct acpi_pci_routing_table *e;
	u8 *buf;
	unsigned int i;

	*len = (n + 1) * ENTRY_LEN;
	buf = kunit_kzalloc(test, *len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < n; i++) {
		e = (void *)(buf + i * ENTRY_LEN);
		e->length = ENTRY_LEN;
		e->address = (u64)rows[i][0] << 16 | 0xffff;
		e->pin = rows[i][1];
		e->source_index = rows[i][2];
		strscpy(e->source, links[i], sizeof(e->source));
	}
	return buf;	/* the last entry, all zero, ends the table */
}

static void prt_match_slot_and_pin(struct kunit *test)
{
	static const u32 rows[][3] = {
		{ 3, 0, 0 }, { 3, 1, 0 }, { 4, 0, 0 }, { 0x1f, 0, 16 },
	};
	static const char * const links[] = { "LKA", "LKB", "LKB", "" };
	const struct acpi_pci_routing_table *e;
	size_t len;
	void *prt = make_prt(test, rows, links, ARRAY_SIZE(rows), &len);

	e = pgsi_prt_match(prt, len, 3, 1);	/* slot 3, INTA */
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_STREQ(test, "LKA", e->source);
	e = pgsi_prt_match(prt, len, 3, 2);	/* slot 3, INTB */
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_STREQ(test, "LKB", e->source);
	e = pgsi_prt_match(prt, len, 0x1f, 1);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, 16U, e->source_index);
	KUNIT_EXPECT_EQ(test, '\0', e->source[0]);

	KUNIT_EXPECT_NULL(test, pgsi_prt_match(prt, len, 4, 2));
	KUNIT_EXPECT_NULL(test, pgsi_prt_match(prt, len, 5, 1));
	KUNIT_EXPECT_NULL(test, pgsi_prt_match(prt, 0, 3, 1));
}

static void prt_match_refuses_malformed(struct kunit *test)
{
	static const u32 rows[][3] = { { 3, 0, 0 }, { 4, 0, 0 } };
	static const char * const links[] = { "LKA", "LKB" };
	struct acpi_pci_routing_table *e;
	size_t len;
	u8 *prt = make_prt(test, rows, links, ARRAY_SIZE(rows), &len);

	/* An entry claiming more bytes than the table has. */
	e = (void *)(prt + ENTRY_LEN);
	e->length = len;
	KUNIT_EXPECT_NULL(test, pgsi_prt_match(prt, len, 4, 1));
	/* The first entry is still found. */
	KUNIT_EXPECT_NOT_NULL(test, pgsi_prt_match(prt, len, 3, 1));
	/* A table cut inside an entry. */
	KUNIT_EXPECT_NULL(test, pgsi_prt_match(prt, ENTRY_LEN / 2, 3, 1));
	/* An entry too short to hold its source's first byte. */
	e->length = offsetof(struct acpi_pci_routing_table, source);
	KUNIT_EXPECT_NULL(test, pgsi_prt_match(prt, len, 4, 1));
}

static void link_pick_current_setting(struct kunit *test)
{
	struct pgsi_link_res crs = { .found = true, .count = 1, .irqs = { 20 },
				     .trigger = ACPI_EDGE_SENSITIVE,
				     .polarity = ACPI_ACTIVE_LOW };
	struct pgsi_link_res prs = { .found = true, .count = 1, .irqs = { 20 },
				     .trigger = ACPI_LEVEL_SENSITIVE,
				     .polarity = ACPI_ACTIVE_HIGH };
	struct pgsi_reg r = {};

	/* One possible setting; trigger and polarity from _PRS, as pci_link.c. */
	KUNIT_EXPECT_EQ(test, 0, pgsi_link_pick(&crs, &prs, &r));
	KUNIT_EXPECT_EQ(test, 20U, r.gsi);
	KUNIT_EXPECT_EQ(test, PRIVCMD_GSI_TRIGGER_LEVEL, r.trigger);
	KUNIT_EXPECT_EQ(test, PRIVCMD_GSI_POLARITY_HIGH, r.polarity);

	/*
	 * A choice: the current setting holds only while Linux has the link
	 * allocated, which the caller checks (1).
	 */
	prs.count = 2;
	prs.irqs[0] = 21;
	prs.irqs[1] = 20;
	r.gsi = 0;
	KUNIT_EXPECT_EQ(test, 1, pgsi_link_pick(&crs, &prs, &r));
	KUNIT_EXPECT_EQ(test, 20U, r.gsi);

	/*
	 * Without _PRS, Linux does not use the link (acpi_pci_link_add()
	 * fails): _CRS alone is no answer.
	 */
	prs.found = false;
	KUNIT_EXPECT_EQ(test, -ENODATA, pgsi_link_pick(&crs, &prs, &r));
}

/*
 * A current setting _PRS does not offer: Linux forgets it and picks from
 * _PRS (acpi_pci_link_allocate()): never taken for the answer.
 */
static void link_pick_setting_outside_prs(struct kunit *test)
{
	struct pgsi_link_res crs = { .found = true, .count = 1, .irqs = { 10 } };
	struct pgsi_link_res prs = { .found = true, .count = 2,
				     .irqs = { 11, 12 } };
	struct pgsi_reg r = { .gsi = 99 };

	KUNIT_EXPECT_EQ(test, -ENODATA, pgsi_link_pick(&crs, &prs, &r));
	KUNIT_EXPECT_EQ(test, 99U, r.gsi);
	/* With one possible setting that one wins, as Linux's choice. */
	prs.count = 1;
	KUNIT_EXPECT_EQ(test, 0, pgsi_link_pick(&crs, &prs, &r));
	KUNIT_EXPECT_EQ(test, 11U, r.gsi);
}

static void link_pick_disabled_link(struct kunit *test)
{
	/* _DIS'd: _CRS holds no interrupt. */
	struct pgsi_link_res crs = { .found = true, .count = 0 };
	struct pgsi_link_res prs = { .found = true, .count = 1, .irqs = { 22 },
				     .trigger = ACPI_LEVEL_SENSITIVE,
				     .polarity = ACPI_ACTIVE_LOW };
	struct pgsi_reg r = {};

	/* One possible setting: that is the one. */
	KUNIT_EXPECT_EQ(test, 0, pgsi_link_pick(&crs, &prs, &r));
	KUNIT_EXPECT_EQ(test, 22U, r.gsi);
	KUNIT_EXPECT_EQ(test, PRIVCMD_GSI_POLARITY_LOW, r.polarity);

	/* A choice of several (PIC-era links: 5, 10, 11): never guessed. */
	prs.count = 3;
	prs.irqs[0] = 5;
	prs.irqs[1] = 10;
	prs.irqs[2] = 11;
	r.gsi = 99;
	KUNIT_EXPECT_EQ(test, -ENODATA, pgsi_link_pick(&crs, &prs, &r));
	KUNIT_EXPECT_EQ(test, 99U, r.gsi);

	/* A current setting of 0 is none either. */
	crs.count = 1;
	crs.irqs[0] = 0;
	KUNIT_EXPECT_EQ(test, -ENODATA, pgsi_link_pick(&crs, &prs, &r));
	crs.found = false;
	prs.found = false;
	KUNIT_EXPECT_EQ(test, -ENODATA, pgsi_link_pick(&crs, &prs, &r));
}

/*
 * ARI: the functions of an ARI device run into the slot bits, and the
 * kernel looks them all up as slot 0 of their bus's _PRT
 * (acpi_pci_irq_find_prt_entry()); function 8 is not slot 1.
 */
static void prt_slot_of_an_ari_device_is_0(struct kunit *test)
{
	struct pci_dev *bridge = kunit_kzalloc(test, sizeof(*bridge), GFP_KERNEL);
	struct pci_bus *bus = kunit_kzalloc(test, sizeof(*bus), GFP_KERNEL);
	struct pci_dev *dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, bridge);
	KUNIT_ASSERT_NOT_NULL(test, bus);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->bus = bus;
	dev->devfn = PCI_DEVFN(1, 0);		/* ARI function 8 */
	KUNIT_EXPECT_EQ(test, 1, pgsi_prt_slot(dev));	/* no bridge: no ARI */
	bus->self = bridge;
	KUNIT_EXPECT_EQ(test, 1, pgsi_prt_slot(dev));
	bridge->ari_enabled = 1;
	KUNIT_EXPECT_EQ(test, 0, pgsi_prt_slot(dev));
	/* The swizzle above it counts slot 0 as well. */
	KUNIT_EXPECT_EQ(test, 1, pgsi_swizzle(dev, 1));
}

static void swizzle_follows_pci_bridge_spec(struct kunit *test)
{
	struct pci_bus *bus = kunit_kzalloc(test, sizeof(*bus), GFP_KERNEL);
	struct pci_dev *dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, bus);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->bus = bus;
	dev->devfn = PCI_DEVFN(1, 0);
	KUNIT_EXPECT_EQ(test, 2, pgsi_swizzle(dev, 1));	/* INTA -> INTB */
	KUNIT_EXPECT_EQ(test, 1, pgsi_swizzle(dev, 4));	/* INTD -> INTA */
	dev->devfn = PCI_DEVFN(7, 3);
	KUNIT_EXPECT_EQ(test, 4, pgsi_swizzle(dev, 1));
	dev->devfn = PCI_DEVFN(0, 0);
	KUNIT_EXPECT_EQ(test, 3, pgsi_swizzle(dev, 3));
}

static struct kunit_case prt_cases[] = {
	KUNIT_CASE(prt_match_slot_and_pin),
	KUNIT_CASE(prt_match_refuses_malformed),
	KUNIT_CASE(link_pick_current_setting),
	KUNIT_CASE(link_pick_setting_outside_prs),
	KUNIT_CASE(link_pick_disabled_link),
	KUNIT_CASE(prt_slot_of_an_ari_device_is_0),
	KUNIT_CASE(swizzle_follows_pci_bridge_spec),
	{}
};

static struct kunit_suite prt_suite = {
	.name = "privcmd_gsi_prt",
	.test_cases = prt_cases,
};

kunit_test_suite(prt_suite);
