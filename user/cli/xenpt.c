// SPDX-License-Identifier: GPL-2.0
/*
 * xenpt: PCI passthrough helper for a Xen dom0 (see xenpt(8)).
 *
 * main(), the global options and the table of commands; each command is
 * in its own file (cmd_*.c), the helpers they share in cli.c (cli.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "cli.h"
#include "xenpt.h"

#ifndef XENPT_VERSION
#define XENPT_VERSION "1"
#endif

static int cmd_help(struct cli *c, int argc, char **argv);

struct command {
	const char *name;
	cli_cmd_fn fn;
	const char *help;	/* its lines in the usage; NULL: an alias */
};

static const struct command commands[] = {
	{ "list", cmd_list,
"  list [-l]                        every PCI device: BDF, vendor:device, class,\n"
"                                   driver, irq, GSI and its source, assignable\n"
"                                   (never: not an endpoint), IOMMU group; -l,\n"
"                                   --long: the GSI's trigger, polarity, origin\n" },
	{ "gsi", cmd_gsi,
"  gsi BDF...                       the GSI of each device and where it came from\n" },
	{ "irq2gsi", cmd_irq2gsi,
"  irq2gsi IRQ...                   the GSI behind each Linux irq\n" },
	{ "assignable-add", cmd_assignable_add,
"  assignable-add [-f] [-p] [--strict] [--no-quarantine] [-n NAME] BDF...\n"
"                                   bind to pciback, remembering the driver, and\n"
"                                   put in Xen's quarantine (as xl)\n"
"      -f, --force                  even if dom0 uses the device (or its VFs)\n"
"      -p, --persist                seize it again at boot (udev rule)\n"
"      --strict                     refuse if a device it is not isolated from\n"
"                                   (IOMMU group; without groups: shared\n"
"                                   requester ID, no ACS, or not provable),\n"
"                                   another function or a VF is not assignable\n"
"      --no-quarantine              do not assign it to Xen's DOMID_IO\n"
"      -n, --name NAME              name it (one BDF)\n" },
	{ "pci-assignable-add", cmd_assignable_add, NULL },
	{ "assignable-remove", cmd_assignable_remove,
"  assignable-remove [-r] BDF|NAME...\n"
"                                   out of the quarantine, off pciback; -r,\n"
"                                   --rebind: back to its remembered driver;\n"
"                                   also repairs stale driver_overrides and\n"
"                                   forgets a device that is gone\n" },
	{ "pci-assignable-remove", cmd_assignable_remove, NULL },
	{ "assignable-list", cmd_assignable_list,
"  assignable-list [-n]             devices on pciback, with their driver, and\n"
"                                   assignments not in effect (absent: gone);\n"
"                                   -n: names\n" },
	{ "pci-assignable-list", cmd_assignable_list, NULL },
	{ "qemu-args", cmd_qemu_args,
"  qemu-args [--permissive] SPEC... QEMU -device arguments (JSON form) for\n"
"                                   cold-plugged devices; SPEC as xl's:\n"
"                                   [DDDD:]BB:DD.F[@VSLOT][,KEY=VALUE...]\n" },
	{ "help", cmd_help,
"  help                             this text\n" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *f)
{
	const struct command *cmd;

	fputs("Usage: xenpt [OPTIONS] COMMAND [ARGS...]\n"
	      "\n"
	      "Commands:\n", f);
	for (cmd = commands; cmd->name; cmd++)
		if (cmd->help)
			fputs(cmd->help, f);
	fputs(
"\n"
"BDF is [DDDD:]BB:DD.F in hex; F may be * for every function; DDDD may be\n"
"above ffff (Linux numbers the domains behind Intel VMD so: such devices have\n"
"no SBDF, and are listed, and refused saying so).  NAME is a name given with\n"
"assignable-add -n.\n"
"The pci-assignable-add/-remove/-list spellings of xl are accepted too.\n"
"\n"
"Options:\n"
"  --json            JSON output (list, gsi, irq2gsi, assignable-list, qemu-args);\n"
"                    gsi, irq2gsi and list give trigger, polarity and origin\n"
"  --boot            for the udev rule: assignable-add of a persistent device,\n"
"                    quiet, one line per device, exit 0 when it is on pciback\n"
"  --root DIR        use DIR/sys, DIR/dev, DIR/proc, DIR/var/lib/xenpt and\n"
"                    DIR/etc/udev/rules.d (tests; also $XENPT_ROOT)\n"
"  --state-dir DIR   state directory (default /var/lib/xenpt)\n"
"  --udev-dir DIR    where the udev rule file goes\n"
"  -v, --verbose     more messages (twice: debug)\n"
"  -q, --quiet       errors only\n"
"  -h, --help        this text\n"
"  -V, --version     version\n"
"\n"
"Exit status: 0 success, 1 an operation failed, 2 usage error.\n"
"Errors: \"xenpt: BDF: reason\" on stderr.\n", f);
}

/* help: the usage on stdout, whatever follows */
static int cmd_help(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "boot", no_argument, NULL, OPT_BOOT },
		{ "root", required_argument, NULL, 'R' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "udev-dir", required_argument, NULL, 'U' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *root = getenv("XENPT_ROOT"), *state = NULL, *udev = NULL;
	struct cli c = { 0 };
	const struct command *cmd;
	int opt, err, rc, prio;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+vqhV", longs, NULL)) != -1) {
		switch (opt) {
		case OPT_JSON: c.json = true; break;
		case OPT_BOOT: c.boot = true; break;
		case 'R': root = optarg; break;
		case 'S': state = optarg; break;
		case 'U': udev = optarg; break;
		case 'v': c.verbosity++; break;
		case 'q': c.verbosity = -1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("xenpt " XENPT_VERSION "\n"); return 0;
		default:
			if (optopt && optopt < 256)
				return cli_usage_error("invalid option -- '%c'", optopt);
			return cli_usage_error("invalid option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("missing command");
	for (cmd = commands; cmd->name; cmd++)
		if (!strcmp(cmd->name, argv[optind]))
			break;
	if (!cmd->name)
		return cli_usage_error("unknown command '%s'", argv[optind]);
	if (cmd->fn == cmd_help)	/* needs no context */
		return cmd_help(&c, argc - optind, argv + optind);
	if (c.boot && cmd->fn != cmd_assignable_add)
		return cli_usage_error("--boot goes with assignable-add only");
	if (c.boot)
		cli_boot_stderr();

	err = xenpt_ctx_new(&c.ctx);
	if (err) {
		fprintf(stderr, "xenpt: %s\n", strerror(-err));
		return EXIT_FAIL;
	}
	if (root && *root)
		err = xenpt_ctx_set_root(c.ctx, root);
	if (!err && state)
		err = xenpt_ctx_set_dir(c.ctx, XENPT_DIR_STATE, state);
	if (!err && udev)
		err = xenpt_ctx_set_dir(c.ctx, XENPT_DIR_UDEV, udev);
	if (err) {
		xenpt_ctx_unref(c.ctx);
		return cli_usage_error("invalid directory: %s", strerror(-err));
	}
	prio = c.verbosity < 0 || c.boot ? LOG_ERR : c.verbosity == 0 ? LOG_WARNING :
	       c.verbosity == 1 ? LOG_INFO : LOG_DEBUG;
	xenpt_ctx_set_log_priority(c.ctx, prio);
	xenpt_ctx_set_log_fn(c.ctx, cli_log, &c);

	rc = cmd->fn(&c, argc - optind, argv + optind);
	fflush(stdout);
	xenpt_ctx_unref(c.ctx);
	return rc;
}
