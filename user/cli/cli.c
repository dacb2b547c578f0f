// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the xenpt commands (see cli.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "cli.h"
#include "json.h"

/* strncpy that always terminates */
static void scopy(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

void cli_log(void *data, int prio, const char *file, int line,
	     const char *fn, const char *fmt, va_list ap)
{
	struct cli *c = data;
	char msg[1024];

	(void)file;
	(void)line;
	(void)fn;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (prio <= LOG_ERR) {
		c->errors++;
		if (c->nprefix < 32)
			scopy(c->err_prefix[c->nprefix++], sizeof(c->err_prefix[0]),
			      msg);
		if (c->hold) {
			/* the first says most (what the later ones follow from) */
			if (!c->held[0])
				scopy(c->held, sizeof(c->held), msg);
			return;
		}
	}
	fprintf(stderr, "xenpt: %s%s\n", prio == LOG_WARNING ? "warning: " : "",
		msg);
}

void cli_reset_errors(struct cli *c)
{
	c->errors = 0;
	c->nprefix = 0;
}

/* Was an error about this BDF (or "irq N") already printed? */
static bool reported(const struct cli *c, const char *what)
{
	size_t len = strlen(what);
	int i;

	for (i = 0; i < c->nprefix; i++)
		if (!strncmp(c->err_prefix[i], what, len) &&
		    c->err_prefix[i][len] == ':')
			return true;
	return false;
}

void cli_fail(struct cli *c, const char *what, const char *fmt, ...)
{
	va_list ap;

	if (reported(c, what))
		return;
	fprintf(stderr, "xenpt: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *cli_errname(int err)
{
	const char *s;

	if (err == ENOTSUP)	/* == EOPNOTSUPP on Linux: the POSIX name */
		return "ENOTSUP";
	s = strerrorname_np(err);

	return s ? s : "EUNKNOWN";
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("xenpt: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'xenpt --help'.\n", stderr);
	return EXIT_USAGE;
}

int cli_resolve_name(struct cli *c, const char *name, struct xenpt_bdf *bdf)
{
	int err = xenpt_assignable_find(c->ctx, name, bdf);

	if (!err)
		return 0;
	if (err == -ENOENT)
		fprintf(stderr, "xenpt: %s: no assignable device has that name\n", name);
	else
		fprintf(stderr, "xenpt: %s: cannot look the name up: %s\n", name,
			strerror(-err));
	return EXIT_FAIL;
}

static int parse_args(struct cli *c, int argc, char **argv, bool names,
		      struct xenpt_bdf **out, size_t *count)
{
	struct xenpt_bdf *all = NULL;
	size_t n = 0;
	int i, err;

	if (argc <= 0)
		return cli_usage_error(names ? "missing BDF or NAME argument" :
				       "missing BDF argument");
	for (i = 0; i < argc; i++) {
		struct xenpt_bdf b, *l, *tmp;
		size_t k;

		if (xenpt_bdf_parse(argv[i], &b)) {
			if (names && !xenpt_name_check(argv[i])) {
				err = cli_resolve_name(c, argv[i], &b);
				if (err) {
					free(all);
					return err;
				}
			} else {
				free(all);
				return cli_usage_error("%s: invalid BDF (expected [DDDD:]BB:DD.F%s)",
						       argv[i], names ? " or a NAME" : "");
			}
		}
		err = xenpt_bdf_expand(c->ctx, &b, &l, &k);
		if (err) {
			char name[XENPT_BDF_STRLEN];

			xenpt_bdf_format(&b, name, sizeof(name));
			fprintf(stderr, "xenpt: %s: no such PCI device\n", name);
			free(all);
			return EXIT_FAIL;
		}
		tmp = realloc(all, (n + k) * sizeof(*all));
		if (!tmp) {
			free(l);
			free(all);
			return EXIT_FAIL;
		}
		all = tmp;
		memcpy(all + n, l, k * sizeof(*l));
		n += k;
		free(l);
	}
	*out = all;
	*count = n;
	return 0;
}

int cli_parse_bdfs(struct cli *c, int argc, char **argv,
		   struct xenpt_bdf **out, size_t *count)
{
	return parse_args(c, argc, argv, false, out, count);
}

int cli_parse_bdfs_or_names(struct cli *c, int argc, char **argv,
			    struct xenpt_bdf **out, size_t *count)
{
	return parse_args(c, argc, argv, true, out, count);
}

const char *cli_assign_reason(int err, char *buf, size_t size)
{
	switch (err) {
	case -ELIBACC:
		return "not quarantined: the running Xen's libxenctrl is not "
		       "installed (--no-quarantine skips the quarantine)";
	case -EEXIST:
		return "that name is another device's";
	default:
		snprintf(buf, size, "%s", strerror(-err));
		return buf;
	}
}

const char *cli_problem_name(unsigned int problems)
{
	if (problems & XENPT_PROBLEM_STUCK)
		return "stuck";
	if (problems & XENPT_PROBLEM_PERSIST_IDLE)
		return "persist-not-in-effect";
	if (problems & XENPT_PROBLEM_STALE_OVERRIDE)
		return "stale-override";
	if (problems & XENPT_PROBLEM_RECORD_IDLE)
		return "not-in-effect";
	return NULL;
}

void cli_warn_problems(const struct cli *c, const char *bdf, unsigned int problems,
		       const char *driver, const char *override)
{
	if (c->verbosity < 0 || !problems)
		return;
	if (problems & XENPT_PROBLEM_STUCK)
		fprintf(stderr, "xenpt: warning: %s: stuck: unbound with "
			"driver_override=%s (left by another tool); 'xenpt "
			"assignable-remove -r %s' gives it back to its driver\n",
			bdf, override, bdf);
	else if (problems & XENPT_PROBLEM_STALE_OVERRIDE &&
		 !(problems & XENPT_PROBLEM_PERSIST_IDLE))
		fprintf(stderr, "xenpt: warning: %s: stale driver_override=%s: "
			"bound to %s; 'xenpt assignable-remove %s' clears it\n",
			bdf, override, driver, bdf);
	if (problems & XENPT_PROBLEM_PERSIST_IDLE)
		fprintf(stderr, "xenpt: warning: %s: persistent assignment not in "
			"effect: on %s, not pciback (its native driver bound "
			"first?); 'xenpt assignable-add %s' assigns it again, "
			"'xenpt assignable-remove -r %s' forgets it\n", bdf,
			driver[0] ? driver : "no driver", bdf, bdf);
	else if (problems & XENPT_PROBLEM_RECORD_IDLE)
		fprintf(stderr, "xenpt: warning: %s: assignment not in effect: on "
			"%s, not pciback (given back by another tool?); 'xenpt "
			"assignable-remove %s' forgets it\n", bdf,
			driver[0] ? driver : "no driver", bdf);
}

int cli_opts(struct cli *c, int argc, char **argv,
	     const char *shorts, const struct option *longs,
	     int (*on)(int opt, void *data), void *data)
{
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (opt == OPT_JSON) {
			c->json = true;
		} else if (opt == '?' || !on || on(opt, data)) {
			if (optopt && optopt < 256)
				cli_usage_error("%s: invalid option -- '%c'", argv[0], optopt);
			else
				cli_usage_error("%s: invalid option '%s'", argv[0],
						argv[optind - 1]);
			return -1;
		}
	}
	return optind;
}

int cli_opts_and_bdfs(struct cli *c, int argc, char **argv,
		      const char *shorts, const struct option *longs,
		      int (*on)(int opt, void *data), void *data,
		      struct xenpt_bdf **bdfs, size_t *n)
{
	int first = cli_opts(c, argc, argv, shorts, longs, on, data);

	if (first < 0)
		return EXIT_USAGE;
	return cli_parse_bdfs(c, argc - first, argv + first, bdfs, n);
}

const struct option cli_json_only[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ NULL, 0, NULL, 0 },
};

const char *cli_gsi_reason(int err, char *buf, size_t size)
{
	switch (err) {
	case -ENOENT:
		return "no GSI: the device has no INTx pin";
	case -ENODATA:
		return "GSI not known: no ACPI route to it, and it was never enabled";
	case -ENODEV:
		return "no such PCI device";
	case -ENOTSUP:
		return "no GSI source: load the privcmd-gsi module";
	default:
		snprintf(buf, size, "%s", strerror(-err));
		return buf;
	}
}

void cli_gsi_result(const struct cli *c, bool *comma, const char *bdf,
		    const char *num_key, uint32_t num, int err, uint32_t gsi,
		    enum xenpt_gsi_source src)
{
	if (c->json) {
		bool f = true;

		printf("%s{", *comma ? "," : "");
		*comma = true;
		if (bdf) {
			json_key(stdout, &f, "bdf");
			json_str(stdout, bdf);
		}
		json_key(stdout, &f, num_key);
		printf("%u", num);
		json_key(stdout, &f, "gsi");
		if (err)
			fputs("null", stdout);
		else
			printf("%u", gsi);
		json_key(stdout, &f, "source");
		json_str(stdout, err ? NULL : xenpt_gsi_source_name(src));
		if (err) {
			json_key(stdout, &f, "error");
			json_str(stdout, cli_errname(-err));
		}
		fputc('}', stdout);
	} else if (!err) {
		if (bdf)
			printf("%s %u %s\n", bdf, gsi, xenpt_gsi_source_name(src));
		else
			printf("%u %u %s\n", num, gsi, xenpt_gsi_source_name(src));
	}
}

int cli_list_start(struct cli *c, int argc, char **argv, const char *cmd)
{
	int first = cli_opts(c, argc, argv, "+", cli_json_only, NULL, NULL);

	if (first < 0)
		return EXIT_USAGE;
	if (first < argc)
		return cli_usage_error("%s: unexpected argument '%s'", cmd, argv[first]);
	return 0;
}

int cli_list_failed(int err)
{
	fprintf(stderr, "xenpt: cannot list PCI devices: %s\n", strerror(-err));
	return EXIT_FAIL;
}
