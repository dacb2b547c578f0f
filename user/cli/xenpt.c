// SPDX-License-Identifier: GPL-2.0
/*
 * xenpt: PCI passthrough helper for a Xen dom0 (see xenpt(1)).
 *
 * Exit status: 0 success, 1 an operation failed (for at least one of the
 * arguments), 2 usage error.  Failures are reported on stderr as
 * "xenpt: <BDF>: <reason>" (or "xenpt: irq <N>: <reason>").
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "json.h"
#include "xenpt.h"

#ifndef XENPT_VERSION
#define XENPT_VERSION "1"
#endif

#define EXIT_FAIL	1
#define EXIT_USAGE	2

struct cli {
	struct pt_ctx *ctx;
	bool json;
	int verbosity;
	/* error messages the library logged since the last reset */
	int errors;
	char err_prefix[32][24];
	int nprefix;
	/* list: GSI errors are summarized, not printed per device */
	bool hold;
	char held[512];
};

/* strncpy that always terminates */
static void scopy(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static void log_fn(void *data, int prio, const char *file, int line,
		   const char *fn, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));
static void log_fn(void *data, int prio, const char *file, int line,
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
			scopy(c->held, sizeof(c->held), msg);
			return;
		}
	}
	fprintf(stderr, "xenpt: %s%s\n", prio == LOG_WARNING ? "warning: " : "",
		msg);
}

static void reset_errors(struct cli *c)
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

static void fail(struct cli *c, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(struct cli *c, const char *what, const char *fmt, ...)
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

static const char *errname(int err)
{
	const char *s;

	if (err == ENOTSUP)	/* == EOPNOTSUPP on Linux: the POSIX name */
		return "ENOTSUP";
	s = strerrorname_np(err);

	return s ? s : "EUNKNOWN";
}

static void usage(FILE *f)
{
	fputs(
"Usage: xenpt [OPTIONS] COMMAND [ARGS...]\n"
"\n"
"Commands:\n"
"  list                             every PCI device: BDF, vendor:device, class,\n"
"                                   driver, irq, GSI and its source, assignable,\n"
"                                   IOMMU group\n"
"  gsi BDF...                       the GSI of each device and where it came from\n"
"  irq2gsi IRQ...                   the GSI behind each Linux irq\n"
"  assignable-add [-f] [-p] [--strict] BDF...\n"
"                                   bind to pciback, remembering the driver\n"
"      -f, --force                  even if dom0 uses the device\n"
"      -p, --persist                seize it again at boot (udev rule)\n"
"      --strict                     refuse if an IOMMU group peer or another\n"
"                                   function is not assignable\n"
"  assignable-remove [-r] BDF...    take from pciback; -r, --rebind: give it back\n"
"                                   to its remembered driver\n"
"  assignable-list                  devices on pciback, with their driver\n"
"  qemu-args [--permissive] BDF...  QEMU -device arguments (JSON form) for\n"
"                                   cold-plugged devices\n"
"  help                             this text\n"
"\n"
"BDF is [DDDD:]BB:DD.F in hex; F may be * for every function.\n"
"The pci-assignable-add/-remove/-list spellings of xl are accepted too.\n"
"\n"
"Options:\n"
"  --json            JSON output (list, gsi, irq2gsi, assignable-list, qemu-args)\n"
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

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("xenpt: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'xenpt --help'.\n", stderr);
	return EXIT_USAGE;
}

/* Parses every BDF argument (expanding "*") before anything is done. */
static int parse_bdfs(struct cli *c, int argc, char **argv,
		      struct pt_bdf **out, size_t *count)
{
	struct pt_bdf *all = NULL;
	size_t n = 0;
	int i, err;

	if (argc <= 0)
		return usage_error("missing BDF argument");
	for (i = 0; i < argc; i++) {
		struct pt_bdf b, *l, *tmp;
		size_t k;

		if (pt_bdf_parse(argv[i], &b)) {
			free(all);
			return usage_error("%s: invalid BDF (expected [DDDD:]BB:DD.F)",
					   argv[i]);
		}
		err = pt_bdf_expand(c->ctx, &b, &l, &k);
		if (err) {
			char name[PT_BDF_STRLEN];

			pt_bdf_format(&b, name, sizeof(name));
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

/* Common option parsing for commands: returns the index of the first
 * argument, or -1 after a usage error. */
struct opt_spec {
	const char *shorts;
	const struct option *longs;
};

#define OPT_JSON 1000
#define OPT_STRICT 1001
#define OPT_PERMISSIVE 1002

static int cmd_opts(struct cli *c, int argc, char **argv,
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
				usage_error("%s: invalid option -- '%c'", argv[0], optopt);
			else
				usage_error("%s: invalid option '%s'", argv[0],
					    argv[optind - 1]);
			return -1;
		}
	}
	return optind;
}

/* cmd_opts, then the BDF arguments after the options: 0 or an exit code */
static int opts_and_bdfs(struct cli *c, int argc, char **argv,
			 const char *shorts, const struct option *longs,
			 int (*on)(int opt, void *data), void *data,
			 struct pt_bdf **bdfs, size_t *n)
{
	int first = cmd_opts(c, argc, argv, shorts, longs, on, data);

	if (first < 0)
		return EXIT_USAGE;
	return parse_bdfs(c, argc - first, argv + first, bdfs, n);
}

static const struct option json_only[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ NULL, 0, NULL, 0 },
};

/* --- gsi ---------------------------------------------------------------- */

static const char *gsi_reason(int err, char *buf, size_t size)
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

/*
 * One result of gsi or irq2gsi: a JSON object (bdf only when given, then
 * num_key: num, gsi, source, error) or, when found, a text line "WHAT GSI
 * SOURCE" where WHAT is bdf or else num.
 */
static void gsi_result(const struct cli *c, bool *comma, const char *bdf,
		       const char *num_key, uint32_t num, int err, uint32_t gsi,
		       enum pt_gsi_source src)
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
		json_str(stdout, err ? NULL : pt_gsi_source_name(src));
		if (err) {
			json_key(stdout, &f, "error");
			json_str(stdout, errname(-err));
		}
		fputc('}', stdout);
	} else if (!err) {
		if (bdf)
			printf("%s %u %s\n", bdf, gsi, pt_gsi_source_name(src));
		else
			printf("%u %u %s\n", num, gsi, pt_gsi_source_name(src));
	}
}

static int cmd_gsi(struct cli *c, int argc, char **argv)
{
	struct pt_bdf *bdfs;
	size_t n, i;
	int rc = 0, r;
	bool comma = false;

	r = opts_and_bdfs(c, argc, argv, "+", json_only, NULL, NULL, &bdfs, &n);
	if (r)
		return r;
	if (c->json)
		fputc('[', stdout);
	for (i = 0; i < n; i++) {
		enum pt_gsi_source src;
		char name[PT_BDF_STRLEN], ebuf[128];
		uint32_t sbdf, gsi;
		int err;

		pt_bdf_format(&bdfs[i], name, sizeof(name));
		pt_bdf_to_sbdf(&bdfs[i], &sbdf);
		reset_errors(c);
		err = pt_gsi_from_sbdf(c->ctx, sbdf, &gsi, &src);
		if (err) {
			rc = EXIT_FAIL;
			fail(c, name, "%s", gsi_reason(err, ebuf, sizeof(ebuf)));
		}
		gsi_result(c, &comma, name, "sbdf", sbdf, err, gsi, src);
	}
	if (c->json)
		fputs("]\n", stdout);
	free(bdfs);
	return rc;
}

static int cmd_irq2gsi(struct cli *c, int argc, char **argv)
{
	int first, i, rc = 0;
	bool comma = false;

	first = cmd_opts(c, argc, argv, "+", json_only, NULL, NULL);
	if (first < 0)
		return EXIT_USAGE;
	if (first >= argc)
		return usage_error("missing IRQ argument");
	for (i = first; i < argc; i++) {
		const char *s = argv[i];
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(s, &end, 10);
		if (!*s || *s < '0' || *s > '9' || *end || errno || v > UINT32_MAX)
			return usage_error("%s: invalid irq (expected a decimal number)", s);
	}
	if (c->json)
		fputc('[', stdout);
	for (i = first; i < argc; i++) {
		enum pt_gsi_source src;
		uint32_t irq = (uint32_t)strtoul(argv[i], NULL, 10), gsi;
		char what[32], ebuf[128];
		int err;

		snprintf(what, sizeof(what), "irq %u", irq);
		reset_errors(c);
		err = pt_gsi_from_irq(c->ctx, irq, &gsi, &src);
		if (err) {
			rc = EXIT_FAIL;
			fail(c, what, "%s", err == -ENOENT ?
			     "not mapped to a GSI" : gsi_reason(err, ebuf, sizeof(ebuf)));
		}
		gsi_result(c, &comma, NULL, "irq", irq, err, gsi, src);
	}
	if (c->json)
		fputs("]\n", stdout);
	return rc;
}

/* --- list ---------------------------------------------------------------- */

/* The options of a listing command (only --json), and no arguments:
 * 0 or an exit code. */
static int list_start(struct cli *c, int argc, char **argv, const char *cmd)
{
	int first = cmd_opts(c, argc, argv, "+", json_only, NULL, NULL);

	if (first < 0)
		return EXIT_USAGE;
	if (first < argc)
		return usage_error("%s: unexpected argument '%s'", cmd, argv[first]);
	return 0;
}

static int list_failed(int err)
{
	fprintf(stderr, "xenpt: cannot list PCI devices: %s\n", strerror(-err));
	return EXIT_FAIL;
}

static int cmd_list(struct cli *c, int argc, char **argv)
{
	struct pt_device_info *l;
	size_t n, i;
	int err, unknown = 0;

	err = list_start(c, argc, argv, "list");
	if (err)
		return err;
	err = pt_device_list(c->ctx, &l, &n);
	if (err)
		return list_failed(err);
	if (c->json)
		fputc('[', stdout);
	else
		printf("%-12s %-9s %-6s %-14s %4s %4s %-11s %-10s %s\n", "BDF", "ID",
		       "CLASS", "DRIVER", "IRQ", "GSI", "SOURCE", "ASSIGNABLE",
		       "GROUP");
	for (i = 0; i < n; i++) {
		const struct pt_device_info *d = &l[i];
		char name[PT_BDF_STRLEN], irq[16], gsis[16], grp[16];
		enum pt_gsi_source src = PT_GSI_SRC_NONE;
		uint32_t sbdf, gsi = 0;

		pt_bdf_format(&d->bdf, name, sizeof(name));
		pt_bdf_to_sbdf(&d->bdf, &sbdf);
		c->hold = true;
		err = pt_gsi_from_sbdf(c->ctx, sbdf, &gsi, &src);
		c->hold = false;
		if (err == -ENOTSUP || err == -EACCES)
			unknown++;
		snprintf(irq, sizeof(irq), d->irq >= 0 ? "%d" : "-", d->irq);
		snprintf(gsis, sizeof(gsis), err ? "-" : "%u", gsi);
		snprintf(grp, sizeof(grp), d->iommu_group >= 0 ? "%d" : "-",
			 d->iommu_group);
		if (c->json) {
			char hex[16];
			bool f = true;

			printf("%s{", i ? "," : "");
			json_key(stdout, &f, "bdf");
			json_str(stdout, name);
			json_key(stdout, &f, "sbdf");
			printf("%u", sbdf);
			json_key(stdout, &f, "vendor");
			snprintf(hex, sizeof(hex), "%04x", d->vendor);
			json_str(stdout, hex);
			json_key(stdout, &f, "device");
			snprintf(hex, sizeof(hex), "%04x", d->device);
			json_str(stdout, hex);
			json_key(stdout, &f, "class");
			snprintf(hex, sizeof(hex), "%06x", d->class_code);
			json_str(stdout, hex);
			json_key(stdout, &f, "driver");
			json_str(stdout, d->driver[0] ? d->driver : NULL);
			json_key(stdout, &f, "irq");
			fputs(d->irq >= 0 ? irq : "null", stdout);
			json_key(stdout, &f, "pin");
			printf("%u", d->pin);
			json_key(stdout, &f, "gsi");
			fputs(err ? "null" : gsis, stdout);
			json_key(stdout, &f, "gsi_source");
			json_str(stdout, err ? NULL : pt_gsi_source_name(src));
			json_key(stdout, &f, "gsi_error");
			json_str(stdout, err ? errname(-err) : NULL);
			json_key(stdout, &f, "assignable");
			fputs(d->assigned ? "true" : "false", stdout);
			json_key(stdout, &f, "remembered_driver");
			json_str(stdout, d->known && d->orig_driver[0] ?
				 d->orig_driver : NULL);
			json_key(stdout, &f, "persist");
			fputs(d->persist ? "true" : "false", stdout);
			json_key(stdout, &f, "iommu_group");
			fputs(d->iommu_group >= 0 ? grp : "null", stdout);
			fputc('}', stdout);
		} else {
			printf("%-12s %04x:%04x %06x %-14s %4s %4s %-11s %-10s %s\n",
			       name, d->vendor, d->device, d->class_code,
			       d->driver[0] ? d->driver : "-", irq, gsis,
			       err ? "-" : pt_gsi_source_name(src),
			       d->assigned ? "yes" : "no", grp);
		}
	}
	if (c->json)
		fputs("]\n", stdout);
	if (unknown && c->held[0] && c->verbosity >= 0) {
		/* "BDF: reason": say it once, without the BDF */
		const char *m = strstr(c->held, ": ");

		fprintf(stderr, "xenpt: warning: %d GSI%s unknown: %s\n", unknown,
			unknown > 1 ? "s" : "", m ? m + 2 : c->held);
	}
	free(l);
	return 0;
}

/* --- assignment ------------------------------------------------------------ */

struct add_opts {
	unsigned int flags;
};

static int on_add_opt(int opt, void *data)
{
	struct add_opts *o = data;

	switch (opt) {
	case 'f':
		o->flags |= PT_ASSIGN_FORCE;
		return 0;
	case 'p':
		o->flags |= PT_ASSIGN_PERSIST;
		return 0;
	case OPT_STRICT:
		o->flags |= PT_ASSIGN_STRICT;
		return 0;
	}
	return -1;
}

static int cmd_add(struct cli *c, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "persist", no_argument, NULL, 'p' },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ NULL, 0, NULL, 0 },
	};
	struct add_opts o = { 0 };
	struct pt_bdf *bdfs;
	size_t n, i;
	int r, *res, rc = 0;

	r = opts_and_bdfs(c, argc, argv, "+fp", longs, on_add_opt, &o, &bdfs, &n);
	if (r)
		return r;
	res = calloc(n, sizeof(*res));
	if (!res) {
		free(bdfs);
		return EXIT_FAIL;
	}
	reset_errors(c);
	r = pt_assignable_add_many(c->ctx, bdfs, n, o.flags, res);
	if (r && r != res[0]) {
		/* failed before any device (lock, arguments) */
		bool any = false;

		for (i = 0; i < n; i++)
			any |= res[i] != 0;
		if (!any) {
			if (!c->errors)
				fprintf(stderr, "xenpt: assignable-add: %s\n", strerror(-r));
			free(res);
			free(bdfs);
			return EXIT_FAIL;
		}
	}
	for (i = 0; i < n; i++) {
		char name[PT_BDF_STRLEN];

		if (!res[i])
			continue;
		rc = EXIT_FAIL;
		pt_bdf_format(&bdfs[i], name, sizeof(name));
		fail(c, name, "%s", strerror(-res[i]));
	}
	if (r && !rc) {
		if (!c->errors)
			fprintf(stderr, "xenpt: assignable-add: %s\n", strerror(-r));
		rc = EXIT_FAIL;
	}
	free(res);
	free(bdfs);
	return rc;
}

static int on_remove_opt(int opt, void *data)
{
	unsigned int *flags = data;

	if (opt != 'r')
		return -1;
	*flags |= PT_REMOVE_REBIND;
	return 0;
}

static int cmd_remove(struct cli *c, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "rebind", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int flags = 0;
	struct pt_bdf *bdfs;
	size_t n, i;
	int r, rc = 0;

	r = opts_and_bdfs(c, argc, argv, "+r", longs, on_remove_opt, &flags, &bdfs, &n);
	if (r)
		return r;
	for (i = 0; i < n; i++) {
		char name[PT_BDF_STRLEN];
		int err;

		pt_bdf_format(&bdfs[i], name, sizeof(name));
		reset_errors(c);
		err = pt_assignable_remove(c->ctx, &bdfs[i], flags);
		if (err) {
			rc = EXIT_FAIL;
			fail(c, name, "%s", strerror(-err));
		}
	}
	free(bdfs);
	return rc;
}

static int cmd_alist(struct cli *c, int argc, char **argv)
{
	struct pt_assigned *l;
	size_t n, i;
	int err;

	err = list_start(c, argc, argv, "assignable-list");
	if (err)
		return err;
	err = pt_assignable_list(c->ctx, &l, &n);
	if (err)
		return list_failed(err);
	if (c->json)
		fputc('[', stdout);
	for (i = 0; i < n; i++) {
		char name[PT_BDF_STRLEN];

		pt_bdf_format(&l[i].bdf, name, sizeof(name));
		if (c->json) {
			bool f = true;

			printf("%s{", i ? "," : "");
			json_key(stdout, &f, "bdf");
			json_str(stdout, name);
			json_key(stdout, &f, "driver");
			json_str(stdout, l[i].driver[0] ? l[i].driver : NULL);
			json_key(stdout, &f, "known");
			fputs(l[i].known ? "true" : "false", stdout);
			json_key(stdout, &f, "persist");
			fputs(l[i].persist ? "true" : "false", stdout);
			fputc('}', stdout);
		} else {
			printf("%s %s%s\n", name, l[i].driver[0] ? l[i].driver : "-",
			       l[i].persist ? " persist" : "");
		}
	}
	if (c->json)
		fputs("]\n", stdout);
	free(l);
	return 0;
}

static int on_qemu_opt(int opt, void *data)
{
	bool *permissive = data;

	if (opt != OPT_PERMISSIVE)
		return -1;
	*permissive = true;
	return 0;
}

static int cmd_qemu_args(struct cli *c, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "permissive", no_argument, NULL, OPT_PERMISSIVE },
		{ NULL, 0, NULL, 0 },
	};
	bool permissive = false, comma = false;
	struct pt_bdf *bdfs;
	size_t n, i;
	int r, rc = 0;

	r = opts_and_bdfs(c, argc, argv, "+", longs, on_qemu_opt, &permissive, &bdfs, &n);
	if (r)
		return r;
	if (c->json)
		fputc('[', stdout);
	for (i = 0; i < n; i++) {
		struct pt_device_info d;
		char name[PT_BDF_STRLEN], id[32], obj[256];
		const struct pt_bdf *b = &bdfs[i];
		int err;

		pt_bdf_format(b, name, sizeof(name));
		err = pt_device_get(c->ctx, b, &d);
		if (err) {
			rc = EXIT_FAIL;
			fail(c, name, "%s", err == -ENODEV ? "no such PCI device" :
			     strerror(-err));
			continue;
		}
		if (!d.assigned) {
			rc = EXIT_FAIL;
			fail(c, name, "not assignable (not bound to pciback): "
			     "run xenpt assignable-add %s first", name);
			continue;
		}
		/* libxl's id for the device: pci-pt-BB_DD.F */
		if (b->domain)
			snprintf(id, sizeof(id), "pci-pt-%04x_%02x_%02x.%x",
				 b->domain, b->bus, b->dev, b->fn);
		else
			snprintf(id, sizeof(id), "pci-pt-%02x_%02x.%x", b->bus,
				 b->dev, b->fn);
		snprintf(obj, sizeof(obj),
			 "{\"driver\":\"xen-pci-passthrough\",\"id\":\"%s\","
			 "\"hostaddr\":\"%s\"%s}", id, name,
			 permissive ? ",\"permissive\":true" : "");
		if (c->json) {
			bool f = true;

			printf("%s{", comma ? "," : "");
			comma = true;
			json_key(stdout, &f, "bdf");
			json_str(stdout, name);
			json_key(stdout, &f, "args");
			fputs("[\"-device\",", stdout);
			json_str(stdout, obj);
			fputs("]}", stdout);
		} else {
			/* the object has no single quote: safe in '...' */
			printf("-device '%s'\n", obj);
		}
	}
	if (c->json)
		fputs("]\n", stdout);
	free(bdfs);
	return rc;
}

/* --- main ---------------------------------------------------------------- */

struct command {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
};

static const struct command commands[] = {
	{ "list", cmd_list },
	{ "gsi", cmd_gsi },
	{ "irq2gsi", cmd_irq2gsi },
	{ "assignable-add", cmd_add },
	{ "pci-assignable-add", cmd_add },
	{ "assignable-remove", cmd_remove },
	{ "pci-assignable-remove", cmd_remove },
	{ "assignable-list", cmd_alist },
	{ "pci-assignable-list", cmd_alist },
	{ "qemu-args", cmd_qemu_args },
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "json", no_argument, NULL, OPT_JSON },
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
		case 'R': root = optarg; break;
		case 'S': state = optarg; break;
		case 'U': udev = optarg; break;
		case 'v': c.verbosity++; break;
		case 'q': c.verbosity = -1; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("xenpt " XENPT_VERSION "\n"); return 0;
		default:
			if (optopt && optopt < 256)
				return usage_error("invalid option -- '%c'", optopt);
			return usage_error("invalid option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("missing command");
	if (!strcmp(argv[optind], "help")) {
		usage(stdout);
		return 0;
	}
	for (cmd = commands; cmd->name; cmd++)
		if (!strcmp(cmd->name, argv[optind]))
			break;
	if (!cmd->name)
		return usage_error("unknown command '%s'", argv[optind]);

	err = pt_ctx_new(&c.ctx);
	if (err) {
		fprintf(stderr, "xenpt: %s\n", strerror(-err));
		return EXIT_FAIL;
	}
	if (root && *root)
		err = pt_ctx_set_root(c.ctx, root);
	if (!err && state)
		err = pt_ctx_set_dir(c.ctx, PT_DIR_STATE, state);
	if (!err && udev)
		err = pt_ctx_set_dir(c.ctx, PT_DIR_UDEV, udev);
	if (err) {
		pt_ctx_unref(c.ctx);
		return usage_error("invalid directory: %s", strerror(-err));
	}
	prio = c.verbosity < 0 ? LOG_ERR : c.verbosity == 0 ? LOG_WARNING :
	       c.verbosity == 1 ? LOG_INFO : LOG_DEBUG;
	pt_ctx_set_log_priority(c.ctx, prio);
	pt_ctx_set_log_fn(c.ctx, log_fn, &c);

	rc = cmd->fn(&c, argc - optind, argv + optind);
	fflush(stdout);
	pt_ctx_unref(c.ctx);
	return rc;
}
