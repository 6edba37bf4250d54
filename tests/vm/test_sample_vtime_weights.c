// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: under the vtime sample, two CPU-bound tasks of nice 0 and
 * nice 5 pinned to the same CPU get CPU time in the ratio of their sched_ext
 * weights. VM only: skips (77) on kernels without sched_ext.
 *
 * Expected ratio: the kernel gives nice 0 weight 1024 and nice 5 weight 335
 * (3.06); sched_ext scales weights to 100 = nice 0, rounding 335 to 33, so
 * vtime.bpf.h charges in a 100:33 = 3.03 ratio. Tolerance: 2.6 .. 3.5
 * (about +-15%). The window is a quantity of CPU time, not of wall time:
 * it ends once the two tasks together ran WINDOW_NS on that CPU (however long
 * a loaded emulator takes for it, up to a generous deadline), so it always
 * holds about as many slices. Error sources are slice quantization (20 ms
 * slices over 8 s is ~1%) and other tasks waking on that CPU; a host that
 * stalls the virtual CPU mid-slice charges the stall to the task that was
 * running, and the scheduler charges that task's vtime the same, so the
 * ratio holds. The band still separates nice 5 from nice 4 (2.44) and nice 6
 * (3.70) and fails a scheduler that ignores weights (1.0).
 */
#include "sample_util.h"

#define SETTLE_NS (500 * 1000 * 1000ULL)
#define WINDOW_NS (8 * 1000 * 1000 * 1000ULL)

/* ns the task spent on a CPU (first field of /proc/PID/schedstat). */
static unsigned long long runtime_ns(pid_t pid)
{
	char path[64];
	unsigned long long ns = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	f = fopen(path, "r");
	if (!f)
		return su_cputime(pid) * (1000000000ULL / sysconf(_SC_CLK_TCK));
	if (fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	fclose(f);
	return ns;
}

int main(void)
{
	unsigned long long a0, b0, a1, b1;
	struct su_sched s;
	double ratio;
	int cpu = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 1 : 0;
	pid_t a, b;
	int ok;

	su_require_sched_ext();
	if (su_open(&s, "sample_vtime.bpf.o") || su_load_attach(&s, "sample_vtime.bpf.o"))
		return 1;
	a = su_spin(cpu, 0);
	b = su_spin(cpu, 5);
	/* let both settle into the vtime queue: each ran a little */
	for (int i = 0; i < SU_WAIT_MIN_MS / 10; i++) {
		if (runtime_ns(a) + runtime_ns(b) >= SETTLE_NS && runtime_ns(b))
			break;
		usleep(10000);
	}
	a0 = runtime_ns(a);
	b0 = runtime_ns(b);
	/* the window: WINDOW_NS of CPU time between them (deadline: 2 minutes) */
	for (int i = 0; i < 2 * 60 * 100; i++) {
		a1 = runtime_ns(a);
		b1 = runtime_ns(b);
		if (a1 - a0 + b1 - b0 >= WINDOW_NS)
			break;
		usleep(10000);
	}
	ok = su_task_on_ext(a) == 1 && su_task_on_ext(b) == 1;
	su_kill(a);
	su_kill(b);
	if (su_close(&s) != SCX_EXIT_UNREG_KIND) {
		printf("the scheduler did not end with UNREG\n");
		return 1;
	}
	if (!ok) {
		printf("the spinners were not on sched_ext\n");
		return 1;
	}
	if (b1 <= b0) {
		printf("nice-5 task got no CPU time (%llu -> %llu ns)\n", b0, b1);
		return 1;
	}
	ratio = (double)(a1 - a0) / (double)(b1 - b0);
	printf("CPU %d: nice 0 ran %.3f s, nice 5 ran %.3f s, ratio %.2f (expected 3.03, accepted 2.6..3.5)\n",
	       cpu, (a1 - a0) / 1e9, (b1 - b0) / 1e9, ratio);
	return ratio >= 2.6 && ratio <= 3.5 ? 0 : 1;
}
