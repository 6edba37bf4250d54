// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * msgpat: message and process patterns that stress a scheduler's wakeup path
 * in ways msgbench (many senders streaming into buffered sockets) does not.
 * One pattern per run, for a fixed time rather than a fixed amount of work,
 * so that a slow scheduler cannot stretch the bench; ops are counted by the
 * workers in a shared page and summed when the time is up:
 *
 *   pingpong  W pairs of processes bounce one byte over a pair of pipes: each
 *             op is a round trip, two synchronous wakeups
 *   futex     a ring of W processes, each waking the next through a futex
 *             word (one token goes round): each op is one wake
 *   fanout    one process sends a message to each of W workers over UNIX
 *             socketpairs and waits for all W replies: each op is one
 *             message delivered to a worker
 *   fanin     W clients each send a request to one server over their own
 *             socketpair and wait for its reply; the server polls all of
 *             them: each op is one request answered
 *   forkexec  W job slots, as make -jW, each forking and exec'ing a short
 *             compiler-like child (this binary again, -C: it touches 256 KiB
 *             and sums it) and reaping it: each op is one child done
 *
 * Prints one line:
 *	msgpat pattern=P workers=W ops=N secs=S ops_per_s=R
 * Built static: the bench guest is busybox only.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "benchio.h"

#define MAX_WORKERS 256

/* One cache line per counter: workers on different CPUs must not contend. */
struct slot {
	volatile long long ops;
	char pad[56];
};

struct shared {
	volatile int stop;
	unsigned int ring[MAX_WORKERS];	/* futex words: 1 = your turn */
	struct slot cnt[MAX_WORKERS + 1];
};

static struct shared *sh;
static int start_fd;

/* Every worker blocks here until the parent closes the start pipe. */
static void wait_start(void)
{
	char c;

	while (read(start_fd, &c, 1) < 0 && errno == EINTR)
		;
}

static void count(int i)
{
	__atomic_fetch_add(&sh->cnt[i].ops, 1, __ATOMIC_RELAXED);
}

static int stopped(void)
{
	return __atomic_load_n(&sh->stop, __ATOMIC_RELAXED);
}

static long futex(unsigned int *uaddr, int op, unsigned int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

static void pingpong(int i)
{
	int ab[2], ba[2];
	char c = 'p';

	if (pipe(ab) || pipe(ba))
		_exit(1);
	if (fork() == 0) {	/* the responder: echoes until the pipe closes */
		close(ab[1]);
		close(ba[0]);
		wait_start();
		while (bench_io(ab[0], &c, 1, 0) == 0 && bench_io(ba[1], &c, 1, 1) == 0)
			;
		_exit(0);
	}
	close(ab[0]);
	close(ba[1]);
	wait_start();
	while (!stopped()) {
		if (bench_io(ab[1], &c, 1, 1) || bench_io(ba[0], &c, 1, 0))
			_exit(1);
		count(i);
	}
	close(ab[1]);
	wait(NULL);
	_exit(0);
}

static void futex_ring(int i, int w)
{
	unsigned int *me = &sh->ring[i], *next = &sh->ring[(i + 1) % w];

	wait_start();
	for (;;) {
		/* Sleep while the word is 0; a wake or a changed word returns. */
		while (__atomic_load_n(me, __ATOMIC_ACQUIRE) == 0 && !stopped())
			futex(me, FUTEX_WAIT, 0);
		if (stopped())
			_exit(0);
		__atomic_store_n(me, 0, __ATOMIC_RELAXED);
		count(i);
		__atomic_store_n(next, 1, __ATOMIC_RELEASE);
		futex(next, FUTEX_WAKE, 1);
	}
}

/* A worker of fanout or a client of fanin: the same request/reply loop. */
static void echo_peer(int fd, int client, int i)
{
	char buf[64] = { 0 };

	wait_start();
	for (;;) {
		if (client && stopped())
			break;
		if (client && bench_io(fd, buf, sizeof(buf), 1))
			_exit(1);
		if (bench_io(fd, buf, sizeof(buf), 0))
			break;	/* the other side closed: the run is over */
		if (!client && bench_io(fd, buf, sizeof(buf), 1))
			_exit(1);
		count(i);
	}
	_exit(0);
}

/* w peers running echo_peer, each on its own socketpair; fd[k] is our end. */
static void spawn_peers(int w, int client, int *fd)
{
	for (int k = 0; k < w; k++) {
		int sp[2];

		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp))
			_exit(1);
		if (fork() == 0) {
			close(sp[0]);
			echo_peer(sp[1], client, k);
		}
		close(sp[1]);
		fd[k] = sp[0];
	}
}

static void fanout(int w)
{
	int fd[MAX_WORKERS];
	char buf[64] = { 0 };

	spawn_peers(w, 0, fd);
	wait_start();
	while (!stopped()) {
		for (int k = 0; k < w; k++)
			if (bench_io(fd[k], buf, sizeof(buf), 1))
				_exit(1);
		for (int k = 0; k < w; k++)
			if (bench_io(fd[k], buf, sizeof(buf), 0))
				_exit(1);
	}
	for (int k = 0; k < w; k++)
		close(fd[k]);
	while (wait(NULL) > 0)
		;
	_exit(0);
}

static void fanin(int w)
{
	struct pollfd pfd[MAX_WORKERS];
	char buf[64];
	int fd[MAX_WORKERS], open = w;

	spawn_peers(w, 1, fd);
	for (int k = 0; k < w; k++)
		pfd[k] = (struct pollfd){ .fd = fd[k], .events = POLLIN };
	wait_start();
	/* Serve until every client has hung up (they stop on sh->stop). */
	while (open > 0) {
		if (poll(pfd, w, -1) < 0) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		for (int k = 0; k < w; k++) {
			if (pfd[k].fd < 0 || !pfd[k].revents)
				continue;
			if (bench_io(pfd[k].fd, buf, sizeof(buf), 0) || bench_io(pfd[k].fd, buf, sizeof(buf), 1)) {
				close(pfd[k].fd);
				pfd[k].fd = -1;
				open--;
			}
		}
	}
	while (wait(NULL) > 0)
		;
	_exit(0);
}

/* The compiler-like child: a heap to touch and something to compute. */
static int compile_child(void)
{
	size_t n = 256 * 1024;
	unsigned char *p = malloc(n);
	unsigned long sum = 0;

	if (!p)
		return 1;
	for (size_t k = 0; k < n; k++)
		p[k] = (unsigned char)(k * 31);
	for (size_t k = 0; k < n; k += 8)
		sum = sum * 131 + p[k];
	free(p);
	return sum == 1;	/* never: keeps the loops from being dropped */
}

static void forkexec(int i, const char *self)
{
	wait_start();
	while (!stopped()) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			_exit(1);
		if (pid == 0) {
			execl(self, "msgpat", "-C", (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			_exit(1);
		count(i);
	}
	_exit(0);
}

static void usage(FILE *f)
{
	fputs("usage: msgpat [-t MS] [-w WORKERS] pingpong|futex|fanout|fanin|forkexec\n"
	      "  -t MS       how long to run (default 500)\n"
	      "  -w WORKERS  pairs, ring size, fan width or job slots (default: online CPUs)\n", f);
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "pingpong", "futex", "fanout", "fanin", "forkexec" };
	int ms = 500, w = (int)sysconf(_SC_NPROCESSORS_ONLN), opt, pat = -1, start[2], fail = 0, status;
	char self[PATH_MAX];
	long long ops = 0;
	double t0, t1;
	ssize_t len;

	while ((opt = getopt(argc, argv, "t:w:Ch")) != -1) {
		switch (opt) {
		case 't': ms = atoi(optarg); break;
		case 'w': w = atoi(optarg); break;
		case 'C': return compile_child();
		default: usage(opt == 'h' ? stdout : stderr); return opt == 'h' ? 0 : 2;
		}
	}
	for (int k = 0; optind < argc && k < 5; k++)
		if (!strcmp(argv[optind], names[k]))
			pat = k;
	if (pat < 0 || ms < 1 || w < 1 || w > MAX_WORKERS || (pat == 1 && w < 2)) {
		usage(stderr);
		return 2;
	}
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0) {
		perror("msgpat: /proc/self/exe");
		return 1;
	}
	self[len] = 0;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || pipe(start))
		return 1;
	start_fd = start[0];
	sh->ring[0] = 1;	/* the futex ring's one token */
	/* A worker that hangs (a lost wakeup) must not hang the bench. */
	alarm(ms / 1000 + 60);

	/* Workers: one process per pair/ring member/slot, or one leader for the fans. */
	for (int i = 0; i < (pat == 2 || pat == 3 ? 1 : w); i++) {
		if (fork() == 0) {
			close(start[1]);
			alarm(ms / 1000 + 60);	/* not inherited across fork */
			switch (pat) {
			case 0: pingpong(i); break;
			case 1: futex_ring(i, w); break;
			case 2: fanout(w); break;
			case 3: fanin(w); break;
			case 4: forkexec(i, self); break;
			}
			_exit(1);
		}
	}
	close(start[0]);
	usleep(200 * 1000);	/* let every worker reach its start read */
	t0 = bench_now_s();
	close(start[1]);
	usleep(ms * 1000);
	for (int i = 0; i <= MAX_WORKERS; i++)
		ops += __atomic_load_n(&sh->cnt[i].ops, __ATOMIC_RELAXED);
	t1 = bench_now_s();
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	/* Wake the whole ring so that every member sees stop. */
	for (int i = 0; pat == 1 && i < w; i++) {
		__atomic_store_n(&sh->ring[i], 1, __ATOMIC_RELEASE);
		futex(&sh->ring[i], FUTEX_WAKE, INT_MAX);
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			fail = 1;
	if (fail) {
		fprintf(stderr, "msgpat: a %s worker failed\n", names[pat]);
		return 1;
	}
	printf("msgpat pattern=%s workers=%d ops=%lld secs=%.4f ops_per_s=%.0f\n", names[pat], w, ops,
	       t1 - t0, ops / (t1 - t0));
	return 0;
}
