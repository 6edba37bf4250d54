// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libFuzzer target for the stats server's request path (libscx/json.c's
 * reader and libscx/stats_server.c's answer()), which any local process
 * that can connect to the socket feeds. The input is one request line; the
 * reply must be exactly one line (everything in it escaped) shaped
 * {"errno":N,"args":{"resp":...}}, and nothing may crash or leak. The
 * server serves an application's fields and a struct, with a delta field,
 * so that targets, deltas and stats_meta are all reachable.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../libscx/stats_server.c"
#include "fuzz_common.h"

static struct scx_stats_server *srv;

static int get_u64(union scx_stats_value *v, void *ctx)
{
	v->u64 = 7;
	return 0;
}

static int get_str(union scx_stats_value *v, void *ctx)
{
	snprintf(v->str, sizeof(v->str), "a \"quoted\"\n\x01 \xff string");
	return 0;
}

struct rec {
	__u64 n;
	double f;
	char s[8];
};

static int fill(void *r, void *ctx)
{
	struct rec *rec = r;

	rec->n = 1;
	rec->f = 0.1;
	memcpy(rec->s, "12345678", 8);	/* not NUL-terminated: the size bounds it */
	return 0;
}

static const struct scx_stats_field rec_fields[] = {
	SCX_STATS_FIELD(struct rec, n, SCX_STATS_U64, SCX_STATS_F_DELTA, "n"),
	SCX_STATS_FIELD(struct rec, f, SCX_STATS_FLOAT, 0, NULL),
	SCX_STATS_FIELD(struct rec, s, SCX_STATS_STRING, 0, "s"),
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[] = "/tmp/scx-fuzz-stats-XXXXXX", path[64];

	scx_set_print(fuzz_silent);
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/stats", dir);
	srv = scx_stats_server__new(path, NULL);
	if (!srv ||
	    scx_stats_server__add_field(srv, "count", NULL, SCX_STATS_U64, SCX_STATS_F_DELTA,
					get_u64, NULL) ||
	    scx_stats_server__add_field(srv, "text", "t", SCX_STATS_STRING, 0, get_str, NULL) ||
	    scx_stats_server__add_struct(srv, "dom", "d", rec_fields, 3, sizeof(struct rec), fill, NULL))
		abort();
	/* the socket file goes now; the server's fds stay (never used here) */
	unlink(path);
	rmdir(dir);
	return 0;
}

/* One line, all of it: {"errno":N,"args":{"resp":...}} and a '\n'. */
static void check_reply(const struct scx_buf *out)
{
	static const char prefix[] = "{\"errno\":";

	if (out->failed || out->len < sizeof(prefix) + 2 ||
	    strncmp(out->data, prefix, sizeof(prefix) - 1) ||
	    memchr(out->data, '\n', out->len) != out->data + out->len - 1 ||
	    strlen(out->data) != out->len || strcmp(out->data + out->len - 3, "}}\n"))
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct client c = { .fd = -1 };
	int i, round;

	if (size > MAX_LINE)
		return 0;
	/* twice on one connection: the second visit of the delta fields */
	for (round = 0; round < 2; round++) {
		scx__buf_init(&c.out, srv->max_pending);
		answer(srv, &c, (const char *)data, size);
		check_reply(&c.out);
		scx__buf_free(&c.out);
	}
	for (i = 0; i < c.nr_prev; i++)
		free(c.prev[i].key);
	free(c.prev);
	return 0;
}
