// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: under the interactive sample, a task that sleeps 5 ms and
 * runs briefly (the probe: this test's main thread) takes a CPU at its
 * wakeups, next to twice as many CPU-bound tasks as CPUs that each pause
 * briefly every 2 ms (burster()): by preempting one ("preempted", "kicked")
 * or on an idle CPU ("idle"), more often than by finding no CPU to take
 * ("waited"), and is treated as interactive.
 * Counted for the probe alone, not timed and not summed over all tasks:
 * tests/vm/sample_interactive.bpf.c counts every decision the sample makes
 * for the probe's pid in probe_counts[]. VM only: skips (77) on kernels
 * without sched_ext.
 *
 * Bounds, for WAKEUPS = 200 sleeps of the probe, of which N really slept
 * (its voluntary context switches: a 5 ms timer that fires while a loaded
 * guest has not yet switched the probe out ends the sleep without one, and
 * no wakeup reaches the scheduler):
 * - N is at least 90% of WAKEUPS, and the sample saw at least N wakeups of
 *   the probe (idle + preempted + queued; else the counting, not the
 *   scheduler, is broken);
 * - at least 80% of the N went the interactive way (took a CPU at once, or
 *   "waited": looked for one as an interactive task). Not treating the probe
 *   as interactive queues it behind the bursters without either, and almost
 *   no idle CPU is ever found with twice as many bursters as CPUs (~10%);
 * - at least half of the N took a CPU at once. A victim search that never finds a
 *   CPU leaves only the idle ones (~10%).
 * Measured on 7.3.4: 200 of 200 at once on an idle host; 131 at once and 68
 * waited with stress-ng --cpu 2 and two other VMs on the host. How many wait
 * depends on the host's load: the sample measures bursts and protected
 * minimums in guest time, and under TCG that includes the time the host
 * did not run the virtual CPU (there is no steal-time accounting), so the
 * bounds separate a working policy from a broken one by a wide margin
 * instead of grading it. Each burster run starts anew, so a wakeup often
 * finds the task it interrupts inside its protected first millisecond; a
 * timer wakeup must not be held back by it (that task is not the waker).
 */
#include <bpf/btf.h>
#include <scx/scx.h>
#include "sample_util.h"

#define WAKEUPS 200

static const char *const names[] = { "preempted", "kicked", "idle", "waited", "queued" };
#define NR_NAMES 5

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * A CPU-bound task that pauses: runs 2 ms, sleeps 50 us, again and again.
 * Its bursts are long, so it is no interactive task, but each of its runs
 * starts anew, so a wakeup often finds it inside its protected first
 * millisecond.
 */
static pid_t burster(void)
{
	struct timespec pause = { 0, 50 * 1000 };
	pid_t pid = fork();

	if (pid)
		return pid;
	for (;;) {
		long long end = now_ns() + 2 * 1000 * 1000;

		while (now_ns() < end)
			;
		nanosleep(&pause, NULL);
	}
}

/* The probe's counters: probe_counts[] indexed by each member's offset in
 * the sample's stats struct, found in the object's BTF. */
static int read_all(struct scx_sched *s, __u64 *v)
{
	struct btf *btf = bpf_object__btf(scx_sched__object(s));
	__u64 counts[32];
	const struct btf_type *t;
	int id;

	id = btf ? btf__find_by_name_kind(btf, "interactive_stats", BTF_KIND_STRUCT) : -1;
	if (id < 0 || scx_sched__get_global(s, "probe_counts", counts, sizeof(counts))) {
		printf("no interactive_stats in BTF or no probe_counts global\n");
		return -1;
	}
	t = btf__type_by_id(btf, id);
	for (unsigned int i = 0; i < NR_NAMES; i++) {
		const struct btf_member *m = btf_members(t);
		int k;

		for (k = 0; k < btf_vlen(t); k++, m++)
			if (!strcmp(btf__name_by_offset(btf, m->name_off), names[i]))
				break;
		if (k == btf_vlen(t) || m->offset / 64 >= 32) {
			printf("counter %s: not in the sample's stats\n", names[i]);
			return -1;
		}
		v[i] = counts[m->offset / 64];
	}
	return 0;
}

/* This thread's voluntary context switches so far (/proc/thread-self/status). */
static long long voluntary_switches(void)
{
	char line[256];
	long long n = -1;
	FILE *f = fopen("/proc/thread-self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "voluntary_ctxt_switches: %lld", &n) == 1)
			break;
	fclose(f);
	return n;
}

int main(void)
{
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN), nhog = 2 * ncpu, ok = 1;
	struct timespec period = { 0, 5 * 1000 * 1000 };
	__u64 before[NR_NAMES], after[NR_NAMES], d[NR_NAMES];
	struct scx_sched *s;
	__s32 probe = getpid();
	pid_t hogs[64];
	long long slept;

	su_require_sched_ext();
	if (nhog > 64)
		nhog = 64;
	s = scx_sched__open_file("sample_interactive.bpf.o", NULL);
	if (!s || scx_sched__set_global(s, "probe_pid", &probe, sizeof(probe)) ||
	    scx_sched__load(s) || scx_sched__attach(s)) {
		printf("open/load/attach: %s\n", strerror(errno));
		return 1;
	}
	for (int i = 0; i < nhog; i++)
		hogs[i] = burster();
	/* let the hogs' bursts show they are CPU-bound, and ours that we are not */
	for (int i = 0; i < 50; i++)
		nanosleep(&period, NULL);
	if (read_all(s, before))
		ok = 0;
	slept = voluntary_switches();
	for (int i = 0; i < WAKEUPS; i++)
		nanosleep(&period, NULL);
	slept = voluntary_switches() - slept;
	if (read_all(s, after))
		ok = 0;
	for (int i = 0; i < nhog; i++)
		su_kill(hogs[i]);
	for (unsigned int i = 0; i < NR_NAMES; i++) {
		d[i] = after[i] - before[i];
		printf("probe %s: +%llu\n", names[i], (unsigned long long)d[i]);
	}
	printf("probe slept %lld times in %d nanosleeps\n", slept, WAKEUPS);
	if (slept < WAKEUPS * 9 / 10) {
		printf("the probe slept only %lld of %d times\n", slept, WAKEUPS);
		ok = 0;
	}
	/* every probe wakeup ends as exactly one of idle, preempted, queued */
	if (ok && (long long)(d[2] + d[0] + d[4]) < slept) {
		printf("the sample saw %llu decisions for the probe, fewer than its %lld wakeups\n",
		       (unsigned long long)(d[2] + d[0] + d[4]), slept);
		ok = 0;
	}
	if (ok && (long long)(d[0] + d[1] + d[2] + d[3]) < slept * 8 / 10) {
		printf("only %llu of the probe's %lld wakeups went the interactive way\n",
		       (unsigned long long)(d[0] + d[1] + d[2] + d[3]), slept);
		ok = 0;
	}
	if (ok && (long long)(d[0] + d[1] + d[2]) < slept / 2) {
		printf("only %llu of the probe's %lld wakeups took a CPU at once (%llu found none)\n",
		       (unsigned long long)(d[0] + d[1] + d[2]), slept, (unsigned long long)d[3]);
		ok = 0;
	}
	scx_sched__destroy(s);
	return ok ? 0 : 1;
}
