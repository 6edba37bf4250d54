// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: a CPU hotplug during scx_sched__run()'s restart backoff (the
 * delay between the kernel's hotplug exit and the reopen): the supervisor
 * still reopens the scheduler with the current CPU set, attaches it and keeps
 * it running; SIGINT then stops it cleanly. (Kernel selftest parity: hotplug.)
 */
#include "parity_util.h"

/* long enough that the second hotplug lands inside it on any machine; the
 * test checks that it did */
#define BACKOFF_MS 5000

static pid_t child;

static void cleanup(void)
{
	p_set_cpu1(1);
	t_kill(child);
}

int main(void)
{
	long long seq0, seq1;
	int status;

	t_require_sched_ext();
	if (access("/sys/devices/system/cpu/cpu1/online", W_OK)) {
		printf("cpu1 cannot be taken offline here\n");
		return T_SKIP;
	}
	t_on_fail(cleanup);
	setvbuf(stdout, NULL, _IOLBF, 0);

	seq0 = t_enable_seq();
	child = fork();
	T_ASSERT(child >= 0, "fork");
	if (child == 0) {
		SCX_OPTS(scx_run_opts, ro, .max_restarts = 8, .restart_backoff_ms = BACKOFF_MS,
			 .handle_signals = true);
		struct scx_sched *s;
		int kind;

		t_on_fail(NULL);
		t_capture_log();
		s = p_open_load(P_NONE);
		kind = scx_sched__run(s, &ro);
		printf("  run returned %d after %u restarts\n", kind, scx_sched__restarts(s));
		_exit(kind == SCX_EXIT_UNREG && scx_sched__restarts(s) >= 1 ? 0 : 1);
	}
	T_ASSERT(t_wait_enabled_after(seq0, P_EXIT_DEADLINE_MS), "never enabled");
	seq1 = t_enable_seq();
	T_ASSERT(p_set_cpu1(0), "cpu1 offline");
	/* the hotplug exit: the supervisor is now in its backoff */
	T_ASSERT(t_wait_state("disabled", P_EXIT_DEADLINE_MS), "not unloaded after the hotplug");
	T_ASSERT(p_set_cpu1(1), "cpu1 online");
	/* nothing was enabled in between: the second hotplug hit the backoff */
	T_ASSERT(t_enable_seq() == seq1, "re-enabled before the second hotplug (backoff too short?)");
	T_ASSERT(t_wait_enabled_after(seq1, P_EXIT_DEADLINE_MS), "not running again after the backoff");
	kill(child, SIGINT);
	T_ASSERT(waitpid(child, &status, 0) == child, "waitpid");
	child = 0;
	T_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "supervisor status %#x", status);
	T_ASSERT(t_wait_state("disabled", 10000), "not disabled after SIGINT");
	return T_PASS;
}
