/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * scxtool: a tiny streaming JSON writer. It places the commas and colons, so
 * callers only say what comes next; strings are escaped, and bytes that are
 * not valid UTF-8 (a task's comm can hold anything) become U+FFFD, so the
 * output always parses.
 */
#ifndef __SCXTOOL_JSON_H
#define __SCXTOOL_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	bool after_key;
};

void json_init(struct json *j, FILE *f);
void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
/* The key of the next member of the current object. */
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_u64(struct json *j, unsigned long long v);
void json_s64(struct json *j, long long v);
void json_double(struct json *j, double v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* A member of the current object: its key, then its value. */
static inline void json_member_string(struct json *j, const char *key, const char *v)
{
	json_key(j, key);
	json_string(j, v);
}

static inline void json_member_u64(struct json *j, const char *key, unsigned long long v)
{
	json_key(j, key);
	json_u64(j, v);
}

static inline void json_member_s64(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_s64(j, v);
}

static inline void json_member_double(struct json *j, const char *key, double v)
{
	json_key(j, key);
	json_double(j, v);
}

static inline void json_member_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one
 * (overlong forms, surrogates and code points above U+10FFFF included). */
int json_utf8_len(const unsigned char *s);

/* Write s as a quoted, escaped JSON string (no separators). */
void json_quote(FILE *f, const char *s);

#endif /* __SCXTOOL_JSON_H */
