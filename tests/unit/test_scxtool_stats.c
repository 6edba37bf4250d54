// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: `scxtool stats` against a stats server run by this test (with
 * its own thread, so the scxtool child is answered while the test waits):
 * the table and --json output, --target, --interval until SIGINT on one
 * connection (a delta field moves between samples), and the errors: no
 * socket, a stale socket, a server that is not a scx_stats server, an
 * error reply, usage errors. Skips when scxtool is not built.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <scx/stats_server.h>

#include "stats_client.h"
#include "scxtool_run.h"

static char out[65536], err[65536];

/* Run `[prefix] scxtool stats args`; stdout in out, stderr in err. */
static int run(const char *prefix, const char *args)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "stats %s", args);
	return scxtool_run(prefix, cmd, out, sizeof(out), err, sizeof(err));
}

static __u64 ticks;

static int get_answer(union scx_stats_value *v, void *ctx)
{
	v->u64 = 42;
	return 0;
}

/* moves by 5 between samples: a delta field answers 5 after the first */
static int get_ticks(union scx_stats_value *v, void *ctx)
{
	ticks += 5;
	v->u64 = ticks;
	return 0;
}

static struct scx_stats_server *srv;

static int setup(void **state)
{
	SCX_OPTS(scx_stats_server_opts, o, .thread = true);

	if (sc_setup_dir(state))
		return -1;
	srv = scx_stats_server__new(sc_sock, &o);
	if (!srv ||
	    scx_stats_server__add_field(srv, "answer", NULL, SCX_STATS_U64, 0, get_answer, NULL) ||
	    scx_stats_server__add_struct(srv, "dom", "a domain", dom_fields, 3,
					 sizeof(struct dom_stats), fill_dom, NULL))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	scx_stats_server__destroy(srv);
	return sc_teardown_dir(state);
}

static void table_and_json(void **state)
{
	char args[256];

	REQUIRE_SCXTOOL();
	snprintf(args, sizeof(args), "--socket %s", sc_sock);
	assert_int_equal(run("", args), 0);
	assert_string_equal(out,
			    "answer        42\n"
			    "dom.events    1234\n"
			    "dom.name      domain 0\n"
			    "dom.pressure  1.234\n");
	snprintf(args, sizeof(args), "--socket %s --json", sc_sock);
	assert_int_equal(run("", args), 0);
	assert_string_equal(out, "{\"answer\":42,\"dom\":{\"events\":1234,\"name\":\"domain 0\","
			    "\"pressure\":1.234}}\n");
	snprintf(args, sizeof(args), "--socket %s --json --target dom", sc_sock);
	assert_int_equal(run("", args), 0);
	assert_string_equal(out, "{\"events\":1234,\"name\":\"domain 0\",\"pressure\":1.234}\n");
}

/* --interval keeps asking on one connection until SIGINT, then exits 0. */
static void interval(void **state)
{
	char args[256], *p;
	int lines = 0;

	REQUIRE_SCXTOOL();
	assert_int_equal(scx_stats_server__add_field(srv, "ticks", NULL, SCX_STATS_U64,
						     SCX_STATS_F_DELTA, get_ticks, NULL), 0);
	snprintf(args, sizeof(args), "--socket %s --json --interval 0.05 --target top", sc_sock);
	assert_int_equal(run("timeout --preserve-status -s INT 1", args), 0);
	for (p = out; (p = strchr(p, '\n')); p++)
		lines++;
	print_message("# %d samples in 1 s\n", lines);
	assert_true(lines >= 2);
	/* the first sample answers the total, the next ones the increase */
	assert_non_null(strstr(out, ",\"ticks\":5}\n{"));
	assert_non_null(strstr(out, "}\n{\"answer\":42,"));
	p = strchr(out, '\n') + 1;
	assert_non_null(strstr(p, ",\"ticks\":5}\n"));
}

/* The reply scx's own documentation gives for its example server: arrays,
 * dicts keyed by number, strings with spaces. */
static void scx_documented_reply(void **state)
{
	static const char resp[] = "{\"at\":12345,\"bitmap\":[3735928559,3203391149],"
		"\"doms_dict\":{\"0\":{\"events\":1234,\"name\":\"domain 0\",\"pressure\":1.234}},"
		"\"name\":\"test cluster\"}";
	char path[160], args[256], reply[512], json[512];
	pid_t pid;

	REQUIRE_SCXTOOL();
	snprintf(path, sizeof(path), "%s/scx", sc_dir);
	snprintf(reply, sizeof(reply), "{\"errno\":0,\"args\":{\"resp\":%s}}\n", resp);
	snprintf(args, sizeof(args), "--socket %s", path);
	pid = sc_fake_server(path, reply, reply);
	assert_int_equal(run("", args), 0);
	waitpid(pid, NULL, 0);
	assert_string_equal(out,
			    "at                    12345\n"
			    "bitmap[0]             3735928559\n"
			    "bitmap[1]             3203391149\n"
			    "doms_dict.0.events    1234\n"
			    "doms_dict.0.name      domain 0\n"
			    "doms_dict.0.pressure  1.234\n"
			    "name                  test cluster\n");
	snprintf(args, sizeof(args), "--socket %s --json", path);
	pid = sc_fake_server(path, reply, reply);
	assert_int_equal(run("", args), 0);
	waitpid(pid, NULL, 0);
	snprintf(json, sizeof(json), "%s\n", resp);
	assert_string_equal(out, json);
}

static void errors(void **state)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char path[160], args[256];
	pid_t pid;
	int fd;

	REQUIRE_SCXTOOL();
	snprintf(path, sizeof(path), "%s/missing", sc_dir);
	snprintf(args, sizeof(args), "--socket %s", path);
	assert_int_equal(run("", args), 1);
	assert_non_null(strstr(err, "no scx_stats server at"));

	/* a stale socket: bound, never listened on */
	snprintf(path, sizeof(path), "%s/stale", sc_dir);
	memcpy(a.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	close(fd);
	snprintf(args, sizeof(args), "--socket %s", path);
	assert_int_equal(run("", args), 1);
	assert_non_null(strstr(err, "nothing is listening"));

	/* something else listening there */
	snprintf(path, sizeof(path), "%s/other", sc_dir);
	snprintf(args, sizeof(args), "--socket %s", path);
	pid = sc_fake_server(path, "220 hello\n", "220 hello\n");
	assert_int_equal(run("", args), 1);
	waitpid(pid, NULL, 0);
	assert_non_null(strstr(err, "is not a scx_stats server"));
	pid = sc_fake_server(path, "{\"hello\":1}\n", "{\"hello\":1}\n");
	assert_int_equal(run("", args), 1);
	waitpid(pid, NULL, 0);
	assert_non_null(strstr(err, "is not a scx_stats server"));
	pid = sc_fake_server(path, "", "");
	assert_int_equal(run("", args), 1);
	waitpid(pid, NULL, 0);
	assert_non_null(strstr(err, "closed the connection without a reply"));

	/* a scx_stats error reply */
	snprintf(args, sizeof(args), "--socket %s --target nope", sc_sock);
	assert_int_equal(run("", args), 1);
	assert_non_null(strstr(err, "refused the request (errno 22): unknown stat target"));
}

static void usage(void **state)
{
	REQUIRE_SCXTOOL();
	assert_int_equal(run("", "--help"), 0);
	assert_non_null(strstr(out, "usage: scxtool stats"));
	assert_non_null(strstr(out, SCX_STATS_DEFAULT_PATH));
	assert_int_equal(run("", "--interval 0"), 2);
	assert_non_null(strstr(err, "--interval takes seconds"));
	assert_int_equal(run("", "--interval x"), 2);
	assert_int_equal(run("", "--bogus"), 2);
	assert_int_equal(run("", "extra"), 2);
	assert_non_null(strstr(err, "unexpected argument 'extra'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_and_json),
		cmocka_unit_test(interval),
		cmocka_unit_test(scx_documented_reply),
		cmocka_unit_test(errors),
		cmocka_unit_test(usage),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("scxtool_stats", tests, setup, teardown);
}
