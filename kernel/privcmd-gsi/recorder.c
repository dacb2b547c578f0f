// SPDX-License-Identifier: GPL-2.0
/*
 * privcmd-gsi: the recorder.
 *
 * Return probes on acpi_register_gsi() and acpi_unregister_gsi(), both
 * exported on x86 since long before 6.1.  The entry handlers only copy the
 * arguments: with int3-based kprobes they run in an NMI-like context where
 * no lock may be taken.  The return handlers run in the caller's context
 * with preemption disabled, and do the work there.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/kprobes.h>
#include <linux/pci.h>
#include <linux/ptrace.h>

#include "internal.h"

/*
 * Registrations may sleep (a link's _SRS), so more can be in flight than
 * there are CPUs: at least this many, and never fewer than the kernel's
 * own default, twice the possible CPUs (set at start).
 */
#define PGSI_RECORDER_MAXACTIVE	64

struct pgsi_register_args {
	struct device *dev;
	u32 gsi;
	int trigger;
	int polarity;
};

static atomic_t pgsi_recorder_dropped = ATOMIC_INIT(0);

static u8 pgsi_acpi_trigger(int trigger)
{
	switch (trigger) {
	case ACPI_LEVEL_SENSITIVE:
		return PRIVCMD_GSI_TRIGGER_LEVEL;
	case ACPI_EDGE_SENSITIVE:
		return PRIVCMD_GSI_TRIGGER_EDGE;
	default:
		return PRIVCMD_GSI_TRIGGER_UNKNOWN;
	}
}

static u8 pgsi_acpi_polarity(int polarity)
{
	switch (polarity) {
	case ACPI_ACTIVE_HIGH:
		return PRIVCMD_GSI_POLARITY_HIGH;
	case ACPI_ACTIVE_LOW:
		return PRIVCMD_GSI_POLARITY_LOW;
	default:
		return PRIVCMD_GSI_POLARITY_UNKNOWN;
	}
}

/* int acpi_register_gsi(struct device *dev, u32 gsi, int trigger, int polarity) */
static int pgsi_register_entry(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct pgsi_register_args *args = (void *)ri->data;

	args->dev = (struct device *)regs_get_kernel_argument(regs, 0);
	args->gsi = regs_get_kernel_argument(regs, 1);
	args->trigger = regs_get_kernel_argument(regs, 2);
	args->polarity = regs_get_kernel_argument(regs, 3);
	return 0;
}

static int pgsi_register_return(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	const struct pgsi_register_args *args = (void *)ri->data;
	struct pgsi_reg reg = {
		.sbdf = PRIVCMD_GSI_NO_SBDF,
		.gsi = args->gsi,
		.irq = (int)regs_return_value(regs),
		.trigger = pgsi_acpi_trigger(args->trigger),
		.polarity = pgsi_acpi_polarity(args->polarity),
		.source = PRIVCMD_GSI_SOURCE_REGISTERED,
	};

	if (args->dev && dev_is_pci(args->dev))
		reg.sbdf = pgsi_pci_sbdf(to_pci_dev(args->dev));
	if (pgsi_store_register(pgsi_store, &reg)) {
		atomic_inc(&pgsi_recorder_dropped);
		pr_warn_ratelimited("GSI %u registration not recorded: out of memory\n",
				    reg.gsi);
	}
	return 0;
}

/* void acpi_unregister_gsi(u32 gsi) */
static int pgsi_unregister_entry(struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	*(u32 *)ri->data = regs_get_kernel_argument(regs, 0);
	return 0;
}

static int pgsi_unregister_return(struct kretprobe_instance *ri,
				  struct pt_regs *regs)
{
	pgsi_store_unregister(pgsi_store, *(u32 *)ri->data);
	return 0;
}

static struct kretprobe pgsi_register_probe = {
	.kp.symbol_name = "acpi_register_gsi",
	.entry_handler = pgsi_register_entry,
	.handler = pgsi_register_return,
	.data_size = sizeof(struct pgsi_register_args),
};

static struct kretprobe pgsi_unregister_probe = {
	.kp.symbol_name = "acpi_unregister_gsi",
	.entry_handler = pgsi_unregister_entry,
	.handler = pgsi_unregister_return,
	.data_size = sizeof(u32),
};

static struct kretprobe *pgsi_recorder_probes[] = {
	&pgsi_unregister_probe,
	&pgsi_register_probe,
};

/**
 * pgsi_recorder_start() - start recording into pgsi_store
 *
 * Return: 0, or the error of register_kretprobes().
 */
int pgsi_recorder_start(void)
{
	int maxactive = max_t(int, PGSI_RECORDER_MAXACTIVE,
			      2 * num_possible_cpus());
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(pgsi_recorder_probes); i++)
		pgsi_recorder_probes[i]->maxactive = maxactive;
	ret = register_kretprobes(pgsi_recorder_probes,
				  ARRAY_SIZE(pgsi_recorder_probes));
	if (ret)
		pr_err("cannot probe acpi_register_gsi/acpi_unregister_gsi: %d\n",
		       ret);
	return ret;
}

/* Returns once no handler runs any more. */
void pgsi_recorder_stop(void)
{
	unregister_kretprobes(pgsi_recorder_probes,
			      ARRAY_SIZE(pgsi_recorder_probes));
}

/* Registrations lost: probe instances exhausted or no memory. */
unsigned int pgsi_recorder_missed(void)
{
	return pgsi_register_probe.nmissed + pgsi_unregister_probe.nmissed +
	       atomic_read(&pgsi_recorder_dropped);
}
