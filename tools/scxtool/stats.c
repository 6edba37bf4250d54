// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * scxtool stats: a client of any scx_stats server (a libscx scheduler's
 * stats server, or one of sched-ext/scx's Rust schedulers): one request line
 * {"req":"stats","args":{"target":NAME}} per sample on one connection (so
 * a server's per-connection deltas work), the reply's resp printed as a
 * table of flattened names or as the JSON the server sent.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <scx/stats_server.h>

#include "stats_client.h"
#include "scxtool.h"

#define REPLY_TIMEOUT_S	5

static void stats_usage(FILE *f)
{
	fprintf(f,
		"usage: scxtool stats [--socket PATH] [--target NAME] [--json] [--interval S]\n\n"
		"Ask a scx_stats server for its statistics and print them: the statistics socket\n"
		"of a libscx scheduler that runs its stats server, or of any sched-ext/scx\n"
		"scheduler. The table has one line per value, nested names joined with '.'.\n\n"
		"  --socket PATH   the server's socket (default " SCX_STATS_DEFAULT_PATH ")\n"
		"  --target NAME   the statistics to ask for (default top)\n"
		"  --json          one line per sample: the JSON value the server answered\n"
		"  --interval S    ask again every S seconds (e.g. 0.5) until interrupted, on the\n"
		"                  same connection: servers may answer increases since the last\n"
		"  -h, --help      this text\n\n"
		"Exit status: 0 success; 1 no server at the socket, not a scx_stats server, or\n"
		"an error reply; 2 a usage error.\n");
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

/* The longest flattened name under v, name being len bytes long. */
static size_t name_width(const struct jv *v, size_t len)
{
	size_t i, w = len, k;
	char idx[32];

	for (i = 0; i < v->n; i++) {
		if (v->type == JV_OBJ)
			k = name_width(&v->items[i], len + (len ? 1 : 0) + strlen(v->keys[i]));
		else
			k = name_width(&v->items[i], len + snprintf(idx, sizeof(idx), "[%zu]", i));
		if (k > w)
			w = k;
	}
	return w;
}

static void print_flat(const struct jv *v, char *name, size_t len, size_t cap, int width)
{
	size_t i;

	if (v->type != JV_OBJ && v->type != JV_ARR) {
		printf("%-*s  %s\n", width, name, v->type == JV_NULL ? "null" : v->text);
		return;
	}
	for (i = 0; i < v->n; i++) {
		if (v->type == JV_OBJ)
			snprintf(name + len, cap - len, "%s%s", len ? "." : "", v->keys[i]);
		else
			snprintf(name + len, cap - len, "[%zu]", i);
		print_flat(&v->items[i], name, strlen(name), cap, width);
		name[len] = '\0';
	}
}

/* Check the reply's shape and print its resp. */
static int print_reply(const char *line, const char *path, bool json)
{
	char err[256], name[1024] = "";
	struct jv *v;
	const struct jv *resp = scxtool_stats_resp(line, path, &v, err, sizeof(err));

	if (!resp) {
		fprintf(stderr, "scxtool stats: %s\n", err);
		jv_free(v);
		return SCXTOOL_EXIT_FAIL;
	}
	if (json) {
		fwrite(resp->raw, 1, resp->raw_len, stdout);
		putchar('\n');
	} else if ((resp->type == JV_OBJ || resp->type == JV_ARR) && !resp->n) {
		printf("(no statistics)\n");
	} else {
		print_flat(resp, name, 0, sizeof(name), (int)name_width(resp, 0));
	}
	fflush(stdout);
	jv_free(v);
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "target", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "interval", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char *path = SCX_STATS_DEFAULT_PATH, *target = "top";
	struct sigaction sa = { .sa_handler = on_signal };
	double interval = 0;
	size_t cap = 0;
	char *req, *buf = NULL, err[256];
	bool json = false, first = true;
	int opt, fd, ret = 0;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 't':
			target = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'i':
			if (!scxtool_parse_seconds(optarg, &interval)) {
				fprintf(stderr, "scxtool stats: --interval takes seconds above 0, not '%s'\n",
					optarg);
				stats_usage(stderr);
				return SCXTOOL_EXIT_USAGE;
			}
			break;
		case 'h':
			stats_usage(stdout);
			return 0;
		default:
			stats_usage(stderr);
			return SCXTOOL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "scxtool stats: unexpected argument '%s'\n", argv[optind]);
		stats_usage(stderr);
		return SCXTOOL_EXIT_USAGE;
	}
	req = scxtool_stats_request_line(target);
	if (!req) {
		fprintf(stderr, "scxtool stats: out of memory\n");
		return SCXTOOL_EXIT_FAIL;
	}
	fd = scxtool_stats_connect(path, REPLY_TIMEOUT_S, err, sizeof(err));
	if (fd < 0) {
		fprintf(stderr, "scxtool stats: %s\n", err);
		free(req);
		return SCXTOOL_EXIT_FAIL;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		if (scxtool_stats_exchange(fd, path, req, &stop, &buf, &cap, err, sizeof(err))) {
			if (*err)
				fprintf(stderr, "scxtool stats: %s\n", err);
			ret = stop ? 0 : SCXTOOL_EXIT_FAIL;
			break;
		}
		if (!json && !first)
			putchar('\n');
		first = false;
		ret = print_reply(buf, path, json);
		if (ret || !interval)
			break;
		scxtool_sleep_s(interval);
	}
	close(fd);
	free(buf);
	free(req);
	return ret;
}
