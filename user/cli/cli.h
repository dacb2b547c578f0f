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
};

/* A device argument: its name (any domain), and its BDF when it has one
 * (domain <= ffff). */
struct cli_dev {
	char name[XENPT_DEV_STRLEN];
	struct xenpt_bdf bdf;
	bool has_bdf;
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

/*
 * --boot's messages where an admin looks: run by udev's rule (its event in
 * the environment: ACTION, DEVPATH, SEQNUM), stderr reaches no log
 * (udevd keeps a RUN program's output for its debug log), so each line
 * goes to syslog (the journal), facility daemon, ident xenpt; run by
 * xenpt-persist.service or by hand, stderr stays.
 */
void cli_boot_stderr(void);

/* The library's log callback (data: the struct cli): "xenpt: MESSAGE" on
 * stderr ("xenpt: warning: ..." for warnings).  What fails for a device
 * comes from its result or record (xenpt_result, xenpt_gsi_record), not
 * from here. */
void cli_log(void *data, int prio, const char *file, int line,
	     const char *fn, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));
/* "xenpt: WHAT: REASON" on stderr. */
void cli_fail(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Each result: its failure ("xenpt: DEV: reason"), or its note as a
 * warning (not with -q); the exit status. */
int cli_results(const struct cli *c, const struct xenpt_result *res, size_t n);
/* "ENOENT" for ENOENT, ... */
const char *cli_errname(int err);
/* "xenpt: MESSAGE" and the --help hint on stderr: returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses every BDF argument (expanding "*"; any domain, Linux's above
 * ffff included) before anything is done: 0, or an exit code after a
 * message.  free() *out. */
int cli_parse_devs(struct cli *c, int argc, char **argv,
		   struct cli_dev **out, size_t *count);
/* The same, where an argument may also be the name of an assignable
 * device (xl pci-assignable-remove BDF|NAME). */
int cli_parse_devs_or_names(struct cli *c, int argc, char **argv,
			    struct cli_dev **out, size_t *count);
/* One name argument: its device, or an exit code after a message. */
int cli_resolve_name(struct cli *c, const char *name, struct xenpt_bdf *bdf);
/* The names of devs, for the library's calls by name; free() it. */
const char **cli_dev_names(const struct cli_dev *devs, size_t n);
/* Warnings about a device's XENPT_PROBLEM_* (list, assignable-list). */
void cli_warn_problems(const struct cli *c, const char *bdf, unsigned int problems,
		       const char *driver, const char *override);
/* "absent", "stuck", "stale-override", "persist-not-in-effect",
 * "not-in-effect", or NULL: the worst of problems. */
const char *cli_problem_name(unsigned int problems);
/* Option parsing for commands (--json always accepted; on(opt, data)
 * takes the others, non-zero for an invalid one): the index of the first
 * argument, or -1 after a usage error. */
int cli_opts(struct cli *c, int argc, char **argv,
	     const char *shorts, const struct option *longs,
	     int (*on)(int opt, void *data), void *data);
/* cli_opts, then the BDF arguments after the options: 0 or an exit code */
int cli_opts_and_devs(struct cli *c, int argc, char **argv,
		      const char *shorts, const struct option *longs,
		      int (*on)(int opt, void *data), void *data,
		      struct cli_dev **devs, size_t *n);
/* The long options of a command with only --json. */
extern const struct option cli_json_only[];

/*
 * One result of gsi or irq2gsi: a JSON object (bdf only when given, then
 * num_key: num (null when !has_num), gsi, source, trigger, polarity,
 * origin, or error and reason) or, when found, a text line "WHAT GSI
 * SOURCE" where WHAT is bdf or else num.
 */
void cli_gsi_result(const struct cli *c, bool *comma, const char *bdf,
		    const char *num_key, bool has_num, uint32_t num,
		    const struct xenpt_gsi_record *rec);

/* The message when the devices cannot be listed: returns EXIT_FAIL. */
int cli_list_failed(int err);

#endif
