// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the command-line layer of scheduler programs (scx/cli.h) on
 * the host, nothing loaded: each usage error (unknown option, missing value,
 * not a number, out of range, trailing characters, overflow, a flag given a
 * value, a stray argument, --monitor with a loading option, --set without
 * '=') makes scx_cli__main() return 2 with its message on the err stream;
 * each common option sets what it should (short and long spellings); the
 * scheduler's own options reach its callback in order with their values and
 * can queue globals; --help lists both tables and --version both versions
 * (exit 0); scx_cli__new() refuses tables that clash with the common options.
 * Compiles libscx/cli.c in to look at what a parse recorded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../libscx/cli.c"
#include "unit_util.h"

static const char fake_obj[] = "not parsed before run";

enum { KEY_LONG_ONLY = 1000 };

static const struct scx_cli_option own_options[] = {
	{ "slice-us", 's', "US", "time slice" },
	{ "flag", 'F', NULL, "a flag" },
	{ "long-only", KEY_LONG_ONLY, "WORD", "no letter" },
	{ NULL },
};

/* What the option function saw, in order. */
static char seen[1024];

static int own_option(struct scx_cli *cli, int key, const char *arg, void *ctx)
{
	__u64 v;
	int ret;

	assert_ptr_equal(ctx, seen);
	snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "[%d:%s]", key, arg ?: "-");
	if (key == 's') {
		ret = scx_cli__arg_u64(cli, arg, 1, 1000, &v);
		if (ret)
			return ret;
		v *= 1000;
		return scx_cli__set_global(cli, "slice_ns", &v, sizeof(v));
	}
	if (key == KEY_LONG_ONLY && !strcmp(arg, "bad"))
		return scx_cli__usage_error(cli, "'%s' is not a good word", arg);
	return 0;
}

static FILE *out, *err;
static char out_text[16384], err_text[16384];

static void slurp(FILE *f, char *buf, size_t size)
{
	size_t n;

	fflush(f);
	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
}

static void truncate_streams(void)
{
	assert_int_equal(ftruncate(fileno(out), 0), 0);
	assert_int_equal(ftruncate(fileno(err), 0), 0);
	rewind(out);
	rewind(err);
}

static int setup(void **state)
{
	seen[0] = '\0';
	out = tmpfile();
	err = tmpfile();
	return out && err ? 0 : -1;
}

static int teardown(void **state)
{
	fclose(out);
	fclose(err);
	return 0;
}

#define OPTS(var)								\
	SCX_OPTS(scx_cli_opts, var, .name = "testsched", .summary = "A test.\n",	\
		 .obj_buf = fake_obj, .obj_size = sizeof(fake_obj),			\
		 .options = own_options, .option_fn = own_option, .ctx = seen,	\
		 .out = out, .err = err)

/* argv from a space-separated string (no quoting needed here). */
static int split(char *line, char **argv, int max)
{
	int argc = 0;
	char *tok;

	argv[argc++] = "testsched";
	for (tok = strtok(line, " "); tok && argc < max - 1; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return argc;
}

/* Parse args into a new handle (the caller frees it); *ret gets the parse's return. */
static struct scx_cli *parse(const char *args, int *ret)
{
	char line[1024], *argv[64];
	struct scx_cli *cli;
	int argc;

	OPTS(o);
	snprintf(line, sizeof(line), "%s", args);
	argc = split(line, argv, 64);
	truncate_streams();
	cli = scx_cli__new(&o);
	assert_non_null(cli);
	*ret = scx_cli__parse(cli, argc, argv);
	slurp(out, out_text, sizeof(out_text));
	slurp(err, err_text, sizeof(err_text));
	return cli;
}

/* The whole main: scx_cli__main(args) must return 2 with needle on err. */
static void expect_usage_error(const char *args, const char *needle)
{
	char line[1024], *argv[64];
	int argc, ret;

	OPTS(o);
	snprintf(line, sizeof(line), "%s", args);
	argc = split(line, argv, 64);
	truncate_streams();
	ret = scx_cli__main(argc, argv, &o);
	slurp(err, err_text, sizeof(err_text));
	if (ret != 2 || !strstr(err_text, needle) || !strstr(err_text, "Try 'testsched --help'."))
		print_message("# '%s': exit %d, stderr '%s', want 2 and '%s'\n", args, ret,
			      err_text, needle);
	assert_int_equal(ret, SCX_CLI_EXIT_USAGE);
	assert_non_null(strstr(err_text, needle));
	assert_non_null(strstr(err_text, "Try 'testsched --help'."));
}

static void test_usage_errors(void **state)
{
	expect_usage_error("--nope", "testsched: --nope: unknown or ambiguous option");
	expect_usage_error("-q", "testsched: -q: unknown option");
	expect_usage_error("--s 1", "--s: unknown or ambiguous option");	/* --stats, --set, --slice-us */
	expect_usage_error("--stats", "testsched: --stats: needs a value (SECS)");
	expect_usage_error("-i", "testsched: -i: needs a value (SECS)");
	expect_usage_error("-t", "-t: needs a value (N)");
	expect_usage_error("--slice-us", "--slice-us: needs a value (US)");
	expect_usage_error("-s", "-s: needs a value (US)");
	expect_usage_error("--stats abc", "--stats: 'abc' is not a number of seconds");
	expect_usage_error("--stats -1", "--stats: '-1' is not a number of seconds");
	expect_usage_error("--stats +1", "'+1' is not a number of seconds");
	expect_usage_error("--stats .5", "'.5' is not a number of seconds");
	expect_usage_error("--stats 1.2345", "'1.2345' is not a number of seconds (at most three decimals)");
	expect_usage_error("--stats 1x", "--stats: '1x' has characters after the number");
	expect_usage_error("--stats 0", "--stats: 0 is out of range (0.001..86400 seconds)");
	expect_usage_error("--stats 86400.001", "out of range (0.001..86400 seconds)");
	expect_usage_error("--stats 99999999999999999999999", "out of range (0.001..86400 seconds)");
	expect_usage_error("--monitor 0", "--monitor: 0 is out of range");
	expect_usage_error("-t 30001", "testsched: -t: 30001 is out of range (0..30000)");
	expect_usage_error("--timeout-ms 1e3", "--timeout-ms: '1e3' has characters after the number");
	expect_usage_error("--timeout-ms 0x10", "'0x10' has characters after the number");
	expect_usage_error("--timeout-ms 99999999999999999999", "--timeout-ms: '99999999999999999999' is too large");
	expect_usage_error("--exit-dump-len 4294967296", "--exit-dump-len: 4294967296 is out of range (0..4294967295)");
	expect_usage_error("--exit-dump-len -1", "--exit-dump-len: '-1' is not a number");
	expect_usage_error("--partial=1", "testsched: --partial: takes no value");
	expect_usage_error("--verbose=yes", "--verbose: takes no value");
	expect_usage_error("--set slice_ns", "testsched: --set: 'slice_ns' is not NAME=VALUE");
	expect_usage_error("--set =5", "'=5' is not NAME=VALUE");
	expect_usage_error("stray", "testsched: unexpected argument 'stray'");
	expect_usage_error("--monitor 1 --stats 1", "--monitor watches a scheduler that is already running: "
		    "--stats does not go with it");
	expect_usage_error("--partial --monitor 1", "--partial does not go with it");
	expect_usage_error("--monitor 1 -F", "--flag does not go with it");
	expect_usage_error("--stats-socket=", "testsched: --stats-socket: an empty PATH; leave out \"=\"");
	expect_usage_error("--stats-socket /tmp/s", "testsched: unexpected argument '/tmp/s'");
	expect_usage_error("--monitor 1 --stats-socket", "--stats-socket does not go with it");
	/* the scheduler's own: scx_cli__arg_u64() and scx_cli__usage_error() */
	expect_usage_error("-s 0", "testsched: -s: 0 is out of range (1..1000)");
	expect_usage_error("--slice-us 5ms", "testsched: --slice-us: '5ms' has characters after the number");
	expect_usage_error("--long-only bad", "testsched: --long-only: 'bad' is not a good word");
	expect_usage_error("--flag=1", "--flag: takes no value");
}

static void test_common_options(void **state)
{
	struct scx_cli *cli;
	int ret;

	cli = parse("", &ret);
	assert_int_equal(ret, 0);
	assert_false(cli->verbose || cli->partial);
	assert_int_equal(cli->stats_ms + cli->monitor_ms + cli->timeout_ms + cli->exit_dump_len, 0);
	assert_int_equal(cli->nr_globals, 0);
	assert_string_equal(err_text, "");
	scx_cli__free(cli);

	cli = parse("-v -i 2 -t 5000 --exit-dump-len 65536 --partial", &ret);
	assert_int_equal(ret, 0);
	assert_true(cli->verbose && scx_cli__verbose(cli) && cli->partial);
	assert_int_equal(cli->stats_ms, 2000);
	assert_int_equal(cli->timeout_ms, 5000);
	assert_int_equal(cli->exit_dump_len, 65536);
	scx_cli__free(cli);

	cli = parse("--verbose --stats=0.25 --timeout-ms=30000 --exit-dump-len=0", &ret);
	assert_int_equal(ret, 0);
	assert_true(cli->verbose);
	assert_int_equal(cli->stats_ms, 250);
	assert_int_equal(cli->timeout_ms, 30000);
	scx_cli__free(cli);

	cli = parse("--stats 86400 --stats 0.001", &ret);	/* the last one counts */
	assert_int_equal(ret, 0);
	assert_int_equal(cli->stats_ms, 1);
	scx_cli__free(cli);

	cli = parse("--monitor 1.5 -v", &ret);
	assert_int_equal(ret, 0);
	assert_int_equal(cli->monitor_ms, 1500);
	assert_int_equal(cli->stats_ms, 0);
	scx_cli__free(cli);

	/* --set is kept as typed, in order, for scx_sched__set_global_str() */
	cli = parse("--set slice_ns=5000 --set=name=a=b --set empty=", &ret);
	assert_int_equal(ret, 0);
	assert_int_equal(cli->nr_globals, 3);
	assert_string_equal(cli->globals[0].name, "slice_ns");
	assert_string_equal(cli->globals[0].str, "5000");
	assert_string_equal(cli->globals[1].name, "name");
	assert_string_equal(cli->globals[1].str, "a=b");
	assert_string_equal(cli->globals[2].str, "");
	assert_null(cli->globals[0].val);
	scx_cli__free(cli);

	/* parsing twice is refused */
	cli = parse("", &ret);
	assert_int_equal(scx_cli__parse(cli, 1, (char *[]){ "testsched", NULL }), -EALREADY);
	scx_cli__free(cli);
}

static void test_own_options(void **state)
{
	struct scx_cli *cli;
	__u64 v;
	int ret;

	seen[0] = '\0';
	cli = parse("-s 20 --flag --long-only word -F --slice-us=3 --set x=1", &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(seen, "[115:20][70:-][1000:word][70:-][115:3]");
	/* the callback's globals and --set's share one list, in order */
	assert_int_equal(cli->nr_globals, 3);
	assert_string_equal(cli->globals[0].name, "slice_ns");
	assert_int_equal(cli->globals[0].size, sizeof(v));
	memcpy(&v, cli->globals[0].val, sizeof(v));
	assert_int_equal(v, 20000);
	memcpy(&v, cli->globals[1].val, sizeof(v));
	assert_int_equal(v, 3000);
	assert_null(cli->globals[1].str);
	assert_string_equal(cli->globals[2].str, "1");
	scx_cli__free(cli);

	/* bundled short options */
	seen[0] = '\0';
	cli = parse("-vFs7", &ret);
	assert_int_equal(ret, 0);
	assert_true(cli->verbose);
	assert_string_equal(seen, "[70:-][115:7]");
	scx_cli__free(cli);

	/* a failing option stops the parse there */
	seen[0] = '\0';
	cli = parse("-F --long-only bad -F", &ret);
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(seen, "[70:-][1000:bad]");
	scx_cli__free(cli);
}

static void test_help_version(void **state)
{
	struct scx_cli *cli;
	int ret;

	seen[0] = '\0';
	cli = parse("--help", &ret);
	assert_int_equal(ret, SCX_CLI_DONE);
	assert_non_null(strstr(out_text, "usage: testsched [OPTION]...\nA test.\n"));
	assert_non_null(strstr(out_text, "  -s, --slice-us US         time slice\n"));
	assert_non_null(strstr(out_text, "      --long-only WORD      no letter\n"));
	assert_non_null(strstr(out_text, "  -i, --stats SECS"));
	assert_non_null(strstr(out_text, "      --set NAME=VALUE"));
	assert_non_null(strstr(out_text, "      --stats-socket[=PATH] "));
	assert_non_null(strstr(out_text, "2 for a usage error"));
	assert_string_equal(err_text, "");
	assert_string_equal(seen, "");
	scx_cli__free(cli);

	/* -h wins over what follows it, errors included */
	cli = parse("-h --nope", &ret);
	assert_int_equal(ret, SCX_CLI_DONE);
	scx_cli__free(cli);

	cli = parse("-V", &ret);
	assert_int_equal(ret, SCX_CLI_DONE);
	assert_true(strstr(out_text, "testsched (libscx ") == out_text);
	assert_non_null(strstr(out_text, libscx_version_string()));
	scx_cli__free(cli);

	{
		char *argv[] = { "testsched", "--version", NULL };
		OPTS(o);

		o.version = "1.2.3";
		truncate_streams();
		assert_int_equal(ftruncate(fileno(out), 0), 0);
		rewind(out);
		assert_int_equal(scx_cli__main(2, argv, &o), SCX_CLI_EXIT_OK);
		slurp(out, out_text, sizeof(out_text));
		assert_true(strstr(out_text, "testsched 1.2.3 (libscx ") == out_text);
	}
}

static void new_fails(const struct scx_cli_opts *o, const char *needle)
{
	u_log_clear();
	errno = 0;
	assert_null(scx_cli__new(o));
	assert_int_equal(errno, EINVAL);
	if (needle && !u_log_has(needle))
		fail_msg("log '%s' lacks '%s'", u_log, needle);
}

static void test_new_errors(void **state)
{
	static const struct scx_cli_option clash_letter[] = { { "view", 'v', NULL, "" }, { NULL } };
	static const struct scx_cli_option clash_name[] = { { "stats", 'x', "N", "" }, { NULL } };
	static const struct scx_cli_option twice[] = {
		{ "a", 'a', NULL, "" }, { "b", 'a', NULL, "" }, { NULL } };
	static const struct scx_cli_option key0[] = { { "a", 0, NULL, "" }, { NULL } };
	struct { struct scx_cli_opts o; char more[8]; } big;
	OPTS(o);

	u_setup_log(NULL);
	o.options = clash_letter;
	new_fails(&o, "option 'view'");
	o.options = clash_name;
	new_fails(&o, "option 'stats'");
	o.options = twice;
	new_fails(&o, "option 'b'");
	o.options = key0;
	new_fails(&o, "option 'a'");
	o.options = own_options;
	o.option_fn = NULL;
	new_fails(&o, "options need an option_fn");
	o.option_fn = own_option;
	o.obj_path = "x.bpf.o";
	new_fails(&o, "exactly one of obj_buf");
	o.obj_buf = NULL;
	o.obj_size = 0;
	o.name = NULL;
	new_fails(&o, NULL);
	o.name = "testsched";
	/* a caller built against a newer header with a field we do not know */
	memset(&big, 0, sizeof(big));
	big.o = o;
	big.o.sz = sizeof(big);
	big.more[0] = 1;
	new_fails(&big.o, NULL);
	big.more[0] = 0;
	scx_cli__free(scx_cli__new(&big.o));
	scx_cli__free(NULL);
	assert_int_equal(scx_cli__arg_u64(NULL, "1", 0, 1, &(__u64){ 0 }), -EINVAL);
	assert_int_equal(scx_cli__set_global(NULL, "x", "", 1), -EINVAL);
}

/* A user-space scheduler's command line: the runtime's -s and -a, laid over
 * the program's scx_user_opts as they are when the runtime is created (its
 * own option function may change them meanwhile), which stay as they were. */
static void test_user_options(void **state)
{
	static const struct scx_cli_option none[] = { { NULL } };
	static const struct scx_cli_option own_a[] = { { "again", 'a', NULL, "" }, { NULL } };
	static const struct scx_cli_option own_all[] = { { "all-tasks", 'x', NULL, "" }, { NULL } };
	const char *const given[] = { "-s 300 -a", "--slice-us 300 --all-tasks", "--slice-us=300 -a" };
	SCX_OPTS(scx_user_opts, user, .slice_ns = 2000000, .direct_idle = true);
	struct scx_user_opts now;
	char line[256], *argv[16];
	struct scx_cli *cli;
	int argc, i;
	OPTS(o);

	o.options = none;
	o.user = &user;
	for (i = 0; i < 3; i++) {
		cli = scx_cli__new(&o);
		assert_non_null(cli);
		snprintf(line, sizeof(line), "%s", given[i]);
		argc = split(line, argv, 16);
		assert_int_equal(scx_cli__parse(cli, argc, argv), 0);
		user.ring_size = 1 << 20;	/* the program's own change, after new() */
		assert_int_equal(user_opts_now(cli, &now), 0);
		assert_int_equal(now.sz, sizeof(now));
		assert_int_equal(now.slice_ns, 300000);
		assert_false(now.direct_idle);
		assert_int_equal(now.ring_size, 1 << 20);
		assert_int_equal(user.slice_ns, 2000000);
		assert_true(user.direct_idle);
		user.ring_size = 0;
		scx_cli__free(cli);
	}

	/* untouched without the options; listed in --help */
	truncate_streams();
	cli = scx_cli__new(&o);
	snprintf(line, sizeof(line), "--help");
	argc = split(line, argv, 16);
	assert_int_equal(scx_cli__parse(cli, argc, argv), SCX_CLI_DONE);
	assert_int_equal(user_opts_now(cli, &now), 0);
	assert_int_equal(now.slice_ns, 2000000);
	assert_true(now.direct_idle);
	slurp(out, out_text, sizeof(out_text));
	assert_non_null(strstr(out_text, "Options of user-space scheduling:\n  -s, --slice-us US"));
	assert_non_null(strstr(out_text, "  -a, --all-tasks"));
	scx_cli__free(cli);
	assert_int_equal(scx_user__slice_ns(NULL), 0);

	/* the runtime's range (50 us to 1 s), and no -a for an ordinary one */
	{
		char *av[] = { "testsched", "--slice-us=49", NULL };

		truncate_streams();
		assert_int_equal(scx_cli__main(2, av, &o), SCX_CLI_EXIT_USAGE);
		slurp(err, err_text, sizeof(err_text));
		assert_non_null(strstr(err_text, "--slice-us: 49 is out of range"));
	}
	o.options = own_options;
	o.user = NULL;
	truncate_streams();
	cli = scx_cli__new(&o);
	snprintf(line, sizeof(line), "-a");
	argc = split(line, argv, 16);
	assert_int_equal(scx_cli__parse(cli, argc, argv), -EINVAL);
	slurp(err, err_text, sizeof(err_text));
	assert_non_null(strstr(err_text, "-a: unknown option"));
	scx_cli__free(cli);

	/* a program's own options may not take the runtime's names or letters */
	u_setup_log(NULL);
	o.user = &user;
	o.options = own_options;	/* its -s */
	new_fails(&o, "option 'slice-us'");
	o.options = own_a;
	new_fails(&o, "option 'again'");
	o.options = own_all;
	new_fails(&o, "option 'all-tasks'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_common_options),
		cmocka_unit_test(test_own_options),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_new_errors),
		cmocka_unit_test(test_user_options),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
