// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libFuzzer target for scxtool's JSON writer (tools/scxtool/json.c). Mode 0
 * quotes the input as one string: the output must be a valid JSON string,
 * valid UTF-8, and decode back to the input where the input was valid UTF-8
 * (invalid bytes become U+FFFD). Mode 1 reads the input as a program for the
 * writer (objects, arrays, keys, strings, numbers, booleans, null, nested up
 * to the writer's depth) and the whole output must parse as one JSON value.
 */
#include <math.h>
#include <stdint.h>

#include "../../tools/scxtool/json.c"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

/* The length of the valid UTF-8 sequence at s (avail bytes), or 0: written
 * apart from json.c's utf8_len(), which the output check must not trust. */
static size_t seq_len(const unsigned char *s, size_t avail)
{
	unsigned int cp, min;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2; cp = s[0] & 0x1f; min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3; cp = s[0] & 0x0f; min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4; cp = s[0] & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (len > avail)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static bool valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, len;

	while (i < n) {
		len = seq_len(s + i, n - i);
		if (!len)
			return false;
		i += len;
	}
	return true;
}

/* ---- a strict validator (RFC 8259), with UTF-8 checked on the way ------ */

struct in {
	const unsigned char *p, *end;
};

static void ws(struct in *in)
{
	while (in->p < in->end && (*in->p == ' ' || *in->p == '\t' || *in->p == '\n' || *in->p == '\r'))
		in->p++;
}

static int hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append code point cp to out as UTF-8. */
static size_t put_utf8(unsigned char *out, unsigned int cp)
{
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | cp >> 6;
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | cp >> 12;
		out[1] = 0x80 | (cp >> 6 & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | cp >> 18;
	out[1] = 0x80 | (cp >> 12 & 0x3f);
	out[2] = 0x80 | (cp >> 6 & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* A string at in->p; its decoded bytes go to out (when not NULL). */
static bool string(struct in *in, unsigned char *out, size_t *out_len)
{
	size_t n = 0;

	if (in->p >= in->end || *in->p++ != '"')
		return false;
	while (in->p < in->end && *in->p != '"') {
		unsigned int cp;
		size_t len;

		if (*in->p < 0x20)
			return false;
		if (*in->p == '\\') {
			if (++in->p >= in->end)
				return false;
			switch (*in->p++) {
			case '"': cp = '"'; break;
			case '\\': cp = '\\'; break;
			case '/': cp = '/'; break;
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u':
				if (in->end - in->p < 4)
					return false;
				cp = 0;
				for (int i = 0; i < 4; i++) {
					int h = hex(in->p[i]);

					if (h < 0)
						return false;
					cp = cp << 4 | h;
				}
				in->p += 4;
				/* the writer never splits surrogate pairs */
				if (cp >= 0xd800 && cp <= 0xdfff)
					return false;
				break;
			default:
				return false;
			}
			if (out)
				n += put_utf8(out + n, cp);
			continue;
		}
		len = seq_len(in->p, in->end - in->p);
		if (!len)
			return false;
		if (out)
			memcpy(out + n, in->p, len);
		n += len;
		in->p += len;
	}
	if (in->p >= in->end)
		return false;
	in->p++;
	if (out_len)
		*out_len = n;
	return true;
}

static bool number(struct in *in)
{
	const unsigned char *start = in->p;

	if (in->p < in->end && *in->p == '-')
		in->p++;
	if (in->p >= in->end || *in->p < '0' || *in->p > '9')
		return false;
	if (*in->p == '0')
		in->p++;
	else
		while (in->p < in->end && *in->p >= '0' && *in->p <= '9')
			in->p++;
	if (in->p < in->end && *in->p == '.') {
		in->p++;
		if (in->p >= in->end || *in->p < '0' || *in->p > '9')
			return false;
		while (in->p < in->end && *in->p >= '0' && *in->p <= '9')
			in->p++;
	}
	return in->p > start;
}

static bool lit(struct in *in, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(in->end - in->p) < n || memcmp(in->p, w, n))
		return false;
	in->p += n;
	return true;
}

static bool value(struct in *in, int depth);

/* An object or an array, its opening bracket at in->p. */
static bool container(struct in *in, int depth, char close)
{
	bool first = true;

	in->p++;
	for (;;) {
		ws(in);
		if (in->p < in->end && *in->p == close && first) {
			in->p++;
			return true;
		}
		if (close == '}') {
			if (!string(in, NULL, NULL))
				return false;
			ws(in);
			if (in->p >= in->end || *in->p++ != ':')
				return false;
		}
		if (!value(in, depth + 1))
			return false;
		ws(in);
		first = false;
		if (in->p < in->end && *in->p == ',') {
			in->p++;
			continue;
		}
		return in->p < in->end && *in->p++ == close;
	}
}

static bool value(struct in *in, int depth)
{
	if (depth > 64)
		return false;
	ws(in);
	if (in->p >= in->end)
		return false;
	switch (*in->p) {
	case '{':
		return container(in, depth, '}');
	case '[':
		return container(in, depth, ']');
	case '"':
		return string(in, NULL, NULL);
	case 't':
		return lit(in, "true");
	case 'f':
		return lit(in, "false");
	case 'n':
		return lit(in, "null");
	default:
		return number(in);
	}
}

static void fuzz_quote(const uint8_t *data, size_t size)
{
	char *str = malloc(size + 1), *out = NULL;
	unsigned char *dec;
	size_t out_size = 0, dec_len = 0;
	struct in in;
	FILE *f;

	memcpy(str, data, size);
	str[size] = '\0';
	f = open_memstream(&out, &out_size);
	json_quote(f, str);
	fclose(f);
	in = (struct in){ (unsigned char *)out, (unsigned char *)out + out_size };
	dec = malloc(4 * out_size + 4);
	if (!string(&in, dec, &dec_len) || in.p != in.end)
		abort();
	/* up to the first NUL, valid UTF-8 must come back unchanged */
	if (valid_utf8((unsigned char *)str, strlen(str)) &&
	    (dec_len != strlen(str) || memcmp(dec, str, dec_len)))
		abort();
	free(dec);
	free(out);
	free(str);
}

/* ---- mode 1: a writer program ------------------------------------------ */

struct prog {
	const uint8_t *p, *end;
};

static uint8_t next(struct prog *pr)
{
	return pr->p < pr->end ? *pr->p++ : 0;
}

/* A short string taken from the program: the bytes up to a 0 or 16 bytes. */
static void take_str(struct prog *pr, char *buf)
{
	size_t n = 0;

	while (n < 16 && pr->p < pr->end && *pr->p)
		buf[n++] = *pr->p++;
	if (pr->p < pr->end && !*pr->p)
		pr->p++;
	buf[n] = '\0';
}

static uint64_t take_u64(struct prog *pr)
{
	uint64_t u = 0;

	for (int i = 0; i < 8; i++)
		u = u << 8 | next(pr);
	return u;
}

static void gen_value(struct json *j, struct prog *pr, int depth);

static void gen_container(struct json *j, struct prog *pr, int depth, bool object)
{
	int n = next(pr) % 5;
	char key[17];

	if (object)
		json_begin_object(j);
	else
		json_begin_array(j);
	while (n-- > 0 && pr->p < pr->end) {
		if (object) {
			take_str(pr, key);
			json_key(j, key);
		}
		gen_value(j, pr, depth + 1);
	}
	if (object)
		json_end_object(j);
	else
		json_end_array(j);
}

static void gen_value(struct json *j, struct prog *pr, int depth)
{
	uint8_t op = next(pr);
	char s[17];
	uint64_t u;
	double d;

	/* the writer tracks JSON_MAX_DEPTH - 1 nested containers */
	if (depth >= JSON_MAX_DEPTH - 1)
		op = 2;
	switch (op % 9) {
	case 0: gen_container(j, pr, depth, true); break;
	case 1: gen_container(j, pr, depth, false); break;
	case 2: take_str(pr, s); json_string(j, s); break;
	case 3:
		json_u64(j, take_u64(pr));
		break;
	case 4:
		json_s64(j, (int64_t)take_u64(pr));
		break;
	case 5:
		u = take_u64(pr);
		memcpy(&d, &u, sizeof(d));
		json_double(j, d);
		break;
	case 6: json_bool(j, true); break;
	case 7: json_bool(j, false); break;
	default: json_null(j); break;
	}
}

static void fuzz_writer(const uint8_t *data, size_t size)
{
	struct prog pr = { data, data + size };
	char *out = NULL;
	size_t out_size = 0;
	struct json j;
	struct in in;
	FILE *f;

	f = open_memstream(&out, &out_size);
	json_init(&j, f);
	/* scxtool's shape: one top-level object */
	gen_container(&j, &pr, 0, true);
	fclose(f);
	in = (struct in){ (unsigned char *)out, (unsigned char *)out + out_size };
	if (!value(&in, 0))
		abort();
	ws(&in);
	if (in.p != in.end)
		abort();
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		fuzz_writer(data + 1, size - 1);
	else
		fuzz_quote(data + 1, size - 1);
	return 0;
}
