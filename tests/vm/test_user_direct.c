// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_user_opts.direct_idle. With it, a worker that sleeps and
 * wakes 100 times on an otherwise idle guest runs on idle CPUs without a
 * round trip: fewer than half of its wakeups reach the policy as records
 * and the direct_idle counter covers at least half of them; then, with two
 * CPU hogs per CPU, every hog is still decided by the policy (a record of
 * each reaches it) and runs, while a pair per CPU of processes bouncing a
 * byte over two pipes (synchronous wakeups onto the waker's CPU) sends fewer
 * than half of its wakeups to the policy and every hog keeps getting CPU
 * time meanwhile (the pair takes the rest of its waker's slice, not a new
 * one), and a task the policy thread preempts on waking (no CPU is idle)
 * resumes without a round trip (resumed rises). Without it, on the next
 * attach, the counter stays 0 and at least
 * half of the worker's and the pair's wakeups reach the policy. Wakeups
 * are the processes' voluntary context switches (wait4's rusage). VM only.
 */
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "user_util.h"

#define WAKEUPS	100
#define MAX_HOGS 16

static _Atomic int worker_pid, pair_pids[MAX_HOGS];
static _Atomic long worker_wake_records, pair_wake_records;
static int hog_pids[MAX_HOGS], nr_hogs, hogs_ran;
static long long hog_ns[MAX_HOGS];
static _Atomic long hog_records[MAX_HOGS];
static struct uu_policy pol;
static int nr_pairs;

static bool is_pair(int pid)
{
	int i;

	for (i = 0; i < 2 * nr_pairs; i++)
		if (pair_pids[i] == pid)
			return true;
	return false;
}

static void cleanup(void)
{
	int i;

	for (i = 0; i < nr_hogs; i++)
		t_kill(hog_pids[i]);
	for (i = 0; i < MAX_HOGS; i++)
		if (pair_pids[i] > 0)
			t_kill(pair_pids[i]);
	uu_stop(&pol);
}

/* In the policy thread: count, and let the ordinary decision follow. */
static bool on_task(struct uu_policy *p, const struct scx_user_task *t)
{
	int i;

	if (t->pid == worker_pid && (t->enq_flags & SCX_USER_ENQ_WAKEUP))
		worker_wake_records++;
	if (is_pair(t->pid) && (t->enq_flags & SCX_USER_ENQ_WAKEUP))
		pair_wake_records++;
	for (i = 0; i < nr_hogs; i++)
		if (t->pid == hog_pids[i])
			hog_records[i]++;
	return false;
}

/* The worker's wakeups: WAKEUPS sleeps, each followed by a little work. */
static long run_worker(void)
{
	struct rusage ru;
	int st, go[2];
	pid_t pid;
	char c;

	T_ASSERT(!pipe(go), "pipe");
	worker_wake_records = 0;
	pid = fork();
	T_ASSERT(pid >= 0, "fork");
	if (pid == 0) {
		volatile unsigned long n;
		int i;

		/* once its pid is known to the policy thread */
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		for (i = 0; i < WAKEUPS; i++) {
			usleep(2000);
			for (n = 0; n < 20000; n++)
				;
		}
		_exit(0);
	}
	worker_pid = pid;
	T_ASSERT(write(go[1], "g", 1) == 1, "start the worker");
	close(go[0]);
	close(go[1]);
	T_ASSERT(wait4(pid, &st, 0, &ru) == pid, "wait4");
	worker_pid = 0;
	T_ASSERT(WIFEXITED(st) && !WEXITSTATUS(st), "worker status %#x", st);
	return ru.ru_nvcsw;
}

/* One pair per CPU: two processes bounce a byte ROUNDS times over two
 * pipes. Returns the pairs' wakeups. They start together, once every pid is
 * known. */
#define ROUNDS 1000
static long run_pairs(void)
{
	int ab[2] = { -1, -1 }, ba[2] = { -1, -1 }, go[2], i, k, st;
	long wakes = 0;
	struct rusage ru;
	char c = 0;

	T_ASSERT(!pipe(go), "pipe");
	pair_wake_records = 0;
	for (k = 0; k < 2 * nr_pairs; k++) {
		pid_t pid;

		if (!(k & 1))
			T_ASSERT(!pipe(ab) && !pipe(ba), "pipe");
		pid = fork();
		T_ASSERT(pid >= 0, "fork");
		if (pid == 0) {
			int in = k & 1 ? ab[0] : ba[0], out = k & 1 ? ba[1] : ab[1];

			if (read(go[0], &c, 1) != 1)
				_exit(2);
			for (i = 0; i < ROUNDS; i++) {
				if (!(k & 1) && write(out, &c, 1) != 1)
					_exit(3);
				if (read(in, &c, 1) != 1)
					_exit(4);
				if ((k & 1) && write(out, &c, 1) != 1)
					_exit(3);
			}
			_exit(0);
		}
		pair_pids[k] = pid;
		if (k & 1) {
			close(ab[0]), close(ab[1]), close(ba[0]), close(ba[1]);
		}
	}
	for (k = 0; k < 2 * nr_pairs; k++)
		T_ASSERT(write(go[1], "g", 1) == 1, "start the pairs");
	/* the hogs' CPU time while the pairs bounce */
	for (k = 0; k < nr_hogs; k++)
		hog_ns[k] = t_task_runtime_ns(hog_pids[k]);
	for (k = 0; k < 2 * nr_pairs; k++) {
		T_ASSERT(wait4(pair_pids[k], &st, 0, &ru) == pair_pids[k], "wait4");
		T_ASSERT(WIFEXITED(st) && !WEXITSTATUS(st), "pair process status %#x", st);
		wakes += ru.ru_nvcsw;
	}
	for (k = 0, hogs_ran = 0; k < nr_hogs; k++)
		hogs_ran += t_task_runtime_ns(hog_pids[k]) > hog_ns[k];
	memset(pair_pids, 0, sizeof(pair_pids));
	close(go[0]);
	close(go[1]);
	return wakes;
}

static void start(bool direct)
{
	memset(&pol, 0, sizeof(pol));
	pol.obj = "sample_userland.bpf.o";
	pol.timeout_ms = 30000;
	pol.uo.direct_idle = direct;
	pol.on_task = on_task;
	uu_start(&pol);
}

int main(void)
{
	struct scx_user_counters c0, c1;
	long long seq0, seq, end, t0;
	long wakes;
	int i, done;

	t_require_sched_ext();
	t_on_fail(cleanup);

	/* direct_idle: wakeups onto idle CPUs skip the policy */
	seq0 = t_enable_seq();
	start(true);
	T_ASSERT(t_wait_enabled_after(seq0, T_WAIT_MIN_MS), "the scheduler did not enable");
	seq = t_enable_seq();
	c0 = uu_counters(&pol);
	wakes = run_worker();
	c1 = uu_counters(&pol);
	t_log("direct_idle on: worker woke %ld times, %ld records reached the policy; "
	      "direct_idle %llu -> %llu", wakes, (long)worker_wake_records,
	      (unsigned long long)c0.direct_idle, (unsigned long long)c1.direct_idle);
	T_ASSERT(wakes >= WAKEUPS / 2, "the worker switched out only %ld times", wakes);
	T_EXPECT(worker_wake_records < wakes / 2, "%ld of %ld wakeups went to the policy",
		 (long)worker_wake_records, wakes);
	T_EXPECT(c1.direct_idle - c0.direct_idle >= (__u64)wakes / 2,
		 "direct_idle rose by %llu for %ld wakeups",
		 (unsigned long long)(c1.direct_idle - c0.direct_idle), wakes);

	/* contended: the policy decides every hog */
	nr_hogs = 2 * (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (nr_hogs > MAX_HOGS)
		nr_hogs = MAX_HOGS;
	nr_pairs = nr_hogs / 2;
	for (i = 0; i < nr_hogs; i++) {
		hog_pids[i] = t_spawn_spinner(-1, 0);
		T_ASSERT(hog_pids[i] > 0, "spawn a hog");
	}
	t0 = t_now_ms();
	end = t_now_ms() + T_WAIT_MIN_MS;
	do {
		for (i = 0, done = 0; i < nr_hogs; i++)
			done += hog_records[i] > 0 && t_task_runtime_ns(hog_pids[i]) > 0;
		if (done < nr_hogs)
			usleep(20000);
	} while (done < nr_hogs && t_now_ms() < end);
	T_EXPECT(done == nr_hogs, "%d of %d hogs were decided by the policy and ran", done,
		 nr_hogs);
	t_log("hogs decided after %lld ms", t_now_ms() - t0);
	t0 = t_now_ms();
	c0 = uu_counters(&pol);
	wakes = run_pairs();
	c1 = uu_counters(&pol);
	done = hogs_ran;
	t_log("direct_idle on, %d hogs: the pairs woke %ld times in %lld ms, %ld records reached "
	      "the policy; %d hogs ran meanwhile; %llu tasks the policy thread preempted resumed",
	      nr_hogs, wakes, t_now_ms() - t0, (long)pair_wake_records, done,
	      (unsigned long long)(c1.resumed - c0.resumed));
	/* no CPU is idle when the policy thread wakes: it preempts one, and
	 * that task goes on afterwards without a record */
	T_EXPECT(c1.resumed > c0.resumed, "no task the policy thread preempted resumed");
	T_EXPECT(pair_wake_records < wakes / 2, "%ld of the pair's %ld wakeups went to the policy",
		 (long)pair_wake_records, wakes);
	T_EXPECT(done == nr_hogs, "only %d of %d hogs ran while the pair bounced", done, nr_hogs);
	uu_assert_attached(&pol, seq, "with the hogs");
	for (i = 0; i < nr_hogs; i++)
		t_kill(hog_pids[i]);
	nr_hogs = 0;
	uu_stop(&pol);

	/* without it: every wakeup is decided */
	seq0 = t_enable_seq();
	start(false);
	T_ASSERT(t_wait_enabled_after(seq0, T_WAIT_MIN_MS), "the scheduler did not enable again");
	c0 = uu_counters(&pol);
	wakes = run_worker();
	c1 = uu_counters(&pol);
	t_log("direct_idle off: worker woke %ld times, %ld records reached the policy; "
	      "direct_idle %llu -> %llu", wakes, (long)worker_wake_records,
	      (unsigned long long)c0.direct_idle, (unsigned long long)c1.direct_idle);
	T_EXPECT(c1.direct_idle == 0, "direct_idle is %llu with the option off",
		 (unsigned long long)c1.direct_idle);
	T_EXPECT(worker_wake_records >= wakes / 2, "only %ld of %ld wakeups went to the policy",
		 (long)worker_wake_records, wakes);
	t0 = t_now_ms();
	wakes = run_pairs();
	t_log("direct_idle off: the pairs woke %ld times in %lld ms, %ld records reached the policy",
	      wakes, t_now_ms() - t0, (long)pair_wake_records);
	T_EXPECT(pair_wake_records >= wakes / 2, "only %ld of the pair's %ld wakeups went to the policy",
		 (long)pair_wake_records, wakes);
	uu_stop(&pol);
	return t_failures ? T_FAIL : T_PASS;
}
