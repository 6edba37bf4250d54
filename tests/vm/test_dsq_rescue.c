// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: dsq.bpf.h's starvation guard (scx_dsq_rescue) keeps a task
 * that an ordered queue always puts last from stalling: in rescue.bpf.c a
 * task named "scx_late" is queued behind every other, next to two CPU hogs
 * per CPU. With the guard on, the late task runs again and again and the
 * scheduler outlives twice its 4 s watchdog; with scx_rescue_ms = 0 (the
 * control: what a scheduler without the guard does) the kernel ejects it for
 * a runnable task stall. VM only: skips (77) on kernels without sched_ext.
 */
#include <sys/prctl.h>
#include "sample_util.h"

#define NR_HOGS 4

/* A CPU hog named "scx_late". */
static pid_t spawn_late(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		volatile unsigned long n = 0;

		prctl(PR_SET_NAME, "scx_late");
		for (;;)
			n++;
	}
	return pid;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One run with the guard at rescue_ms; true when it behaved as expected. */
static bool run(__u64 rescue_ms)
{
	unsigned long long ns0, turns0, ns, turns;
	pid_t hogs[NR_HOGS], late;
	struct su_sched s;
	__u64 *rescued;
	double start;
	bool ok = true;
	int i, kind;

	printf("# scx_rescue_ms = %llu\n", (unsigned long long)rescue_ms);
	if (su_open(&s, "rescue.bpf.o") ||
	    su_set_global(s.obj, "scx_rescue_ms", &rescue_ms, sizeof(rescue_ms)) ||
	    su_load_attach(&s, "rescue.bpf.o"))
		return false;
	rescued = su_global(s.obj, "nr_rescued", NULL);
	for (i = 0; i < NR_HOGS; i++)
		hogs[i] = su_spin(-1, 0);
	late = spawn_late();
	if (!su_wait_on_ext(late, 1, 10000)) {
		printf("scx_late never got onto sched_ext\n");
		ok = false;
		goto out;
	}
	su_schedstat(late, &ns0, &turns0);
	start = mono_s();
	if (!rescue_ms) {
		/* the control: the watchdog (4 s) must eject it */
		kind = su_wait_exit(&s, 30000);
		su_print_exit(&s);
		if (kind != 1026) {
			printf("without the guard: exit kind %d, expected 1026 (ERROR_STALL)\n", kind);
			ok = false;
		}
		goto out;
	}
	/* with it: scx_late keeps getting turns past twice the watchdog */
	while (mono_s() - start < 8.0 && !su_exit_kind(&s))
		usleep(100 * 1000);
	su_schedstat(late, &ns, &turns);
	printf("scx_late: %llu turns, %.3f s of CPU in %.1f s; %llu rescued\n", turns - turns0,
	       (ns - ns0) / 1e9, mono_s() - start, rescued ? (unsigned long long)*rescued : 0ULL);
	if (su_exit_kind(&s)) {
		su_print_exit(&s);
		printf("ejected with the guard on\n");
		ok = false;
	}
	if (turns - turns0 < 2 || !rescued || !*rescued) {
		printf("scx_late was not rescued again and again\n");
		ok = false;
	}
out:
	su_kill(late);
	for (i = 0; i < NR_HOGS; i++)
		su_kill(hogs[i]);
	su_close(&s);
	return ok;
}

int main(void)
{
	bool ok;

	su_require_sched_ext();
	ok = run(1000);
	ok = run(0) && ok;
	return ok ? 0 : 1;
}
