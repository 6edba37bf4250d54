// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the older paths of compat.bpf.h, which the newest kernels
 * never take on their own, really work: with SCX_COMPAT_FALLBACKS every
 * wrapper takes its fallback (the five-argument or void kfuncs, no kicks, no
 * idle masks, direct slice/vtime writes, bpf_ktime_get_ns, the kernel's
 * default CPU selection, the DSQ iterator). compat_all_fallbacks.bpf.o must
 * record that no newer variant was chosen, and the interactive sample built
 * that way must schedule CPU-bound tasks, short sleepers and a pinned task
 * until each sleeper has woken 200 times (counted, not timed) without being
 * ejected, and never kick (the fallback for a kick is a direct insert). VM
 * only (77 without sched_ext).
 */
#include "sample_util.h"

#define WAKEUPS 200

/* A child that sleeps 1 ms and runs briefly, WAKEUPS times, then exits 0. */
static pid_t sleeper(int cpu)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	for (int i = 0; i < WAKEUPS; i++) {
		usleep(1000);
		for (volatile int j = 0; j < 20000; j++)
			;
	}
	_exit(0);
}

/* Sum of a per-CPU __u64 counter at index idx of the stats map. */
static long long counter(struct bpf_object *obj, const char *map_name, int idx)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, map_name);
	int nr = libbpf_num_possible_cpus();
	size_t vsz;
	long long sum = 0;
	__u32 key = 0;
	__u64 *vals;

	if (!map || nr <= 0)
		return -1;
	vsz = bpf_map__value_size(map);
	vals = calloc(nr, vsz);
	if (!vals || bpf_map__lookup_elem(map, &key, sizeof(key), vals, nr * vsz, 0)) {
		free(vals);
		return -1;
	}
	for (int c = 0; c < nr; c++)
		sum += *(__u64 *)((char *)vals + c * vsz + idx * sizeof(__u64));
	free(vals);
	return sum;
}

static int check_bindings(void)
{
	const char *names[] = { "bound_insert_vtime_args", "bound_select_cpu_and_args",
				"bound_peek" };
	struct su_sched s;
	int bad = 0;

	if (su_open(&s, "compat_all_fallbacks.bpf.o") ||
	    su_load_attach(&s, "compat_all_fallbacks.bpf.o"))
		return 1;
	for (int i = 0; i < 3; i++) {
		__u64 *v = su_global(s.obj, names[i], NULL);

		printf("%s: %s\n", names[i], !v ? "missing" : *v ? "newer variant" : "fallback");
		bad |= !v || *v;
	}
	return (su_close(&s) != SCX_EXIT_UNREG_KIND) | bad;
}

int main(void)
{
	const char *obj = "sample_interactive_fallbacks.bpf.o";
	pid_t hogs[4], sl[3];
	int status, kind, bad = 0;
	long long kicked;
	struct su_sched s;

	su_require_sched_ext();
	if (check_bindings())
		return 1;
	if (su_open(&s, obj) || su_load_attach(&s, obj))
		return 1;
	for (int i = 0; i < 4; i++)
		hogs[i] = su_spin(-1, i == 3 ? 10 : 0);
	sl[0] = sleeper(-1);
	sl[1] = sleeper(-1);
	sl[2] = sleeper(0);	/* pinned: select_cpu is skipped for it */
	for (int i = 0; i < 3; i++) {
		if (waitpid(sl[i], &status, 0) != sl[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			printf("sleeper %d did not finish its wakeups\n", i);
			bad = 1;
		}
	}
	kind = su_exit_kind(&s);
	/* "kicked" is the third counter of struct interactive_stats */
	kicked = counter(s.obj, "scx_stats", 2);
	for (int i = 0; i < 4; i++)
		su_kill(hogs[i]);
	printf("interactive on fallbacks: %d wakeups x 3 sleepers, kicked=%lld, exit kind %d\n",
	       WAKEUPS, kicked, kind);
	if (kind) {
		su_close(&s);
		return 1;
	}
	if (su_close(&s) != SCX_EXIT_UNREG_KIND)
		return 1;
	return bad || kicked != 0;
}
