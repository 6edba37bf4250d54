// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: an object without an exit record (raw_norec) is restarted by
 * scx_sched__run() after CPU hotplug too. The kernel logs no message for
 * its own unregistrations, so the restart request is inferred from the
 * kernel's hotplug_seq having moved; before, such an exit had code 0 and
 * run() returned instead of restarting. Also when the hotplug comes between
 * load and attach (the kernel refuses the enable because ops.hotplug_seq is
 * stale): the baseline is the hotplug_seq the scheduler was opened with, not
 * one read at attach, after the hotplug.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

static pid_t child;

static void cleanup(void)
{
	t_set_online_quiet(1, true);
	t_kill(child);
}

static void on_restart(struct scx_sched *s, const struct scx_exit_info *ei, void *ctx)
{
	(void)s;
	(void)ctx;
	printf("  restarted after: %s '%s' '%s' (reason %u)\n",
	       scx_exit_kind__str(scx_exit_info__kind(ei)), scx_exit_info__reason(ei),
	       scx_exit_info__msg(ei), scx_exit_code__reason(scx_exit_info__code(ei)));
	fflush(stdout);
	if (scx_exit_info__kind(ei) != SCX_EXIT_UNREG_KERN || scx_exit_info__from_record(ei))
		_exit(3);
}

int main(void)
{
	char buf[64];
	long long seq;
	int status;

	t_require_sched_ext();
	t_on_fail(cleanup);
	setvbuf(stdout, NULL, _IOLBF, 0);
	child = fork();
	if (child == 0) {
		SCX_OPTS(scx_run_opts, ro, .restart_fn = on_restart, .handle_signals = true);
		struct scx_sched *s = scx_sched__open_file(t_path("raw_norec.bpf.o"), NULL);
		int kind = s ? scx_sched__run(s, &ro) : -1;

		printf("  run returned %d (%s) after %u restarts\n", kind,
		       kind >= 0 ? scx_exit_kind__str(kind) : strerror(-kind), scx_sched__restarts(s));
		_exit(kind == SCX_EXIT_UNREG && scx_sched__restarts(s) == 2 ? 0 : 1);
	}
	T_ASSERT(t_wait_state("enabled", 20000), "never enabled");
	seq = t_enable_seq();
	t_set_online(1, false);
	T_ASSERT(t_wait_enabled_after(seq, 0), "not restarted after cpu1 went offline");
	T_ASSERT(!strcmp(t_scx_read("root/ops", buf, sizeof(buf)), "raw_norec"), "ops '%s'", buf);
	seq = t_enable_seq();
	t_set_online(1, true);
	T_ASSERT(t_wait_enabled_after(seq, 0), "not restarted after cpu1 came back");
	kill(child, SIGINT);
	T_ASSERT(waitpid(child, &status, 0) == child, "waitpid");
	child = 0;
	T_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "supervisor status %#x", status);
	T_ASSERT(t_wait_state("disabled", 10000), "not disabled after SIGINT");

	/* a hotplug between load and attach */
	child = fork();
	if (child == 0) {
		SCX_OPTS(scx_run_opts, ro, .handle_signals = true);
		struct scx_sched *s = scx_sched__open_file(t_path("raw_norec.bpf.o"), NULL);
		int kind;

		if (!s || scx_sched__load(s) || !t_set_online_quiet(1, false))
			_exit(2);
		kind = scx_sched__run(s, &ro);
		printf("  loaded, then hotplug: run returned %d (%s) after %u restarts\n", kind,
		       kind >= 0 ? scx_exit_kind__str(kind) : strerror(-kind), scx_sched__restarts(s));
		_exit(kind == SCX_EXIT_UNREG && scx_sched__restarts(s) == 1 ? 0 : 1);
	}
	T_ASSERT(t_wait_state("enabled", 60000), "not restarted after a hotplug before attach");
	T_ASSERT(!strcmp(t_scx_read("root/ops", buf, sizeof(buf)), "raw_norec"), "ops '%s'", buf);
	kill(child, SIGINT);
	T_ASSERT(waitpid(child, &status, 0) == child, "waitpid 2");
	child = 0;
	t_set_online(1, true);
	T_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "supervisor 2 status %#x", status);
	T_ASSERT(t_wait_state("disabled", 10000), "not disabled after SIGINT (2)");
	return T_PASS;
}
