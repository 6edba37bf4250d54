/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * A scx_stats client for the stats server tests, written from the protocol
 * description (../shared/reference/ecosystem.md, "scx_stats") and sharing
 * no code with the server: a UNIX stream socket, one request line out, one
 * reply line back. Replies are compared as bytes against the shapes the
 * protocol documents. The server under test runs in this same thread, so
 * every wait drives scx_stats_server__process() (srv NULL: a server with
 * its own thread). At the end, the application side the tests serve.
 */
#ifndef __SCX_STATS_CLIENT_H
#define __SCX_STATS_CLIENT_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <scx/stats_server.h>

#include "unit_util.h"

/* No wait in the host tests comes near this; it only keeps a broken server
 * from hanging the test run. A VM test whose server waits for a scheduler
 * to attach defines a longer one before including this file. */
#ifndef SC_GIVE_UP_MS
#define SC_GIVE_UP_MS 20000
#endif

__attribute__((unused)) static long long sc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A connected, non-blocking client socket, or -errno. */
__attribute__((unused)) static int sc_connect(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memcpy(a.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		int err = -errno;

		close(fd);
		return err;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

/* A fresh directory for a test group, removed by sc_teardown_dir(), and
 * the socket path in it (its parents do not exist yet). The setup also
 * routes libscx's messages into u_log. */
static char sc_dir[64], sc_sock[128];

__attribute__((unused)) static int sc_setup_dir(void **state)
{
	snprintf(sc_dir, sizeof(sc_dir), "/tmp/scx-stats-XXXXXX");
	if (!mkdtemp(sc_dir))
		return -1;
	snprintf(sc_sock, sizeof(sc_sock), "%s/run/scx/root/stats", sc_dir);
	return u_setup_log(state);
}

__attribute__((unused)) static int sc_teardown_dir(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", sc_dir);
	return system(cmd) ? -1 : 0;
}

/* Let the server run a little: process() or, with its own thread, a nap. */
__attribute__((unused)) static void sc_drive(struct scx_stats_server *srv)
{
	if (srv)
		scx_stats_server__process(srv, 10);
	else
		poll(NULL, 0, 5);
}

/* Write all of s, driving the server while the socket is full. */
__attribute__((unused)) static bool sc_send(struct scx_stats_server *srv, int fd, const char *s, size_t len)
{
	long long end = sc_now_ms() + SC_GIVE_UP_MS;

	while (len && sc_now_ms() < end) {
		ssize_t n = send(fd, s, len, MSG_NOSIGNAL);

		if (n > 0) {
			s += n;
			len -= n;
		} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
			return false;
		} else {
			sc_drive(srv);
		}
	}
	return !len;
}

/*
 * Read one reply line (without its '\n') into buf. Returns its length, 0
 * when the server closed the connection first, -1 on a socket error or
 * after SC_GIVE_UP_MS.
 */
__attribute__((unused)) static ssize_t sc_recv_line(struct scx_stats_server *srv, int fd, char *buf, size_t size)
{
	long long end = sc_now_ms() + SC_GIVE_UP_MS;
	size_t len = 0;

	while (sc_now_ms() < end) {
		ssize_t n;
		char c;

		n = recv(fd, &c, 1, 0);
		if (n == 1) {
			if (c == '\n') {
				buf[len] = '\0';
				return len;
			}
			if (len + 1 < size)
				buf[len++] = c;
			continue;
		}
		if (n == 0)
			return 0;
		if (errno == ECONNRESET)
			return 0;
		if (errno != EAGAIN && errno != EINTR)
			return -1;
		sc_drive(srv);
	}
	return -1;
}

/* One request, one reply: the reply in buf, its length returned. */
__attribute__((unused)) static ssize_t sc_ask(struct scx_stats_server *srv, int fd, const char *req, char *buf, size_t size)
{
	if (!sc_send(srv, fd, req, strlen(req)))
		return -1;
	return sc_recv_line(srv, fd, buf, size);
}

/* True when the server has closed fd (reading any replies still queued). */
__attribute__((unused)) static bool sc_closed(struct scx_stats_server *srv, int fd)
{
	long long end = sc_now_ms() + SC_GIVE_UP_MS;
	char tmp[4096];

	while (sc_now_ms() < end) {
		ssize_t n = recv(fd, tmp, sizeof(tmp), 0);

		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return true;
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return false;
		if (n < 0)
			sc_drive(srv);
	}
	return false;
}

/* "{"errno":N,"args":{"resp":"..."}}": N, or -1 when line is not an error
 * reply of that shape. */
__attribute__((unused)) static int sc_error_errno(const char *line)
{
	const char *pre = "{\"errno\":", *mid = ",\"args\":{\"resp\":\"";
	size_t len = strlen(line);
	char *end;
	long n;

	if (strncmp(line, pre, strlen(pre)))
		return -1;
	n = strtol(line + strlen(pre), &end, 10);
	if (n <= 0 || strncmp(end, mid, strlen(mid)) || len < 4 || strcmp(line + len - 3, "\"}}"))
		return -1;
	return (int)n;
}

#ifdef assert_int_equal	/* cmocka: the unit tests' helper only */
/* A scx_stats peer in a child process, for the scxtool tests: it answers
 * each request line of one connection with meta when it asks for
 * stats_meta, else with stats (any bytes, so it can also pose as another
 * kind of server); an empty answer closes the connection. */
__attribute__((unused)) static pid_t sc_fake_server(const char *path, const char *stats,
						      const char *meta)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	pid_t pid;

	memcpy(a.sun_path, path, strlen(path) + 1);
	unlink(path);
	assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		int fd = accept(lfd, NULL, NULL);
		char buf[4096];
		FILE *in = fd >= 0 ? fdopen(fd, "r") : NULL;

		while (in && fgets(buf, sizeof(buf), in)) {
			const char *r = strstr(buf, "stats_meta") ? meta : stats;

			if (!*r || write(fd, r, strlen(r)) < 0)
				break;
		}
		_exit(0);
	}
	close(lfd);
	return pid;
}
#endif

/*
 * The server side of the tests: an application's struct, as the scx_stats
 * documentation's example has it (a domain's name, an event counter and a
 * gauge).
 */
struct dom_stats {
	__u64 events;
	double pressure;
	char name[16];
};

__attribute__((unused)) static int fill_dom(void *rec, void *ctx)
{
	struct dom_stats *d = rec;

	d->events = 1234;
	d->pressure = 1.234;
	snprintf(d->name, sizeof(d->name), "domain 0");
	return 0;
}

__attribute__((unused)) static const struct scx_stats_field dom_fields[] = {
	SCX_STATS_FIELD(struct dom_stats, name, SCX_STATS_STRING, 0, NULL),
	SCX_STATS_FIELD(struct dom_stats, events, SCX_STATS_U64, 0, "an event counter"),
	SCX_STATS_FIELD(struct dom_stats, pressure, SCX_STATS_FLOAT, 0, "a gauge number"),
};

#endif /* __SCX_STATS_CLIENT_H */
