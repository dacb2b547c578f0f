// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: which hypercall pciback-ext makes and what each answer means
 * (kernel/pciback-ext/xen.c), with the hypercall stubbed.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <xen/interface/xen.h>
#include <xen/interface/physdev.h>

#include "../../kernel/pciback-ext/internal.h"

#define SETUP_GSI	21	/* PHYSDEVOP_setup_gsi */
#define DEVICE_RESET	32	/* PHYSDEVOP_pci_device_reset */

#define MAP_PIRQ	13	/* PHYSDEVOP_map_pirq */
#define UNMAP_PIRQ	14	/* PHYSDEVOP_unmap_pirq */

/*
 * What the stub saw, and what it answers.  map_pirq and unmap_pirq follow
 * Xen 4.20's allocate_pirq() and map_domain_pirq() (xen/arch/x86/irq.c)
 * for one guest whose irqs are the GSIs: pirq -1 finds the GSI's pirq or
 * takes a free one; a pirq for a GSI that has another gives -EEXIST; a
 * pirq taken by another GSI gives 0 and maps nothing.
 */
#define NR 256
static struct {
	int calls;
	int cmd;
	u8 arg[16];
	int answer;
	int pirq_irq[NR];		/* the guest's pirq -> irq (GSI), 0 none */
	int irq_pirq[NR];		/* irq (GSI) -> pirq, 0 none */
	int fail_call;			/* this call (1-based) answers fail_rc */
	int fail_rc;
	int seq[8][4];			/* cmd, domid, pirq, answer of each call */
	int map_index;			/* the GSI of the last map_pirq */
	/* dom0's own binding of a GSI, before or after setup_gsi */
	int binds;
	int bind_gsi;
	int bind_answer;
	int bind_at_call;		/* stub.calls when it was bound */
	bool stubdom;
} stub;

static int stub_map(struct physdev_map_pirq *map)
{
	int irq = map->index, pirq = map->pirq, cur = stub.irq_pirq[irq], p;

	stub.map_index = irq;
	if (pirq < 0) {
		if (!cur) {
			for (p = 77; p < NR && stub.pirq_irq[p]; p++)
				;
			cur = p;
		}
		pirq = cur;
	} else if (cur && cur != pirq) {
		return -EEXIST;
	}
	if ((stub.pirq_irq[pirq] && stub.pirq_irq[pirq] != irq) ||
	    (stub.irq_pirq[irq] && stub.irq_pirq[irq] != pirq))
		return 0;	/* "already mapped": nothing done */
	stub.pirq_irq[pirq] = irq;
	stub.irq_pirq[irq] = pirq;
	map->pirq = pirq;
	return 0;
}

static int stub_unmap(struct physdev_unmap_pirq *unmap)
{
	int irq = stub.pirq_irq[unmap->pirq];

	if (!irq)
		return -EINVAL;
	stub.pirq_irq[unmap->pirq] = 0;
	stub.irq_pirq[irq] = 0;
	return 0;
}

static int stub_physdev_op(int cmd, void *arg)
{
	struct physdev_map_pirq *map = arg;
	struct physdev_unmap_pirq *unmap = arg;
	int n = stub.calls++, rc;

	stub.cmd = cmd;
	if (cmd == MAP_PIRQ || cmd == UNMAP_PIRQ) {
		if (n < 8) {
			stub.seq[n][0] = cmd;
			stub.seq[n][1] = cmd == MAP_PIRQ ? map->domid : unmap->domid;
			stub.seq[n][2] = cmd == MAP_PIRQ ? map->pirq : unmap->pirq;
		}
		if (stub.fail_call == n + 1)
			rc = stub.fail_rc;
		else if (cmd == UNMAP_PIRQ)
			rc = stub_unmap(unmap);
		else
			rc = stub_map(map);
		if (n < 8)
			stub.seq[n][3] = rc;
		return rc;
	}
	memcpy(stub.arg, arg, 8);	/* both arguments are 8 bytes */
	return stub.answer;
}

/* libxl mapped GSI @gsi for the guest at @pirq. */
static void stub_mapped(int gsi, int pirq)
{
	stub.pirq_irq[pirq] = gsi;
	stub.irq_pirq[gsi] = pirq;
}

static int stub_dom0_bind(u32 gsi, u8 trigger, u8 polarity)
{
	stub.binds++;
	stub.bind_gsi = gsi;
	stub.bind_at_call = stub.calls;
	return stub.bind_answer;
}

static bool stub_is_stubdom(u16 domid)
{
	return stub.stubdom;
}

/* HVMOP_get_param: 0 for an HVM guest, -EINVAL for a PV one. */
static int stub_hvm_answer;
static int stub_hvm_op(int op, void *arg)
{
	return stub_hvm_answer;
}

static const struct pbx_env pvh = { .physdev_op = stub_physdev_op,
				    .hvm_op = stub_hvm_op,
				    .dom0_bind = stub_dom0_bind,
				    .is_stubdom = stub_is_stubdom };
static const struct pbx_env pv = { .pv_dom0 = true,
				   .physdev_op = stub_physdev_op,
				   .hvm_op = stub_hvm_op,
				   .dom0_bind = stub_dom0_bind,
				   .is_stubdom = stub_is_stubdom };

static int stub_init(struct kunit *test)
{
	memset(&stub, 0, sizeof(stub));
	stub_hvm_answer = -EINVAL;	/* a PV guest */
	return 0;
}

static struct privcmd_gsi_record rec(u32 gsi, u8 trigger, u8 polarity)
{
	return (struct privcmd_gsi_record){ .gsi = gsi, .trigger = trigger,
					    .polarity = polarity };
}

static void setup_gsi_passes_trigger_and_polarity(struct kunit *test)
{
	struct privcmd_gsi_record r;
	struct physdev_setup_gsi *a = (void *)stub.arg;
	struct pbx_result res;

	r = rec(20, PRIVCMD_GSI_TRIGGER_LEVEL, PRIVCMD_GSI_POLARITY_LOW);
	stub.answer = -EEXIST;
	res = pbx_setup_gsi(&pvh, 0, &r);
	KUNIT_EXPECT_EQ(test, 1, stub.calls);
	KUNIT_EXPECT_EQ(test, SETUP_GSI, stub.cmd);
	KUNIT_EXPECT_EQ(test, 20, a->gsi);
	KUNIT_EXPECT_EQ(test, 1, a->triggering);	/* 1: level */
	KUNIT_EXPECT_EQ(test, 1, a->polarity);		/* 1: active low */
	KUNIT_EXPECT_EQ(test, PBX_SETUP_DONE, res.state);
	KUNIT_EXPECT_EQ(test, -EEXIST, res.rc);

	r = rec(9, PRIVCMD_GSI_TRIGGER_EDGE, PRIVCMD_GSI_POLARITY_HIGH);
	pbx_setup_gsi(&pvh, 0, &r);
	KUNIT_EXPECT_EQ(test, 9, a->gsi);
	KUNIT_EXPECT_EQ(test, 0, a->triggering);
	KUNIT_EXPECT_EQ(test, 0, a->polarity);
}

/*
 * dom0 binds the GSI before Xen hears of it any other way: once
 * PHYSDEVOP_setup_gsi registered a GSI, dom0's own unmask of its pin
 * binds nothing (Xen's vioapic_hwdom_map_gsi() stops at -EEXIST), and a
 * device given back to dom0 never gets an interrupt again.
 */
static void setup_gsi_binds_dom0_first(struct kunit *test)
{
	struct privcmd_gsi_record r = rec(20, PRIVCMD_GSI_TRIGGER_LEVEL,
					  PRIVCMD_GSI_POLARITY_HIGH);
	struct pbx_result res;

	stub.answer = -EEXIST;
	res = pbx_setup_gsi(&pvh, 0, &r);
	KUNIT_EXPECT_EQ(test, 1, stub.binds);
	KUNIT_EXPECT_EQ(test, 20, stub.bind_gsi);
	KUNIT_EXPECT_EQ(test, 0, stub.bind_at_call);	/* before any hypercall */
	KUNIT_EXPECT_EQ(test, PBX_SETUP_DONE, res.state);

	/* No binding where nothing is set up. */
	res = pbx_setup_gsi(&pv, 0, &r);
	res = pbx_setup_gsi(&pvh, -ENOENT, &r);
	res = pbx_setup_gsi(&pvh, -ENODATA, &r);
	KUNIT_EXPECT_EQ(test, 1, stub.binds);
}

static void setup_gsi_answers(struct kunit *test)
{
	static const struct { int bind, answer, state; } cases[] = {
		{ 0, -EEXIST, PBX_SETUP_DONE },		/* dom0 bound it */
		{ -EBUSY, -EEXIST, PBX_SETUP_ALREADY },	/* someone else did */
		{ 0, 0, PBX_SETUP_XEN_ONLY },		/* not by dom0 */
		{ -ENOMEM, 0, PBX_SETUP_XEN_ONLY },
		{ 0, -ENOSYS, PBX_SETUP_UNSUPPORTED },	/* Xen 4.17 */
		{ 0, -EINVAL, PBX_SETUP_FAILED },
		{ 0, -EPERM, PBX_SETUP_FAILED },
		{ 0, 9, PBX_SETUP_FAILED },		/* the SCI's GSI */
	};
	struct privcmd_gsi_record r = rec(20, PRIVCMD_GSI_TRIGGER_LEVEL,
					  PRIVCMD_GSI_POLARITY_HIGH);
	struct pbx_result res;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		stub.bind_answer = cases[i].bind;
		stub.answer = cases[i].answer;
		res = pbx_setup_gsi(&pvh, 0, &r);
		KUNIT_EXPECT_EQ_MSG(test, cases[i].state, res.state, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, cases[i].answer, res.rc, "case %u", i);
	}
	KUNIT_EXPECT_EQ(test, (int)ARRAY_SIZE(cases), stub.calls);
	KUNIT_EXPECT_EQ(test, (int)ARRAY_SIZE(cases), stub.binds);
}

/* No hypercall when there is nothing to set up, or nothing certain. */
static void setup_gsi_without_a_call(struct kunit *test)
{
	struct privcmd_gsi_record r = rec(20, PRIVCMD_GSI_TRIGGER_LEVEL,
					  PRIVCMD_GSI_POLARITY_LOW);
	struct pbx_result res;

	res = pbx_setup_gsi(&pv, 0, &r);
	KUNIT_EXPECT_EQ(test, PBX_SETUP_PV_DOM0, res.state);
	res = pbx_setup_gsi(&pvh, -ENOENT, &r);
	KUNIT_EXPECT_EQ(test, PBX_SETUP_NO_PIN, res.state);
	res = pbx_setup_gsi(&pvh, -EOPNOTSUPP, &r);
	KUNIT_EXPECT_EQ(test, PBX_SETUP_NO_PRIVCMD_GSI, res.state);
	res = pbx_setup_gsi(&pvh, -ENODATA, &r);
	KUNIT_EXPECT_EQ(test, PBX_SETUP_UNKNOWN_GSI, res.state);
	KUNIT_EXPECT_EQ(test, -ENODATA, res.rc);
	res = pbx_setup_gsi(&pvh, -ENOMEM, &r);
	KUNIT_EXPECT_EQ(test, PBX_SETUP_UNKNOWN_GSI, res.state);

	/* A recovered record without polarity is never guessed at. */
	r.polarity = PRIVCMD_GSI_POLARITY_UNKNOWN;
	res = pbx_setup_gsi(&pvh, 0, &r);
	KUNIT_EXPECT_EQ(test, PBX_SETUP_UNKNOWN_MODE, res.state);
	r = rec(20, PRIVCMD_GSI_TRIGGER_UNKNOWN, PRIVCMD_GSI_POLARITY_LOW);
	res = pbx_setup_gsi(&pvh, 0, &r);
	KUNIT_EXPECT_EQ(test, PBX_SETUP_UNKNOWN_MODE, res.state);
	KUNIT_EXPECT_EQ(test, 0, stub.calls);
	KUNIT_EXPECT_EQ(test, 0, stub.binds);
}

static void setup_settled_states(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, pbx_setup_settled(PBX_SETUP_NONE));
	KUNIT_EXPECT_FALSE(test, pbx_setup_settled(PBX_SETUP_NO_PRIVCMD_GSI));
	KUNIT_EXPECT_FALSE(test, pbx_setup_settled(PBX_SETUP_UNKNOWN_GSI));
	KUNIT_EXPECT_FALSE(test, pbx_setup_settled(PBX_SETUP_UNKNOWN_MODE));
	KUNIT_EXPECT_FALSE(test, pbx_setup_settled(PBX_SETUP_WAITING));
	KUNIT_EXPECT_TRUE(test, pbx_setup_settled(PBX_SETUP_XEN_ONLY));
	KUNIT_EXPECT_TRUE(test, pbx_setup_settled(PBX_SETUP_BY_PCIBACK));
	KUNIT_EXPECT_TRUE(test, pbx_setup_settled(PBX_SETUP_DONE));
	KUNIT_EXPECT_TRUE(test, pbx_setup_settled(PBX_SETUP_ALREADY));
	KUNIT_EXPECT_TRUE(test, pbx_setup_settled(PBX_SETUP_NO_PIN));
	KUNIT_EXPECT_TRUE(test, pbx_setup_settled(PBX_SETUP_PV_DOM0));
	KUNIT_EXPECT_TRUE(test, pbx_setup_settled(PBX_SETUP_UNSUPPORTED));
	KUNIT_EXPECT_TRUE(test, pbx_setup_settled(PBX_SETUP_FAILED));
}

static void reset_notify_passes_the_device(struct kunit *test)
{
	struct {
		u16 seg;
		u8 bus;
		u8 devfn;
		u32 flags;
	} *a = (void *)stub.arg;
	struct pbx_result res;

	res = pbx_reset_notify(&pvh, 0x12, 0x34, 0x56);
	KUNIT_EXPECT_EQ(test, 1, stub.calls);
	KUNIT_EXPECT_EQ(test, DEVICE_RESET, stub.cmd);
	KUNIT_EXPECT_EQ(test, 0x12, a->seg);
	KUNIT_EXPECT_EQ(test, 0x34, a->bus);
	KUNIT_EXPECT_EQ(test, 0x56, a->devfn);
	KUNIT_EXPECT_EQ(test, 3U, a->flags);	/* always FLR, as 6.12 */
	KUNIT_EXPECT_EQ(test, PBX_RESET_DONE, res.state);
}

static void reset_notify_answers(struct kunit *test)
{
	struct pbx_result res;

	stub.answer = -ENOSYS;
	res = pbx_reset_notify(&pvh, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, PBX_RESET_UNSUPPORTED, res.state);
	KUNIT_EXPECT_EQ(test, -ENOSYS, res.rc);
	stub.answer = -ENODEV;
	res = pbx_reset_notify(&pvh, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, PBX_RESET_FAILED, res.state);
	KUNIT_EXPECT_EQ(test, 2, stub.calls);

	/* No call for a PV dom0, nor a segment Xen's ABI cannot name. */
	res = pbx_reset_notify(&pv, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, PBX_RESET_PV_DOM0, res.state);
	res = pbx_reset_notify(&pvh, 0x10000, 0, 0);
	KUNIT_EXPECT_EQ(test, PBX_RESET_BAD_SEGMENT, res.state);
	KUNIT_EXPECT_EQ(test, 2, stub.calls);
}

/* libxl let Xen pick pirq 16; pcifront will bind the line, 20. */
static void pirq_moved_to_the_line(struct kunit *test)
{
	struct pbx_result res;
	int pirq;

	stub_mapped(20, 16);
	res = pbx_pirq_align(&pvh, 5, 20, 20, &pirq);
	KUNIT_EXPECT_EQ(test, PBX_PIRQ_REMAPPED, res.state);
	KUNIT_EXPECT_EQ(test, 0, res.rc);
	KUNIT_EXPECT_EQ(test, 20, pirq);
	KUNIT_EXPECT_EQ(test, 20, stub.irq_pirq[20]);
	KUNIT_EXPECT_EQ(test, 0, stub.pirq_irq[16]);
	KUNIT_ASSERT_EQ(test, 4, stub.calls);
	/* look up (-1), unmap 16, map at 20, check at 16: all for d5 */
	KUNIT_EXPECT_EQ(test, MAP_PIRQ, stub.seq[0][0]);
	KUNIT_EXPECT_EQ(test, -1, stub.seq[0][2]);
	KUNIT_EXPECT_EQ(test, UNMAP_PIRQ, stub.seq[1][0]);
	KUNIT_EXPECT_EQ(test, 16, stub.seq[1][2]);
	KUNIT_EXPECT_EQ(test, MAP_PIRQ, stub.seq[2][0]);
	KUNIT_EXPECT_EQ(test, 20, stub.seq[2][2]);
	KUNIT_EXPECT_EQ(test, 5, stub.seq[2][1]);
	KUNIT_EXPECT_EQ(test, MAP_PIRQ, stub.seq[3][0]);
	KUNIT_EXPECT_EQ(test, 16, stub.seq[3][2]);
	KUNIT_EXPECT_EQ(test, -EEXIST, stub.seq[3][3]);
}

/*
 * dom0's irq is not the GSI (a PVH dom0 numbers irqs as they come: GSI 19
 * may be irq 51): the guest reads 51, so the pirq is 51, and what is
 * mapped is GSI 19.
 */
static void pirq_is_dom0s_irq_not_the_gsi(struct kunit *test)
{
	struct pbx_result res;
	int pirq;

	stub_mapped(19, 16);
	res = pbx_pirq_align(&pvh, 1, 19, 51, &pirq);
	KUNIT_EXPECT_EQ(test, PBX_PIRQ_REMAPPED, res.state);
	KUNIT_EXPECT_EQ(test, 51, pirq);
	KUNIT_EXPECT_EQ(test, 51, stub.seq[2][2]);
	KUNIT_EXPECT_EQ(test, 19, stub.pirq_irq[51]);
}

static void pirq_already_aligned_or_nothing_to_do(struct kunit *test)
{
	struct pbx_result res;
	int pirq;

	stub_mapped(20, 20);
	res = pbx_pirq_align(&pvh, 1, 20, 20, &pirq);
	KUNIT_EXPECT_EQ(test, PBX_PIRQ_ALIGNED, res.state);
	KUNIT_EXPECT_EQ(test, 20, pirq);
	KUNIT_EXPECT_EQ(test, 1, stub.calls);	/* the look-up only */

	/* No interrupt line to report (0, or 0xff not connected). */
	res = pbx_pirq_align(&pvh, 1, 20, 0, &pirq);
	KUNIT_EXPECT_EQ(test, PBX_PIRQ_NO_LINE, res.state);
	res = pbx_pirq_align(&pvh, 1, 20, 0xff, &pirq);
	KUNIT_EXPECT_EQ(test, PBX_PIRQ_NO_LINE, res.state);
	/* A PV dom0: libxl maps at the irq itself. */
	res = pbx_pirq_align(&pv, 1, 20, 20, &pirq);
	KUNIT_EXPECT_EQ(test, PBX_PIRQ_PV_DOM0, res.state);
	KUNIT_EXPECT_EQ(test, -1, pirq);
	KUNIT_EXPECT_EQ(test, 1, stub.calls);
}

/*
 * The line is the pirq of another of the guest's interrupts (GSI 23):
 * Xen's map_domain_pirq() answers 0 and maps nothing.  That is no remap:
 * libxl's mapping is back, and the other one untouched.
 */
static void pirq_line_taken_is_not_a_remap(struct kunit *test)
{
	struct pbx_result res;
	int pirq;

	stub_mapped(20, 16);
	stub_mapped(23, 20);
	res = pbx_pirq_align(&pvh, 1, 20, 20, &pirq);
	KUNIT_EXPECT_EQ(test, PBX_PIRQ_FAILED, res.state);
	KUNIT_EXPECT_EQ(test, -EBUSY, res.rc);
	KUNIT_EXPECT_EQ(test, 16, pirq);
	KUNIT_EXPECT_EQ(test, 16, stub.irq_pirq[20]);
	KUNIT_EXPECT_EQ(test, 20, stub.pirq_irq[16]);
	KUNIT_EXPECT_EQ(test, 20, stub.irq_pirq[23]);
	KUNIT_EXPECT_EQ(test, 23, stub.pirq_irq[20]);
}

/* Xen refuses the map at the line: libxl's mapping is put back. */
static void pirq_failed_remap_restores(struct kunit *test)
{
	struct pbx_result res;
	int pirq;

	stub_mapped(20, 16);
	stub.fail_call = 3;
	stub.fail_rc = -ENOSPC;
	res = pbx_pirq_align(&pvh, 1, 20, 20, &pirq);
	KUNIT_EXPECT_EQ(test, PBX_PIRQ_FAILED, res.state);
	KUNIT_EXPECT_EQ(test, -ENOSPC, res.rc);
	KUNIT_EXPECT_EQ(test, 16, pirq);
	KUNIT_EXPECT_EQ(test, 16, stub.irq_pirq[20]);
	KUNIT_EXPECT_EQ(test, 4, stub.calls);

	/* The look-up itself refused (Xen 4.17: ENOSYS): nothing changed. */
	stub_init(test);
	stub.fail_call = 1;
	stub.fail_rc = -ENOSYS;
	res = pbx_pirq_align(&pvh, 1, 20, 20, &pirq);
	KUNIT_EXPECT_EQ(test, PBX_PIRQ_FAILED, res.state);
	KUNIT_EXPECT_EQ(test, -1, pirq);
	KUNIT_EXPECT_EQ(test, 1, stub.calls);
}

/* An HVM guest's QEMU binds the pirq libxl mapped: never moved. */
static void pirq_of_an_hvm_guest_is_left_alone(struct kunit *test)
{
	struct pbx_result res;
	int pirq;

	stub_mapped(20, 16);
	stub_hvm_answer = 0;
	res = pbx_pirq_align(&pvh, 1, 20, 20, &pirq);
	KUNIT_EXPECT_EQ(test, PBX_PIRQ_HVM_GUEST, res.state);
	KUNIT_EXPECT_EQ(test, 0, stub.calls);
	KUNIT_EXPECT_EQ(test, 16, stub.irq_pirq[20]);
	/* Cannot tell (no such domain): left alone too. */
	stub_hvm_answer = -ESRCH;
	res = pbx_pirq_align(&pvh, 1, 20, 20, &pirq);
	KUNIT_EXPECT_EQ(test, PBX_PIRQ_FAILED, res.state);
	KUNIT_EXPECT_EQ(test, -ESRCH, res.rc);
	KUNIT_EXPECT_EQ(test, 0, stub.calls);
}

/*
 * A device model's stubdomain is a PV domain that pciback exports to; its
 * pirqs are libxl's business for QEMU: never moved.
 */
static void pirq_of_a_stubdomain_is_left_alone(struct kunit *test)
{
	struct pbx_result res;
	int pirq;

	stub_mapped(20, 16);
	stub.stubdom = true;
	res = pbx_pirq_align(&pvh, 2, 20, 20, &pirq);
	KUNIT_EXPECT_EQ(test, PBX_PIRQ_STUBDOM, res.state);
	KUNIT_EXPECT_EQ(test, 0, stub.calls);
	KUNIT_EXPECT_EQ(test, 16, stub.irq_pirq[20]);
}

static void every_state_has_a_name(struct kunit *test)
{
	int i;

	for (i = PBX_SETUP_NONE; i <= PBX_SETUP_BY_PCIBACK; i++)
		KUNIT_EXPECT_STRNEQ(test, "?", pbx_setup_name(i));
	for (i = PBX_RESET_NONE; i <= PBX_RESET_BY_PCIBACK; i++)
		KUNIT_EXPECT_STRNEQ(test, "?", pbx_reset_name(i));
	for (i = PBX_PIRQ_NONE; i <= PBX_PIRQ_FAILED; i++)
		KUNIT_EXPECT_STRNEQ(test, "?", pbx_pirq_name(i));
	KUNIT_EXPECT_STREQ(test, "?", pbx_setup_name(-1));
	KUNIT_EXPECT_STREQ(test, "?", pbx_setup_name(PBX_SETUP_BY_PCIBACK + 1));
	KUNIT_EXPECT_STREQ(test, "?", pbx_reset_name(PBX_RESET_BY_PCIBACK + 1));
	KUNIT_EXPECT_STREQ(test, "?", pbx_pirq_name(PBX_PIRQ_FAILED + 1));
	KUNIT_EXPECT_STREQ(test, "already", pbx_setup_name(PBX_SETUP_ALREADY));
}

static struct kunit_case pbx_cases[] = {
	KUNIT_CASE(setup_gsi_passes_trigger_and_polarity),
	KUNIT_CASE(setup_gsi_binds_dom0_first),
	KUNIT_CASE(setup_gsi_answers),
	KUNIT_CASE(setup_gsi_without_a_call),
	KUNIT_CASE(setup_settled_states),
	KUNIT_CASE(reset_notify_passes_the_device),
	KUNIT_CASE(reset_notify_answers),
	KUNIT_CASE(pirq_moved_to_the_line),
	KUNIT_CASE(pirq_is_dom0s_irq_not_the_gsi),
	KUNIT_CASE(pirq_already_aligned_or_nothing_to_do),
	KUNIT_CASE(pirq_line_taken_is_not_a_remap),
	KUNIT_CASE(pirq_failed_remap_restores),
	KUNIT_CASE(pirq_of_an_hvm_guest_is_left_alone),
	KUNIT_CASE(pirq_of_a_stubdomain_is_left_alone),
	KUNIT_CASE(every_state_has_a_name),
	{}
};

static struct kunit_suite pbx_suite = {
	.name = "pciback_ext_xen",
	.init = stub_init,
	.test_cases = pbx_cases,
};

kunit_test_suite(pbx_suite);

MODULE_DESCRIPTION("KUnit suite for pciback-ext");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(XENPT_KUNIT_NS);
