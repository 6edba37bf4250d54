// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* JSON output buffers and the request reader of json.h. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void scx__buf_init(struct scx_buf *b, size_t max)
{
	*b = (struct scx_buf){ .max = max };
}

void scx__buf_free(struct scx_buf *b)
{
	free(b->data);
	scx__buf_init(b, b->max);
}

/* Room for n more bytes and a NUL. */
static bool reserve(struct scx_buf *b, size_t n)
{
	size_t want = b->len + n + 1, cap;
	char *p;

	if (b->failed)
		return false;
	if (want <= b->cap)
		return true;
	if (b->max && want > b->max + 1) {
		b->failed = true;
		return false;
	}
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void scx__buf_add(struct scx_buf *b, const void *p, size_t n)
{
	if (!reserve(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void scx__buf_addc(struct scx_buf *b, char c)
{
	scx__buf_add(b, &c, 1);
}

void scx__buf_adds(struct scx_buf *b, const char *s)
{
	scx__buf_add(b, s, strlen(s));
}

void scx__buf_printf(struct scx_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(b, n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
}

void scx__buf_consume(struct scx_buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
	} else {
		memmove(b->data, b->data + n, b->len - n);
		b->len -= n;
	}
	if (b->data)
		b->data[b->len] = '\0';
}

/* The code point of the UTF-8 sequence at s (at most left bytes) and its
 * length, or 0 when it is not valid UTF-8 (overlong, surrogate, too big). */
static int utf8_decode(const unsigned char *s, size_t left, uint32_t *cp)
{
	int n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, *cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, *cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, *cp = s[0] & 0x07;
	else
		return 0;
	if ((size_t)n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && *cp < 0x800) || (n == 4 && *cp < 0x10000) || *cp > 0x10ffff ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

void scx__json_str(struct scx_buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	size_t left = strlen((const char *)s);

	scx__buf_addc(b, '"');
	while (left) {
		uint32_t cp;
		int n;

		switch (*s) {
		case '"':  scx__buf_adds(b, "\\\""); n = 1; break;
		case '\\': scx__buf_adds(b, "\\\\"); n = 1; break;
		case '\b': scx__buf_adds(b, "\\b"); n = 1; break;
		case '\f': scx__buf_adds(b, "\\f"); n = 1; break;
		case '\n': scx__buf_adds(b, "\\n"); n = 1; break;
		case '\r': scx__buf_adds(b, "\\r"); n = 1; break;
		case '\t': scx__buf_adds(b, "\\t"); n = 1; break;
		default:
			if (*s < 0x20) {
				scx__buf_printf(b, "\\u%04x", *s);
				n = 1;
			} else if ((n = utf8_decode(s, left, &cp))) {
				scx__buf_add(b, s, n);
			} else {
				scx__buf_adds(b, "\xef\xbf\xbd");
				n = 1;
			}
		}
		s += n;
		left -= n;
	}
	scx__buf_addc(b, '"');
}

void scx__json_double(struct scx_buf *b, double v)
{
	char sci[40], digits[20];
	int prec, exp10, n, point, i;
	char *e;

	if (!isfinite(v)) {
		scx__buf_adds(b, "null");
		return;
	}
	if (signbit(v)) {
		scx__buf_addc(b, '-');
		v = -v;
	}
	if (v == 0) {
		scx__buf_adds(b, "0.0");
		return;
	}
	/* the fewest significant digits that read back as the same double */
	for (prec = 0; prec < 17; prec++) {
		snprintf(sci, sizeof(sci), "%.*e", prec, v);
		if (strtod(sci, NULL) == v)
			break;
	}
	e = strchr(sci, 'e');
	exp10 = atoi(e + 1);
	for (n = 0, i = 0; sci + i < e; i++)
		if (sci[i] != '.')
			digits[n++] = sci[i];
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	point = exp10 + 1;		/* digits[0 .. point) is the integer part */
	if (point >= n && point <= 16) {
		scx__buf_add(b, digits, n);
		for (i = n; i < point; i++)
			scx__buf_addc(b, '0');
		scx__buf_adds(b, ".0");
	} else if (point > 0 && point <= 16) {
		scx__buf_add(b, digits, point);
		scx__buf_addc(b, '.');
		scx__buf_add(b, digits + point, n - point);
	} else if (point > -5 && point <= 0) {
		scx__buf_adds(b, "0.");
		for (i = point; i < 0; i++)
			scx__buf_addc(b, '0');
		scx__buf_add(b, digits, n);
	} else {
		scx__buf_addc(b, digits[0]);
		if (n > 1) {
			scx__buf_addc(b, '.');
			scx__buf_add(b, digits + 1, n - 1);
		}
		scx__buf_printf(b, "e%d", exp10);
	}
}

/* ---- reading ------------------------------------------------------------- */

void scx__json_reader_init(struct scx_json_reader *r, const char *text, size_t len)
{
	*r = (struct scx_json_reader){ .p = text, .end = text + len, .start = text };
}

__attribute__((format(printf, 2, 3)))
static bool fail(struct scx_json_reader *r, const char *fmt, ...)
{
	char what[96];
	va_list ap;

	if (r->err[0])
		return false;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(r->err, sizeof(r->err), "%s at column %td", what, r->p - r->start + 1);
	return false;
}

static void skip_ws(struct scx_json_reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

bool scx__json_at_end(struct scx_json_reader *r)
{
	skip_ws(r);
	return r->p == r->end;
}

/* Skip whitespace and take c if it comes next. */
static bool take(struct scx_json_reader *r, char c)
{
	skip_ws(r);
	if (r->p < r->end && *r->p == c) {
		r->p++;
		return true;
	}
	return false;
}

static int hex4(const char *p)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void put_utf8(struct scx_buf *b, uint32_t cp)
{
	char u[4];
	int n;

	if (cp < 0x80) {
		u[0] = cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = 0xc0 | cp >> 6, u[1] = 0x80 | (cp & 0x3f), n = 2;
	} else if (cp < 0x10000) {
		u[0] = 0xe0 | cp >> 12, u[1] = 0x80 | (cp >> 6 & 0x3f);
		u[2] = 0x80 | (cp & 0x3f), n = 3;
	} else {
		u[0] = 0xf0 | cp >> 18, u[1] = 0x80 | (cp >> 12 & 0x3f);
		u[2] = 0x80 | (cp >> 6 & 0x3f), u[3] = 0x80 | (cp & 0x3f), n = 4;
	}
	scx__buf_add(b, u, n);
}

/* The \u escape at r->p (just after the backslash and 'u'), a surrogate
 * pair included: its code point, or -1. */
static long unicode_escape(struct scx_json_reader *r)
{
	int hi, lo;

	if (r->end - r->p < 4 || (hi = hex4(r->p)) < 0)
		return fail(r, "bad \\u escape"), -1;
	r->p += 4;
	if (hi < 0xd800 || hi > 0xdfff)
		return hi;
	if (hi > 0xdbff)
		return fail(r, "lone trailing surrogate"), -1;
	if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' ||
	    (lo = hex4(r->p + 2)) < 0xdc00 || lo > 0xdfff)
		return fail(r, "lone leading surrogate"), -1;
	r->p += 6;
	return 0x10000 + ((long)(hi - 0xd800) << 10) + (lo - 0xdc00);
}

/* A string at r->p; decoded into out when out is not NULL. */
static bool read_string(struct scx_json_reader *r, struct scx_buf *out)
{
	if (!take(r, '"'))
		return fail(r, "expected a string");
	while (r->p < r->end) {
		const unsigned char *s = (const unsigned char *)r->p;
		uint32_t cp;
		long esc;
		int n;

		if (*s == '"') {
			r->p++;
			return true;
		}
		if (*s < 0x20)
			return fail(r, "control character in a string");
		if (*s != '\\') {
			n = utf8_decode(s, r->end - r->p, &cp);
			if (!n)
				return fail(r, "invalid UTF-8");
			if (out)
				scx__buf_add(out, s, n);
			r->p += n;
			continue;
		}
		if (r->end - r->p < 2)
			break;
		r->p += 2;
		switch (s[1]) {
		case '"': case '\\': case '/': cp = s[1]; break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			if ((esc = unicode_escape(r)) < 0)
				return false;
			/* a C string cannot hold it: refuse rather than cut */
			if (!esc && out)
				return fail(r, "\\u0000 in a string");
			cp = esc;
			break;
		default:
			r->p -= 1;
			return fail(r, "bad escape");
		}
		if (out)
			put_utf8(out, cp);
	}
	return fail(r, "unterminated string");
}

bool scx__json_string(struct scx_json_reader *r, char **out)
{
	struct scx_buf b;

	scx__buf_init(&b, 0);
	scx__buf_add(&b, "", 0);
	if (!read_string(r, &b) || b.failed) {
		bool oom = b.failed;

		scx__buf_free(&b);
		return oom ? fail(r, "out of memory") : false;
	}
	*out = b.data;
	return true;
}

static bool skip_digits(struct scx_json_reader *r)
{
	const char *from = r->p;

	while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
		r->p++;
	return r->p > from;
}

static bool skip_number(struct scx_json_reader *r)
{
	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p < r->end && *r->p == '0')
		r->p++;
	else if (!skip_digits(r))
		return fail(r, "expected a value");
	if (r->p < r->end && *r->p == '.') {
		r->p++;
		if (!skip_digits(r))
			return fail(r, "expected a digit");
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (!skip_digits(r))
			return fail(r, "expected a digit");
	}
	return true;
}

static bool skip_word(struct scx_json_reader *r, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n))
		return fail(r, "expected a value");
	r->p += n;
	return true;
}

bool scx__json_object_open(struct scx_json_reader *r)
{
	if (!take(r, '{'))
		return fail(r, "expected an object");
	if (++r->depth > SCX_JSON_MAX_DEPTH)
		return fail(r, "nested too deeply");
	return true;
}

int scx__json_next_key(struct scx_json_reader *r, char **key)
{
	/* right after the '{' (no value ends with one): no comma before */
	bool first = r->p > r->start && r->p[-1] == '{';

	if (take(r, '}')) {
		r->depth--;
		return 0;
	}
	if (!first && !take(r, ','))
		return fail(r, "expected ',' or '}'"), -1;
	skip_ws(r);
	if (!scx__json_string(r, key))
		return -1;
	if (!take(r, ':')) {
		free(*key);
		return fail(r, "expected ':'"), -1;
	}
	return 1;
}

bool scx__json_skip(struct scx_json_reader *r)
{
	char *key;
	int ret;

	skip_ws(r);
	if (r->p == r->end)
		return fail(r, "expected a value");
	switch (*r->p) {
	case '"':
		return read_string(r, NULL);
	case '{':
		if (!scx__json_object_open(r))
			return false;
		while ((ret = scx__json_next_key(r, &key)) > 0) {
			free(key);
			if (!scx__json_skip(r))
				return false;
		}
		return ret == 0;
	case '[':
		r->p++;
		if (++r->depth > SCX_JSON_MAX_DEPTH)
			return fail(r, "nested too deeply");
		if (take(r, ']')) {
			r->depth--;
			return true;
		}
		do {
			if (!scx__json_skip(r))
				return false;
		} while (take(r, ','));
		if (!take(r, ']'))
			return fail(r, "expected ',' or ']'");
		r->depth--;
		return true;
	case 't':
		return skip_word(r, "true");
	case 'f':
		return skip_word(r, "false");
	case 'n':
		return skip_word(r, "null");
	default:
		return skip_number(r);
	}
}
