// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for xenpt_bdf_parse(): never reads past the string, and
 * whatever it accepts is in range, formats, and parses back to itself;
 * and it agrees with an independent reference parser.
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

static int ref_parse(const char *s, struct xenpt_bdf *b)
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
		    ref_field(s, (size_t)(c1 - s), 0xffff, &d) ||
		    ref_field(c1 + 1, (size_t)(c2 - c1 - 1), 0xff, &bus))
			return -1;
	} else if (ref_field(s, (size_t)(c2 - s), 0xff, &bus)) {
		return -1;
	}
	if (ref_field(c2 + 1, (size_t)(dot - c2 - 1), 0x1f, &dev))
		return -1;
	memset(b, 0, sizeof(*b));
	if (!strcmp(dot + 1, "*"))
		b->all_fns = 1;
	else if (ref_field(dot + 1, strlen(dot + 1), 7, &fn))
		return -1;
	b->domain = (uint16_t)d;
	b->bus = (uint8_t)bus;
	b->dev = (uint8_t)dev;
	b->fn = (uint8_t)fn;
	return 0;
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
	free(s);
	return 0;
}
