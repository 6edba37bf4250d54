// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The stats server's cost, on the host: how many `stats` requests a second
 * it answers, and how late they make the loop that serves it. The loop
 * thread ticks every TICK_US, serving the server in between as
 * scx_sched__run() does (poll on its fd, process() when readable); each
 * phase records how late each tick came. Phases, DURATION_MS each: no
 * client (the reference), then 1 and 4 client threads asking `stats` back
 * to back. The reply is the size of a real scheduler's (16 application
 * fields and a struct of 8). Prints one line per phase:
 *	stats_server clients=N req_per_s=... us_per_req=... tick_late_p50_us=...
 *	  tick_late_p99_us=... tick_late_max_us=...
 * us_per_req is the server's own work per request (scx_stats_server__usage).
 * On a 2-CPU host the clients and the loop share the CPUs, as a monitor and
 * a scheduler's loader would. Nothing is asserted.
 * Usage: bench_stats [DURATION_MS]   (default 2000)
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <scx/stats_server.h>

#define TICK_US 1000
#define MAX_CLIENTS 4
#define MAX_TICKS 200000

static char sock_path[108];
static atomic_int running;
static long long late_us[MAX_TICKS];

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int get_field(union scx_stats_value *v, void *ctx)
{
	v->u64 = (__u64)(uintptr_t)ctx * 1000003ULL + (__u64)now_us();
	return 0;
}

struct rec {
	__u64 a, b, c, d, e, f, g, h;
};

static int fill_rec(void *r, void *ctx)
{
	struct rec *rec = r;
	__u64 t = (__u64)now_us();

	(void)ctx;
	*rec = (struct rec){ t, t + 1, t + 2, t + 3, t + 4, t + 5, t + 6, t + 7 };
	return 0;
}

static const struct scx_stats_field rec_fields[] = {
	SCX_STATS_FIELD(struct rec, a, SCX_STATS_U64, 0, "field a"),
	SCX_STATS_FIELD(struct rec, b, SCX_STATS_U64, 0, "field b"),
	SCX_STATS_FIELD(struct rec, c, SCX_STATS_U64, 0, "field c"),
	SCX_STATS_FIELD(struct rec, d, SCX_STATS_U64, 0, "field d"),
	SCX_STATS_FIELD(struct rec, e, SCX_STATS_U64, 0, "field e"),
	SCX_STATS_FIELD(struct rec, f, SCX_STATS_U64, 0, "field f"),
	SCX_STATS_FIELD(struct rec, g, SCX_STATS_U64, 0, "field g"),
	SCX_STATS_FIELD(struct rec, h, SCX_STATS_U64, 0, "field h"),
};

/* A client: `stats` back to back on one connection until told to stop. */
static void *client(void *arg)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	static const char req[] = "{\"req\":\"stats\"}\n";
	char buf[8192];
	size_t have = 0;
	int fd;

	(void)arg;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memcpy(a.sun_path, sock_path, strlen(sock_path) + 1);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		fprintf(stderr, "bench_stats: connect: %s\n", strerror(errno));
		exit(1);
	}
	while (atomic_load(&running)) {
		char *nl;

		if (send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) != (ssize_t)sizeof(req) - 1)
			break;
		/* one whole reply line */
		for (;;) {
			ssize_t n = recv(fd, buf + have, sizeof(buf) - 1 - have, 0);

			if (n <= 0)
				goto out;
			have += n;
			buf[have] = 0;
			nl = strchr(buf, '\n');
			if (nl)
				break;
			if (have >= sizeof(buf) - 1) {
				fprintf(stderr, "bench_stats: reply longer than %zu bytes\n", sizeof(buf));
				exit(1);
			}
		}
		if (strncmp(buf, "{\"errno\":0,", 11)) {
			fprintf(stderr, "bench_stats: error reply: %.200s\n", buf);
			exit(1);
		}
		have -= nl + 1 - buf;
		memmove(buf, nl + 1, have);
	}
out:
	close(fd);
	return NULL;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* One phase: the loop for duration_ms with nr_clients hammering it. */
static int phase(struct scx_stats_server *srv, int nr_clients, int duration_ms)
{
	struct scx_stats_server_usage u0 = { .sz = sizeof(u0) }, u1 = { .sz = sizeof(u1) };
	pthread_t th[MAX_CLIENTS];
	long long start, end, next, t;
	struct pollfd pfd = { .fd = scx_stats_server__fd(srv), .events = POLLIN };
	struct timespec wait;
	int i, n = 0;

	atomic_store(&running, 1);
	for (i = 0; i < nr_clients; i++)
		if (pthread_create(&th[i], NULL, client, NULL)) {
			fprintf(stderr, "bench_stats: pthread_create failed\n");
			return -1;
		}
	/* let the clients connect before measuring */
	for (t = now_us() + 200000; now_us() < t;)
		scx_stats_server__process(srv, 10);
	scx_stats_server__usage(srv, &u0);
	start = now_us();
	end = start + duration_ms * 1000LL;
	next = start + TICK_US;
	while ((t = now_us()) < end) {
		if (t >= next) {
			if (n < MAX_TICKS)
				late_us[n++] = t - next;
			next += TICK_US;
			if (next <= t)
				next = t + TICK_US;
			continue;
		}
		wait = (struct timespec){ .tv_nsec = (next - t) * 1000 };
		if (ppoll(&pfd, 1, &wait, NULL) > 0)
			scx_stats_server__process(srv, 0);
	}
	scx_stats_server__usage(srv, &u1);
	t = now_us() - start;
	atomic_store(&running, 0);
	/* the clients may wait on a reply: serve until they are gone */
	while (scx_stats_server__nr_clients(srv))
		scx_stats_server__process(srv, 10);
	for (i = 0; i < nr_clients; i++)
		pthread_join(th[i], NULL);
	qsort(late_us, n, sizeof(*late_us), cmp_ll);
	{
		unsigned long long reqs = u1.requests - u0.requests;

		printf("stats_server clients=%d req_per_s=%.0f us_per_req=%.2f tick_late_p50_us=%lld "
		       "tick_late_p99_us=%lld tick_late_max_us=%lld ticks=%d\n",
		       nr_clients, reqs * 1e6 / t, reqs ? (u1.busy_ns - u0.busy_ns) / 1e3 / reqs : 0.0,
		       n ? late_us[n / 2] : 0, n ? late_us[(n * 99) / 100] : 0, n ? late_us[n - 1] : 0, n);
	}
	return 0;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/bench-stats.XXXXXX";
	int duration = argc > 1 ? atoi(argv[1]) : 2000, i, err = 0;
	struct scx_stats_server *srv;
	char name[16];

	if (duration < 100) {
		fprintf(stderr, "usage: bench_stats [DURATION_MS >= 100]\n");
		return 2;
	}
	if (!mkdtemp(dir)) {
		fprintf(stderr, "bench_stats: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(sock_path, sizeof(sock_path), "%s/stats", dir);
	srv = scx_stats_server__new(sock_path, NULL);
	if (!srv) {
		fprintf(stderr, "bench_stats: server at %s: %s\n", sock_path, strerror(errno));
		rmdir(dir);
		return 1;
	}
	for (i = 0; i < 16 && !err; i++) {
		snprintf(name, sizeof(name), "field%02d", i);
		err = scx_stats_server__add_field(srv, name, "a field of the benchmark", SCX_STATS_U64, 0,
						  get_field, (void *)(uintptr_t)i);
	}
	if (!err)
		err = scx_stats_server__add_struct(srv, "rec", "a struct of the benchmark", rec_fields,
						   sizeof(rec_fields) / sizeof(rec_fields[0]),
						   sizeof(struct rec), fill_rec, NULL);
	if (err) {
		fprintf(stderr, "bench_stats: adding fields: %s\n", strerror(-err));
		scx_stats_server__destroy(srv);
		rmdir(dir);
		return 1;
	}
	err = phase(srv, 0, duration);
	if (!err)
		err = phase(srv, 1, duration);
	if (!err)
		err = phase(srv, MAX_CLIENTS, duration);
	scx_stats_server__destroy(srv);
	rmdir(dir);
	return err ? 1 : 0;
}
