// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* scxtool: the JSON tree parser of json_parse.h. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_parse.h"

struct parser {
	const char *s, *at, *end;
	int depth;
	char *err;
	size_t err_size;
};

static bool bad(struct parser *p, const char *what)
{
	if (!*p->err)
		snprintf(p->err, p->err_size, "%s at offset %td", what, p->at - p->s);
	return false;
}

static void blanks(struct parser *p)
{
	while (p->at < p->end && strchr(" \t\r\n", *p->at) && *p->at)
		p->at++;
}

static bool next_is(struct parser *p, char c)
{
	blanks(p);
	return p->at < p->end && *p->at == c;
}

/* Append code point cp to the string being built at *out (room is there:
 * an escape is never shorter in the text than in UTF-8). */
static void emit_cp(char **out, unsigned long cp)
{
	unsigned char *o = (unsigned char *)*out;

	if (cp < 0x80) {
		*o++ = cp;
	} else if (cp < 0x800) {
		*o++ = 0xc0 | (cp >> 6);
		*o++ = 0x80 | (cp & 0x3f);
	} else if (cp < 0x10000) {
		*o++ = 0xe0 | (cp >> 12);
		*o++ = 0x80 | ((cp >> 6) & 0x3f);
		*o++ = 0x80 | (cp & 0x3f);
	} else {
		*o++ = 0xf0 | (cp >> 18);
		*o++ = 0x80 | ((cp >> 12) & 0x3f);
		*o++ = 0x80 | ((cp >> 6) & 0x3f);
		*o++ = 0x80 | (cp & 0x3f);
	}
	*out = (char *)o;
}

static bool hex_at(struct parser *p, unsigned long *cp)
{
	char buf[5], *e;

	if (p->end - p->at < 4)
		return bad(p, "short \\u escape");
	memcpy(buf, p->at, 4);
	buf[4] = '\0';
	*cp = strtoul(buf, &e, 16);
	if (e != buf + 4 || buf[0] == '+' || buf[0] == '-' || buf[0] == ' ')
		return bad(p, "bad \\u escape");
	p->at += 4;
	return true;
}

/* A string after its opening quote, decoded into a new buffer. The bytes
 * are taken as they are (the servers send UTF-8). */
static bool string_body(struct parser *p, char **res)
{
	static const char esc_from[] = "\"\\/bfnrt", esc_to[] = "\"\\/\b\f\n\r\t";
	char *buf = malloc(p->end - p->at + 1), *o = buf;
	const char *hit;
	unsigned long cp, lo;

	if (!buf)
		return bad(p, "out of memory");
	while (p->at < p->end && *p->at != '"') {
		char c = *p->at++;

		if ((unsigned char)c < 0x20) {
			free(buf);
			return bad(p, "control character in a string");
		}
		if (c != '\\') {
			*o++ = c;
			continue;
		}
		if (p->at == p->end)
			break;
		c = *p->at++;
		if (c == 'u') {
			if (!hex_at(p, &cp))
				goto fail;
			if (cp >= 0xd800 && cp < 0xdc00 && p->end - p->at >= 6 &&
			    p->at[0] == '\\' && p->at[1] == 'u') {
				p->at += 2;
				if (!hex_at(p, &lo))
					goto fail;
				cp = lo >= 0xdc00 && lo < 0xe000 ?
				     0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00) : 0xfffd;
			} else if (cp >= 0xd800 && cp < 0xe000) {
				cp = 0xfffd;
			}
			emit_cp(&o, cp);
			continue;
		}
		hit = c ? strchr(esc_from, c) : NULL;
		if (!hit) {
			free(buf);
			return bad(p, "bad escape");
		}
		*o++ = esc_to[hit - esc_from];
	}
	if (p->at == p->end) {
		free(buf);
		return bad(p, "unterminated string");
	}
	p->at++;
	*o = '\0';
	*res = buf;
	return true;
fail:
	free(buf);
	return false;
}

static bool value(struct parser *p, struct jv *v);

/* The members of an array or object after its opening bracket. */
static bool members(struct parser *p, struct jv *v, bool object)
{
	char close = object ? '}' : ']';

	if (++p->depth > 64)
		return bad(p, "nested too deeply");
	if (next_is(p, close)) {
		p->at++;
		p->depth--;
		return true;
	}
	for (;;) {
		struct jv *items = realloc(v->items, (v->n + 1) * sizeof(*items));
		char **keys = object ? realloc(v->keys, (v->n + 1) * sizeof(*keys)) : NULL;

		if (items)
			v->items = items;
		if (keys)
			v->keys = keys;
		if (!items || (object && !keys))
			return bad(p, "out of memory");
		memset(&v->items[v->n], 0, sizeof(*items));
		if (object) {
			v->keys[v->n] = NULL;
			if (!next_is(p, '"'))
				return bad(p, "expected a member name");
			p->at++;
			if (!string_body(p, &v->keys[v->n]))
				return false;
			if (!next_is(p, ':')) {
				v->n++;		/* so that jv_free() frees the key */
				return bad(p, "expected ':'");
			}
			p->at++;
		}
		v->n++;
		if (!value(p, &v->items[v->n - 1]))
			return false;
		if (next_is(p, ',')) {
			p->at++;
			continue;
		}
		if (next_is(p, close)) {
			p->at++;
			p->depth--;
			return true;
		}
		return bad(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static bool number(struct parser *p, struct jv *v)
{
	const char *from = p->at;
	char *end;

	/* strtod reads more than JSON allows (hex, inf, nan): it only
	 * finds the end, and what it read must be made of these */
	if (*from != '-' && (*from < '0' || *from > '9'))
		return bad(p, "expected a value");
	strtod(from, &end);
	if (end == from || end > p->end || strspn(from, "0123456789+-.eE") < (size_t)(end - from))
		return bad(p, "bad number");
	p->at = end;
	v->type = JV_NUM;
	v->text = strndup(from, end - from);
	return v->text ? true : bad(p, "out of memory");
}

static bool word(struct parser *p, struct jv *v, const char *w, enum jv_type type)
{
	size_t n = strlen(w);

	if ((size_t)(p->end - p->at) < n || strncmp(p->at, w, n))
		return bad(p, "expected a value");
	p->at += n;
	v->type = type;
	if (type == JV_BOOL && !(v->text = strdup(w)))
		return bad(p, "out of memory");
	return true;
}

static bool value(struct parser *p, struct jv *v)
{
	bool ok;

	blanks(p);
	if (p->at >= p->end)
		return bad(p, "expected a value");
	v->raw = p->at;
	switch (*p->at) {
	case '{':
	case '[':
		v->type = *p->at == '{' ? JV_OBJ : JV_ARR;
		p->at++;
		ok = members(p, v, v->type == JV_OBJ);
		break;
	case '"':
		v->type = JV_STR;
		p->at++;
		ok = string_body(p, &v->text);
		break;
	case 't':
		ok = word(p, v, "true", JV_BOOL);
		break;
	case 'f':
		ok = word(p, v, "false", JV_BOOL);
		break;
	case 'n':
		ok = word(p, v, "null", JV_NULL);
		break;
	default:
		ok = number(p, v);
	}
	v->raw_len = p->at - v->raw;
	return ok;
}

static void jv_clear(struct jv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		jv_clear(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->text);
}

void jv_free(struct jv *v)
{
	if (v) {
		jv_clear(v);
		free(v);
	}
}

struct jv *jv_parse(const char *text, size_t len, char *err, size_t err_size)
{
	struct parser p = { .s = text, .at = text, .end = text + len, .err = err,
			    .err_size = err_size };
	struct jv *v = calloc(1, sizeof(*v));

	err[0] = '\0';
	if (!v) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	if (value(&p, v)) {
		blanks(&p);
		if (p.at == p.end)
			return v;
		bad(&p, "trailing characters");
	}
	jv_free(v);
	return NULL;
}

const struct jv *jv_get(const struct jv *v, const char *key)
{
	size_t i;

	if (!v || v->type != JV_OBJ)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (!strcmp(v->keys[i], key))
			return &v->items[i];
	return NULL;
}
