// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: a scheduler that never runs one runnable task is ejected by the
 * kernel's watchdog with kind ERROR_STALL within its timeout, and that task is
 * back on the fair class afterwards.
 */
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

static struct scx_sched *s;
static pid_t victim;

static void cleanup(void)
{
	t_kill(victim);
	scx_sched__destroy(s);
}

int main(void)
{
	SCX_OPTS(scx_sched_opts, opts, .timeout_ms = 4000);
	const struct scx_exit_info *ei;
	long long t0, took;
	int pid;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);

	victim = t_spawn_spinner(-1, 0);
	pid = victim;
	s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), &opts);
	T_ASSERT(s, "open");
	T_ASSERT(!scx_sched__set_global(s, "starve_pid", &pid, sizeof(pid)), "set");
	T_ASSERT(!scx_sched__load(s), "load");
	t0 = t_now_ms();
	T_ASSERT(!scx_sched__attach(s), "attach");
	T_ASSERT(scx_sched__wait(s, 30000) == 0, "the watchdog never fired");
	took = t_now_ms() - t0;
	ei = scx_sched__exit_info(s);
	t_log("after %lld ms: %s '%s' msg '%s'", took, scx_exit_kind__str(scx_exit_info__kind(ei)),
	      scx_exit_info__reason(ei), scx_exit_info__msg(ei));
	T_ASSERT(scx_exit_info__kind(ei) == SCX_EXIT_ERROR_STALL, "kind");
	/* the watchdog checks every timeout/2: allow twice the timeout */
	T_ASSERT(took < 2 * 4000 + 2000, "took %lld ms", took);
	T_ASSERT(t_task_on_scx(victim) == 0, "victim still on sched_ext");
	cleanup();
	return T_PASS;
}
