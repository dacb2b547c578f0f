/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny test harness.  Each TEST() is a named function; each runs in its
 * own child process (isolation, and LeakSanitizer per test).  Output:
 *     ok N - name  /  not ok N - name
 * and a last line "N passed, N failed".  Arguments select tests by name.
 */
#ifndef XENPT_HARNESS_H
#define XENPT_HARNESS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef void (*t_fn)(void);
void t_register(const char *name, t_fn fn);
void t_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int t_main(int argc, char **argv);
/* non-zero once an assertion failed in this test */
extern int t_failed;

#define TEST(name) \
	static void name(void); \
	__attribute__((constructor)) static void t_reg_##name(void) \
	{ t_register(#name, name); } \
	static void name(void)

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			t_fail(__FILE__, __LINE__, "%s", #cond); \
			return; \
		} \
	} while (0)

#define CHECK_INT(a, op, b) \
	do { \
		long long t_a_ = (long long)(a), t_b_ = (long long)(b); \
		if (!(t_a_ op t_b_)) { \
			t_fail(__FILE__, __LINE__, "%s %s %s: %lld vs %lld", \
			       #a, #op, #b, t_a_, t_b_); \
			return; \
		} \
	} while (0)

#define CHECK_STR(a, b) \
	do { \
		const char *t_a_ = (a), *t_b_ = (b); \
		if (!t_a_ || !t_b_ || strcmp(t_a_, t_b_)) { \
			t_fail(__FILE__, __LINE__, "%s == %s: \"%s\" vs \"%s\"", \
			       #a, #b, t_a_ ? t_a_ : "(null)", \
			       t_b_ ? t_b_ : "(null)"); \
			return; \
		} \
	} while (0)

/* like CHECK but in helpers returning int: returns -1 */
#define REQUIRE(cond) \
	do { \
		if (!(cond)) { \
			t_fail(__FILE__, __LINE__, "%s", #cond); \
			return -1; \
		} \
	} while (0)

#endif
