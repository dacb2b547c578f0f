// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for xenpt_bdf_parse() and xenpt_dev_name() (any domain
 * up to ffffffff): never read past the string, whatever they accept is in
 * range, formats, and parses back to itself; and they agree with an
 * independent reference parser.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenpt.h"

/* Reference: sscanf-free, deliberately different structure. */
static int ref_field(const char *s, size_t len, unsigned long max, unsigned long *v)
{
	size_t i;

	if (!len)
		return -1;
	*v = 0;
	for (i = 0; i < len; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return -1;
		*v = *v * 16 + (unsigned long)d;
		if (*v > max)
			return -1;
	}
	return 0;
}

struct ref {
	unsigned long domain, bus, dev, fn;
	int all_fns;
};

static int ref_parse_max(const char *s, unsigned long max_domain, struct ref *r)
{
	const char *dot = strrchr(s, '.'), *c1, *c2;
	unsigned long d = 0, bus, dev, fn = 0;

	if (!dot)
		return -1;
	c2 = memrchr(s, ':', (size_t)(dot - s));
	if (!c2)
		return -1;
	c1 = memrchr(s, ':', (size_t)(c2 - s));
	if (c1) {
		if (memchr(s, ':', (size_t)(c1 - s)) ||
		    ref_field(s, (size_t)(c1 - s), max_domain, &d) ||
		    ref_field(c1 + 1, (size_t)(c2 - c1 - 1), 0xff, &bus))
			return -1;
	} else if (ref_field(s, (size_t)(c2 - s), 0xff, &bus)) {
		return -1;
	}
	if (ref_field(c2 + 1, (size_t)(dot - c2 - 1), 0x1f, &dev))
		return -1;
	memset(r, 0, sizeof(*r));
	if (!strcmp(dot + 1, "*"))
		r->all_fns = 1;
	else if (ref_field(dot + 1, strlen(dot + 1), 7, &fn))
		return -1;
	r->domain = d;
	r->bus = bus;
	r->dev = dev;
	r->fn = fn;
	return 0;
}

static int ref_parse(const char *s, struct xenpt_bdf *b)
{
	struct ref r;

	if (ref_parse_max(s, 0xffff, &r))
		return -1;
	memset(b, 0, sizeof(*b));
	b->domain = (uint16_t)r.domain;
	b->bus = (uint8_t)r.bus;
	b->dev = (uint8_t)r.dev;
	b->fn = (uint8_t)r.fn;
	b->all_fns = (uint8_t)r.all_fns;
	return 0;
}

/* xenpt_dev_name(): the same for any 32-bit domain, canonical output. */
static void check_dev_name(const char *s, int bdf_err, const char *bdf_canon)
{
	char buf[XENPT_DEV_STRLEN], again[XENPT_DEV_STRLEN], want[32];
	struct ref r;
	int n = xenpt_dev_name(s, buf, sizeof(buf));
	int rerr = ref_parse_max(s, 0xffffffffUL, &r);

	if ((n > 0) != (rerr == 0)) {
		fprintf(stderr, "dev_name %d, reference %d on \"%s\"\n", n, rerr, s);
		abort();
	}
	if (n <= 0)
		return;
	if (r.all_fns)
		snprintf(want, sizeof(want), "%04lx:%02lx:%02lx.*", r.domain, r.bus, r.dev);
	else
		snprintf(want, sizeof(want), "%04lx:%02lx:%02lx.%lx", r.domain, r.bus,
			 r.dev, r.fn);
	if (strcmp(buf, want) || (size_t)n != strlen(buf))
		abort();
	/* what the 16-bit parser takes, the name spells the same */
	if (!bdf_err && strcmp(buf, bdf_canon))
		abort();
	if (xenpt_dev_name(buf, again, sizeof(again)) != n || strcmp(buf, again))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xenpt_bdf b, b2, r;
	char *s, buf[XENPT_BDF_STRLEN];
	int err, rerr;

	if (size > 64)
		return 0;
	s = malloc(size + 1);	/* exact size: ASan sees any overread */
	memcpy(s, data, size);
	s[size] = '\0';
	err = xenpt_bdf_parse(s, &b);
	rerr = ref_parse(s, &r);
	if ((err == 0) != (rerr == 0)) {
		fprintf(stderr, "parser %d, reference %d on \"%s\"\n", err, rerr, s);
		abort();
	}
	if (!err) {
		if (memcmp(&b, &r, sizeof(b)) || b.dev > 0x1f || b.fn > 7 ||
		    (b.all_fns && b.fn))
			abort();
		if (xenpt_bdf_format(&b, buf, sizeof(buf)) < 0)
			abort();
		if (xenpt_bdf_parse(buf, &b2) || memcmp(&b, &b2, sizeof(b)))
			abort();
	}
	check_dev_name(s, err, err ? "" : buf);
	free(s);
	return 0;
}
