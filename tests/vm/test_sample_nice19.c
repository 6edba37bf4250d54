// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: under the vtime and interactive samples, a nice-19 CPU-bound
 * task (weight 1) next to seven nice-0 CPU-bound tasks per CPU keeps getting
 * turns: it is switched in 10 times with no gap between two of its turns
 * longer than half the watchdog timeout (5 s of the samples' 10 s), and the
 * scheduler is never ejected. Gaps come from /proc/PID/schedstat sampled
 * every 50 ms (a gap is time in which its CPU time did not grow); the count
 * of turns, not a duration, ends each run. VM only (77 without sched_ext).
 *
 * Issue 11, point 2: failed before slices were scaled by weight. A nice-19
 * task's 20 ms run put its vtime 2 s ahead, which the hogs then had to
 * catch up: 14 hogs on 2 CPUs took about 14 s, past the watchdog
 * (ERROR_STALL naming the nice-19 task).
 */
#include "sample_util.h"

#define HOGS_PER_CPU 7
#define TURNS 10
#define GAP_LIMIT_NS (5000ULL * 1000 * 1000)
/* Ten turns take a few seconds; a scheduler that keeps the task from its
 * turns (or keeps it running without a switch) has this long to give them. */
#define DEADLINE_NS (120ULL * 1000 * 1000 * 1000)

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int run(const char *obj, int nr_cpus)
{
	unsigned long long ns = 0, turns = 0, last_ns = 0, turns0 = 0, gap = 0, max_gap = 0;
	pid_t hogs[HOGS_PER_CPU * 8], light;
	int nr_hogs = HOGS_PER_CPU * nr_cpus, kind, i;
	long long last_change, start;
	struct su_sched s;

	if (su_open(&s, obj) || su_load_attach(&s, obj))
		return 1;
	for (i = 0; i < nr_hogs; i++)
		hogs[i] = su_spin(-1, 0);
	light = su_spin(-1, 19);
	printf("%s: hogs are pids %d..%d, the nice-19 task %d\n", obj, hogs[0], hogs[nr_hogs - 1],
	       light);
	last_change = start = mono_ns();
	for (;;) {
		usleep(50 * 1000);
		if ((kind = su_exit_kind(&s)))
			break;
		su_schedstat(light, &ns, &turns);
		if (!turns0)
			turns0 = turns ? turns : 1;
		if (ns != last_ns) {
			last_ns = ns;
			last_change = mono_ns();
		}
		gap = mono_ns() - last_change;
		if (gap > max_gap)
			max_gap = gap;
		if (turns >= turns0 + TURNS || gap > 2 * GAP_LIMIT_NS ||
		    mono_ns() - start > (long long)DEADLINE_NS)
			break;
	}
	for (i = 0; i < nr_hogs; i++)
		su_kill(hogs[i]);
	su_kill(light);
	printf("%s: %d nice-0 hogs, nice-19 task switched in %llu more times (of %d), "
	       "longest gap %.2f s (limit %.1f s)\n", obj, nr_hogs,
	       turns > turns0 ? turns - turns0 : 0, TURNS, max_gap / 1e9, GAP_LIMIT_NS / 1e9);
	if (kind) {
		printf("%s: ejected\n", obj);
		su_close(&s);
		return 1;
	}
	if (su_close(&s) != SCX_EXIT_UNREG_KIND) {
		printf("%s: did not end with UNREG\n", obj);
		return 1;
	}
	return max_gap > GAP_LIMIT_NS || turns < turns0 + TURNS;
}

int main(void)
{
	int nr_cpus = sysconf(_SC_NPROCESSORS_ONLN);

	su_require_sched_ext();
	if (nr_cpus > 8)
		nr_cpus = 8;
	return run("sample_vtime.bpf.o", nr_cpus) | run("sample_interactive.bpf.o", nr_cpus);
}
