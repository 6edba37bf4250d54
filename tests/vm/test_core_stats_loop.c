// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_sched__run() serves a scheduler's statistics while the
 * scheduler schedules a load, and a client that stops reading does not hold
 * up its loop. The vtime sample's object runs under scx_sched__run() with a
 * stats server and a 10 ms stats_fn tick that records how late each tick
 * comes (the loop's own timing), while two hogs per CPU run on sched_ext.
 * A client process, written from the protocol description and sharing no
 * code with the server (tests/unit/stats_client.h), then:
 *   - reference phase: asks `stats` and `stats_meta` ROUNDS times, each
 *     reply of the documented shape, naming the scheduler, its counters
 *     growing; `scxtool stats` reads the same socket;
 *   - stall phase: floods one connection with requests and never reads,
 *     until the server has a reply it cannot send and stops reading the
 *     requests (it holds that reply through the phase: stall_ms is far
 *     beyond it), then goes on asking on another connection for STALL_MS
 *     at least and ROUNDS times at least.
 * Asserted: every reply; the stalled connection still open at the end of
 * the phase with replies queued, and fewer requests answered than sent (the
 * server was holding a reply for it and reading no more); the loop ticked on through the stall phase, its latest tick
 * late by far less than the stall lasted (a server that waited on the
 * client would hold the loop for all of it), and the same for the server's
 * own longest process() call (wall time, so the hogs' turns count in it). The ticks' lateness in each phase is
 * printed (median, 99th percentile, max), not compared: under TCG it
 * depends on the host.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <scx/scx.h>
#include <scx/stats_server.h>
#include "testlib.h"
/* The loop serves nothing while the scheduler attaches, which took over 20 s
 * in a guest under make check-loaded: the first reply may take that long. */
#define SC_GIVE_UP_MS T_WAIT_MIN_MS
/* the unit tests' helpers come with it; their object lookup is not used */
#define TEST_BUILDDIR "."
#include "../unit/stats_client.h"

#define ROUNDS 20
#define STALL_MS 8000
#define TICK_MS 10
#define MAX_TICKS 100000

enum phase { PH_WAIT, PH_REF, PH_STALL, PH_DONE };

/* Shared between the loop (parent) and the client (child). */
struct shared {
	volatile int phase;
	volatile long long asked;	/* requests the client sent, flood included */
};

struct ticks {
	long long next_ms;		/* when the next tick is due */
	int n[PH_DONE + 1];
	__u32 late_us[PH_DONE + 1][MAX_TICKS / 4];
};

static struct shared *sh;
static struct ticks tk;
static char sock[] = "/tmp/scx-stats-loop/stats";
static pid_t client = -1, hogs[64];
static int nr_hogs;

static void cleanup(void)
{
	while (nr_hogs > 0)
		t_kill(hogs[--nr_hogs]);
	if (client > 0)
		kill(client, SIGKILL);
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The loop's tick: how late it came, filed under the client's phase. */
static int tick(struct scx_sched *s, void *ctx)
{
	long long now = now_us(), late = tk.next_ms ? now - tk.next_ms * 1000 : 0;
	int ph = sh->phase;

	(void)s;
	(void)ctx;
	if (late < 0)
		late = 0;
	if (tk.n[ph] < MAX_TICKS / 4)
		tk.late_us[ph][tk.n[ph]++] = late > UINT32_MAX ? UINT32_MAX : (__u32)late;
	tk.next_ms = now / 1000 + TICK_MS;
	return ph == PH_DONE;
}

static int cmp_u32(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

/* Print the phase's lateness; returns its max in microseconds. */
static __u32 report(const char *what, int ph)
{
	int n = tk.n[ph];
	__u32 *v = tk.late_us[ph];

	if (!n) {
		printf("# %s: no ticks\n", what);
		return UINT32_MAX;
	}
	qsort(v, n, sizeof(*v), cmp_u32);
	printf("# %s: %d ticks, late by median %.2f ms, p99 %.2f ms, max %.2f ms\n", what, n,
	       v[n / 2] / 1000.0, v[(n * 99) / 100] / 1000.0, v[n - 1] / 1000.0);
	return v[n - 1];
}

/* ---- the client process ------------------------------------------------ */

#define CFAIL(...)                                      \
	do {                                            \
		printf("FAIL (client): " __VA_ARGS__);  \
		printf("\n");                           \
		return 1;                               \
	} while (0)

static char reply[1 << 20];

/* A counter's value in a `stats` reply: "name":N inside "counters":{...}. */
static long long counter_in(const char *line, const char *name)
{
	const char *c = strstr(line, "\"counters\":{"), *p;
	char key[64];

	if (!c)
		return -1;
	snprintf(key, sizeof(key), "\"%s\":", name);
	p = strstr(c, key);
	return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

/* One `stats` and one `stats_meta` on fd, both of the documented shape;
 * *enq gets counters.queued. */
static int ask_both(int fd, long long *enq)
{
	sh->asked += 2;
	if (sc_ask(NULL, fd, "{\"req\":\"stats\",\"args\":{}}\n", reply, sizeof(reply)) <= 0)
		CFAIL("no reply to stats");
	if (strncmp(reply, "{\"errno\":0,\"args\":{\"resp\":{", 27) || !strstr(reply, "\"sched\":\"vtime\"") ||
	    !strstr(reply, "\"restarts\":0") || !strstr(reply, "\"uptime_ms\":"))
		CFAIL("stats reply of the wrong shape: %.300s", reply);
	*enq = counter_in(reply, "queued");
	if (*enq < 0)
		CFAIL("no counters.queued in %.300s", reply);
	if (sc_ask(NULL, fd, "{\"req\":\"stats_meta\"}\n", reply, sizeof(reply)) <= 0)
		CFAIL("no reply to stats_meta");
	if (strncmp(reply, "{\"errno\":0,\"args\":{\"resp\":{", 27) || !strstr(reply, "\"fields\":{") ||
	    !strstr(reply, "\"desc\":"))
		CFAIL("stats_meta reply of the wrong shape: %.300s", reply);
	return 0;
}

/* ask_both() at least min times and for at least min_ms; the counter
 * never goes back. */
static int rounds(int fd, long long *enq0, int min, long long min_ms)
{
	long long t0 = sc_now_ms(), enq;
	int i;

	for (i = 0; i < min || sc_now_ms() - t0 < min_ms; i++) {
		if (ask_both(fd, &enq))
			return -1;
		if (enq < *enq0) {
			printf("FAIL (client): queued went back from %lld to %lld\n", *enq0, enq);
			return -1;
		}
		*enq0 = enq;
		poll(NULL, 0, TICK_MS);
	}
	return i;
}

static int connect_retry(void)
{
	long long end = sc_now_ms() + T_WAIT_MIN_MS;
	int fd;

	do {
		fd = sc_connect(sock);
		if (fd >= 0)
			return fd;
		poll(NULL, 0, 20);
	} while (sc_now_ms() < end);
	return fd;
}

static int client_main(void)
{
	static const char flood_req[] = "{\"req\":\"stats_meta\"}\n";
	char cmd[512], buf[8192];
	long long enq0, enq = 0, t0;
	int fd, stalled, i, rc;
	size_t flooded = 0;
	FILE *f;

	fd = connect_retry();
	if (fd < 0)
		CFAIL("cannot connect to %s: %s", sock, strerror(-fd));
	/* until the scheduler is attached and counting */
	for (t0 = sc_now_ms(); sc_now_ms() - t0 < T_WAIT_MIN_MS; poll(NULL, 0, 20)) {
		if (ask_both(fd, &enq))
			return 1;
		if (enq > 0)
			break;
	}
	if (enq <= 0)
		CFAIL("the scheduler queued nothing");

	sh->phase = PH_REF;
	enq0 = enq;
	if (rounds(fd, &enq0, ROUNDS, 0) < 0)
		return 1;
	snprintf(cmd, sizeof(cmd), "%s stats --socket %s 2>&1", t_path("scxtool"), sock);
	f = popen(cmd, "r");
	if (!f)
		CFAIL("popen %s", cmd);
	buf[fread(buf, 1, sizeof(buf) - 1, f)] = 0;
	rc = pclose(f);
	printf("# scxtool stats:\n%.600s\n", buf);
	if (rc || !strstr(buf, "vtime") || !strstr(buf, "counters.queued"))
		CFAIL("scxtool stats (status %d) did not show the scheduler and its counters", rc);

	sh->phase = PH_STALL;
	stalled = sc_connect(sock);
	if (stalled < 0)
		CFAIL("connect (stalled): %s", strerror(-stalled));
	/*
	 * Requests, never reading a reply, for as long as the server reads
	 * them: its replies fill the socket until one cannot be sent, and then
	 * it reads no more from this client (one direction at a time), so the
	 * requests stop going out for good. All of them fitting in the
	 * buffers would prove nothing.
	 */
	for (;;) {
		struct pollfd pf = { .fd = stalled, .events = POLLOUT };
		ssize_t n = send(stalled, flood_req, sizeof(flood_req) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n > 0) {
			flooded += n;
			sh->asked++;
			if (flooded > (64u << 20))
				CFAIL("the server took 64 MiB of requests without holding a reply");
			continue;
		}
		if (n < 0 && errno != EAGAIN)
			CFAIL("send (stalled): %s", strerror(errno));
		if (poll(&pf, 1, 3000) == 0)
			break;	/* 3 s without reading: the server holds a reply */
	}
	printf("# stalled client: %zu bytes of requests sent, no reply read\n", flooded);
	t0 = sc_now_ms();
	i = rounds(fd, &enq0, ROUNDS, STALL_MS);
	if (i < 0)
		return 1;
	printf("# %d rounds answered on another connection during a %lld ms stall\n", i,
	       sc_now_ms() - t0);
	/* still open, replies waiting: the server kept them, and went on */
	if (recv(stalled, buf, 1, MSG_PEEK | MSG_DONTWAIT) != 1)
		CFAIL("the stalled connection had no reply waiting (%s)", strerror(errno));
	close(stalled);
	close(fd);
	return 0;
}

int main(void)
{
	SCX_OPTS(scx_stats_server_opts, so, .stall_ms = 10 * 60 * 1000);
	SCX_OPTS(scx_run_opts, ro, .stats_interval_ms = TICK_MS, .stats_fn = tick);
	struct scx_stats_server_usage u = { .sz = sizeof(u) };
	struct scx_stats_server *srv;
	struct scx_sched *s;
	int ret, st, cpu, ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	__u32 stall_max;

	t_require_sched_ext();
	t_on_fail(cleanup);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	T_ASSERT(sh != MAP_FAILED, "mmap");
	s = scx_sched__open_file(t_path("sample_vtime.bpf.o"), NULL);
	T_ASSERT(s, "open: %s", strerror(errno));
	so.sched = s;
	srv = scx_stats_server__new(sock, &so);
	T_ASSERT(srv, "stats server at %s: %s", sock, strerror(errno));
	ro.stats_server = srv;

	for (cpu = 0; cpu < ncpu && nr_hogs + 2 <= 64; cpu++) {
		hogs[nr_hogs++] = t_spawn_spinner(cpu, 0);
		hogs[nr_hogs++] = t_spawn_spinner(cpu, 0);
	}
	client = fork();
	T_ASSERT(client >= 0, "fork");
	if (client == 0) {
		int rc = client_main();

		sh->phase = PH_DONE;
		fflush(stdout);
		_exit(rc);
	}
	ret = scx_sched__run(s, &ro);
	T_ASSERT(waitpid(client, &st, 0) == client, "waitpid");
	client = -1;
	cleanup();
	T_EXPECT(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the client failed (status 0x%x)", st);
	T_EXPECT(ret == SCX_EXIT_UNREG, "run returned %d, not a stop (exited: %s)", ret,
		 scx_sched__exited(s) ? "yes" : "no");
	T_ASSERT(t_wait_state("disabled", 10000), "not disabled after the stop");

	report("reference phase", PH_REF);
	stall_max = report("stall phase", PH_STALL);
	T_ASSERT(scx_stats_server__usage(srv, &u) == (int)sizeof(u), "usage");
	printf("# server: %llu process() calls, %llu requests, %.2f ms busy in all, longest call %.3f ms, "
	       "%llu connections, %llu dropped stalled\n",
	       (unsigned long long)u.calls, (unsigned long long)u.requests, u.busy_ns / 1e6,
	       u.max_call_ns / 1e6, (unsigned long long)u.accepted,
	       (unsigned long long)u.dropped_stalled);
	T_EXPECT(tk.n[PH_STALL] >= ROUNDS, "the loop ticked %d times in the stall phase", tk.n[PH_STALL]);
	T_EXPECT(stall_max < STALL_MS * 1000 / 2,
		 "a tick came %.1f ms late during a %d ms stall: the loop waited on the client",
		 stall_max / 1000.0, STALL_MS);
	/* wall time: includes the hogs' turns on this CPU */
	T_EXPECT(u.max_call_ns < STALL_MS * 1000000ULL / 2, "a process() call took %.1f ms during a %d ms stall",
		 u.max_call_ns / 1e6, STALL_MS);
	T_EXPECT(u.dropped_stalled == 0 && u.accepted >= 2, "the stalled client was dropped or never came");
	/* requests left unanswered: the server held a reply and read no more */
	T_EXPECT((long long)u.requests < sh->asked, "all %lld requests were answered: the stalled client "
		 "never made the server hold a reply", sh->asked);
	scx_stats_server__destroy(srv);
	scx_sched__destroy(s);
	if (t_failures) {
		printf("FAIL: %d check(s) failed\n", t_failures);
		return T_FAIL;
	}
	return T_PASS;
}
