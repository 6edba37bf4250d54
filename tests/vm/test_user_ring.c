// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: with the smallest channel (ring_size = the page size, room
 * for a few dozen records) a burst of 256 threads woken at once while the
 * policy is busy overflows it: BPF queues the tasks that find the ring full
 * itself (congested rises), and every thread of the burst, whichever way
 * it went, runs to its end. The scheduler stays attached (same enable_seq,
 * never exited). VM only (needs sched_ext).
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "user_util.h"

#define WD_MS	4500
#define BURST	256
#define ROUNDS	3	/* each thread sleeps and wakes again: more bursts */

static struct uu_policy pol;
static pid_t child;
static _Atomic unsigned int *done;	/* shared with the burst's process */

static void cleanup(void)
{
	if (child > 0)
		t_kill(child);
	uu_stop(&pol);
}

static pthread_barrier_t barrier;

static void *burst_thread(void *arg)
{
	volatile unsigned long n;
	int r;

	pthread_barrier_wait(&barrier);
	for (r = 0; r < ROUNDS; r++) {
		for (n = 0; n < 20000; n++)
			;
		usleep(1000);
	}
	(*done)++;
	return arg;
}

/* The burst, in a process of its own (this one's memory is locked, thread
 * stacks and all): BURST threads wait at a barrier until the parent writes
 * to go[1]. */
static void burst(int ready_fd, int go_fd)
{
	static pthread_t th[BURST];
	pthread_attr_t attr;
	char c;
	int i;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	pthread_barrier_init(&barrier, NULL, BURST + 1);
	for (i = 0; i < BURST; i++)
		if (pthread_create(&th[i], &attr, burst_thread, NULL))
			_exit(2);
	write(ready_fd, "r", 1);
	if (read(go_fd, &c, 1) != 1)
		_exit(3);
	pthread_barrier_wait(&barrier);
	for (i = 0; i < BURST; i++)
		pthread_join(th[i], NULL);
	_exit(0);
}

int main(void)
{
	struct scx_user_counters c0, c1;
	int ready[2], go[2], st = 0;
	long long seq, end;
	char c;

	t_require_sched_ext();
	t_on_fail(cleanup);
	done = mmap(NULL, sizeof(*done), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	T_ASSERT(done != MAP_FAILED, "mmap");
	T_ASSERT(!pipe(ready) && !pipe(go), "pipe");

	pol.obj = "sample_userland.bpf.o";
	pol.timeout_ms = WD_MS;
	pol.uo.ring_size = sysconf(_SC_PAGESIZE);
	/* the loop pauses below on purpose: what is tested is the full
	 * ring, not BPF taking over from a stalled loop */
	pol.uo.stall_ms = 60000;
	uu_start(&pol);
	seq = t_enable_seq();

	child = fork();
	T_ASSERT(child >= 0, "fork");
	if (child == 0)
		burst(ready[1], go[0]);
	T_ASSERT(read(ready[0], &c, 1) == 1, "the burst's process failed to start");
	c0 = uu_counters(&pol);
	/* the policy is busy elsewhere while the burst comes: the tasks'
	 * ring fills up after a few dozen records */
	pol.pause = 1;
	end = t_now_ms() + T_WAIT_MIN_MS;
	while (pol.pause != 2 && t_now_ms() < end)
		usleep(1000);
	T_ASSERT(pol.pause == 2, "the policy thread did not pause");
	T_ASSERT(write(go[1], "g", 1) == 1, "write");
	end = t_now_ms() + T_WAIT_MIN_MS;
	while (uu_counters(&pol).congested == c0.congested && t_now_ms() < end)
		usleep(1000);
	c1 = uu_counters(&pol);
	pol.pause = 0;
	T_ASSERT(c1.congested > c0.congested, "the full ring never congested (queued %llu -> %llu)",
		 (unsigned long long)c0.queued, (unsigned long long)c1.queued);
	end = t_now_ms() + T_WAIT_MIN_MS;
	while (waitpid(child, &st, WNOHANG) != child && t_now_ms() < end)
		usleep(10000);
	T_ASSERT(t_now_ms() < end || waitpid(child, &st, WNOHANG) == child,
		 "the burst never ended: %u of %d threads done", *done, BURST);
	child = 0;
	c1 = uu_counters(&pol);
	t_log("burst: %u of %d threads done, status %#x; queued %llu, congested %llu, applied %llu, "
	      "ring_full %llu, rescued %llu, fallback %llu", *done, BURST, st,
	      (unsigned long long)(c1.queued - c0.queued),
	      (unsigned long long)(c1.congested - c0.congested),
	      (unsigned long long)(c1.applied - c0.applied), (unsigned long long)c1.ring_full,
	      (unsigned long long)c1.rescued, (unsigned long long)c1.fallback);
	T_EXPECT(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the burst's process: status %#x", st);
	T_EXPECT(*done == BURST, "%u of %d threads of the burst ended", *done, BURST);
	T_EXPECT(!pol.errors, "%ld well-formed decisions refused", (long)pol.errors);
	uu_assert_attached(&pol, seq, "after the burst");
	cleanup();
	return t_failures ? T_FAIL : T_PASS;
}
