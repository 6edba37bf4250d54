// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_sched__run()'s restart budget is per time window: with
 * max_restarts 1 and a 1.5 s window, two hotplug restarts more than a window
 * apart both happen (a per-process count, as before, gave up at the second),
 * while with a 60 s window two in a row give up at the second with the
 * hotplug exit reported. (The gap is measured from the end of a restart, so
 * a slow emulator only makes it longer.)
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

#define WINDOW_MS	1500

static pid_t child;

static void cleanup(void)
{
	t_set_online_quiet(1, true);
	t_kill(child);
}

/* The supervisor, in a child: exit status 0 when run() returned what the
 * test expects (want), with the number of restarts it reports. */
static pid_t supervise(__u32 window_ms, int want_kind, unsigned int want_restarts)
{
	pid_t pid = fork();

	if (pid == 0) {
		SCX_OPTS(scx_run_opts, ro, .max_restarts = 1, .restart_window_ms = window_ms,
			 .handle_signals = true);
		struct scx_sched *s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
		int kind = s ? scx_sched__run(s, &ro) : -1;

		printf("  run returned %d (%s) after %u restarts\n", kind,
		       kind >= 0 ? scx_exit_kind__str(kind) : strerror(-kind), scx_sched__restarts(s));
		fflush(stdout);
		_exit(kind == want_kind && scx_sched__restarts(s) == want_restarts ? 0 : 1);
	}
	return pid;
}

static void finish(void)
{
	int status;

	T_ASSERT(waitpid(child, &status, 0) == child, "waitpid");
	child = 0;
	T_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "supervisor status %#x", status);
}

int main(void)
{
	long long seq;

	t_require_sched_ext();
	t_on_fail(cleanup);
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* two hotplugs more than a window apart: both restart */
	child = supervise(WINDOW_MS, SCX_EXIT_UNREG, 2);
	T_ASSERT(t_wait_state("enabled", 20000), "never enabled");
	seq = t_enable_seq();
	t_set_online(1, false);
	T_ASSERT(t_wait_enabled_after(seq, 0), "no restart after cpu1 went offline");
	usleep((WINDOW_MS + 300) * 1000);
	seq = t_enable_seq();
	t_set_online(1, true);
	T_ASSERT(t_wait_enabled_after(seq, 0), "no restart in the next window");
	kill(child, SIGINT);
	finish();
	T_ASSERT(t_wait_state("disabled", 10000), "not disabled after SIGINT");

	/* two within one window: the second gives up and run() reports it */
	child = supervise(60000, SCX_EXIT_UNREG_KERN, 1);
	T_ASSERT(t_wait_state("enabled", 20000), "never enabled (2)");
	seq = t_enable_seq();
	t_set_online(1, false);
	T_ASSERT(t_wait_enabled_after(seq, 0), "no restart after cpu1 went offline (2)");
	t_set_online(1, true);
	finish();
	T_ASSERT(t_wait_state("disabled", 10000), "not disabled after giving up");
	return T_PASS;
}
