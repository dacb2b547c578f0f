/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal JSON output for the xenpt CLI. */
#ifndef XENPT_CLI_JSON_H
#define XENPT_CLI_JSON_H

#include <stdbool.h>
#include <stdio.h>

/* A JSON string literal, or null for NULL. */
void json_str(FILE *f, const char *s);
/* A JSON string literal into buf (for nesting JSON in JSON). */
int json_str_buf(char *buf, size_t size, const char *s);
/* "key": prefixed by a comma unless *first. */
void json_key(FILE *f, bool *first, const char *key);

#endif
