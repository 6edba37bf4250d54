// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the stats server against clients that misbehave, all in the
 * test's one thread so that a blocking server would hang the test: a
 * request line longer than the server reads (an EINVAL reply or a closed
 * connection, and the server goes on), 100 clients at once (all served
 * under a cap of 128; 64 served and 36 closed under the default cap), a
 * client that sends requests and never reads (each process() call returns
 * at once, other clients are served meanwhile, and the stalled one is
 * dropped after stall_ms), a reply larger than max_pending, and clients
 * that disconnect in the middle of their replies (no SIGPIPE, no leak:
 * ASan's leak checker runs this in check-unit-asan). The durations asserted
 * are generous bounds on calls that must not wait at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <scx/stats_server.h>

#include "stats_client.h"

static char line[65536];

static int get_answer(union scx_stats_value *v, void *ctx)
{
	v->u64 = 42;
	return 0;
}

static struct scx_stats_server *new_server(const struct scx_stats_server_opts *o)
{
	struct scx_stats_server *srv = scx_stats_server__new(sc_sock, o);

	if (!srv)
		fail_msg("new server at %s: %s\n%s", sc_sock, strerror(errno), u_log);
	assert_int_equal(scx_stats_server__add_field(srv, "answer", "the answer", SCX_STATS_U64, 0,
						     get_answer, NULL), 0);
	return srv;
}

#define STATS_REQ "{\"req\":\"stats\"}\n"
#define STATS_REPLY "{\"errno\":0,\"args\":{\"resp\":{\"answer\":42}}}"

/* A fresh client is answered: the server is not stuck on anyone. */
static void still_serves(struct scx_stats_server *srv)
{
	int fd = sc_connect(sc_sock);

	assert_true(fd >= 0);
	assert_true(sc_ask(srv, fd, STATS_REQ, line, sizeof(line)) > 0);
	assert_string_equal(line, STATS_REPLY);
	close(fd);
}

static struct scx_stats_server_usage usage_of(struct scx_stats_server *srv)
{
	struct scx_stats_server_usage u = { .sz = sizeof(u) };

	assert_int_equal(scx_stats_server__usage(srv, &u), (int)sizeof(u));
	return u;
}

/* One process() call that must not wait: it returns within a bound no
 * machine comes near (the server never blocks on a client). */
static void process_at_once(struct scx_stats_server *srv)
{
	long long t0 = sc_now_ms();

	assert_true(scx_stats_server__process(srv, 0) >= 0);
	assert_true(sc_now_ms() - t0 < 2000);
}

static void huge_line(void **state)
{
	struct scx_stats_server *srv = new_server(NULL);
	size_t size = 1 << 20, sent = 0;
	char *big = malloc(size);
	long long end = sc_now_ms() + SC_GIVE_UP_MS;
	int fd = sc_connect(sc_sock);
	bool got_reply = false, closed = false;

	assert_non_null(big);
	assert_true(fd >= 0);
	memset(big, 'a', size);
	/* write as much as the server takes; it must answer or close */
	while (!closed && sc_now_ms() < end) {
		ssize_t n = sent < size ? send(fd, big + sent, size - sent, MSG_NOSIGNAL) : 0;
		char buf[4096];

		if (n > 0)
			sent += n;
		else if (n < 0 && errno != EAGAIN)
			closed = true;	/* EPIPE/ECONNRESET: the server closed */
		process_at_once(srv);
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n > 0) {
			buf[n] = '\0';
			if (strchr(buf, '\n'))
				*strchr(buf, '\n') = '\0';
			assert_int_equal(sc_error_errno(buf), 22);
			assert_non_null(strstr(buf, "longer than"));
			got_reply = true;
		} else if (n == 0 || errno == ECONNRESET) {
			closed = true;
		}
	}
	assert_true(closed);
	print_message("# huge line: %zu bytes sent, %s\n", sent,
		      got_reply ? "EINVAL reply, then closed" : "closed");
	assert_true(sent < size);
	close(fd);
	free(big);
	while (scx_stats_server__nr_clients(srv) && sc_now_ms() < end)
		scx_stats_server__process(srv, 10);
	assert_int_equal(scx_stats_server__nr_clients(srv), 0);
	still_serves(srv);
	scx_stats_server__destroy(srv);
}

#define NR_MANY 100

/* 100 clients connect, then all ask; returns how many were answered (the
 * others must have been closed). */
static int many_clients(struct scx_stats_server *srv)
{
	int fds[NR_MANY], i, answered = 0, closed = 0;

	for (i = 0; i < NR_MANY; i++) {
		fds[i] = sc_connect(sc_sock);
		assert_true(fds[i] >= 0);
	}
	for (i = 0; i < NR_MANY; i++)
		send(fds[i], STATS_REQ, strlen(STATS_REQ), MSG_NOSIGNAL);
	for (i = 0; i < NR_MANY; i++) {
		ssize_t n = sc_recv_line(srv, fds[i], line, sizeof(line));

		if (n > 0) {
			assert_string_equal(line, STATS_REPLY);
			answered++;
		} else {
			assert_int_equal(n, 0);
			closed++;
		}
	}
	for (i = 0; i < NR_MANY; i++)
		close(fds[i]);
	assert_int_equal(answered + closed, NR_MANY);
	return answered;
}

static void hundred_clients(void **state)
{
	SCX_OPTS(scx_stats_server_opts, o, .max_clients = 128);
	struct scx_stats_server *srv = new_server(&o);
	struct scx_stats_server_usage u;

	assert_int_equal(many_clients(srv), NR_MANY);
	scx_stats_server__destroy(srv);

	/* the default cap: 64 at once, the rest closed at once */
	srv = new_server(NULL);
	assert_int_equal(many_clients(srv), 64);
	u = usage_of(srv);
	assert_int_equal(u.accepted, 64);
	assert_int_equal(u.refused, NR_MANY - 64);
	assert_int_equal(u.requests, 64);
	scx_stats_server__destroy(srv);
}

/* Send n requests in one go without reading a reply. */
static void flood(struct scx_stats_server *srv, int fd, int n)
{
	static const char req[] = "{\"req\":\"stats_meta\"}\n";
	char *buf = malloc(n * (sizeof(req) - 1));
	int i;

	assert_non_null(buf);
	for (i = 0; i < n; i++)
		memcpy(buf + i * (sizeof(req) - 1), req, sizeof(req) - 1);
	/* the socket takes what it takes; the rest is of no interest */
	for (i = 0; i < 50; i++) {
		ssize_t sent = send(fd, buf, n * (sizeof(req) - 1), MSG_NOSIGNAL | MSG_DONTWAIT);

		if (sent > 0)
			break;
		process_at_once(srv);
	}
	free(buf);
}

static void client_stops_reading(void **state)
{
	SCX_OPTS(scx_stats_server_opts, o, .stall_ms = 300);
	struct scx_stats_server *srv = new_server(&o);
	struct scx_stats_server_usage u;
	long long t0, end = sc_now_ms() + SC_GIVE_UP_MS;
	int fd = sc_connect(sc_sock), calls = 0;

	assert_true(fd >= 0);
	u_log_clear();
	flood(srv, fd, 20000);
	while (!scx_stats_server__nr_clients(srv) && sc_now_ms() < end)
		process_at_once(srv);
	t0 = sc_now_ms();
	/* the replies fill both socket buffers: the server keeps one, stops
	 * reading from this client, and answers the others */
	while (scx_stats_server__nr_clients(srv) && sc_now_ms() < end) {
		process_at_once(srv);
		if (++calls % 50 == 0 && scx_stats_server__nr_clients(srv))
			still_serves(srv);
		poll(NULL, 0, 5);
	}
	assert_int_equal(scx_stats_server__nr_clients(srv), 0);
	/* dropped for stalling, not before its stall_ms */
	if (sc_now_ms() - t0 < 300)
		fail_msg("dropped after %lld ms\n%s", sc_now_ms() - t0, u_log);
	print_message("# stalled client dropped after %lld ms, %d process() calls\n",
		      sc_now_ms() - t0, calls);
	assert_true(sc_closed(NULL, fd));
	close(fd);
	still_serves(srv);
	/* the server's own account: one client dropped for stalling, and no
	 * call of its own near the stall time (it never waited on the client) */
	u = usage_of(srv);
	assert_int_equal(u.dropped_stalled, 1);
	assert_int_equal(u.dropped_overflow, 0);
	assert_true(u.calls >= (__u64)calls && u.requests > 0);
	assert_true(u.busy_ns >= u.max_call_ns && u.max_call_ns < 2000000000ULL);
	print_message("# the server's work: %llu calls, %llu requests, %.3f ms busy, longest call %.3f ms\n",
		      (unsigned long long)u.calls, (unsigned long long)u.requests, u.busy_ns / 1e6,
		      u.max_call_ns / 1e6);
	scx_stats_server__destroy(srv);
}

static void reply_too_large(void **state)
{
	SCX_OPTS(scx_stats_server_opts, o, .max_pending = 16);
	struct scx_stats_server *srv = new_server(&o);
	int fd = sc_connect(sc_sock);

	assert_true(fd >= 0);
	u_log_clear();
	assert_true(sc_send(srv, fd, STATS_REQ, strlen(STATS_REQ)));
	assert_true(sc_closed(srv, fd));
	assert_true(u_log_has("exceeded 16 bytes"));
	assert_int_equal(usage_of(srv).dropped_overflow, 1);
	close(fd);
	scx_stats_server__destroy(srv);
}

static void disconnect_mid_reply(void **state)
{
	struct scx_stats_server *srv = new_server(NULL);
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	long long end = sc_now_ms() + SC_GIVE_UP_MS;
	int round, fd;

	for (round = 0; round < 2; round++) {
		fd = sc_connect(sc_sock);
		assert_true(fd >= 0);
		flood(srv, fd, 20000);
		/* some replies go out, then the client is gone: a plain close,
		 * then a reset */
		while (!scx_stats_server__nr_clients(srv) && sc_now_ms() < end)
			process_at_once(srv);
		process_at_once(srv);
		if (round)
			setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fd);
		while (scx_stats_server__nr_clients(srv) && sc_now_ms() < end)
			process_at_once(srv);
		assert_int_equal(scx_stats_server__nr_clients(srv), 0);
	}
	/* gone between request and reply */
	fd = sc_connect(sc_sock);
	assert_true(fd >= 0);
	assert_int_equal(send(fd, STATS_REQ, strlen(STATS_REQ), MSG_NOSIGNAL), (ssize_t)strlen(STATS_REQ));
	close(fd);
	while (scx_stats_server__nr_clients(srv) && sc_now_ms() < end)
		process_at_once(srv);
	still_serves(srv);
	scx_stats_server__destroy(srv);
}

/* A connection that sends nothing and one that only connects and closes
 * are harmless. */
static void idle_and_empty(void **state)
{
	struct scx_stats_server *srv = new_server(NULL);
	int idle = sc_connect(sc_sock), gone = sc_connect(sc_sock);

	assert_true(idle >= 0 && gone >= 0);
	close(gone);
	process_at_once(srv);
	process_at_once(srv);
	assert_int_equal(scx_stats_server__nr_clients(srv), 1);
	still_serves(srv);
	close(idle);
	scx_stats_server__destroy(srv);
}

static void usage_args(void **state)
{
	struct scx_stats_server *srv = new_server(NULL);
	struct scx_stats_server_usage u = { .sz = offsetof(struct scx_stats_server_usage, max_call_ns) };
	char big[sizeof(u) + 16];
	struct scx_stats_server_usage *b = (void *)big;

	assert_int_equal(scx_stats_server__usage(NULL, &u), -EINVAL);
	assert_int_equal(scx_stats_server__usage(srv, NULL), -EINVAL);
	assert_int_equal(scx_stats_server__usage(srv, &u), -EINVAL);
	/* a newer caller's larger struct: what this library does not know is 0 */
	memset(big, 0xff, sizeof(big));
	b->sz = sizeof(big);
	assert_int_equal(scx_stats_server__usage(srv, b), (int)sizeof(u));
	assert_int_equal(b->calls, 0);
	assert_int_equal(big[sizeof(big) - 1], 0);
	scx_stats_server__destroy(srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(huge_line),
		cmocka_unit_test(hundred_clients),
		cmocka_unit_test(client_stops_reading),
		cmocka_unit_test(reply_too_large),
		cmocka_unit_test(disconnect_mid_reply),
		cmocka_unit_test(idle_and_empty),
		cmocka_unit_test(usage_args),
	};

	return cmocka_run_group_tests_name("stats_server_robust", tests, sc_setup_dir, sc_teardown_dir);
}
