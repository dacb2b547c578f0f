// SPDX-License-Identifier: GPL-2.0
/* The BDF parser and formatter, sbdf encoding, wildcard expansion. */
#include <errno.h>
#include <stdlib.h>

#include "fixture.h"
#include "harness.h"
#include "xenpt.h"

static int parse_fmt(const char *in, char *out, size_t size)
{
	struct xenpt_bdf b;
	int err = xenpt_bdf_parse(in, &b);

	if (err)
		return err;
	return xenpt_bdf_format(&b, out, size) < 0 ? -EIO : 0;
}

TEST(bdf_valid_forms)
{
	static const char *const ok[][2] = {
		{ "0000:00:04.0", "0000:00:04.0" },
		{ "00:04.0", "0000:00:04.0" },		/* domain optional */
		{ "0:4.0", "0000:00:04.0" },		/* short fields, as xl */
		{ "ffff:ff:1f.7", "ffff:ff:1f.7" },	/* maxima */
		{ "FFFF:FF:1F.7", "ffff:ff:1f.7" },	/* upper case */
		{ "0001:02:03.4", "0001:02:03.4" },
		{ "00:1f.*", "0000:00:1f.*" },		/* all functions */
		{ "0000:00:00.*", "0000:00:00.*" },
		{ "000000000000:00:04.0", "0000:00:04.0" }, /* leading zeros */
		{ "a:b:c.1", "000a:0b:0c.1" },
	};
	char buf[XENPT_BDF_STRLEN];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		CHECK_INT(parse_fmt(ok[i][0], buf, sizeof(buf)), ==, 0);
		CHECK_STR(buf, ok[i][1]);
	}
}

TEST(bdf_invalid_forms)
{
	static const char *const bad[] = {
		"", ":", "00", "00:04", "00:04.", "0000:00:04", ".0", "00.0",
		"0000:00:04.0 ",	/* trailing junk */
		" 0000:00:04.0",	/* leading space */
		"0000:00:04.0\n",	/* trailing newline */
		"0000:00:04.0x", "0000:00:04.8",	/* fn > 7 */
		"0000:00:20.0",		/* dev > 0x1f */
		"0000:100:04.0",	/* bus > 0xff */
		"10000:00:04.0",	/* domain > 0xffff */
		"ffffffffffffffffffff:00:04.0",	/* overflow */
		"00:00:00:04.0",	/* too many fields */
		"-1:04.0", "0000:-1:04.0", "00:04.-1",	/* negative */
		"+0:04.0", "0x0:04.0", "00:0x4.0",
		"00:04.**", "00:04.*0", "*:04.0", "00:*.0",
		"g0:04.0", "0000:00:04,0", "0000;00:04.0", "0000:00:04.0,permissive=1",
		"0000:00:04.0@3",
	};
	struct xenpt_bdf b;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (xenpt_bdf_parse(bad[i], &b) != -EINVAL) {
			t_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
			return;
		}
	}
	CHECK_INT(xenpt_bdf_parse(NULL, &b), ==, -EINVAL);
	CHECK_INT(xenpt_bdf_parse("00:04.0", NULL), ==, -EINVAL);
}

TEST(bdf_parse_leaves_output_on_error)
{
	struct xenpt_bdf b = { 0x1234, 5, 6, 7, 0 };

	CHECK_INT(xenpt_bdf_parse("00:20.0", &b), ==, -EINVAL);
	CHECK_INT(b.domain, ==, 0x1234);
	CHECK_INT(b.fn, ==, 7);
}

TEST(bdf_format_errors)
{
	struct xenpt_bdf b = { 0, 0, 4, 0, 0 };
	char small[12], buf[XENPT_BDF_STRLEN];

	CHECK_INT(xenpt_bdf_format(&b, small, sizeof(small)), ==, -ENOSPC);
	CHECK_INT(xenpt_bdf_format(&b, buf, sizeof(buf)), ==, 12);
	b.dev = 0x20;
	CHECK_INT(xenpt_bdf_format(&b, buf, sizeof(buf)), ==, -EINVAL);
	b.dev = 0;
	b.fn = 8;
	CHECK_INT(xenpt_bdf_format(&b, buf, sizeof(buf)), ==, -EINVAL);
}

TEST(sbdf_encode_decode)
{
	struct xenpt_bdf b, back;
	uint32_t sbdf;

	CHECK_INT(xenpt_bdf_parse("0000:00:04.0", &b), ==, 0);
	CHECK_INT(xenpt_bdf_to_sbdf(&b, &sbdf), ==, 0);
	CHECK_INT(sbdf, ==, 0x20);
	CHECK_INT(xenpt_bdf_parse("abcd:ef:1f.7", &b), ==, 0);
	CHECK_INT(xenpt_bdf_to_sbdf(&b, &sbdf), ==, 0);
	CHECK_INT(sbdf, ==, 0xabcdef00u | 0x1f << 3 | 7);
	xenpt_sbdf_to_bdf(sbdf, &back);
	CHECK(!memcmp(&b, &back, sizeof(b)));
	/* every device/function of a bus round-trips */
	for (sbdf = 0x00120000; sbdf < 0x00120100; sbdf++) {
		uint32_t again;

		xenpt_sbdf_to_bdf(sbdf, &back);
		CHECK_INT(xenpt_bdf_to_sbdf(&back, &again), ==, 0);
		CHECK_INT(again, ==, sbdf);
	}
	CHECK_INT(xenpt_bdf_parse("00:04.*", &b), ==, 0);
	CHECK_INT(xenpt_bdf_to_sbdf(&b, &sbdf), ==, -EINVAL);
}

/* Names of any domain: Linux numbers the domains behind Intel VMD from
 * 10000; canonical, and refused as xenpt_bdf_parse() refuses the rest. */
TEST(dev_name_any_domain)
{
	static const char *const ok[][2] = {
		{ "10000:e1:00.0", "10000:e1:00.0" },
		{ "10000:E1:0.*", "10000:e1:00.*" },
		{ "ffffffff:ff:1f.7", "ffffffff:ff:1f.7" },
		{ "00:04.0", "0000:00:04.0" },
		{ "1:2:3.4", "0001:02:03.4" },
		{ "00000000010000:00:00.0", "10000:00:00.0" },
	};
	static const char *const bad[] = {
		"100000000:00:04.0",	/* above 32 bits */
		"fffffffff:00:04.0", "0000:00:04.8", "0000:00:20.0", "0000:100:00.0",
		"", "10000:e1:00", "10000:e1:00.0 ", "-10000:e1:00.0", "x:00:00.0",
	};
	char buf[XENPT_DEV_STRLEN], small[8];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		CHECK_INT(xenpt_dev_name(ok[i][0], buf, sizeof(buf)), ==, strlen(ok[i][1]));
		CHECK_STR(buf, ok[i][1]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (xenpt_dev_name(bad[i], buf, sizeof(buf)) != -EINVAL) {
			t_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
			return;
		}
	CHECK_INT(xenpt_dev_name("10000:e1:00.0", small, sizeof(small)), ==, -ENOSPC);
	CHECK_INT(xenpt_dev_name(NULL, buf, sizeof(buf)), ==, -EINVAL);
	CHECK_INT(xenpt_dev_name("00:04.0", NULL, 0), ==, -EINVAL);
}

TEST(bdf_expand_wildcard)
{
	struct xenpt_ctx *ctx;
	struct xenpt_bdf b, *l;
	size_t n;
	struct fx fx;
	char buf[XENPT_BDF_STRLEN];

	CHECK_INT(fx_new(&fx, 0), ==, 0);
	ctx = fx_ctx(&fx);
	CHECK(ctx);
	CHECK_INT(xenpt_bdf_parse("00:05.*", &b), ==, 0);
	CHECK_INT(xenpt_bdf_expand(ctx, &b, &l, &n), ==, 0);
	CHECK_INT(n, ==, 2);
	xenpt_bdf_format(&l[1], buf, sizeof(buf));
	CHECK_STR(buf, "0000:00:05.1");
	free(l);
	CHECK_INT(xenpt_bdf_parse("00:06.*", &b), ==, 0);
	CHECK_INT(xenpt_bdf_expand(ctx, &b, &l, &n), ==, -ENODEV);
	CHECK_INT(xenpt_bdf_parse("00:04.0", &b), ==, 0);
	CHECK_INT(xenpt_bdf_expand(ctx, &b, &l, &n), ==, 0);
	CHECK_INT(n, ==, 1);
	free(l);
	xenpt_ctx_unref(ctx);
	fx_free(&fx);
}

int main(int argc, char **argv)
{
	return t_main(argc, argv);
}
