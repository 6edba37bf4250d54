// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the cpufreq module (scx/cpufreq.bpf.h, forced on, as in the
 * interactive sample) survives a task that runs on CPU 1 being reniced and
 * re-pinned from CPU 0, over and over. Those calls run ops.stopping and
 * ops.running on CPU 0 with CPU 1's rq locked, where the kernel accepts a
 * performance target for CPU 1 only: a module that sets the target of the
 * CPU it runs on is ejected ("Invalid target CPU 0"). Asserted: still
 * attached after every renice (counted, not timed), and CPU 1's target was
 * set by the module, so the path really ran. VM only (77 without sched_ext
 * or with one CPU).
 *
 * Issue 11, point 1: failed before cpufreq.bpf.h keyed its hooks by the
 * task's CPU.
 */
#include "sample_util.h"

#define RENICES 3000

/* The module's per-CPU record (struct scx_cpufreq_cpu in cpufreq.bpf.h). */
struct cpufreq_cpu {
	__u64 busy_since, busy_ns, window_start, last_set;
	__u32 util, perf;
};

static void pin(pid_t pid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(pid, sizeof(set), &set);
}

int main(void)
{
	const char *obj = "sample_interactive.bpf.o";
	__u64 interval = 100 * 1000;	/* let a set through every 100 us of busy time */
	bool on = true;
	struct cpufreq_cpu rec = {};
	struct su_sched s;
	struct bpf_map *map;
	__u32 key = 1;
	int i, kind = 0;
	pid_t hog;

	su_require_sched_ext();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		printf("needs two CPUs\n");
		return SU_SKIP;
	}
	if (su_open(&s, obj) ||
	    su_set_global(s.obj, "scx_cpufreq_enabled", &on, sizeof(on)) ||
	    su_set_global(s.obj, "scx_cpufreq_interval_ns", &interval, sizeof(interval)) ||
	    su_load_attach(&s, obj))
		return 1;
	pin(0, 0);
	hog = su_spin(1, 0);
	for (i = 0; i < RENICES && !kind; i++) {
		/* from CPU 0, on the task running on CPU 1 */
		setpriority(PRIO_PROCESS, hog, i % 2 ? 5 : 0);
		if (i % 10 == 0)
			pin(hog, 1);
		usleep(500);	/* lets CPU 1's window close between calls */
		kind = su_exit_kind(&s);
	}
	map = bpf_object__find_map_by_name(s.obj, "scx_cpufreq_cpus");
	if (map && bpf_map__lookup_elem(map, &key, sizeof(key), &rec, sizeof(rec), 0))
		memset(&rec, 0, sizeof(rec));
	su_kill(hog);
	printf("%d renices from CPU 0; CPU 1: util %u, target %u\n", i, rec.util, rec.perf);
	if (kind) {
		printf("ejected after %d renices\n", i);
		su_close(&s);
		return 1;
	}
	if (su_close(&s) != SCX_EXIT_UNREG_KIND) {
		printf("the scheduler did not end with UNREG\n");
		return 1;
	}
	if (!map || !rec.perf) {
		printf("CPU 1's performance target was never set: the path under test did not run\n");
		return 1;
	}
	return 0;
}
