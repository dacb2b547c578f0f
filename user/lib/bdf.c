// SPDX-License-Identifier: LGPL-2.1-or-later
/* PCI addresses: parse and format as xl does, sbdf encoding; the names of
 * functions in Linux's domains above ffff (Intel VMD), which struct
 * xenpt_bdf and an SBDF cannot hold. */
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
		if ((unsigned int)d > max || v > (max - (unsigned int)d) / 16)
			return -EINVAL;	/* above max, before any overflow */
		v = v * 16 + (unsigned int)d;
		s++;
		n++;
	}
	if (!n)
		return -EINVAL;
	*out = v;
	*p = s;
	return 0;
}

/* "[DOMAIN:]BB:DD.F" with DOMAIN up to max_domain. */
static int parse_addr(const char *str, unsigned int max_domain, struct pt_addr *out)
{
	unsigned int a, b, c, fn = 0, dom, bus, dev;
	const char *p = str;
	int all = 0;

	if (!str || !out)
		return -EINVAL;
	if (parse_hex(&p, max_domain, &a) || *p++ != ':')
		return -EINVAL;
	if (parse_hex(&p, max_domain, &b))
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
	out->domain = dom;
	out->bus = (uint8_t)bus;
	out->dev = (uint8_t)dev;
	out->fn = (uint8_t)fn;
	out->all_fns = (uint8_t)all;
	return 0;
}

int pt_addr_parse(const char *str, struct pt_addr *addr)
{
	return parse_addr(str, UINT32_MAX, addr);
}

int pt_addr_format(const struct pt_addr *a, char *buf, size_t size)
{
	int n;

	if (a->dev > 0x1f || a->fn > 7)
		return -EINVAL;
	if (a->all_fns)
		n = snprintf(buf, size, "%04x:%02x:%02x.*", a->domain, a->bus, a->dev);
	else
		n = snprintf(buf, size, "%04x:%02x:%02x.%x", a->domain, a->bus,
			     a->dev, a->fn);
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}

bool pt_addr_bdf(const struct pt_addr *a, struct xenpt_bdf *bdf)
{
	if (a->domain > 0xffff)
		return false;
	bdf->domain = (uint16_t)a->domain;
	bdf->bus = a->bus;
	bdf->dev = a->dev;
	bdf->fn = a->fn;
	bdf->all_fns = a->all_fns;
	return true;
}

PT_EXPORT int xenpt_bdf_parse(const char *str, struct xenpt_bdf *bdf)
{
	struct pt_addr a;
	int err;

	if (!bdf)
		return -EINVAL;
	err = parse_addr(str, 0xffff, &a);
	if (err)
		return err;
	pt_addr_bdf(&a, bdf);
	return 0;
}

PT_EXPORT int xenpt_dev_name(const char *str, char *buf, size_t size)
{
	struct pt_addr a;
	int err;

	if (!buf)
		return -EINVAL;
	err = pt_addr_parse(str, &a);
	if (err)
		return err;
	return pt_addr_format(&a, buf, size);
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
