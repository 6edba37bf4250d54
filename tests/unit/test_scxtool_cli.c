// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the scxtool binary's command line on the host: --help of every
 * subcommand, usage errors (exit 2), `features` and `features --json` (valid
 * JSON, also for a recorded sched_ext BTF with --btf), and, on a kernel
 * without sched_ext, the error of run, status and tasks (exit 1, naming
 * CONFIG_SCHED_CLASS_EXT and tools/scx-vm). The sched_ext-only checks skip
 * on a sched_ext host; the VM tests (tests/vm/test_scxtool_*.sh) cover those.
 * Skips when scxtool is not built.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit_util.h"
#include "scxtool_run.h"

static char out[262144], err[65536];

/* Run `scxtool args`: stdout in out, stderr in err; the exit status. */
static int run(const char *args)
{
	return scxtool_run("", args, out, sizeof(out), err, sizeof(err));
}

/* 1 when python3 accepts out as one JSON document per line, 0 when it does
 * not, -1 when there is no python3 (the caller skips). */
static int json_lines_valid(void)
{
	char path[] = "/tmp/scxtool-cli-json-XXXXXX", cmd[256];
	int fd, st;

	if (system("command -v python3 >/dev/null 2>&1"))
		return -1;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, out, strlen(out)), (ssize_t)strlen(out));
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys\n"
		 "lines=sys.stdin.read().splitlines()\n"
		 "assert lines\n"
		 "[json.loads(l) for l in lines]' < %s", path);
	st = system(cmd);
	unlink(path);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static bool host_has_sched_ext(void)
{
	return !access("/sys/kernel/sched_ext", F_OK);
}

static void test_help(void **state)
{
	static const char *const cmds[] = { "run", "status", "stats", "features", "tasks", "topology" };
	char args[64];
	size_t i;

	REQUIRE_SCXTOOL();
	assert_int_equal(run("--help"), 0);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		assert_non_null(strstr(out, cmds[i]));
	assert_int_equal(run("--version"), 0);
	assert_non_null(strstr(out, "libscx"));
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		snprintf(args, sizeof(args), "%s --help", cmds[i]);
		assert_int_equal(run(args), 0);
		snprintf(args, sizeof(args), "usage: scxtool %s", cmds[i]);
		assert_non_null(strstr(out, args));
		snprintf(args, sizeof(args), "%s -h", cmds[i]);
		assert_int_equal(run(args), 0);
	}
	assert_int_equal(run("run --help"), 0);
	assert_non_null(strstr(out, "--set NAME=VALUE"));
	assert_non_null(strstr(out, "--stats SECONDS"));
	assert_non_null(strstr(out, "Exit status"));
}

static void test_usage_errors(void **state)
{
	REQUIRE_SCXTOOL();
	assert_int_equal(run(""), 2);
	assert_non_null(strstr(err, "usage: scxtool"));
	assert_int_equal(run("frobnicate"), 2);
	assert_non_null(strstr(err, "unknown command 'frobnicate'"));
	assert_int_equal(run("status --bogus"), 2);
	assert_non_null(strstr(err, "usage: scxtool status"));
	assert_int_equal(run("status extra"), 2);
	assert_non_null(strstr(err, "unexpected argument 'extra'"));
	assert_int_equal(run("features --bogus"), 2);
	assert_int_equal(run("features extra"), 2);
	assert_int_equal(run("tasks --bogus"), 2);
	assert_int_equal(run("tasks extra"), 2);
	assert_int_equal(run("run"), 2);
	assert_non_null(strstr(err, "no object file given"));
	assert_int_equal(run("run a.bpf.o b.bpf.o"), 2);
	assert_non_null(strstr(err, "unexpected argument 'b.bpf.o'"));
	assert_int_equal(run("run a.bpf.o --bogus"), 2);
	assert_int_equal(run("run a.bpf.o --stats 0"), 2);
	assert_non_null(strstr(err, "--stats"));
	assert_int_equal(run("run a.bpf.o --stats x"), 2);
	assert_int_equal(run("run a.bpf.o --stats"), 2);
	assert_int_equal(run("run a.bpf.o --timeout-ms -5"), 2);
	assert_non_null(strstr(err, "--timeout-ms"));
	assert_int_equal(run("run a.bpf.o --timeout-ms 99999999999"), 2);
}

/* --resize MAP=N is checked before anything is opened: each malformed form
 * is a usage error (2) that quotes the argument. */
static void test_resize_usage(void **state)
{
	static const char *const bad[] = {
		"pairs", "pairs=", "=8", "pairs=0", "pairs=-1", "pairs=+8", "pairs=8x",
		"pairs=0x10", "pairs=4294967296", "pairs= 8", "pairs=99999999999999999999",
	};
	char args[256];
	size_t i;

	REQUIRE_SCXTOOL();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(args, sizeof(args), "run /nonexistent.bpf.o --resize '%s'", bad[i]);
		assert_int_equal(run(args), 2);
		snprintf(args, sizeof(args), "--resize: '%s' is not MAP=N", bad[i]);
		if (!strstr(err, args))
			fail_msg("--resize %s: %s", bad[i], err);
	}
	assert_int_equal(run("run /nonexistent.bpf.o --resize"), 2);
	assert_int_equal(run("run --help"), 0);
	assert_non_null(strstr(out, "--resize MAP=N"));
}

static void test_no_sched_ext(void **state)
{
	static const char *const cmds[] = {
		"status", "status --json", "tasks", "tasks --json",
		"run /nonexistent.bpf.o",
	};
	char args[128];
	size_t i;

	REQUIRE_SCXTOOL();
	if (host_has_sched_ext()) {
		print_message("# the host has sched_ext; the VM tests cover these commands\n");
		skip();
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		snprintf(args, sizeof(args), "%s", cmds[i]);
		assert_int_equal(run(args), 1);
		assert_non_null(strstr(err, "has no sched_ext"));
		assert_non_null(strstr(err, "CONFIG_SCHED_CLASS_EXT"));
		assert_non_null(strstr(err, "tools/scx-vm"));
		assert_string_equal(out, "");
	}
	/* --set is checked only once the object is open, which needs sched_ext */
	snprintf(args, sizeof(args), "run %s --set error_after=1", u_obj("raw_fifo.bpf.o"));
	assert_int_equal(run(args), 1);
	assert_non_null(strstr(err, "CONFIG_SCHED_CLASS_EXT"));
}

static void test_features(void **state)
{
	int valid;

	REQUIRE_SCXTOOL();
	assert_int_equal(run("features"), 0);
	assert_non_null(strstr(out, "kernel: Linux "));
	if (host_has_sched_ext()) {
		assert_non_null(strstr(out, "sched_ext: yes"));
		assert_non_null(strstr(out, "kfuncs: "));
	} else {
		assert_non_null(strstr(out, "sched_ext: no"));
		assert_non_null(strstr(out, "CONFIG_SCHED_CLASS_EXT"));
	}
	assert_int_equal(run("features --json"), 0);
	assert_int_equal(out[0], '{');
	assert_non_null(strstr(out, host_has_sched_ext() ? "\"sched_ext\":true" : "\"sched_ext\":false"));
	assert_non_null(strstr(out, "\"kernel\":\""));
	assert_non_null(strstr(out, "\"kfuncs\":{\"scx_bpf_dsq_insert\":"));
	assert_non_null(strstr(out, "\"ops_fields\":{"));
	assert_non_null(strstr(out, "\"ops_flags\":{"));
	valid = json_lines_valid();
	if (valid < 0)
		skip();
	assert_int_equal(valid, 1);
}

static void test_features_btf(void **state)
{
	const char *old, *new;
	char args[4200];

	REQUIRE_SCXTOOL();
	assert_int_equal(run("features --btf /nonexistent-btf"), 1);
	assert_non_null(strstr(err, "cannot read BTF from /nonexistent-btf"));
	U_REQUIRE_BTF(new);
	old = u_btf(NULL, NULL, 0);
	snprintf(args, sizeof(args), "features --btf %s", new);
	assert_int_equal(run(args), 0);
	assert_non_null(strstr(out, "sched_ext: yes"));
	assert_non_null(strstr(out, "scx_bpf_dsq_insert"));
	snprintf(args, sizeof(args), "features --json --btf %s", new);
	assert_int_equal(run(args), 0);
	assert_non_null(strstr(out, "\"kernel\":null"));
	assert_non_null(strstr(out, "\"sched_ext\":true"));
	assert_non_null(strstr(out, "\"scx_bpf_dsq_insert\":true"));
	assert_non_null(strstr(out, "\"scx_bpf_dsq_move_to_local\":true"));
	assert_non_null(strstr(out, "\"SCX_OPS_SWITCH_PARTIAL\":true"));
	assert_non_null(strstr(out, "\"enqueue\":true"));
	/* 6.13 renamed scx_bpf_dispatch to scx_bpf_dsq_insert; 6.16+ lacks it */
	assert_non_null(strstr(out, "\"scx_bpf_dispatch\":false"));
	if (json_lines_valid() == 0)
		fail_msg("features --json --btf %s: not valid JSON", new);
	if (old && strcmp(old, new)) {
		snprintf(args, sizeof(args), "features --json --btf %s", old);
		assert_int_equal(run(args), 0);
		assert_non_null(strstr(out, "\"sched_ext\":true"));
		assert_non_null(strstr(out, "\"scx_bpf_dsq_insert\":true"));
	}
	/* a file without BTF */
	snprintf(args, sizeof(args), "features --btf %s", u_obj("../../tools/scxtool/scxtool"));
	assert_int_equal(run(args), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_resize_usage),
		cmocka_unit_test(test_no_sched_ext),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_features_btf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
