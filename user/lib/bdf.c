// SPDX-License-Identifier: LGPL-2.1-or-later
/* PCI addresses: parse and format as xl does, sbdf encoding. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One or more hex digits, value <= max; no sign, space or "0x". */
static int parse_hex(const char **p, unsigned int max, unsigned int *out)
{
	const char *s = *p;
	unsigned int v = 0;
	int d, n = 0;

	while ((d = hexval(*s)) >= 0) {
		v = v * 16 + (unsigned int)d;
		if (v > max)
			return -EINVAL;	/* also stops any overflow */
		s++;
		n++;
	}
	if (!n)
		return -EINVAL;
	*out = v;
	*p = s;
	return 0;
}

PT_EXPORT int xenpt_bdf_parse(const char *str, struct xenpt_bdf *bdf)
{
	unsigned int a, b, c, fn = 0, dom, bus, dev;
	const char *p = str;
	int all = 0;

	if (!str || !bdf)
		return -EINVAL;
	if (parse_hex(&p, 0xffff, &a) || *p++ != ':')
		return -EINVAL;
	if (parse_hex(&p, 0xffff, &b))
		return -EINVAL;
	if (*p == ':') {
		p++;
		if (parse_hex(&p, 0x1f, &c))
			return -EINVAL;
		dom = a;
		bus = b;
		dev = c;
	} else {
		dom = 0;
		bus = a;
		dev = b;
	}
	if (bus > 0xff || dev > 0x1f || *p++ != '.')
		return -EINVAL;
	if (*p == '*') {
		all = 1;
		p++;
	} else if (parse_hex(&p, 7, &fn)) {
		return -EINVAL;
	}
	if (*p)
		return -EINVAL;
	bdf->domain = (uint16_t)dom;
	bdf->bus = (uint8_t)bus;
	bdf->dev = (uint8_t)dev;
	bdf->fn = (uint8_t)fn;
	bdf->all_fns = (uint8_t)all;
	return 0;
}

PT_EXPORT int xenpt_bdf_format(const struct xenpt_bdf *bdf, char *buf, size_t size)
{
	int n;

	if (!bdf || !buf || bdf->dev > 0x1f || bdf->fn > 7)
		return -EINVAL;
	if (bdf->all_fns)
		n = snprintf(buf, size, "%04x:%02x:%02x.*", bdf->domain,
			     bdf->bus, bdf->dev);
	else
		n = snprintf(buf, size, "%04x:%02x:%02x.%x", bdf->domain,
			     bdf->bus, bdf->dev, bdf->fn);
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}

PT_EXPORT int xenpt_bdf_to_sbdf(const struct xenpt_bdf *bdf, uint32_t *sbdf)
{
	if (!bdf || !sbdf || bdf->all_fns || bdf->dev > 0x1f || bdf->fn > 7)
		return -EINVAL;
	*sbdf = (uint32_t)bdf->domain << 16 | (uint32_t)bdf->bus << 8 |
		(uint32_t)bdf->dev << 3 | bdf->fn;
	return 0;
}

PT_EXPORT void xenpt_sbdf_to_bdf(uint32_t sbdf, struct xenpt_bdf *bdf)
{
	if (!bdf)
		return;
	bdf->domain = (uint16_t)(sbdf >> 16);
	bdf->bus = (uint8_t)(sbdf >> 8);
	bdf->dev = (uint8_t)((sbdf >> 3) & 0x1f);
	bdf->fn = (uint8_t)(sbdf & 7);
	bdf->all_fns = 0;
}
