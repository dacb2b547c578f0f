// SPDX-License-Identifier: GPL-2.0
/*
 * gsi-check: runs inside the QEMU test beds and checks privcmd-gsi against
 * the kernel's own account of each device's interrupt routing, the
 * "PCI INT A -> ... -> GSI n (level, low) -> IRQ m" lines that
 * drivers/acpi/pci_irq.c prints under dyndbg.
 *
 * One static program rather than shell loops: process starts are slow
 * under emulation, and the checks need ioctls.  Results are TAP lines
 * ("ok - ..." / "not ok - ..."; the host numbers them).
 *
 * Its commands, one table per concern (gsi-check with no argument lists
 * them with their usage):
 *   gsi_oracle.c   the answers against the truth
 *   gsi_abuse.c    fuzz and stress
 *   gsi_bench.c    benchmarks
 *   gsi_table.c    the table of make demo
 * and what they share, gsi_devices.c.  A new command is a function and a
 * row in its file's table.
 *
 * Output follows tests/RESULTS.md: TAP lines, "DATA answer <who> <bdf>
 * <gsi or errno name>" for each answer given while devices sat on pciback
 * (compared across kernels), "DATA bench ..." figures, a "table" block.
 */
#include <stdio.h>
#include <string.h>

#include "gsi_check.h"

static const struct gsi_cmd *const gsi_tables[] = {
	gsi_oracle_cmds, gsi_abuse_cmds, gsi_bench_cmds, gsi_table_cmds,
};

static void usage(void)
{
	const struct gsi_cmd *c;
	unsigned int i;

	fprintf(stderr, "usage: gsi-check COMMAND ARGS...\n");
	for (i = 0; i < sizeof(gsi_tables) / sizeof(gsi_tables[0]); i++)
		for (c = gsi_tables[i]; c->name; c++)
			fprintf(stderr, "  %s %s\n", c->name, c->usage);
}

int main(int argc, char **argv)
{
	const struct gsi_cmd *c;
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		usage();
		die("no command");
	}
	for (i = 0; i < sizeof(gsi_tables) / sizeof(gsi_tables[0]); i++)
		for (c = gsi_tables[i]; c->name; c++)
			if (!strcmp(c->name, argv[1])) {
				c->fn(argc - 2, argv + 2);
				return tap_failed ? 1 : 0;
			}
	usage();
	die("unknown command %s", argv[1]);
}
