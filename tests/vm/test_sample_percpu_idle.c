// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: under the percpu sample, a task that last ran on CPU 0 and
 * wakes while CPU 0 is busy lands on an idle CPU (the idle picker of
 * idle.bpf.h), not in CPU 0's queue. VM only (needs 2+ CPUs and sched_ext).
 */
#include "sample_util.h"

/*
 * Rounds, and how many must land elsewhere. A scheduler without the idle
 * picker leaves every wakeup in CPU 0's queue behind the spinner (0 of
 * ROUNDS). With it, a wakeup stays on CPU 0 only when CPU 1 is not idle at
 * that instant (a kernel thread, or this test's parent, runs there); on a
 * slow or loaded emulator such housekeeping takes longer, so the bound is a
 * clear majority rather than nearly all: it separates the two behaviours
 * whatever the emulator's speed.
 */
#define ROUNDS 40
#define NEED (ROUNDS * 6 / 10)

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (cpu >= 0) {
		CPU_SET(cpu, &set);
	} else {
		for (int i = 0; i < CPU_SETSIZE; i++)
			CPU_SET(i, &set);
	}
	sched_setaffinity(0, sizeof(set), &set);
}

/* In a child: run on CPU 0, allow every CPU, sleep, report where it woke. */
static int wake_elsewhere_rounds(void)
{
	int moved = 0;

	for (int i = 0; i < ROUNDS; i++) {
		int where;

		pin(0);
		while (sched_getcpu() != 0)
			sched_yield();
		pin(-1);
		usleep(20000);
		where = sched_getcpu();
		if (where != 0)
			moved++;
	}
	return moved;
}

int main(void)
{
	struct su_sched s;
	int status, moved;
	pid_t busy, child;

	su_require_sched_ext();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		printf("needs at least 2 CPUs\n");
		return SU_SKIP;
	}
	if (su_open(&s, "sample_percpu.bpf.o") || su_load_attach(&s, "sample_percpu.bpf.o"))
		return 1;
	busy = su_spin(0, 0);
	/* until the spinner is running on CPU 0 under the scheduler */
	for (int i = 0; i < SU_WAIT_MIN_MS / 10 && !(su_task_on_ext(busy) == 1 && su_cputime(busy)); i++)
		usleep(10000);
	child = fork();
	if (child == 0)
		_exit(wake_elsewhere_rounds());
	waitpid(child, &status, 0);
	moved = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	su_kill(busy);
	if (su_close(&s) != SCX_EXIT_UNREG_KIND) {
		printf("the scheduler did not end with UNREG\n");
		return 1;
	}
	printf("%d of %d wakeups with CPU 0 busy landed on another CPU (need >= %d)\n", moved,
	       ROUNDS, NEED);
	return moved >= NEED ? 0 : 1;
}
