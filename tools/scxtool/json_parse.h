/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * scxtool: a JSON parser into a small tree, for the replies of servers
 * scxtool talks to (scx_stats). Numbers keep the text they were written
 * with, so nothing is lost or reformatted when they are printed again.
 */
#ifndef __SCXTOOL_JSON_PARSE_H
#define __SCXTOOL_JSON_PARSE_H

#include <stddef.h>

enum jv_type { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ };

struct jv {
	enum jv_type type;
	char *text;		/* JV_STR decoded; JV_NUM and JV_BOOL as written */
	const char *raw;	/* the value in the parsed text (valid while it is) */
	size_t raw_len;
	size_t n;		/* JV_ARR, JV_OBJ: members */
	struct jv *items;
	char **keys;		/* JV_OBJ */
};

/* Parse exactly one value (whitespace around it allowed). NULL with a
 * message in err when text is not JSON or nests deeper than 64. */
struct jv *jv_parse(const char *text, size_t len, char *err, size_t err_size);
/* Member key of object v; NULL when v is not an object or has none. */
const struct jv *jv_get(const struct jv *v, const char *key);
void jv_free(struct jv *v);

#endif /* __SCXTOOL_JSON_PARSE_H */
