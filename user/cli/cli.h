/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The xenpt CLI: what main() (xenpt.c) and the commands (cmd_*.c) share.
 *
 * Exit status: 0 success, 1 an operation failed (for at least one of the
 * arguments), 2 usage error.  Failures are reported on stderr as
 * "xenpt: <BDF>: <reason>" (or "xenpt: irq <N>: <reason>").
 */
#ifndef XENPT_CLI_H
#define XENPT_CLI_H

#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xenpt.h"

#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* long options without a short form */
#define OPT_JSON	1000
#define OPT_STRICT	1001
#define OPT_PERMISSIVE	1002
#define OPT_NO_QUARANTINE 1003
#define OPT_BOOT	1004

struct cli {
	struct xenpt_ctx *ctx;
	bool json;
	bool boot;		/* --boot: the udev rule's assignable-add */
	int verbosity;
	/* error messages the library logged since the last reset */
	int errors;
	char err_prefix[32][24];
	int nprefix;
	/* list: GSI errors are summarized, not printed per device; --boot:
	 * one line per device.  held: the first error while hold is set */
	bool hold;
	char held[512];
};

/* A command: argv[0] is its name; returns the exit status. */
typedef int (*cli_cmd_fn)(struct cli *c, int argc, char **argv);

int cmd_list(struct cli *c, int argc, char **argv);
int cmd_gsi(struct cli *c, int argc, char **argv);
int cmd_irq2gsi(struct cli *c, int argc, char **argv);
int cmd_assignable_add(struct cli *c, int argc, char **argv);
int cmd_assignable_remove(struct cli *c, int argc, char **argv);
int cmd_assignable_list(struct cli *c, int argc, char **argv);
int cmd_qemu_args(struct cli *c, int argc, char **argv);

/* --- cli.c ----------------------------------------------------------- */

/* The library's log callback (data: the struct cli): "xenpt: MESSAGE" on
 * stderr, errors counted and remembered (see cli_fail). */
void cli_log(void *data, int prio, const char *file, int line,
	     const char *fn, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));
/* Forgets the errors logged so far. */
void cli_reset_errors(struct cli *c);
/* "xenpt: WHAT: REASON" on stderr, unless the library already logged an
 * error about WHAT (a BDF or "irq N") since the last reset. */
void cli_fail(struct cli *c, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "ENOENT" for ENOENT, ... */
const char *cli_errname(int err);
/* "xenpt: MESSAGE" and the --help hint on stderr: returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses every BDF argument (expanding "*") before anything is done:
 * 0, or an exit code after a message.  free() *out. */
int cli_parse_bdfs(struct cli *c, int argc, char **argv,
		   struct xenpt_bdf **out, size_t *count);
/* The same, where an argument may also be the name of an assignable
 * device (xl pci-assignable-remove BDF|NAME). */
int cli_parse_bdfs_or_names(struct cli *c, int argc, char **argv,
			    struct xenpt_bdf **out, size_t *count);
/* One name argument: its device, or an exit code after a message. */
int cli_resolve_name(struct cli *c, const char *name, struct xenpt_bdf *bdf);
/* Why an assignment failed, for the errnos that need saying. */
const char *cli_assign_reason(int err, char *buf, size_t size);
/* Warnings about a device's XENPT_PROBLEM_* (list, assignable-list). */
void cli_warn_problems(const struct cli *c, const char *bdf, unsigned int problems,
		       const char *driver, const char *override);
/* "stuck", "stale-override", "persist-not-in-effect", "not-in-effect", or
 * NULL: the worst of problems. */
const char *cli_problem_name(unsigned int problems);
/* Option parsing for commands (--json always accepted; on(opt, data)
 * takes the others, non-zero for an invalid one): the index of the first
 * argument, or -1 after a usage error. */
int cli_opts(struct cli *c, int argc, char **argv,
	     const char *shorts, const struct option *longs,
	     int (*on)(int opt, void *data), void *data);
/* cli_opts, then the BDF arguments after the options: 0 or an exit code */
int cli_opts_and_bdfs(struct cli *c, int argc, char **argv,
		      const char *shorts, const struct option *longs,
		      int (*on)(int opt, void *data), void *data,
		      struct xenpt_bdf **bdfs, size_t *n);
/* The long options of a command with only --json. */
extern const struct option cli_json_only[];

/* gsi and irq2gsi: why a lookup failed (buf for the other errors). */
const char *cli_gsi_reason(int err, char *buf, size_t size);
/*
 * One result of gsi or irq2gsi: a JSON object (bdf only when given, then
 * num_key: num, gsi, source, error) or, when found, a text line "WHAT GSI
 * SOURCE" where WHAT is bdf or else num.
 */
void cli_gsi_result(const struct cli *c, bool *comma, const char *bdf,
		    const char *num_key, uint32_t num, int err, uint32_t gsi,
		    enum xenpt_gsi_source src);

/* list and assignable-list: the options (only --json), and no arguments:
 * 0 or an exit code. */
int cli_list_start(struct cli *c, int argc, char **argv, const char *cmd);
/* The message when the devices cannot be listed: returns EXIT_FAIL. */
int cli_list_failed(int err);

#endif
