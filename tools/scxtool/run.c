// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * scxtool run: run any sched_ext object under libscx's supervisor (restarts
 * after CPU hotplug, clean stop on SIGINT/SIGTERM), optionally printing its
 * counters, and report why it ended.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <scx/scx.h>

#include "json.h"
#include "scxtool.h"

static void run_usage(FILE *f)
{
	fprintf(f,
		"usage: scxtool run OBJ [--set NAME=VALUE]... [--resize MAP=N]... [--ops MAPNAME]\n"
		"                   [--timeout-ms N] [--partial] [--stats SECONDS]\n"
		"                   [--stats-socket[=PATH]] [--json] [--dump] [-v]\n\n"
		"Load the sched_ext scheduler in the BPF object file OBJ (any scheduler, with or\n"
		"without libscx), attach it and supervise it: it is reloaded after a CPU hotplug\n"
		"and detached on SIGINT/SIGTERM. When it ends, print the exit kind, the kernel's\n"
		"reason and the scheduler's message.\n\n"
		"  --set NAME=VALUE  set global variable NAME before load; VALUE is read by the\n"
		"                    variable's type: integers (decimal, 0x hex, 0 octal, within\n"
		"                    the type's range), booleans (true/false/1/0), char arrays\n"
		"                    (a string), enums (a name or a number). Repeatable.\n"
		"  --resize MAP=N    give map MAP N entries (1 to 4294967295) before load, as the\n"
		"                    object's own loader would; needed for maps the object\n"
		"                    declares with max_entries 0. Repeatable.\n"
		"  --ops MAPNAME     the sched_ext_ops map to use when OBJ has several\n"
		"  --timeout-ms N    watchdog timeout (the kernel caps it at 30000)\n"
		"  --partial         only tasks that ask for SCHED_EXT (SCX_OPS_SWITCH_PARTIAL)\n"
		"  --stats SECONDS   print the scheduler's counters every SECONDS: its per-CPU\n"
		"                    counters (stats.bpf.h) and its __u64 globals in .bss/.data\n"
		"  --stats-socket[=PATH]  serve the counters, restarts and the kernel's events\n"
		"                    over sched-ext/scx's scx_stats protocol at PATH (default\n"
		"                    /var/run/scx/root/stats): scxtool stats, scx's --monitor\n"
		"  --json            counters and the exit as JSON, one object per line\n"
		"  --dump            print the kernel's debug dump after an error exit\n"
		"  -v, --verbose     libscx's debug messages\n"
		"  -h, --help        this text\n\n"
		"Exit status: 0 after SIGINT/SIGTERM or when the scheduler unregistered itself;\n"
		"1 when the kernel ejected it (error, stall), it could not be loaded, or a\n"
		"restart the kernel asked for failed; 2 for a usage error or a bad --set or\n"
		"--resize.\n");
}

struct counter {
	char name[64];
	unsigned long long value;
};

struct stats_ctx {
	bool json;
	bool header;			/* print the table header next time */
	struct timespec start;
	struct counter *c;
	int nr, cap;
};

static int collect(const char *name, __u64 value, void *ctx)
{
	struct stats_ctx *st = ctx;

	if (st->nr == st->cap) {
		int cap = st->cap ? st->cap * 2 : 16;
		struct counter *c = realloc(st->c, cap * sizeof(*c));

		if (!c)
			return -ENOMEM;
		st->c = c;
		st->cap = cap;
	}
	snprintf(st->c[st->nr].name, sizeof(st->c[0].name), "%s", name);
	st->c[st->nr++].value = value;
	return 0;
}

/*
 * The __u64 globals of .bss and .data, which scx_sched__read_counter() reads
 * as counters but scx_sched__for_each_counter() does not list (it walks the
 * per-CPU maps only): schedulers written without libscx count that way.
 */
static int collect_globals(struct scx_sched *s, struct stats_ctx *st)
{
	const struct btf *btf = bpf_object__btf(scx_sched__object(s));
	__u32 id, n = btf ? btf__type_cnt(btf) : 0;

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_var_secinfo *vs;
		const char *sec;
		int i;

		if (!btf_is_datasec(t))
			continue;
		sec = btf__name_by_offset(btf, t->name_off);
		if (strcmp(sec, ".bss") && strcmp(sec, ".data"))
			continue;
		vs = btf_var_secinfos(t);
		for (i = 0; i < btf_vlen(t); i++, vs++) {
			const struct btf_type *v = btf__type_by_id(btf, vs->type), *vt;
			const char *name;
			__u64 val;
			int ret;

			if (!v || !btf_is_var(v))
				continue;
			name = btf__name_by_offset(btf, v->name_off);
			vt = btf__type_by_id(btf, btf__resolve_type(btf, v->type));
			/* static locals ("func.var") are no counters */
			if (strchr(name, '.') || !vt || !btf_is_int(vt) || vt->size != 8 ||
			    (btf_int_encoding(vt) & BTF_INT_SIGNED))
				continue;
			if (scx_sched__read_counter(s, name, &val))
				continue;
			ret = collect(name, val, st);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int column_width(const struct counter *c)
{
	int w = strlen(c->name);

	return w < 12 ? 12 : w;
}

static int print_stats(struct scx_sched *s, void *ctx)
{
	struct stats_ctx *st = ctx;
	struct timespec now, wall;
	double elapsed;
	int i, ret;

	st->nr = 0;
	ret = scx_sched__for_each_counter(s, collect, st);
	if (ret >= 0)
		ret = collect_globals(s, st);
	if (ret < 0) {
		fprintf(stderr, "scxtool run: reading counters: %s\n", strerror(-ret));
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	clock_gettime(CLOCK_REALTIME, &wall);
	elapsed = (now.tv_sec - st->start.tv_sec) + (now.tv_nsec - st->start.tv_nsec) / 1e9;
	if (st->json) {
		struct json j;

		json_init(&j, stdout);
		json_begin_object(&j);
		json_member_double(&j, "time", wall.tv_sec + wall.tv_nsec / 1e9);
		json_member_double(&j, "elapsed", elapsed);
		json_key(&j, "counters");
		json_begin_object(&j);
		for (i = 0; i < st->nr; i++)
			json_member_u64(&j, st->c[i].name, st->c[i].value);
		json_end_object(&j);
		json_end_object(&j);
		putchar('\n');
	} else if (!st->nr) {
		printf("%8.1f  (the scheduler has no counters)\n", elapsed);
	} else {
		if (st->header) {
			printf("%8s", "time");
			for (i = 0; i < st->nr; i++)
				printf("  %*s", column_width(&st->c[i]), st->c[i].name);
			putchar('\n');
			st->header = false;
		}
		printf("%8.1f", elapsed);
		for (i = 0; i < st->nr; i++)
			printf("  %*llu", column_width(&st->c[i]), st->c[i].value);
		putchar('\n');
	}
	fflush(stdout);
	return 0;
}

static void on_restart(struct scx_sched *s, const struct scx_exit_info *ei, void *ctx)
{
	struct stats_ctx *st = ctx;

	fprintf(stderr, "scxtool run: %s restarted after %s%s%s\n", scx_sched__name(s),
		scx_exit_kind__str(scx_exit_info__kind(ei)), *scx_exit_info__msg(ei) ? ": " : "",
		scx_exit_info__msg(ei));
	st->header = true;	/* a new scheduler instance: counters start over */
}

static void print_exit(struct scx_sched *s, const struct scx_exit_info *ei, bool json)
{
	enum scx_exit_kind kind = scx_exit_info__kind(ei);

	if (json) {
		struct json j;

		json_init(&j, stdout);
		json_begin_object(&j);
		json_key(&j, "exit");
		json_begin_object(&j);
		json_member_string(&j, "ops", scx_sched__name(s));
		json_member_string(&j, "kind", scx_exit_kind__str(kind));
		json_member_bool(&j, "error", scx_exit_kind__is_error(kind));
		json_member_s64(&j, "code", scx_exit_info__code(ei));
		json_member_string(&j, "reason", scx_exit_info__reason(ei));
		json_member_string(&j, "msg", scx_exit_info__msg(ei));
		json_member_u64(&j, "restarts", scx_sched__restarts(s));
		json_end_object(&j);
		json_end_object(&j);
		putchar('\n');
		fflush(stdout);
		return;
	}
	printf("%s exited: %s (%s)%s%s\n", scx_sched__name(s), scx_exit_kind__str(kind),
	       *scx_exit_info__reason(ei) ? scx_exit_info__reason(ei) : "no reason given",
	       *scx_exit_info__msg(ei) ? ": " : "", scx_exit_info__msg(ei));
	fflush(stdout);
}

/* SIGINT/SIGTERM: scxtool handles them itself to know that a stop was asked
 * for, even one that lands during a restart's backoff. */
static struct scx_sched *volatile stop_target;
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	stop_requested = 1;
	if (stop_target)
		scx_sched__stop(stop_target);
}

/* --set NAME=VALUE, read by the variable's type (the library says why a value
 * is refused, through scxtool's print callback). */
static int apply_sets(struct scx_sched *s, char **sets, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		char *eq = strchr(sets[i], '=');
		int ret;

		if (!eq || eq == sets[i]) {
			fprintf(stderr, "scxtool run: --set '%s' is not NAME=VALUE\n", sets[i]);
			return SCXTOOL_EXIT_USAGE;
		}
		*eq = '\0';
		ret = scx_sched__set_global_str(s, sets[i], eq + 1);
		*eq = '=';
		if (ret == -ENOMEM || ret == -EBUSY) {
			fprintf(stderr, "scxtool run: --set %s: %s\n", sets[i], strerror(-ret));
			return SCXTOOL_EXIT_FAIL;
		}
		if (ret)
			return SCXTOOL_EXIT_USAGE;
	}
	return 0;
}

/* A whole non-negative decimal number no larger than max; -1 otherwise. */
static long long parse_count(const char *s, long long max)
{
	char *end;
	long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	return v;
}

/* "MAP=N" for --resize, N from 1 to UINT32_MAX; false when malformed. */
static bool parse_resize(const char *arg, char *name, size_t size, __u32 *max_entries)
{
	const char *eq = strchr(arg, '=');
	long long v;

	if (!eq || eq == arg || (size_t)(eq - arg) >= size)
		return false;
	v = parse_count(eq + 1, 0xffffffff);
	if (v <= 0)
		return false;
	memcpy(name, arg, eq - arg);
	name[eq - arg] = '\0';
	*max_entries = v;
	return true;
}

/* --resize MAP=N, checked by parse_resize() when the options were read. */
static int apply_resizes(struct scx_sched *s, char **resizes, int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		char name[256];
		__u32 n;
		int ret;

		parse_resize(resizes[i], name, sizeof(name), &n);
		ret = scx_sched__resize_map(s, name, n);
		if (ret) {
			/* libscx said why: no such map, or one not sized by entries */
			fprintf(stderr, "scxtool run: --resize %s: %s\n", resizes[i], strerror(-ret));
			return ret == -ENOMEM ? SCXTOOL_EXIT_FAIL : SCXTOOL_EXIT_USAGE;
		}
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "set", required_argument, NULL, 's' },
		{ "resize", required_argument, NULL, 'r' },
		{ "ops", required_argument, NULL, 'o' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "partial", no_argument, NULL, 'p' },
		{ "stats", required_argument, NULL, 'i' },
		{ "stats-socket", optional_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "dump", no_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	SCX_OPTS(scx_sched_opts, opts);
	SCX_OPTS(scx_run_opts, run);
	struct stats_ctx st = { .header = true };
	const struct scx_exit_info *ei;
	struct scx_stats_server *srv = NULL;
	const char *stats_socket = NULL;
	bool dump = false, verbose = false;
	char **sets = NULL, **resizes = NULL;
	int nr_sets = 0, nr_resizes = 0, opt, ret;
	long long v;
	struct scx_sched *s;
	const char *path;

	optind = 1;
	sets = calloc(argc, sizeof(*sets));
	resizes = calloc(argc, sizeof(*resizes));
	if (!sets || !resizes) {
		fprintf(stderr, "scxtool run: out of memory\n");
		free(sets);
		free(resizes);
		return SCXTOOL_EXIT_FAIL;
	}
	while ((opt = getopt_long(argc, argv, "hv", long_opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			sets[nr_sets++] = optarg;
			break;
		case 'r': {
			char name[256];
			__u32 n;

			if (!parse_resize(optarg, name, sizeof(name), &n)) {
				fprintf(stderr, "scxtool run: --resize: '%s' is not MAP=N with a map "
					"name and N from 1 to 4294967295\n", optarg);
				goto usage;
			}
			resizes[nr_resizes++] = optarg;
			break;
		}
		case 'o':
			opts.ops_map = optarg;
			break;
		case 't':
			v = parse_count(optarg, 0xffffffff);
			if (v < 0) {
				fprintf(stderr, "scxtool run: --timeout-ms: '%s' is not a number "
					"of milliseconds\n", optarg);
				goto usage;
			}
			opts.timeout_ms = v;
			break;
		case 'p':
			opts.partial = true;
			break;
		case 'i':
			v = parse_count(optarg, 86400);
			if (v <= 0) {
				fprintf(stderr, "scxtool run: --stats: '%s' is not a number of "
					"seconds from 1 to 86400\n", optarg);
				goto usage;
			}
			run.stats_interval_ms = v * 1000;
			break;
		case 'S':
			if (optarg && !*optarg) {
				fprintf(stderr, "scxtool run: --stats-socket: an empty PATH; leave out "
					"'=' for %s\n", SCX_STATS_DEFAULT_PATH);
				goto usage;
			}
			stats_socket = optarg ?: SCX_STATS_DEFAULT_PATH;
			break;
		case 'j':
			st.json = true;
			break;
		case 'd':
			dump = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			free(sets);
			free(resizes);
			run_usage(stdout);
			return 0;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1) {
		if (optind == argc)
			fprintf(stderr, "scxtool run: no object file given\n");
		else
			fprintf(stderr, "scxtool run: unexpected argument '%s'\n", argv[optind + 1]);
		goto usage;
	}
	path = argv[optind];
	scxtool_set_verbose(verbose);
	if (!scxtool_need_sched_ext("run")) {
		free(sets);
		free(resizes);
		return SCXTOOL_EXIT_FAIL;
	}

	s = scx_sched__open_file(path, &opts);
	if (!s) {
		fprintf(stderr, "scxtool run: cannot open %s: %s\n", path, strerror(errno));
		free(sets);
		free(resizes);
		return SCXTOOL_EXIT_FAIL;
	}
	ret = apply_resizes(s, resizes, nr_resizes);
	if (!ret)
		ret = apply_sets(s, sets, nr_sets);
	free(sets);
	free(resizes);
	if (ret) {
		scx_sched__destroy(s);
		return ret;
	}
	if (stats_socket) {
		SCX_OPTS(scx_stats_server_opts, so, .sched = s);

		srv = scx_stats_server__new(stats_socket, &so);
		if (!srv) {
			fprintf(stderr, "scxtool run: cannot serve statistics at %s: %s%s\n",
				stats_socket, strerror(errno), errno == EADDRINUSE ?
				" (another server answers there: stop it, or give "
				"--stats-socket=PATH)" : "");
			scx_sched__destroy(s);
			return SCXTOOL_EXIT_FAIL;
		}
		run.stats_server = srv;
	}
	clock_gettime(CLOCK_MONOTONIC, &st.start);
	if (run.stats_interval_ms)
		run.stats_fn = print_stats;
	run.restart_fn = on_restart;
	run.ctx = &st;
	stop_target = s;
	{
		struct sigaction sa = { .sa_handler = on_signal };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	fprintf(stderr, "scxtool run: running %s from %s; SIGINT or SIGTERM stops it\n",
		scx_sched__name(s), path);

	ret = scx_sched__run(s, &run);
	scx_stats_server__destroy(srv);
	free(st.c);
	if (ret < 0) {
		fprintf(stderr, "scxtool run: cannot run %s: %s\n", path, strerror(-ret));
		scx_sched__destroy(s);
		return SCXTOOL_EXIT_FAIL;
	}
	ei = scx_sched__exit_info(s);
	print_exit(s, ei, st.json);
	if (dump && scx_exit_kind__is_error(scx_exit_info__kind(ei)) &&
	    *scx_exit_info__dump(ei))
		fprintf(stderr, "--- debug dump ---\n%s\n--- end of dump ---\n",
			scx_exit_info__dump(ei));
	/* Ejected by the kernel, or it wanted a restart that did not happen
	 * (and no stop was asked for in between). */
	if (scx_exit_kind__is_error(scx_exit_info__kind(ei)))
		ret = SCXTOOL_EXIT_FAIL;
	else if (!stop_requested && scx_exit_code__restart(scx_exit_info__code(ei)))
		ret = SCXTOOL_EXIT_FAIL;
	else
		ret = 0;
	stop_target = NULL;
	scx_sched__destroy(s);
	return ret;

usage:
	free(sets);
	free(resizes);
	run_usage(stderr);
	return SCXTOOL_EXIT_USAGE;
}
