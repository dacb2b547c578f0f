// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the xenpt commands (see cli.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "cli.h"
#include "json.h"

void cli_log(void *data, int prio, const char *file, int line,
	     const char *fn, const char *fmt, va_list ap)
{
	char msg[1024];

	(void)data;
	(void)file;
	(void)line;
	(void)fn;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "xenpt: %s%s\n", prio == LOG_WARNING ? "warning: " : "",
		msg);
}

/* stderr's bytes, a line per syslog message; a line longer than the
 * buffer is cut into several messages. */
static struct boot_line {
	char buf[512];
	size_t len;
} boot_line;

static void boot_line_flush(void)
{
	if (boot_line.len)
		syslog(LOG_ERR, "%.*s", (int)boot_line.len, boot_line.buf);
	boot_line.len = 0;
}

static ssize_t boot_line_write(void *cookie, const char *data, size_t size)
{
	size_t i;

	(void)cookie;
	for (i = 0; i < size; i++) {
		if (data[i] == '\n' || boot_line.len == sizeof(boot_line.buf)) {
			boot_line_flush();
			if (data[i] == '\n')
				continue;
		}
		boot_line.buf[boot_line.len++] = data[i];
	}
	return (ssize_t)size;
}

void cli_boot_stderr(void)
{
	static const cookie_io_functions_t io = { .write = boot_line_write };
	FILE *f;

	/* udevd gives a RUN program its event: ACTION, DEVPATH, SEQNUM */
	if (!getenv("SEQNUM") || !getenv("DEVPATH") || !getenv("ACTION"))
		return;
	f = fopencookie(NULL, "w", io);
	if (!f)
		return;
	setvbuf(f, NULL, _IOLBF, 0);
	openlog("xenpt", LOG_PID, LOG_DAEMON);
	atexit(boot_line_flush);	/* a last line without its newline */
	stderr = f;
}

void cli_fail(const char *what, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xenpt: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_results(const struct cli *c, const struct xenpt_result *res, size_t n)
{
	char ebuf[128];
	int rc = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (res[i].err) {
			rc = EXIT_FAIL;
			cli_fail(res[i].dev, "%s", res[i].reason[0] ? res[i].reason :
				 strerror_r(-res[i].err, ebuf, sizeof(ebuf)));
		} else if (res[i].reason[0] && c->verbosity >= 0) {
			fprintf(stderr, "xenpt: warning: %s: %s\n", res[i].dev,
				res[i].reason);
		}
	}
	return rc;
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

/* Appends devices to *all. */
static int append(struct cli_dev **all, size_t *n, const struct cli_dev *d, size_t k)
{
	struct cli_dev *t = realloc(*all, (*n + k + 1) * sizeof(**all));

	if (!t)
		return -ENOMEM;
	memcpy(t + *n, d, k * sizeof(*d));
	*all = t;
	*n += k;
	return 0;
}

/* One argument that parses as a BDF: its functions. */
static int expand_bdf(struct cli *c, const struct xenpt_bdf *b, struct cli_dev **all,
		      size_t *n)
{
	struct xenpt_bdf *l;
	struct cli_dev d;
	size_t k, i;
	int err;

	err = xenpt_bdf_expand(c->ctx, b, &l, &k);
	if (err) {
		char name[XENPT_BDF_STRLEN];

		xenpt_bdf_format(b, name, sizeof(name));
		cli_fail(name, "no such PCI device");
		return EXIT_FAIL;
	}
	for (i = 0; i < k && !err; i++) {
		memset(&d, 0, sizeof(d));
		d.bdf = l[i];
		d.has_bdf = true;
		xenpt_bdf_format(&l[i], d.name, sizeof(d.name));
		err = append(all, n, &d, 1);
	}
	free(l);
	return err ? EXIT_FAIL : 0;
}

/* One argument in a domain above ffff (Linux's, behind Intel VMD): no
 * struct xenpt_bdf; "*" is every function that exists. */
static int expand_name(struct cli *c, const char *canon, struct cli_dev **all,
		       size_t *n)
{
	struct xenpt_device_kind k;
	struct cli_dev d;
	size_t len = strlen(canon), found = 0;
	int fn;

	memset(&d, 0, sizeof(d));
	if (canon[len - 1] != '*') {
		snprintf(d.name, sizeof(d.name), "%s", canon);
		return append(all, n, &d, 1) ? EXIT_FAIL : 0;
	}
	for (fn = 0; fn < 8; fn++) {
		snprintf(d.name, sizeof(d.name), "%.*s%d", (int)(len - 1), canon, fn);
		if (xenpt_device_kind(c->ctx, d.name, &k) == -ENODEV)
			continue;
		if (append(all, n, &d, 1))
			return EXIT_FAIL;
		found++;
	}
	if (!found) {
		cli_fail(canon, "no such PCI device");
		return EXIT_FAIL;
	}
	return 0;
}

static int parse_args(struct cli *c, int argc, char **argv, bool names,
		      struct cli_dev **out, size_t *count)
{
	struct cli_dev *all = NULL;
	size_t n = 0;
	int i, err;

	if (argc <= 0)
		return cli_usage_error(names ? "missing BDF or NAME argument" :
				       "missing BDF argument");
	for (i = 0; i < argc; i++) {
		char canon[XENPT_DEV_STRLEN];
		struct xenpt_bdf b;

		if (!xenpt_bdf_parse(argv[i], &b)) {
			err = expand_bdf(c, &b, &all, &n);
		} else if (xenpt_dev_name(argv[i], canon, sizeof(canon)) > 0) {
			err = expand_name(c, canon, &all, &n);
		} else if (names && !xenpt_name_check(argv[i])) {
			err = cli_resolve_name(c, argv[i], &b);
			if (!err)
				err = expand_bdf(c, &b, &all, &n);
		} else {
			free(all);
			return cli_usage_error("%s: invalid BDF (expected [DDDD:]BB:DD.F%s)",
					       argv[i], names ? " or a NAME" : "");
		}
		if (err) {
			free(all);
			return err;
		}
	}
	*out = all;
	*count = n;
	return 0;
}

int cli_parse_devs(struct cli *c, int argc, char **argv,
		   struct cli_dev **out, size_t *count)
{
	return parse_args(c, argc, argv, false, out, count);
}

int cli_parse_devs_or_names(struct cli *c, int argc, char **argv,
			    struct cli_dev **out, size_t *count)
{
	return parse_args(c, argc, argv, true, out, count);
}

const char **cli_dev_names(const struct cli_dev *devs, size_t n)
{
	const char **v = calloc(n + 1, sizeof(*v));
	size_t i;

	for (i = 0; v && i < n; i++)
		v[i] = devs[i].name;
	return v;
}

const char *cli_problem_name(unsigned int problems)
{
	if (problems & XENPT_PROBLEM_ABSENT)
		return "absent";
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
	if (problems & XENPT_PROBLEM_ABSENT) {
		fprintf(stderr, "xenpt: warning: %s: remembered, but there is no such "
			"device (hot-removed?); 'xenpt assignable-remove %s' forgets "
			"it\n", bdf, bdf);
		return;
	}
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

int cli_opts_and_devs(struct cli *c, int argc, char **argv,
		      const char *shorts, const struct option *longs,
		      int (*on)(int opt, void *data), void *data,
		      struct cli_dev **devs, size_t *n)
{
	int first = cli_opts(c, argc, argv, shorts, longs, on, data);

	if (first < 0)
		return EXIT_USAGE;
	return cli_parse_devs(c, argc - first, argv + first, devs, n);
}

const struct option cli_json_only[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ NULL, 0, NULL, 0 },
};

void cli_gsi_result(const struct cli *c, bool *comma, const char *bdf,
		    const char *num_key, bool has_num, uint32_t num,
		    const struct xenpt_gsi_record *rec)
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
		if (has_num)
			printf("%u", num);
		else
			fputs("null", stdout);
		json_key(stdout, &f, "gsi");
		if (rec->err)
			fputs("null", stdout);
		else
			printf("%u", rec->gsi);
		json_key(stdout, &f, "source");
		json_str(stdout, rec->err ? NULL : xenpt_gsi_source_name(rec->source));
		if (rec->err) {
			json_key(stdout, &f, "error");
			json_str(stdout, cli_errname(-rec->err));
			json_key(stdout, &f, "reason");
			json_str(stdout, rec->reason);
		} else {
			json_key(stdout, &f, "trigger");
			json_str(stdout, xenpt_trigger_name(rec->trigger));
			json_key(stdout, &f, "polarity");
			json_str(stdout, xenpt_polarity_name(rec->polarity));
			json_key(stdout, &f, "origin");
			json_str(stdout, xenpt_gsi_origin_name(rec->origin));
		}
		fputc('}', stdout);
	} else if (!rec->err) {
		if (bdf)
			printf("%s %u %s\n", bdf, rec->gsi, xenpt_gsi_source_name(rec->source));
		else
			printf("%u %u %s\n", num, rec->gsi, xenpt_gsi_source_name(rec->source));
	}
}

int cli_list_failed(int err)
{
	fprintf(stderr, "xenpt: cannot list PCI devices: %s\n", strerror(-err));
	return EXIT_FAIL;
}
