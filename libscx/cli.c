// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The command-line layer of scheduler programs (include/scx/cli.h): strict
 * parsing of the options every libscx scheduler shares plus the scheduler's
 * own, then open, set, prepare, supervise and report through the public API
 * only. The one file of the library that writes to stdout/stderr: it is the
 * program's user interface.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/libbpf.h>

#include <scx/cli.h>
#include <scx/monitor.h>
#include <scx/sched.h>
#include <scx/stats.h>
#include <scx/stats_server.h>
#include <scx/user.h>

#include "internal.h"

#define MAX_STATS_MS	(86400ULL * 1000)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_TIMEOUT_MS	30000		/* the kernel's SCX_WATCHDOG_MAX_TIMEOUT */

/* getopt_long values of the common long-only options, and the base of the
 * scheduler's own (its keys are looked up by table index, so any int works). */
enum {
	OPT_MONITOR = 0x10000,
	OPT_EXIT_DUMP_LEN,
	OPT_PARTIAL,
	OPT_SET,
	OPT_STATS_SOCKET,
	OPT_OWN = 0x20000,
};

static const struct scx_cli_option common_options[] = {
	{ "verbose", 'v', NULL, "libscx's debug messages too" },
	{ "stats", 'i', "SECS", "print the scheduler's counters every SECS while it runs" },
	{ "stats-socket", OPT_STATS_SOCKET, "[=PATH]", "serve the counters, restarts and the "
	  "kernel's events over sched-ext/scx's scx_stats protocol at PATH (default "
	  SCX_STATS_DEFAULT_PATH "), for scxtool stats and scx's --monitor" },
	{ "monitor", OPT_MONITOR, "SECS", "load nothing: print the running scheduler's state and "
	  "the kernel's event counters every SECS" },
	{ "timeout-ms", 't', "N", "watchdog: eject a task stalled N ms (at most 30000)" },
	{ "exit-dump-len", OPT_EXIT_DUMP_LEN, "N", "size of the kernel's debug dump on an error exit" },
	{ "partial", OPT_PARTIAL, NULL, "schedule only tasks that ask for SCHED_EXT" },
	{ "set", OPT_SET, "NAME=VALUE", "set global variable NAME, VALUE read by its type "
	  "(repeatable)" },
	{ "version", 'V', NULL, "print the versions" },
	{ "help", 'h', NULL, "this text" },
	{ NULL },
};

/* The options of a user-space scheduler (scx_cli_opts.user): the runtime's
 * own, so that every such program spells them alike. */
static const struct scx_cli_option user_options[] = {
	{ "slice-us", 's', "US", "the time slice in microseconds, 50 to 1000000 (default: the "
	  "program's, 5000 unless it sets one): what the policy gives, and what BPF gives "
	  "when it schedules by itself" },
	{ "all-tasks", 'a', NULL, "decide every task in the policy, also a wakeup that finds "
	  "an idle CPU (where the program lets such a wakeup run at once)" },
	{ NULL },
};

/* A global to set once the scheduler is open: from --set (str) or from the
 * option function (val, size). */
struct cli_global {
	char *name;
	char *str;
	void *val;
	size_t size;
};

struct scx_cli {
	const char *name, *summary, *version;
	const void *obj_buf;
	size_t obj_size;
	const char *obj_path;
	const struct scx_cli_option *options;
	int nr_options;
	int (*option_fn)(struct scx_cli *, int, const char *, void *);
	int (*prepare_fn)(struct scx_cli *, struct scx_sched *, void *);
	void *ctx;
	FILE *out, *err;
	const struct scx_user_opts *user;	/* the program's (it may change them until run) */
	__u64 user_slice_ns;			/* -s: 0 when not given */
	bool user_all_tasks;			/* -a */

	bool parsed, verbose, partial;
	bool started;			/* run() prepared the first start */
	__u32 stats_ms, monitor_ms, timeout_ms, exit_dump_len;
	const char *stats_socket;	/* --stats-socket: where to serve, or NULL */
	const char *load_opt;		/* the first option that loads (for --monitor) */
	char cur_opt[64];		/* the option being parsed, as spelled ("-s", "--set") */
	struct cli_global *globals;
	int nr_globals;
};

static bool table_uses(const struct scx_cli_option *table, const char *name, int key)
{
	const struct scx_cli_option *o;

	for (o = table; o && o->name; o++)
		if (!strcmp(o->name, name) || (key > 0 && key < 256 && o->key == key))
			return true;
	return false;
}

/* The options the library gives this program, common and user-space ones. */
static const struct scx_cli_option *lib_tables(const struct scx_cli *cli, int i)
{
	return i == 0 ? common_options : i == 1 && cli->user ? user_options : NULL;
}

static bool lib_uses(const struct scx_cli *cli, const char *name, int key)
{
	return table_uses(lib_tables(cli, 0), name, key) ||
	       table_uses(lib_tables(cli, 1), name, key);
}

SCX_API struct scx_cli *scx_cli__new(const struct scx_cli_opts *opts)
{
	const struct scx_cli_option *o;
	struct scx_cli *cli;

	if (!SCX_OPTS_VALID(opts, scx_cli_opts) || !opts || !opts->name || !*opts->name)
		return scx_err_ptr(-EINVAL);
	if (!!SCX_OPT(opts, obj_buf, NULL) == !!SCX_OPT(opts, obj_path, NULL) ||
	    (SCX_OPT(opts, obj_buf, NULL) && !SCX_OPT(opts, obj_size, 0))) {
		pr_warn("cli %s: give exactly one of obj_buf (with obj_size) and obj_path\n",
			opts->name);
		return scx_err_ptr(-EINVAL);
	}
	cli = calloc(1, sizeof(*cli));
	if (!cli)
		return scx_err_ptr(-ENOMEM);
	cli->name = opts->name;
	cli->summary = SCX_OPT(opts, summary, NULL);
	cli->version = SCX_OPT(opts, version, NULL);
	cli->obj_buf = SCX_OPT(opts, obj_buf, NULL);
	cli->obj_size = SCX_OPT(opts, obj_size, 0);
	cli->obj_path = SCX_OPT(opts, obj_path, NULL);
	cli->options = SCX_OPT(opts, options, NULL);
	cli->option_fn = SCX_OPT(opts, option_fn, NULL);
	cli->prepare_fn = SCX_OPT(opts, prepare_fn, NULL);
	cli->ctx = SCX_OPT(opts, ctx, NULL);
	cli->out = SCX_OPT(opts, out, NULL) ?: stdout;
	cli->err = SCX_OPT(opts, err, NULL) ?: stderr;
	cli->user = SCX_OPT(opts, user, NULL);
	if (cli->user && !SCX_OPTS_VALID(cli->user, scx_user_opts)) {
		free(cli);
		return scx_err_ptr(-EINVAL);
	}
	for (o = cli->options; o && o->name; o++, cli->nr_options++) {
		const struct scx_cli_option *p;

		if (!*o->name || !o->key || lib_uses(cli, o->name, o->key) || !cli->option_fn)
			goto bad;
		for (p = cli->options; p < o; p++)
			if (!strcmp(p->name, o->name) || (o->key < 256 && p->key == o->key))
				goto bad;
	}
	return cli;
bad:
	pr_warn("cli %s: option '%s' (key %d): %s\n", cli->name, o->name, o->key,
		!cli->option_fn ? "options need an option_fn" :
		"an empty name, key 0, or a name or letter used twice or by the library's options "
		"(the common ones, and -s and -a with .user)");
	free(cli);
	return scx_err_ptr(-EINVAL);
}

SCX_API void scx_cli__free(struct scx_cli *cli)
{
	int i;

	if (!cli)
		return;
	for (i = 0; i < cli->nr_globals; i++) {
		free(cli->globals[i].name);
		free(cli->globals[i].str);
		free(cli->globals[i].val);
	}
	free(cli->globals);
	free(cli);
}

SCX_API bool scx_cli__verbose(const struct scx_cli *cli)
{
	return cli && cli->verbose;
}

/* ---- messages ---------------------------------------------------------- */

SCX_API int scx_cli__usage_error(struct scx_cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (!cli)
		return scx_err(-EINVAL);
	fprintf(cli->err, "%s: %s%s", cli->name, cli->cur_opt, *cli->cur_opt ? ": " : "");
	va_start(ap, fmt);
	vfprintf(cli->err, fmt, ap);
	va_end(ap);
	fputc('\n', cli->err);
	return scx_err(-EINVAL);
}

static int usage_error(struct scx_cli *cli, int err)
{
	fprintf(cli->err, "Try '%s --help'.\n", cli->name);
	return scx_err(err);
}

#define HELP_INDENT	28
#define HELP_WIDTH	80

/* Help text in the right column, wrapped at spaces; on a new line first
 * when the left column was too wide. */
static void print_wrapped(FILE *f, const char *text, bool same_line)
{
	if (!same_line)
		fprintf(f, "\n%*s", HELP_INDENT, "");
	if (!*text)
		fputc('\n', f);
	while (*text) {
		int len = strlen(text), cut = len;

		if (len > HELP_WIDTH - HELP_INDENT) {
			for (cut = HELP_WIDTH - HELP_INDENT; cut > 0 && text[cut] != ' '; cut--)
				;
			if (!cut)
				cut = strcspn(text, " ");
		}
		fprintf(f, "%.*s\n", cut, text);
		text += cut;
		while (*text == ' ')
			text++;
		if (*text)
			fprintf(f, "%*s", HELP_INDENT, "");
	}
}

static void print_help(struct scx_cli *cli)
{
	const struct scx_cli_option *tables[3] = { cli->options, lib_tables(cli, 1),
						   lib_tables(cli, 0) }, *o;
	static const char *const titles[3] = { NULL, "user-space scheduling",
						"every libscx scheduler" };
	int i;

	fprintf(cli->out, "usage: %s [OPTION]...\n%s", cli->name, cli->summary ?: "");
	for (i = 0; i < 3; i++) {
		if (!tables[i] || !tables[i]->name)
			continue;
		if (i == 0)
			fprintf(cli->out, "\nOptions of %s:\n", cli->name);
		else
			fprintf(cli->out, "\nOptions of %s:\n", titles[i]);
		for (o = tables[i]; o->name; o++) {
			char left[96];
			int n;

			/* "  -x, --name ARG" or "      --name ARG" */
			n = snprintf(left, sizeof(left), "  %c%c%s--%s%s%s",
				     o->key > 0 && o->key < 256 ? '-' : ' ',
				     o->key > 0 && o->key < 256 ? o->key : ' ',
				     o->key > 0 && o->key < 256 ? ", " : "  ",
				     o->name, o->arg && o->arg[0] != '[' ? " " : "", o->arg ?: "");
			n = strlen(left);
			fprintf(cli->out, "%-*s", HELP_INDENT, left);
			print_wrapped(cli->out, o->help ?: "", n < HELP_INDENT);
		}
	}
	fprintf(cli->out, "\nNumbers are whole decimal numbers; SECS may have up to three "
		"decimals.\nExit status: 0 after SIGINT/SIGTERM or when the scheduler "
		"unregistered itself;\n1 when it could not be loaded or the kernel ejected "
		"it; 2 for a usage error.\n");
}

/* ---- numbers ----------------------------------------------------------- */

/* A whole decimal number, strictly: digits only, within 64 bits. */
static int parse_u64(struct scx_cli *cli, const char *arg, const char *what, __u64 *val)
{
	__u64 v = 0;
	const char *p = arg;

	if (*p < '0' || *p > '9')
		return scx_cli__usage_error(cli, "'%s' is not %s", arg, what);
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (ULLONG_MAX - (*p - '0')) / 10) {
			scx_cli__usage_error(cli, "'%s' is too large", arg);
			return scx_err(-ERANGE);
		}
		v = v * 10 + (*p - '0');
	}
	if (*p)
		return scx_cli__usage_error(cli, "'%s' has characters after the number", arg);
	*val = v;
	return 0;
}

static int check_range(struct scx_cli *cli, const char *arg, __u64 v, __u64 min, __u64 max)
{
	if (v >= min && v <= max)
		return 0;
	scx_cli__usage_error(cli, "%s is out of range (%llu..%llu)", arg,
			     (unsigned long long)min, (unsigned long long)max);
	return scx_err(-ERANGE);
}

SCX_API int scx_cli__arg_u64(struct scx_cli *cli, const char *arg, __u64 min, __u64 max,
			     __u64 *val)
{
	__u64 v = 0;
	int ret;

	if (!cli || !arg || !val)
		return scx_err(-EINVAL);
	ret = parse_u64(cli, arg, "a number", &v);
	if (!ret)
		ret = check_range(cli, arg, v, min, max);
	if (!ret)
		*val = v;
	return ret;
}

/* Seconds with up to three decimals, in milliseconds: 1 ms to one day. */
static int parse_secs(struct scx_cli *cli, const char *arg, __u32 *ms)
{
	const char *p = arg;
	__u64 v = 0;
	int decimals = 0;

	if (*p < '0' || *p > '9')
		return scx_cli__usage_error(cli, "'%s' is not a number of seconds", arg);
	/* past a day the value only needs to stay past it, not to be exact */
	for (; *p >= '0' && *p <= '9'; p++)
		v = v > MAX_STATS_MS ? v : v * 10 + (*p - '0');
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9' && decimals < 3; p++, decimals++)
			v = v > MAX_STATS_MS ? v : v * 10 + (*p - '0');
		if (!decimals || (*p >= '0' && *p <= '9'))
			return scx_cli__usage_error(cli, "'%s' is not a number of seconds (at "
						    "most three decimals)", arg);
	}
	if (*p)
		return scx_cli__usage_error(cli, "'%s' has characters after the number", arg);
	for (; decimals < 3; decimals++)
		v = v > MAX_STATS_MS ? v : v * 10;
	if (v < 1 || v > MAX_STATS_MS) {
		scx_cli__usage_error(cli, "%s is out of range (0.001..86400 seconds)", arg);
		return scx_err(-ERANGE);
	}
	*ms = v;
	return 0;
}

/* ---- globals ----------------------------------------------------------- */

static struct cli_global *add_global(struct scx_cli *cli, const char *name, size_t name_len)
{
	struct cli_global *g = realloc(cli->globals, (cli->nr_globals + 1) * sizeof(*g));

	if (!g)
		return NULL;
	cli->globals = g;
	g = &g[cli->nr_globals];
	*g = (struct cli_global){ .name = strndup(name, name_len) };
	if (!g->name)
		return NULL;
	cli->nr_globals++;
	return g;
}

SCX_API int scx_cli__set_global(struct scx_cli *cli, const char *name, const void *val,
				size_t size)
{
	struct cli_global *g;

	if (!cli || !name || !*name || !val || !size)
		return scx_err(-EINVAL);
	g = add_global(cli, name, strlen(name));
	if (!g || !(g->val = malloc(size)))
		return scx_err(-ENOMEM);
	memcpy(g->val, val, size);
	g->size = size;
	return 0;
}

static int add_set(struct scx_cli *cli, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct cli_global *g;

	if (!eq || eq == arg)
		return scx_cli__usage_error(cli, "'%s' is not NAME=VALUE", arg);
	g = add_global(cli, arg, eq - arg);
	if (!g || !(g->str = strdup(eq + 1)))
		return scx_err(-ENOMEM);
	return 0;
}

/* ---- parsing ----------------------------------------------------------- */

/* The table entry (common or own) of getopt value v, or NULL. */
static const struct scx_cli_option *lookup(const struct scx_cli *cli, int v)
{
	const struct scx_cli_option *o;

	if (v >= OPT_OWN && v < OPT_OWN + cli->nr_options)
		return &cli->options[v - OPT_OWN];
	for (o = common_options; o->name; o++)
		if (o->key == v)
			return o;
	for (o = lib_tables(cli, 1); o && o->name; o++)
		if (o->key == v)
			return o;
	for (o = cli->options; o && o->name; o++)
		if (o->key == v && v < 256)
			return o;
	return NULL;
}

/* The getopt_long tables of the library's and the own options. */
static int build_getopt(const struct scx_cli *cli, struct option **longs, char **shorts)
{
	const struct scx_cli_option *tables[3] = { common_options, lib_tables(cli, 1),
						   cli->options }, *o;
	int i, n = 0, k = 0;
	int total = cli->nr_options + ARRAY_SIZE(common_options) + ARRAY_SIZE(user_options);
	struct option *l = calloc(total, sizeof(*l));
	char *s = calloc(1, 2 + 3 * total);

	if (!l || !s) {
		free(l);
		free(s);
		return -ENOMEM;
	}
	s[k++] = ':';	/* report a missing value as ':' */
	for (i = 0; i < 3; i++)
		for (o = tables[i]; o && o->name; o++) {
			l[n].name = o->name;
			/* "[=PATH]": the value is optional, and only as --name=PATH */
			l[n].has_arg = !o->arg ? no_argument :
				       o->arg[0] == '[' ? optional_argument : required_argument;
			l[n].val = i == 2 ? OPT_OWN + (int)(o - cli->options) : o->key;
			n++;
			if (o->key > 0 && o->key < 256) {
				s[k++] = o->key;
				if (o->arg)
					s[k++] = ':';
				if (o->arg && o->arg[0] == '[')
					s[k++] = ':';
			}
		}
	*longs = l;
	*shorts = s;
	return 0;
}

/* The option as typed, for messages: "--name" or "-x". After a valid option
 * getopt says which form it was; after an error, argv[optind - 1] is the
 * option itself (no value was taken). */
static void name_option(struct scx_cli *cli, const char *name, int letter)
{
	if (name)
		snprintf(cli->cur_opt, sizeof(cli->cur_opt), "--%.*s", (int)strcspn(name, "="),
			 name);
	else
		snprintf(cli->cur_opt, sizeof(cli->cur_opt), "-%c", letter);
}

static void name_bad_option(struct scx_cli *cli, char **argv)
{
	const char *a = argv[optind - 1];

	name_option(cli, !strncmp(a, "--", 2) ? a + 2 : NULL, optopt);
}

static bool is_common(const struct scx_cli_option *o)
{
	return o >= common_options && o < common_options + ARRAY_SIZE(common_options);
}

static bool is_user_option(const struct scx_cli_option *o)
{
	return o >= user_options && o < user_options + ARRAY_SIZE(user_options);
}

static int handle(struct scx_cli *cli, const struct scx_cli_option *o, const char *arg)
{
	__u64 n = 0;
	int ret;

	if (is_user_option(o)) {
		cli->load_opt = cli->load_opt ?: o->name;
		if (o->key == 'a') {
			cli->user_all_tasks = true;
			return 0;
		}
		/* scx_user_opts.slice_ns's range */
		ret = scx_cli__arg_u64(cli, arg, 50, 1000000, &n);
		cli->user_slice_ns = n * 1000;
		return ret;
	}
	if (!is_common(o)) {
		cli->load_opt = cli->load_opt ?: o->name;
		ret = cli->option_fn(cli, o->key, arg, cli->ctx);
		return ret > 0 ? -EINVAL : ret;
	}
	switch (o->key) {
	case 'v':
		cli->verbose = true;
		return 0;
	case 'h':
	case 'V':
		return SCX_CLI_DONE;
	case OPT_MONITOR:
		return parse_secs(cli, arg, &cli->monitor_ms);
	}
	/* everything else is about the scheduler to load */
	cli->load_opt = cli->load_opt ?: o->name;
	switch (o->key) {
	case 'i':
		return parse_secs(cli, arg, &cli->stats_ms);
	case OPT_STATS_SOCKET:
		if (arg && !*arg)
			return scx_cli__usage_error(cli, "an empty PATH; leave out \"=\" for %s",
						    SCX_STATS_DEFAULT_PATH);
		cli->stats_socket = arg ?: SCX_STATS_DEFAULT_PATH;
		return 0;
	case 't':
		ret = scx_cli__arg_u64(cli, arg, 0, MAX_TIMEOUT_MS, &n);
		cli->timeout_ms = n;
		return ret;
	case OPT_EXIT_DUMP_LEN:
		ret = scx_cli__arg_u64(cli, arg, 0, UINT_MAX, &n);
		cli->exit_dump_len = n;
		return ret;
	case OPT_PARTIAL:
		cli->partial = true;
		return 0;
	default: /* OPT_SET */
		return add_set(cli, arg);
	}
}

SCX_API int scx_cli__parse(struct scx_cli *cli, int argc, char **argv)
{
	const struct scx_cli_option *o;
	struct option *longs;
	char *shorts;
	int v, ret = 0, done = 0;

	if (!cli || argc < 1 || !argv)
		return scx_err(-EINVAL);
	if (cli->parsed)
		return scx_err(-EALREADY);
	cli->parsed = true;
	if (build_getopt(cli, &longs, &shorts))
		return scx_err(-ENOMEM);
	optind = 0;	/* GNU: reinitialize, in case someone parsed before */
	opterr = 0;
	for (;;) {
		int longindex = -1;

		cli->cur_opt[0] = '\0';
		v = getopt_long(argc, argv, shorts, longs, &longindex);
		if (v == -1)
			break;
		if (v == ':') {
			o = lookup(cli, optopt);
			name_bad_option(cli, argv);
			ret = scx_cli__usage_error(cli, "needs a value (%s)", o ? o->arg : "");
		} else if (v == '?') {
			/* a known optopt here is a flag given a value ("--partial=1") */
			o = optopt ? lookup(cli, optopt) : NULL;
			name_bad_option(cli, argv);
			if (o)
				ret = scx_cli__usage_error(cli, "takes no value");
			else
				ret = scx_cli__usage_error(cli, cli->cur_opt[1] == '-' ?
							   "unknown or ambiguous option" :
							   "unknown option");
		} else {
			o = lookup(cli, v);
			name_option(cli, longindex >= 0 ? longs[longindex].name : NULL, o->key);
			ret = handle(cli, o, optarg);
			if (ret == SCX_CLI_DONE) {
				/* --help and --version: what follows does not matter */
				done = o->key;
				ret = 0;
				break;
			}
		}
		if (ret)
			break;
	}
	cli->cur_opt[0] = '\0';
	if (!ret && !done && optind < argc)
		ret = scx_cli__usage_error(cli, "unexpected argument '%s'", argv[optind]);
	if (!ret && !done && cli->monitor_ms && cli->load_opt)
		ret = scx_cli__usage_error(cli, "--monitor watches a scheduler that is already "
					   "running: --%s does not go with it", cli->load_opt);
	free(longs);
	free(shorts);
	if (ret == -ENOMEM) {
		fprintf(cli->err, "%s: out of memory\n", cli->name);
		return ret;
	}
	if (ret)
		return usage_error(cli, -EINVAL);
	if (done == 'h') {
		print_help(cli);
		return SCX_CLI_DONE;
	}
	if (done == 'V') {
		fprintf(cli->out, "%s%s%s (libscx %s)\n", cli->name, cli->version ? " " : "",
			cli->version ?: "", libscx_version_string());
		return SCX_CLI_DONE;
	}
	return 0;
}

/* ---- running ----------------------------------------------------------- */

/* The print callback has no context: the program's one command line. */
static FILE *print_err;
static bool print_verbose;

static int print_fn(enum scx_print_level level, const char *fmt, va_list args)
{
	if (level == SCX_DEBUG && !print_verbose)
		return 0;
	return vfprintf(print_err, fmt, args);
}

/*
 * libbpf's messages, for the program's run: its warnings always, its info
 * (e.g. every ops member this kernel lacks, on each start) and debug lines
 * with -v only. The library itself never touches libbpf's callback; this
 * layer is the program's main and may.
 */
static int libbpf_print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level != LIBBPF_WARN && !print_verbose)
		return 0;
	return vfprintf(print_err, fmt, args);
}

static int print_counter(const char *name, __u64 value, void *ctx)
{
	fprintf(ctx, " %s=%llu", name, (unsigned long long)value);
	return 0;
}

static int print_stats(struct scx_sched *s, void *ctx)
{
	struct scx_cli *cli = ctx;

	struct scx_user_counters uc = { .sz = sizeof(uc) };

	fprintf(cli->out, "%s:", cli->name);
	scx_sched__for_each_counter(s, print_counter, cli->out);
	if (scx_sched__user(s) && scx_user__counters(scx_sched__user(s), &uc) > 0)
		fprintf(cli->out, " user: queued=%llu received=%llu dispatched=%llu applied=%llu "
			"stale=%llu corrected=%llu congested=%llu bpf_direct=%llu sched_runs=%llu "
			"fallback=%llu stalls=%llu rescued=%llu direct_idle=%llu resumed=%llu "
			"faults=%llu rtt_p50_us=%.1f rtt_p99_us=%.1f",
			(unsigned long long)uc.queued,
			(unsigned long long)uc.received, (unsigned long long)uc.dispatched,
			(unsigned long long)uc.applied, (unsigned long long)uc.stale,
			(unsigned long long)uc.corrected, (unsigned long long)uc.congested,
			(unsigned long long)uc.bpf_direct, (unsigned long long)uc.sched_runs,
			(unsigned long long)uc.fallback, (unsigned long long)uc.stalls,
			(unsigned long long)uc.rescued, (unsigned long long)uc.direct_idle,
			(unsigned long long)uc.resumed, (unsigned long long)uc.faults,
			uc.rtt_p50_ns / 1000.0, uc.rtt_p99_ns / 1000.0);
	fprintf(cli->out, "\n");
	fflush(cli->out);
	return 0;
}

static int monitor(struct scx_cli *cli)
{
	struct timespec ts = { cli->monitor_ms / 1000, (cli->monitor_ms % 1000) * 1000000L };

	for (;;) {
		struct scx_system_status st = { .sz = sizeof(st) };
		int ret = scx_system__status(&st, NULL);

		if (ret < 0) {
			fprintf(cli->err, "%s: --monitor: %s\n", cli->name,
				ret == -EOPNOTSUPP ? "this kernel has no sched_ext" : strerror(-ret));
			return SCX_CLI_EXIT_FAIL;
		}
		fprintf(cli->out, "%s: monitor: state=%s ops=%s enable_seq=%llu", cli->name,
			st.state, *st.ops ? st.ops : "-", (unsigned long long)st.enable_seq);
		scx_system__for_each_event(print_counter, cli->out, NULL);
		fprintf(cli->out, "\n");
		fflush(cli->out);
		nanosleep(&ts, NULL);
	}
}

/* --set and the option function's globals, in command-line order (a later
 * value of the same global wins). */
static int set_globals(struct scx_cli *cli, struct scx_sched *s)
{
	int i, ret;

	for (i = 0; i < cli->nr_globals; i++) {
		struct cli_global *g = &cli->globals[i];

		if (g->str) {
			/* the library logs why a value is refused */
			ret = scx_sched__set_global_str(s, g->name, g->str);
			if (ret && ret != -ENOMEM && ret != -EBUSY)
				return SCX_CLI_EXIT_USAGE;
		} else {
			ret = scx_sched__set_global(s, g->name, g->val, g->size);
		}
		if (ret) {
			fprintf(cli->err, "%s: %s: %s\n", cli->name, g->name, strerror(-ret));
			return SCX_CLI_EXIT_FAIL;
		}
	}
	return 0;
}

/*
 * run()'s prepare hook: on a restart (the first start was prepared above,
 * where a refused value is a usage error), prepare_fn again with the
 * machine as it is now, and the command line's values over it once more.
 */
static int prepare_restart(struct scx_sched *s, const struct scx_topology *topo, void *ctx)
{
	struct scx_cli *cli = ctx;

	(void)topo;
	if (!cli->started) {
		cli->started = true;
		return 0;
	}
	if (cli->prepare_fn && cli->prepare_fn(cli, s, cli->ctx))
		return -ECANCELED;
	return set_globals(cli, s) ? -EINVAL : 0;
}

/* The program's scx_user_opts as they are now (option_fn and prepare_fn
 * may have changed them), with the command line's -s and -a over them. */
static int user_opts_now(const struct scx_cli *cli, struct scx_user_opts *out)
{
	const struct scx_user_opts *u = cli->user;

	memset(out, 0, sizeof(*out));
	if (!SCX_OPTS_VALID(u, scx_user_opts)) {
		errno = EINVAL;
		return -EINVAL;
	}
	memcpy(out, u, u->sz < sizeof(*out) ? u->sz : sizeof(*out));
	out->sz = sizeof(*out);
	if (cli->user_slice_ns)
		out->slice_ns = cli->user_slice_ns;
	if (cli->user_all_tasks)
		out->direct_idle = false;
	return 0;
}

static int run_sched(struct scx_cli *cli)
{
	SCX_OPTS(scx_sched_opts, opts, .timeout_ms = cli->timeout_ms,
		 .exit_dump_len = cli->exit_dump_len, .partial = cli->partial);
	SCX_OPTS(scx_run_opts, run, .stats_interval_ms = cli->stats_ms,
		 .stats_fn = cli->stats_ms ? print_stats : NULL, .ctx = cli,
		 .prepare_fn = prepare_restart, .handle_signals = true);
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old_int, old_term;
	struct scx_stats_server *srv = NULL;
	struct scx_user *user = NULL;
	struct scx_user_opts uo;
	const struct scx_exit_info *ei;
	struct scx_sched *s;
	int ret;

	if (cli->obj_buf)
		s = scx_sched__open_mem(cli->obj_buf, cli->obj_size, &opts);
	else
		s = scx_sched__open_file(cli->obj_path, &opts);
	if (!s) {
		fprintf(cli->err, "%s: cannot open the scheduler: %s\n", cli->name, strerror(errno));
		return SCX_CLI_EXIT_FAIL;
	}
	/* the command line has the last word over what prepare_fn sets */
	if (cli->prepare_fn && cli->prepare_fn(cli, s, cli->ctx))
		ret = SCX_CLI_EXIT_FAIL;
	else
		ret = set_globals(cli, s);
	if (ret)
		goto out;
	if (cli->user && (user_opts_now(cli, &uo) || !(user = scx_user__new(s, &uo)))) {
		/* the library said which step failed */
		fprintf(cli->err, "%s: cannot set up user-space scheduling: %s\n", cli->name,
			strerror(errno));
		ret = SCX_CLI_EXIT_FAIL;
		goto out;
	}
	if (cli->stats_socket) {
		SCX_OPTS(scx_stats_server_opts, so, .sched = s);

		srv = scx_stats_server__new(cli->stats_socket, &so);
		if (!srv) {
			fprintf(cli->err, "%s: cannot serve statistics at %s: %s%s\n", cli->name,
				cli->stats_socket, strerror(errno),
				errno == EADDRINUSE ? " (another scheduler's server answers there: "
				"stop it, or give --stats-socket=PATH)" : "");
			ret = SCX_CLI_EXIT_FAIL;
			goto out;
		}
		run.stats_server = srv;
	}
	fflush(cli->out);

	/* A scheduler's program is stopped by SIGINT and SIGTERM, even when a
	 * script started it in the background (where the shell ignores
	 * SIGINT): as the program's main, this layer may decide so; run()
	 * then takes them, and the caller's dispositions come back after. */
	sigaction(SIGINT, &dfl, &old_int);
	sigaction(SIGTERM, &dfl, &old_term);
	cli->started = false;
	ret = scx_sched__run(s, &run);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (ret < 0) {
		fprintf(cli->err, "%s: %s\n", cli->name, strerror(-ret));
		ret = SCX_CLI_EXIT_FAIL;
		goto out;
	}
	ei = scx_sched__exit_info(s);
	fprintf(cli->out, "%s: exited: %s (%s)%s%s\n", cli->name,
		scx_exit_kind__str(scx_exit_info__kind(ei)), scx_exit_info__reason(ei),
		*scx_exit_info__msg(ei) ? ": " : "", scx_exit_info__msg(ei));
	fflush(cli->out);
	ret = SCX_CLI_EXIT_OK;
	if (scx_exit_kind__is_error(scx_exit_info__kind(ei))) {
		if (cli->verbose && *scx_exit_info__dump(ei))
			fprintf(cli->err, "--- debug dump ---\n%s\n--- end of dump ---\n",
				scx_exit_info__dump(ei));
		ret = SCX_CLI_EXIT_FAIL;
	}
out:
	scx_stats_server__destroy(srv);
	scx_user__destroy(user);
	scx_sched__destroy(s);
	return ret;
}

SCX_API int scx_cli__run(struct scx_cli *cli)
{
	libbpf_print_fn_t old_libbpf;
	scx_print_fn_t old;
	int ret;

	if (!cli || !cli->parsed)
		return SCX_CLI_EXIT_FAIL;
	print_err = cli->err;
	print_verbose = cli->verbose;
	old = scx_set_print(print_fn);
	old_libbpf = libbpf_set_print(libbpf_print_fn);
	ret = cli->monitor_ms ? monitor(cli) : run_sched(cli);
	libbpf_set_print(old_libbpf);
	scx_set_print(old);
	return ret;
}

SCX_API int scx_cli__main(int argc, char **argv, const struct scx_cli_opts *opts)
{
	struct scx_cli *cli = scx_cli__new(opts);
	int ret;

	if (!cli) {
		/* the reason went to the print callback */
		fprintf(stderr, "%s: %s\n", opts && opts->name ? opts->name : "scx_cli",
			strerror(errno));
		return SCX_CLI_EXIT_FAIL;
	}
	ret = scx_cli__parse(cli, argc, argv);
	if (ret == SCX_CLI_DONE)
		ret = SCX_CLI_EXIT_OK;
	else if (ret == -EINVAL)
		ret = SCX_CLI_EXIT_USAGE;
	else if (ret < 0)
		ret = SCX_CLI_EXIT_FAIL;
	else
		ret = scx_cli__run(cli);
	scx_cli__free(cli);
	return ret;
}
