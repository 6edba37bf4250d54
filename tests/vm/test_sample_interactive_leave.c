// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: under the interactive sample, tasks that leave sched_ext
 * while they wait in its queue (moved to SCHED_FIFO, as rtkit does) stop
 * counting as waiting interactive tasks. Eight short sleepers share two CPUs
 * with CPU-bound tasks, so their wakeups often find no CPU to take and wait;
 * another task moves them to SCHED_FIFO and back 4000 times (counted, not
 * timed). Once the sleepers are gone, nr_interactive_waiting must return to
 * 0; a leaked count would make the tick cut every CPU-bound slice short
 * forever. VM only (77 without sched_ext).
 *
 * Issue 11, point 3: failed before ops.quiescent and ops.disable took such a
 * task off the count (it was only taken off when it ran on sched_ext).
 */
#include "sample_util.h"

#define SLEEPERS 8
#define SWITCHES 4000

/* Sleeps 500 us, runs about 50 us, forever. */
static pid_t sleeper(void)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	for (;;) {
		usleep(500);
		for (volatile int i = 0; i < 5000; i++)
			;
	}
}

int main(void)
{
	const char *obj = "sample_interactive.bpf.o";
	struct sched_param fifo = { .sched_priority = 1 }, other = { 0 };
	pid_t hogs[4], sl[SLEEPERS];
	volatile __u64 *waiting;
	struct su_sched s;
	__u64 left = 0;
	int i, kind;

	su_require_sched_ext();
	if (su_open(&s, obj) || su_load_attach(&s, obj))
		return 1;
	waiting = su_global(s.obj, "nr_interactive_waiting", NULL);
	if (!waiting) {
		printf("nr_interactive_waiting not found in the object\n");
		su_close(&s);
		return 1;
	}
	for (i = 0; i < 4; i++)
		hogs[i] = su_spin(-1, 0);
	for (i = 0; i < SLEEPERS; i++)
		sl[i] = sleeper();
	for (i = 0; i < SWITCHES; i++) {
		pid_t pid = sl[i % SLEEPERS];

		sched_setscheduler(pid, SCHED_FIFO, &fifo);
		sched_setscheduler(pid, SCHED_OTHER, &other);
	}
	for (i = 0; i < SLEEPERS; i++)
		su_kill(sl[i]);
	/* the hogs go on: only leaked counts can remain */
	for (i = 0; i < 1000 && (left = *waiting); i++)
		usleep(10 * 1000);
	kind = su_exit_kind(&s);
	for (i = 0; i < 4; i++)
		su_kill(hogs[i]);
	printf("after %d policy switches, %llu tasks still count as waiting\n", SWITCHES,
	       (unsigned long long)left);
	if (kind) {
		printf("ejected (kind %d)\n", kind);
		su_close(&s);
		return 1;
	}
	if (su_close(&s) != SCX_EXIT_UNREG_KIND) {
		printf("the scheduler did not end with UNREG\n");
		return 1;
	}
	return left ? 1 : 0;
}
