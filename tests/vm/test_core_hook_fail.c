// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: a prepare_fn that fails on a restart stops scx_sched__run()
 * at once with the hook's error. Before, the failure (read as -ECANCELED)
 * looked like another hotplug during the restart: run() retried until its
 * restart budget ran out and then returned the old hotplug exit's kind, as if
 * all had gone well.
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

static int calls;

/* fine on the first start, refuses the restart */
static int prepare(struct scx_sched *s, const struct scx_topology *topo, void *ctx)
{
	(void)s;
	(void)topo;
	(void)ctx;
	return ++calls == 1 ? 0 : -ENOTRECOVERABLE;
}

int main(void)
{
	int status;

	t_require_sched_ext();
	t_on_fail(cleanup);
	setvbuf(stdout, NULL, _IOLBF, 0);
	child = fork();
	if (child == 0) {
		SCX_OPTS(scx_run_opts, ro, .prepare_fn = prepare, .max_restarts = 8);
		struct scx_sched *s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
		int kind = s ? scx_sched__run(s, &ro) : -1;

		printf("  run returned %d (%s) after %d prepare calls, %u restarts\n", kind,
		       kind >= 0 ? scx_exit_kind__str(kind) : strerror(-kind), calls,
		       scx_sched__restarts(s));
		_exit(kind == -ENOTRECOVERABLE && calls == 2 && scx_sched__restarts(s) == 0 ? 0 : 1);
	}
	T_ASSERT(t_wait_state("enabled", 20000), "never enabled");
	t_set_online(1, false);
	T_ASSERT(waitpid(child, &status, 0) == child, "waitpid");
	child = 0;
	T_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "supervisor status %#x", status);
	T_ASSERT(t_wait_state("disabled", 10000), "not disabled");
	cleanup();
	return T_PASS;
}
