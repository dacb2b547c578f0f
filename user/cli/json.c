// SPDX-License-Identifier: GPL-2.0
/* Minimal JSON output for the xenpt CLI. */
#include <stdio.h>
#include <string.h>

#include "json.h"

int json_str_buf(char *buf, size_t size, const char *s)
{
	size_t n = 0;

#define PUT(c) do { if (n + 1 < size) buf[n] = (c); n++; } while (0)
	PUT('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			PUT('\\');
			PUT((char)c);
		} else if (c < 0x20) {
			char esc[8];
			int i;

			snprintf(esc, sizeof(esc), "\\u%04x", c);
			for (i = 0; esc[i]; i++)
				PUT(esc[i]);
		} else {
			PUT((char)c);
		}
	}
	PUT('"');
#undef PUT
	if (size)
		buf[n < size ? n : size - 1] = '\0';
	return (int)n;
}

void json_str(FILE *f, const char *s)
{
	char buf[2048];

	if (!s) {
		fputs("null", f);
		return;
	}
	json_str_buf(buf, sizeof(buf), s);
	fputs(buf, f);
}

void json_key(FILE *f, bool *first, const char *key)
{
	if (!*first)
		fputc(',', f);
	*first = false;
	json_str(f, key);
	fputc(':', f);
}
