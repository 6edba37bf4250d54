// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the scx_stats protocol as the stats server speaks it, checked
 * byte for byte by a client written from the protocol description
 * (stats_client.h): the shapes of stats (top and a named target) and
 * stats_meta replies for application fields and structs, per-connection
 * deltas, the EINVAL replies to malformed and unknown requests (the
 * connection stays usable), and a server with its own thread. The
 * socket's path: parent directories made, a stale socket replaced, a live
 * one or a file that is not a socket refused, the socket removed at the end.
 * No kernel needed; test_stats_server_robust.c has the misbehaving clients,
 * test_stats_server_sched.c a scheduler's counters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <scx/stats_server.h>

#include "stats_client.h"

static char line[65536];

/* ---- the application's fields of every test ------------------------------ */

static __u64 ticks;

static int get_wakeups(union scx_stats_value *v, void *ctx)
{
	v->u64 = 42;
	return 0;
}

static int get_balance(union scx_stats_value *v, void *ctx)
{
	v->i64 = -7;
	return 0;
}

static int get_load(union scx_stats_value *v, void *ctx)
{
	v->f = *(double *)ctx;
	return 0;
}

static int get_mode(union scx_stats_value *v, void *ctx)
{
	snprintf(v->str, sizeof(v->str), "fast \"q\"\n");
	return 0;
}

static int get_ticks(union scx_stats_value *v, void *ctx)
{
	v->u64 = ticks;
	return 0;
}

static int get_broken(union scx_stats_value *v, void *ctx)
{
	return -EIO;
}

static double load = 1.5;

static struct scx_stats_server *new_server(const struct scx_stats_server_opts *o)
{
	struct scx_stats_server *srv = scx_stats_server__new(sc_sock, o);

	if (!srv)
		fail_msg("new server at %s: %s\n%s", sc_sock, strerror(errno), u_log);
	assert_int_equal(scx_stats_server__add_field(srv, "nr_wakeups", "wakeups seen",
						     SCX_STATS_U64, 0, get_wakeups, NULL), 0);
	assert_int_equal(scx_stats_server__add_field(srv, "balance", "a signed number",
						     SCX_STATS_I64, 0, get_balance, NULL), 0);
	assert_int_equal(scx_stats_server__add_field(srv, "load", "a float",
						     SCX_STATS_FLOAT, 0, get_load, &load), 0);
	assert_int_equal(scx_stats_server__add_field(srv, "mode", "a string",
						     SCX_STATS_STRING, 0, get_mode, NULL), 0);
	assert_int_equal(scx_stats_server__add_struct(srv, "dom", "domain statistics", dom_fields, 3,
						      sizeof(struct dom_stats), fill_dom, NULL), 0);
	return srv;
}

#define TOP_STATS								\
	"{\"balance\":-7,"							\
	"\"dom\":{\"events\":1234,\"name\":\"domain 0\",\"pressure\":1.234},"	\
	"\"load\":1.5,\"mode\":\"fast \\\"q\\\"\\n\",\"nr_wakeups\":42}"

static void stats_shapes(void **state)
{
	struct scx_stats_server *srv = new_server(NULL);
	const char *last;
	int fd = sc_connect(sc_sock);

	assert_true(fd >= 0);
	/* args missing, empty, or target "top": all the top struct */
	assert_true(sc_ask(srv, fd, "{\"req\":\"stats\"}\n", line, sizeof(line)) > 0);
	assert_string_equal(line, "{\"errno\":0,\"args\":{\"resp\":" TOP_STATS "}}");
	assert_true(sc_ask(srv, fd, "{\"req\":\"stats\",\"args\":{}}\n", line, sizeof(line)) > 0);
	assert_string_equal(line, "{\"errno\":0,\"args\":{\"resp\":" TOP_STATS "}}");
	assert_true(sc_ask(srv, fd, "{\"req\":\"stats\",\"args\":{\"target\":\"top\"}}\n",
			   line, sizeof(line)) > 0);
	assert_string_equal(line, "{\"errno\":0,\"args\":{\"resp\":" TOP_STATS "}}");
	/* a struct is a target of its own; unknown members are ignored, other
	 * args are passed along, escapes and whitespace are JSON's */
	assert_true(sc_ask(srv, fd, " { \"extra\" : [1, {\"a\": null}, true, -2.5e3],\r\t"
			   "\"req\":\"stats\",\"args\":{\"x\":\"y\",\"target\":\"d\\u006fm\"}}\n",
			   line, sizeof(line)) > 0);
	assert_string_equal(line, "{\"errno\":0,\"args\":{\"resp\":"
			    "{\"events\":1234,\"name\":\"domain 0\",\"pressure\":1.234}}}");
	/* the last request may end without a newline, as with scx */
	last = "{\"req\":\"stats\",\"args\":{\"target\":\"dom\"}}";
	assert_true(sc_send(srv, fd, last, strlen(last)));
	shutdown(fd, SHUT_WR);
	assert_true(sc_recv_line(srv, fd, line, sizeof(line)) > 0);
	assert_string_equal(line, "{\"errno\":0,\"args\":{\"resp\":"
			    "{\"events\":1234,\"name\":\"domain 0\",\"pressure\":1.234}}}");
	assert_true(sc_closed(srv, fd));
	close(fd);
	scx_stats_server__destroy(srv);
}

/* serde_json's spelling of doubles, which scx's clients parse */
static void float_spelling(void **state)
{
	static const struct { double v; const char *s; } cases[] = {
		{ 1.5, "1.5" }, { 0, "0.0" }, { 3, "3.0" }, { -2.25, "-2.25" }, { 0.1, "0.1" },
		{ 1e15, "1000000000000000.0" }, { 1e16, "1e16" }, { 1.5e17, "1.5e17" },
		{ 0.0001, "0.0001" }, { 0.00001, "0.00001" }, { 1e-6, "1e-6" }, { 1.25e-7, "1.25e-7" },
		{ 123456.789, "123456.789" }, { 1.0 / 3, "0.3333333333333333" },
		{ __builtin_nan(""), "null" }, { __builtin_inf(), "null" },
	};
	struct scx_stats_server *srv = new_server(NULL);
	char want[256];
	size_t i;
	int fd = sc_connect(sc_sock);

	assert_true(fd >= 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		load = cases[i].v;
		assert_true(sc_ask(srv, fd, "{\"req\":\"stats\"}\n", line, sizeof(line)) > 0);
		snprintf(want, sizeof(want), "\"load\":%s,", cases[i].s);
		if (!strstr(line, want))
			fail_msg("%g: want %s in %s", cases[i].v, want, line);
	}
	load = 1.5;
	close(fd);
	scx_stats_server__destroy(srv);
}

static void meta_shape(void **state)
{
	SCX_OPTS(scx_stats_server_opts, o, .top_name = "cluster", .top_desc = "cluster statistics");
	struct scx_stats_server *srv = new_server(&o);
	int fd = sc_connect(sc_sock);

	assert_true(fd >= 0);
	assert_true(sc_ask(srv, fd, "{\"req\":\"stats_meta\",\"args\":{}}\n", line, sizeof(line)) > 0);
	assert_string_equal(line,
		"{\"errno\":0,\"args\":{\"resp\":{"
		"\"cluster\":{\"desc\":\"cluster statistics\",\"fields\":{"
			"\"balance\":{\"datum\":\"i64\",\"desc\":\"a signed number\"},"
			"\"dom\":{\"datum\":{\"struct\":\"dom\"},\"desc\":\"domain statistics\"},"
			"\"load\":{\"datum\":\"float\",\"desc\":\"a float\"},"
			"\"mode\":{\"datum\":\"string\",\"desc\":\"a string\"},"
			"\"nr_wakeups\":{\"datum\":\"u64\",\"desc\":\"wakeups seen\"}},"
			"\"name\":\"cluster\",\"top\":\"true\"},"
		"\"dom\":{\"desc\":\"domain statistics\",\"fields\":{"
			"\"events\":{\"datum\":\"u64\",\"desc\":\"an event counter\"},"
			"\"name\":{\"datum\":\"string\"},"
			"\"pressure\":{\"datum\":\"float\",\"desc\":\"a gauge number\"}},"
			"\"name\":\"dom\"}"
		"}}}");
	/* the top struct is also a target by its name */
	assert_true(sc_ask(srv, fd, "{\"req\":\"stats\",\"args\":{\"target\":\"cluster\"}}\n",
			   line, sizeof(line)) > 0);
	assert_string_equal(line, "{\"errno\":0,\"args\":{\"resp\":" TOP_STATS "}}");
	close(fd);
	scx_stats_server__destroy(srv);
}

/* Each bad request gets errno 22 and a description; the connection goes on. */
static void bad_requests(void **state)
{
	static const char *const bad[] = {
		"not json\n",
		"\n",
		"{\"req\":\"frobnicate\"}\n",
		"{\"req\":\"stats\",\"args\":{\"target\":\"nope\"}}\n",
		"{\"req\":\"stats\",\"args\":{\"target\":1}}\n",
		"{\"req\":\"stats\",\"args\":null}\n",
		"{\"req\":5}\n",
		"{\"args\":{}}\n",
		"{\"req\":\"stats\",\"req\":\"stats\"}\n",
		"{\"req\":\"stats\"} trailing\n",
		"{\"req\":\"stats\"\n",
		"{\"req\":\"st\\x\"}\n",
		"{\"req\":\"\\ud800\"}\n",
		"{\"req\":\"stats\\u0000\"}\n",
		"{\"req\":\"\xff\"}\n",
		"[\"req\",\"stats\"]\n",
		"{\"req\":\"stats\",\"x\":[1,2,}\n",
		"{\"req\":\"stats\",\"x\":01}\n",
	};
	struct scx_stats_server *srv = new_server(NULL);
	char deep[400];
	size_t i;
	int fd = sc_connect(sc_sock);

	assert_true(fd >= 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_true(sc_ask(srv, fd, bad[i], line, sizeof(line)) > 0);
		if (sc_error_errno(line) != 22)
			fail_msg("request %zu (%s): reply %s", i, bad[i], line);
	}
	assert_non_null(strstr(line, "malformed request"));
	assert_true(sc_ask(srv, fd, "{\"req\":\"frobnicate\"}\n", line, sizeof(line)) > 0);
	assert_string_equal(line, "{\"errno\":22,\"args\":{\"resp\":\"unknown command \\\"frobnicate\\\"\"}}");
	assert_true(sc_ask(srv, fd, "{\"req\":\"stats\",\"args\":{\"target\":\"nope\"}}\n",
			   line, sizeof(line)) > 0);
	assert_string_equal(line, "{\"errno\":22,\"args\":{\"resp\":\"unknown stat target \\\"nope\\\"\"}}");
	/* nesting deeper than the reader goes is refused, not recursed into */
	memset(deep, '[', sizeof(deep));
	memcpy(deep, "{\"x\":", 5);
	memcpy(deep + sizeof(deep) - 2, "\n", 2);
	assert_true(sc_ask(srv, fd, deep, line, sizeof(line)) > 0);
	assert_int_equal(sc_error_errno(line), 22);
	/* and the connection still answers */
	assert_true(sc_ask(srv, fd, "{\"req\":\"stats\"}\n", line, sizeof(line)) > 0);
	assert_string_equal(line, "{\"errno\":0,\"args\":{\"resp\":" TOP_STATS "}}");
	close(fd);
	scx_stats_server__destroy(srv);
}

/* A getter's error fails the request with its errno. */
static void getter_error(void **state)
{
	struct scx_stats_server *srv = new_server(NULL);
	int fd = sc_connect(sc_sock);

	assert_true(fd >= 0);
	assert_int_equal(scx_stats_server__add_field(srv, "broken", NULL, SCX_STATS_U64, 0,
						     get_broken, NULL), 0);
	assert_true(sc_ask(srv, fd, "{\"req\":\"stats\"}\n", line, sizeof(line)) > 0);
	assert_int_equal(sc_error_errno(line), EIO);
	/* the struct alone still reads */
	assert_true(sc_ask(srv, fd, "{\"req\":\"stats\",\"args\":{\"target\":\"dom\"}}\n",
			   line, sizeof(line)) > 0);
	assert_int_equal(strncmp(line, "{\"errno\":0,", 11), 0);
	close(fd);
	scx_stats_server__destroy(srv);
}

/* A delta field answers the increase since the same connection's previous
 * request of the same target; other connections and targets keep their own. */
static void per_connection_deltas(void **state)
{
	struct scx_stats_server *srv = new_server(NULL);
	int a, b;

	assert_int_equal(scx_stats_server__add_field(srv, "ticks", "ticks", SCX_STATS_U64,
						     SCX_STATS_F_DELTA, get_ticks, NULL), 0);
	a = sc_connect(sc_sock);
	assert_true(a >= 0);
	ticks = 10;
	assert_true(sc_ask(srv, a, "{\"req\":\"stats\"}\n", line, sizeof(line)) > 0);
	assert_non_null(strstr(line, ",\"ticks\":10}"));
	ticks = 15;
	assert_true(sc_ask(srv, a, "{\"req\":\"stats\"}\n", line, sizeof(line)) > 0);
	assert_non_null(strstr(line, ",\"ticks\":5}"));
	b = sc_connect(sc_sock);
	assert_true(b >= 0);
	assert_true(sc_ask(srv, b, "{\"req\":\"stats\"}\n", line, sizeof(line)) > 0);
	assert_non_null(strstr(line, ",\"ticks\":15}"));
	ticks = 16;
	assert_true(sc_ask(srv, a, "{\"req\":\"stats\"}\n", line, sizeof(line)) > 0);
	assert_non_null(strstr(line, ",\"ticks\":1}"));
	/* a counter that went down (a restart) answers its new value */
	ticks = 3;
	assert_true(sc_ask(srv, b, "{\"req\":\"stats\"}\n", line, sizeof(line)) > 0);
	assert_non_null(strstr(line, ",\"ticks\":3}"));
	close(a);
	close(b);
	scx_stats_server__destroy(srv);
}

static void thread_mode(void **state)
{
	SCX_OPTS(scx_stats_server_opts, o, .thread = true);
	struct scx_stats_server *srv = new_server(&o);
	int i, fd;

	assert_int_equal(scx_stats_server__process(srv, 0), -EINVAL);
	for (i = 0; i < 3; i++) {
		fd = sc_connect(sc_sock);
		assert_true(fd >= 0);
		assert_true(sc_ask(NULL, fd, "{\"req\":\"stats\"}\n", line, sizeof(line)) > 0);
		assert_string_equal(line, "{\"errno\":0,\"args\":{\"resp\":" TOP_STATS "}}");
		close(fd);
	}
	scx_stats_server__destroy(srv);
	assert_int_equal(access(sc_sock, F_OK), -1);
}

static void socket_path(void **state)
{
	struct scx_stats_server *srv, *again;
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char parent[160], file[160], longp[200];
	struct stat st;
	mode_t old = umask(022);
	int fd;

	/* parents made 0755; the socket is there while the server lives */
	srv = scx_stats_server__new(sc_sock, NULL);
	assert_non_null(srv);
	snprintf(parent, sizeof(parent), "%s/run/scx/root", sc_dir);
	assert_int_equal(stat(parent, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(lstat(sc_sock, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	/* a second server on a live socket is refused and leaves it alone */
	u_log_clear();
	again = scx_stats_server__new(sc_sock, NULL);
	assert_null(again);
	assert_int_equal(errno, EADDRINUSE);
	assert_true(u_log_has("already listening"));
	fd = sc_connect(sc_sock);
	assert_true(fd >= 0);
	close(fd);
	scx_stats_server__destroy(srv);
	assert_int_equal(lstat(sc_sock, &st), -1);

	/* a stale socket (its server died without removing it) is replaced */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memcpy(a.sun_path, sc_sock, strlen(sc_sock) + 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	close(fd);
	assert_int_equal(lstat(sc_sock, &st), 0);
	srv = scx_stats_server__new(sc_sock, NULL);
	assert_non_null(srv);
	scx_stats_server__destroy(srv);

	/* anything else is not touched */
	snprintf(file, sizeof(file), "%s/plain", sc_dir);
	fd = open(file, O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	close(fd);
	u_log_clear();
	assert_null(scx_stats_server__new(file, NULL));
	assert_int_equal(errno, EEXIST);
	assert_true(u_log_has("not a socket"));
	assert_int_equal(lstat(file, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_null(scx_stats_server__new(sc_dir, NULL));
	assert_int_equal(errno, EEXIST);
	/* a parent that is a file */
	snprintf(longp, sizeof(longp), "%s/sub", file);
	assert_null(scx_stats_server__new(longp, NULL));
	assert_int_equal(errno, ENOTDIR);
	memset(longp, 'x', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	assert_null(scx_stats_server__new(longp, NULL));
	assert_int_equal(errno, ENAMETOOLONG);
	umask(old);
}

static void bad_arguments(void **state)
{
	struct { struct scx_stats_server_opts o; char newer[8]; } big = {};
	SCX_OPTS(scx_stats_server_opts, o, .top_name = "not an identifier");
	struct scx_stats_server *srv;
	struct scx_stats_field f[2] = {
		SCX_STATS_FIELD(struct dom_stats, events, SCX_STATS_U64, 0, NULL),
		SCX_STATS_FIELD(struct dom_stats, name, SCX_STATS_STRING, 0, NULL),
	};

	big.o.sz = sizeof(big);
	big.newer[3] = 1;
	assert_null(scx_stats_server__new(sc_sock, &big.o));
	assert_int_equal(errno, EINVAL);
	big.newer[3] = 0;
	srv = scx_stats_server__new(sc_sock, &big.o);	/* zero trailing bytes are fine */
	assert_non_null(srv);
	scx_stats_server__destroy(srv);
	assert_null(scx_stats_server__new(sc_sock, &o));
	assert_int_equal(errno, EINVAL);
	o.top_name = NULL;
	o.thread = true;
	o.sched = (struct scx_sched *)&o;	/* never looked at: refused first */
	assert_null(scx_stats_server__new(sc_sock, &o));
	assert_int_equal(errno, EINVAL);

	srv = new_server(NULL);
	assert_int_equal(scx_stats_server__add_field(srv, "nr_wakeups", NULL, SCX_STATS_U64, 0,
						     get_wakeups, NULL), -EEXIST);
	assert_int_equal(scx_stats_server__add_field(srv, "dom", NULL, SCX_STATS_U64, 0,
						     get_wakeups, NULL), -EEXIST);
	assert_int_equal(scx_stats_server__add_field(srv, "1x", NULL, SCX_STATS_U64, 0,
						     get_wakeups, NULL), -EINVAL);
	assert_int_equal(scx_stats_server__add_field(srv, "a-b", NULL, SCX_STATS_U64, 0,
						     get_wakeups, NULL), -EINVAL);
	assert_int_equal(scx_stats_server__add_field(srv, "f", NULL, SCX_STATS_FLOAT,
						     SCX_STATS_F_DELTA, get_load, &load), -EINVAL);
	assert_int_equal(scx_stats_server__add_field(srv, "f", NULL, 99, 0, get_load, &load), -EINVAL);
	assert_int_equal(scx_stats_server__add_field(srv, "f", NULL, SCX_STATS_U64, 0, NULL, NULL),
			 -EINVAL);
	assert_int_equal(errno, EINVAL);
	/* fields outside the record, of the wrong size, twice */
	assert_int_equal(scx_stats_server__add_struct(srv, "s", NULL, f, 2, 8, fill_dom, NULL), -EINVAL);
	f[1] = f[0];
	assert_int_equal(scx_stats_server__add_struct(srv, "s", NULL, f, 2, sizeof(struct dom_stats),
						      fill_dom, NULL), -EINVAL);
	f[0].size = 4;
	assert_int_equal(scx_stats_server__add_struct(srv, "s", NULL, f, 1, sizeof(struct dom_stats),
						      fill_dom, NULL), -EINVAL);
	assert_int_equal(scx_stats_server__add_struct(srv, "top", NULL, dom_fields, 3,
						      sizeof(struct dom_stats), fill_dom, NULL), -EINVAL);
	assert_int_equal(scx_stats_server__add_struct(srv, "dom", NULL, dom_fields, 3,
						      sizeof(struct dom_stats), fill_dom, NULL), -EEXIST);
	assert_int_equal(scx_stats_server__add_struct(srv, "load", NULL, dom_fields, 3,
						      sizeof(struct dom_stats), fill_dom, NULL), -EEXIST);
	assert_int_equal(scx_stats_server__fd(NULL), -EINVAL);
	assert_true(scx_stats_server__fd(srv) >= 0);
	assert_int_equal(scx_stats_server__process(NULL, 0), -EINVAL);
	assert_int_equal(scx_stats_server__nr_clients(NULL), 0);
	scx_stats_server__destroy(srv);
	scx_stats_server__destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stats_shapes),
		cmocka_unit_test(float_spelling),
		cmocka_unit_test(meta_shape),
		cmocka_unit_test(bad_requests),
		cmocka_unit_test(getter_error),
		cmocka_unit_test(per_connection_deltas),
		cmocka_unit_test(thread_mode),
		cmocka_unit_test(socket_path),
		cmocka_unit_test(bad_arguments),
	};

	return cmocka_run_group_tests_name("stats_server", tests, sc_setup_dir, sc_teardown_dir);
}
