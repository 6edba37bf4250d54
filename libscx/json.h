/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * JSON for the stats server (json.c); not installed. A growable output
 * buffer with the few writers the scx_stats replies need, spelled as
 * serde_json spells them (what scx's Rust clients were written against), and
 * a cursor that reads one request object without building a tree.
 */
#ifndef __SCX_JSON_H
#define __SCX_JSON_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes appended with scx__buf_*(); after an allocation failure or growth
 * past max, failed is set and further appends are ignored. */
struct scx_buf {
	char *data;
	size_t len, cap, max;
	bool failed;
};

void scx__buf_init(struct scx_buf *b, size_t max);
void scx__buf_free(struct scx_buf *b);
void scx__buf_add(struct scx_buf *b, const void *p, size_t n);
void scx__buf_addc(struct scx_buf *b, char c);
void scx__buf_adds(struct scx_buf *b, const char *s);
__attribute__((format(printf, 2, 3)))
void scx__buf_printf(struct scx_buf *b, const char *fmt, ...);
/* Drop the first n bytes (what a write has sent). */
void scx__buf_consume(struct scx_buf *b, size_t n);

/* A JSON string: quotes, the escapes serde_json writes (\" \\ \b \f \n \r \t,
 * \u00XX for other control bytes), other bytes as they are except that
 * invalid UTF-8 becomes U+FFFD, as Rust's lossy conversion does. */
void scx__json_str(struct scx_buf *b, const char *s);
/* A double as serde_json writes one: the shortest digits that read back
 * the same, "1.0" for integers, exponents outside [1e-5, 1e16), null for
 * NaN and infinities. */
void scx__json_double(struct scx_buf *b, double v);

/*
 * Reading: the cursor walks text of a known length. Every function returns
 * false on malformed input after writing why into err (the first failure
 * wins); nesting deeper than SCX_JSON_MAX_DEPTH is refused.
 */
#define SCX_JSON_MAX_DEPTH 64

struct scx_json_reader {
	const char *p, *end, *start;
	int depth;
	char err[128];
};

void scx__json_reader_init(struct scx_json_reader *r, const char *text, size_t len);
/* Skip whitespace; true when nothing but whitespace is left. */
bool scx__json_at_end(struct scx_json_reader *r);
/* '{', then scx__json_next_key() until it returns 0 (the '}' is read). */
bool scx__json_object_open(struct scx_json_reader *r);
/* 1 with *key a malloc'd decoded key (the ':' is read), 0 at the end of the
 * object, -1 on malformed input. */
int scx__json_next_key(struct scx_json_reader *r, char **key);
/* A string value, decoded into *out (malloc'd). False when the value is
 * not a string, or holds \u0000 (which a C string cannot). */
bool scx__json_string(struct scx_json_reader *r, char **out);
/* Any value, checked and skipped. */
bool scx__json_skip(struct scx_json_reader *r);

#endif /* __SCX_JSON_H */
