// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: a CPU goes offline between open/load and attach. A plain
 * loader's attach then ends with the kernel's hotplug exit (UNREG_KERN with
 * the restart action), either as an attach error or as an exit right after;
 * scx_sched__run() started on such a handle restarts it and keeps it running.
 * (Kernel selftest parity: hotplug.)
 */
#include "parity_util.h"

static pid_t child;

static void cleanup(void)
{
	p_set_cpu1(1);
	t_kill(child);
	p_cleanup();
}

static void assert_hotplug_exit(struct scx_sched *s)
{
	const struct scx_exit_info *ei = scx_sched__exit_info(s);
	__s64 code = scx_exit_info__code(ei);

	T_ASSERT(ei, "no exit info");
	p_print_exit(ei);
	T_ASSERT(scx_exit_info__kind(ei) == SCX_EXIT_UNREG_KERN, "kind %s, expected UNREG_KERN",
		 scx_exit_kind__str(scx_exit_info__kind(ei)));
	T_ASSERT(scx_exit_code__restart(code) && scx_exit_code__reason(code) == 1,
		 "exit code %#llx does not ask for a restart after hotplug", (long long)code);
}

int main(void)
{
	int ready[2], go[2], status, err;
	long long seq;
	char c;

	t_require_sched_ext();
	if (access("/sys/devices/system/cpu/cpu1/online", W_OK)) {
		printf("cpu1 cannot be taken offline here\n");
		return T_SKIP;
	}
	t_capture_log();
	t_on_fail(cleanup);
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* a plain loader */
	p_sched = p_open_load(P_NONE);
	T_ASSERT(p_set_cpu1(0), "cpu1 offline");
	err = scx_sched__attach(p_sched);
	t_log("attach after the hotplug gave %d", err);
	if (err == 0)
		T_ASSERT(scx_sched__wait(p_sched, P_EXIT_DEADLINE_MS) == 0, "still running after the hotplug");
	else
		T_ASSERT(err == -ECANCELED, "attach gave %d (%s)", err, strerror(-err));
	assert_hotplug_exit(p_sched);
	p_assert_back_on_fair(p_sched);
	scx_sched__destroy(p_sched);
	p_sched = NULL;
	T_ASSERT(p_set_cpu1(1), "cpu1 online");

	/* the supervisor, started on a handle loaded before a hotplug */
	T_ASSERT(!pipe(ready) && !pipe(go), "pipe");
	seq = t_enable_seq();
	child = fork();
	T_ASSERT(child >= 0, "fork");
	if (child == 0) {
		SCX_OPTS(scx_run_opts, ro, .max_restarts = 8, .handle_signals = true);
		struct scx_sched *s;
		int kind;

		t_on_fail(NULL);
		s = p_open_load(P_NONE);
		(void)!write(ready[1], "r", 1);
		(void)!read(go[0], &c, 1);
		kind = scx_sched__run(s, &ro);
		printf("  run returned %d after %u restarts\n", kind, scx_sched__restarts(s));
		_exit(kind == SCX_EXIT_UNREG && scx_sched__restarts(s) >= 1 ? 0 : 1);
	}
	T_ASSERT(read(ready[0], &c, 1) == 1, "child not ready");
	T_ASSERT(p_set_cpu1(0), "cpu1 offline (2)");
	T_ASSERT(write(go[1], "g", 1) == 1, "go");
	T_ASSERT(t_wait_enabled_after(seq, P_EXIT_DEADLINE_MS), "the supervisor never got it running");
	kill(child, SIGINT);
	T_ASSERT(waitpid(child, &status, 0) == child, "waitpid");
	child = 0;
	T_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "supervisor status %#x", status);
	T_ASSERT(t_wait_state("disabled", 10000), "not disabled after SIGINT");
	T_ASSERT(p_set_cpu1(1), "cpu1 online (2)");
	return T_PASS;
}
