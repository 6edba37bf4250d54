// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: a user-space policy (scx/user.h, its own loop in a thread of
 * this test, userland's BPF half) schedules every runnable task: fork, exec
 * and thread churn for three watchdog periods with no ejection; a task
 * pinned to one CPU and one re-pinned from CPU to CPU while runnable each
 * make progress where they are allowed; the scheduling thread takes no
 * page fault (its /proc minflt and majflt, and the runtime's own count)
 * while another process allocates and touches most of the free memory.
 * Decisions held back while their task was re-pinned, reniced or killed are
 * dropped and counted (stale, unknown). Bad decisions get -EINVAL from the
 * library (pid 0, a CPU out of range, flags, a slice past 10 s) or BPF's
 * documented correction (a pid naming no task: unknown; a CPU outside the
 * task's mask: corrected; slice 0: applied with the default slice). The
 * scheduler stays attached throughout (same enable_seq, never exited).
 * VM only (needs two CPUs and sched_ext).
 */
#include <signal.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "user_util.h"

#define WD_MS 4500		/* the stress layer's watchdog: adversarial, and
				 * above 7.3's 4096 ms rescue threshold */

/* The workers, each a process counting its own progress in shared memory. */
enum { W_EXEC, W_THREAD, W_FORK, W_PINNED, W_REPIN, W_RENICE, W_KILL, W_BAD, W_PRESSURE, NW };
static const char *const wname[NW] = {
	"exec-churn", "thread-churn", "fork-churn", "pinned", "re-pinned", "reniced", "killed",
	"bad-decisions", "memory-pressure",
};

struct area {
	_Atomic int start;		/* the scheduler is attached: work */
	_Atomic int go;			/* the memory pressure may start */
	_Atomic unsigned long long count[NW];
	_Atomic int cpu[NW];		/* where it last counted */
};
static struct area *area;
static pid_t wpid[NW];
static struct uu_policy pol;

/* The held decision of the stale cases: the first record of hold_pid is
 * kept back (hold 1 -> 2); the test provokes, then lets it go (3 -> 4). */
static _Atomic int hold_pid, hold, held_ret, later;
static struct scx_user_dispatch held;

/* The bad decisions, made in the policy thread (the user ring has one
 * producer) for the first record of bad_pid. */
#define NO_TASK_PID 0x7ffffff0	/* above PID_MAX_LIMIT: never a task */
static _Atomic int bad_pid, bad_state;
static int nr_cpus;
static struct bad {
	const char *what;
	struct scx_user_dispatch d;	/* pid 0: the task's (but for "pid 0") */
	int want;	/* scx_user__dispatch()'s return */
	int got;
} bad[] = {
	{ .what = "pid 0", .d = { 0 }, .want = -EINVAL },
	{ .what = "pid -5", .d = { .pid = -5 }, .want = -EINVAL },
	{ .what = "cpu nr_cpu_ids", .d = { 0 }, .want = -EINVAL },	/* cpu set at run time */
	{ .what = "cpu -2", .d = { .cpu = -2 }, .want = -EINVAL },
	{ .what = "cpu 4096", .d = { .cpu = 4096 }, .want = -EINVAL },
	{ .what = "flags 1", .d = { .flags = 1 }, .want = -EINVAL },
	{ .what = "slice 11 s", .d = { .slice_ns = 11000000000ULL }, .want = -EINVAL },
	{ .what = "a pid naming no task", .d = { .pid = NO_TASK_PID }, .want = 0 },
	/* last: the real decision, a CPU outside its mask and no slice */
	{ .what = "cpu outside the mask, slice 0", .d = { .cpu = 1 }, .want = 0 },
};
#define NR_BAD (sizeof(bad) / sizeof(bad[0]))
#define NR_REFUSED 7

static bool on_task(struct uu_policy *p, const struct scx_user_task *t)
{
	unsigned int i;

	if (t->pid == hold_pid && hold == 1) {
		held = (struct scx_user_dispatch){ .pid = t->pid, .seq = t->seq,
						   .cpu = SCX_USER_CPU_ANY };
		hold = 2;
		return true;
	}
	if (t->pid == hold_pid && hold >= 2)
		later++;
	if (t->pid == bad_pid && bad_state == 1) {
		for (i = 0; i < NR_BAD; i++) {
			struct scx_user_dispatch d = bad[i].d;

			if (!d.pid && i != 0)
				d.pid = t->pid;
			if (!strcmp(bad[i].what, "cpu nr_cpu_ids"))
				d.cpu = nr_cpus;
			d.seq = t->seq;
			bad[i].got = scx_user__dispatch(p->u, &d);
		}
		bad_state = 2;
		return true;
	}
	return false;
}

static void on_turn(struct uu_policy *p)
{
	if (hold == 3) {
		held_ret = scx_user__dispatch(p->u, &held);
		hold = 4;
	}
}

/* ---- workers ---------------------------------------------------------- */

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static void spin_us(int us)
{
	long long end = now_us() + us;

	while (now_us() < end)
		;
}

static void *short_thread(void *arg)
{
	spin_us(50);
	return arg;
}

static void pin(pid_t pid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	T_ASSERT(!sched_setaffinity(pid, sizeof(set), &set), "pin %d to cpu %d: %s", pid, cpu,
		 strerror(errno));
}

static void count(int w)
{
	area->cpu[w] = sched_getcpu();
	area->count[w]++;
}

static void pressure(void)
{
	char line[256];
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");
	size_t size, i;
	char *m;
	int pass;

	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "MemAvailable: %llu kB", &kb);
	if (f)
		fclose(f);
	while (!area->go)
		usleep(1000);
	/* half of it: the guest has no swap and its root is a ramfs, whose
	 * pages MemAvailable counts as cache but nothing can evict, so 3/4
	 * left the toucher crawling through reclaim for over a minute */
	size = kb * 1024 / 2;
	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!kb || m == MAP_FAILED)
		_exit(2);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < size; i += 4096)
			m[i] = pass + 1;
		count(W_PRESSURE);
	}
	munmap(m, size);
	_exit(0);
}

static void worker(int w)
{
	pthread_t th[4];
	pid_t c;
	int i;

	while (!area->start)
		usleep(1000);
	if (w == W_PRESSURE)
		pressure();
	if (w == W_PINNED)
		pin(0, 1);
	if (w == W_BAD)
		pin(0, 0);	/* its bad decision names CPU 1 */
	for (;;) {
		switch (w) {
		case W_EXEC:
			c = fork();
			if (c == 0) {
				execl("/proc/self/exe", "test_user_loop", "nop", (char *)NULL);
				_exit(127);
			}
			waitpid(c, NULL, 0);
			break;
		case W_THREAD:
			for (i = 0; i < 4; i++)
				if (pthread_create(&th[i], NULL, short_thread, NULL))
					th[i] = 0;
			for (i = 0; i < 4; i++)
				if (th[i])
					pthread_join(th[i], NULL);
			break;
		case W_FORK:
			c = fork();
			if (c == 0) {
				spin_us(300);
				_exit(0);
			}
			waitpid(c, NULL, 0);
			break;
		case W_PINNED:
		case W_REPIN:
			spin_us(1000);	/* CPU-bound: enqueued when its slice ends */
			break;
		default:
			/* wakes every millisecond: a record per wakeup */
			spin_us(100);
			usleep(1000);
		}
		count(w);
	}
}

static pid_t start_worker(int w)
{
	pid_t pid = fork();

	T_ASSERT(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0)
		worker(w);
	return pid;
}

static void cleanup(void)
{
	int w;

	for (w = 0; w < NW; w++)
		if (wpid[w] > 0)
			t_kill(wpid[w]);
	uu_stop(&pol);
}

/* Wait (at least T_WAIT_MIN_MS) until worker w counted past n. */
static bool wait_count(int w, unsigned long long n)
{
	long long end = t_now_ms() + T_WAIT_MIN_MS;

	while (area->count[w] <= n && t_now_ms() < end)
		usleep(10000);
	return area->count[w] > n;
}

static unsigned long long policy_faults(void)
{
	char path[64];
	unsigned long long v[3];

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", pol.tid);
	/* minflt is field 10, majflt 12 (11 is cminflt) */
	T_ASSERT(t_stat_fields(path, 10, 3, v), "read %s", path);
	return v[0] + v[2];
}

/* cond is evaluated once per try and its last value returned: a second
 * evaluation after success lost waitpid()'s reaping (the child, reaped,
 * then "never exited"). */
#define WAIT_FOR(cond) ({						\
	long long ___end = t_now_ms() + T_WAIT_MIN_MS;			\
	bool ___ok;							\
	while (!(___ok = (cond)) && t_now_ms() < ___end)		\
		usleep(10000);						\
	___ok;								\
})

/* Hold the next decision for worker w, provoke() while it is held, then
 * send it. */
static void stale_case(int w, void (*provoke)(pid_t), bool needs_later)
{
	hold = 0;
	later = 0;
	hold_pid = wpid[w];
	hold = 1;
	T_ASSERT(WAIT_FOR(hold == 2), "%s: no record came to hold", wname[w]);
	provoke(wpid[w]);
	/* the provocation parked it again: a newer record, decided as usual */
	if (needs_later)
		T_ASSERT(WAIT_FOR(later > 0), "%s: no newer record after the provocation", wname[w]);
	hold = 3;
	T_ASSERT(WAIT_FOR(hold == 4), "%s: the held decision was not sent", wname[w]);
	T_ASSERT(held_ret == 0, "%s: sending the held decision: %s", wname[w], strerror(-held_ret));
	hold_pid = 0;
}

static void repin_other(pid_t pid)
{
	pin(pid, area->cpu[W_RENICE] == 0 ? 1 : 0);
}

static void renice(pid_t pid)
{
	T_ASSERT(!setpriority(PRIO_PROCESS, pid, 5), "renice: %s", strerror(errno));
}

static void kill_it(pid_t pid)
{
	kill(pid, SIGKILL);
	/* it exits once it runs (BPF rescues a task parked for a second) */
	T_ASSERT(WAIT_FOR(waitpid(pid, NULL, WNOHANG) == pid), "the killed worker never exited");
	wpid[W_KILL] = 0;
}

int main(int argc, char **argv)
{
	struct scx_user_counters c0, c1;
	unsigned long long f0, f1, n0[NW];
	long long seq, end;
	int w, repins = 0;
	unsigned int i;

	if (argc > 1 && !strcmp(argv[1], "nop"))
		return 0;	/* exec-churn's target */
	t_require_sched_ext();
	nr_cpus = libbpf_num_possible_cpus();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		printf("needs two CPUs\n");
		return T_SKIP;
	}
	t_on_fail(cleanup);
	/* before anything is locked: the workers share it, and mmap after
	 * scx_user__new() would be locked memory */
	area = mmap(NULL, sizeof(*area), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	T_ASSERT(area != MAP_FAILED, "mmap");

	/* The workers are forked before the runtime locks this process's
	 * memory, and wait: a fork after it would leave this process's pages
	 * copy-on-write, and the scheduling thread's next write to each
	 * would fault (and, under memory pressure, reclaim). */
	for (w = 0; w < NW; w++)
		wpid[w] = start_worker(w);
	pol.obj = "sample_userland.bpf.o";
	pol.timeout_ms = WD_MS;
	pol.on_task = on_task;
	pol.on_turn = on_turn;
	uu_start(&pol);
	seq = t_enable_seq();
	t_log("attached (enable_seq %lld), policy thread %d", seq, pol.tid);

	/* 1. churn, pinned and re-pinned tasks, memory pressure */
	area->start = 1;
	for (w = 0; w < NW; w++)
		T_ASSERT(w == W_PRESSURE || wait_count(w, 0), "%s never ran", wname[w]);
	f0 = policy_faults();
	c0 = uu_counters(&pol);
	for (w = 0; w < NW; w++)
		n0[w] = area->count[w];
	area->go = 1;
	t_log("churn for %d ms with memory pressure", 3 * WD_MS);
	end = t_now_ms() + 3 * WD_MS;
	/* the re-pinned task moves between the CPUs while runnable, and must
	 * count on each where it was sent */
	while (t_now_ms() < end || repins < 4) {
		unsigned long long n = area->count[W_REPIN];
		int to = repins % 2;

		pin(wpid[W_REPIN], to);
		repins++;
		T_ASSERT(WAIT_FOR(area->count[W_REPIN] > n + 2 && area->cpu[W_REPIN] == to),
			 "re-pin %d to cpu %d: no progress there (count %llu -> %llu, on cpu %d)",
			 repins, to, n, (unsigned long long)area->count[W_REPIN], area->cpu[W_REPIN]);
		uu_assert_attached(&pol, seq, "churn");
	}
	/* both passes over the memory, within the measured window; the
	 * process itself is reaped with the others (its exit, freeing half
	 * the guest's memory, was seen to outlast a minute under TCG) */
	T_ASSERT(WAIT_FOR(area->count[W_PRESSURE] == 2),
		 "memory pressure: %llu of 2 passes", (unsigned long long)area->count[W_PRESSURE]);
	f1 = policy_faults();
	c1 = uu_counters(&pol);
	for (w = 0; w < NW; w++) {
		t_log("%-16s %llu -> %llu (cpu %d)", wname[w], n0[w],
		      (unsigned long long)area->count[w], area->cpu[w]);
		T_EXPECT(area->count[w] > n0[w], "%s made no progress", wname[w]);
	}
	T_EXPECT(area->cpu[W_PINNED] == 1, "the pinned task counted on cpu %d", area->cpu[W_PINNED]);
	t_log("policy thread faults %llu -> %llu; runtime's count %llu -> %llu; %d re-pins",
	      f0, f1, (unsigned long long)c0.faults, (unsigned long long)c1.faults, repins);
	T_EXPECT(f1 == f0, "the scheduling thread faulted %llu times under pressure", f1 - f0);
	T_EXPECT(c1.faults == 0, "scx_user_counters.faults %llu -> %llu",
		 (unsigned long long)c0.faults, (unsigned long long)c1.faults);
	T_EXPECT(c1.applied > c0.applied && c1.queued > c0.queued,
		 "user space decided nothing (applied %llu -> %llu)",
		 (unsigned long long)c0.applied, (unsigned long long)c1.applied);
	uu_assert_attached(&pol, seq, "after churn");

	/* 2. decisions held while their task was re-pinned, reniced, killed */
	c0 = uu_counters(&pol);
	stale_case(W_RENICE, repin_other, true);
	stale_case(W_RENICE, renice, true);
	T_ASSERT(WAIT_FOR(uu_counters(&pol).stale >= c0.stale + 2), "stale %llu -> %llu",
		 (unsigned long long)c0.stale, (unsigned long long)uu_counters(&pol).stale);
	c1 = uu_counters(&pol);
	stale_case(W_KILL, kill_it, false);
	T_ASSERT(WAIT_FOR(uu_counters(&pol).stale + uu_counters(&pol).unknown >
			  c1.stale + c1.unknown),
		 "the decision for a killed task was neither stale nor unknown");
	c1 = uu_counters(&pol);
	t_log("stale %llu -> %llu, unknown %llu -> %llu, rescued %llu -> %llu",
	      (unsigned long long)c0.stale, (unsigned long long)c1.stale,
	      (unsigned long long)c0.unknown, (unsigned long long)c1.unknown,
	      (unsigned long long)c0.rescued, (unsigned long long)c1.rescued);
	n0[W_RENICE] = area->count[W_RENICE];
	T_ASSERT(wait_count(W_RENICE, n0[W_RENICE] + 10), "the re-pinned, reniced task stopped");
	uu_assert_attached(&pol, seq, "after the stale decisions");

	/* 3. bad decisions */
	c0 = uu_counters(&pol);
	n0[W_BAD] = area->count[W_BAD];
	bad_pid = wpid[W_BAD];
	bad_state = 1;
	T_ASSERT(WAIT_FOR(bad_state == 2), "no record of the bad-decisions task");
	for (i = 0; i < NR_BAD; i++) {
		t_log("%-30s -> %d (%s)", bad[i].what, bad[i].got,
		      bad[i].got ? strerror(-bad[i].got) : "accepted");
		T_EXPECT(bad[i].got == bad[i].want, "%s: %d, want %d", bad[i].what, bad[i].got,
			 bad[i].want);
	}
	T_ASSERT(WAIT_FOR(uu_counters(&pol).unknown > c0.unknown &&
			  uu_counters(&pol).corrected > c0.corrected),
		 "unknown %llu -> %llu, corrected %llu -> %llu", (unsigned long long)c0.unknown,
		 (unsigned long long)uu_counters(&pol).unknown, (unsigned long long)c0.corrected,
		 (unsigned long long)uu_counters(&pol).corrected);
	c1 = uu_counters(&pol);
	T_EXPECT(c1.refused == c0.refused + NR_REFUSED, "refused %llu -> %llu",
		 (unsigned long long)c0.refused, (unsigned long long)c1.refused);
	/* the corrected decision ran it on its CPU, and it goes on */
	T_ASSERT(wait_count(W_BAD, n0[W_BAD] + 10), "the bad-decisions task stopped");
	T_EXPECT(area->cpu[W_BAD] == 0, "it counted on cpu %d", area->cpu[W_BAD]);
	T_EXPECT(!pol.errors, "%ld ordinary decisions refused", (long)pol.errors);
	uu_assert_attached(&pol, seq, "after the bad decisions");
	uu_print_counters(&pol);
	cleanup();
	return t_failures ? T_FAIL : T_PASS;
}
