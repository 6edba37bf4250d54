// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: exit.bpf.h's stall guard ends a scheduler that starves a task
 * with scx_error() naming the task (pid, comm) and the guard's file:line,
 * within a few guard periods and long before the kernel's watchdog (25 s in
 * stall_guard.bpf.c). VM only: skips (77) on kernels without sched_ext.
 */
#include <sys/prctl.h>
#include "sample_util.h"

int main(void)
{
	__u64 guard_ms = 1000;
	struct su_sched s;
	char want[64];
	pid_t victim;
	int kind, ok = 1;
	struct timespec t0, t1;
	double secs;

	su_require_sched_ext();
	if (su_open(&s, "stall_guard.bpf.o"))
		return 1;
	/* .rodata is set between open and load. */
	if (su_set_global(s.obj, "scx_stall_guard_ms", &guard_ms, sizeof(guard_ms)))
		return 1;
	if (su_load_attach(&s, "stall_guard.bpf.o"))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	victim = fork();
	if (victim == 0) {
		prctl(PR_SET_NAME, "scx_starved");
		for (;;)
			usleep(10000);	/* the next wakeup is never scheduled */
	}
	kind = su_wait_exit(&s, 15000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	su_print_exit(&s);
	printf("ejected after %.1f s\n", secs);
	if (kind != 1025) {
		printf("exit kind %d, expected 1025 (ERROR_BPF from the guard)\n", kind);
		ok = 0;
	}
	snprintf(want, sizeof(want), "task %d (scx_starved)", victim);
	if (s.uei && !strstr(s.uei->msg, want)) {
		printf("message lacks \"%s\"\n", want);
		ok = 0;
	}
	if (s.uei && !strstr(s.uei->msg, "exit.bpf.h:")) {
		printf("message lacks the guard's file:line\n");
		ok = 0;
	}
	su_kill(victim);
	su_close(&s);
	return ok ? 0 : 1;
}
