// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: every sample scheduler (and the compat exerciser) passes the
 * verifier on this kernel, attaches, schedules CPU-bound tasks and detaches
 * with exit kind UNREG in its exit record. Prints the verifier's processed
 * instruction count of every program ("verified_insns OBJ PROG N").
 * VM only: skips (77) on kernels without sched_ext.
 */
#include "sample_util.h"

static const char *const objs[] = {
	"sample_minimal.bpf.o",
	"sample_vtime.bpf.o",
	"sample_percpu.bpf.o",
	"sample_interactive.bpf.o",
	"compat_all.bpf.o",
};

static int try_one(const char *path)
{
	struct su_sched s;
	pid_t a, b;
	int on, kind;

	if (su_open(&s, path))
		return -1;
	if (su_load_attach(&s, path)) {
		su_close(&s);
		return -1;
	}
	a = su_spin(-1, 0);
	b = su_spin(-1, 5);
	/* until a is on sched_ext and both got CPU time from the scheduler
	 * (or the wait gives up), however slowly the VM runs */
	on = su_wait_on_ext(a, 1, 0) ? 1 : su_task_on_ext(a);
	for (int i = 0; i < SU_WAIT_MIN_MS / 10 && !(su_cputime(a) && su_cputime(b)); i++)
		usleep(10000);
	if (!su_cputime(a) || !su_cputime(b)) {
		printf("%s: the CPU-bound tasks got no CPU time\n", path);
		on = -2;
	}
	su_kill(a);
	su_kill(b);
	kind = su_close(&s);
	if (on != 1) {
		printf("%s: a CPU-bound task was not on sched_ext (ext.enabled %d)\n", path, on);
		return -1;
	}
	if (kind != SCX_EXIT_UNREG_KIND) {
		printf("%s: exit kind %d after detach, expected 64 (UNREG)\n", path, kind);
		return -1;
	}
	printf("%s: ok\n", path);
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0;

	su_require_sched_ext();
	if (argc > 1)
		return try_one(argv[1]) ? 1 : 0;
	for (unsigned int i = 0; i < sizeof(objs) / sizeof(objs[0]); i++)
		if (try_one(objs[i]))
			failed++;
	return failed ? 1 : 0;
}
