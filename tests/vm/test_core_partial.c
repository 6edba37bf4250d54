// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: opts.partial attaches the scheduler for SCHED_EXT tasks only:
 * switch_all reads 0, an ordinary task stays on the fair class, and a task
 * that asks for SCHED_EXT is on sched_ext.
 */
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

#define SCHED_EXT 7

static struct scx_sched *s;
static pid_t plain, ext;

static void cleanup(void)
{
	t_kill(plain);
	t_kill(ext);
	scx_sched__destroy(s);
}

int main(void)
{
	SCX_OPTS(scx_sched_opts, opts, .partial = true);
	struct sched_param sp = {};
	char buf[32];

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);

	s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), &opts);
	T_ASSERT(s && !scx_sched__load(s) && !scx_sched__attach(s), "start: %s", strerror(errno));
	T_ASSERT(!strcmp(t_scx_read("switch_all", buf, sizeof(buf)), "0"), "switch_all %s", buf);
	plain = t_spawn_spinner(-1, 0);
	ext = t_spawn_spinner(-1, 0);
	T_ASSERT(!sched_setscheduler(ext, SCHED_EXT, &sp), "sched_setscheduler: %s", strerror(errno));
	T_ASSERT(t_wait_on_scx(ext, 1, 0), "SCHED_EXT task not on sched_ext");
	T_ASSERT(t_task_on_scx(plain) == 0, "ordinary task on sched_ext");
	T_ASSERT(!scx_sched__detach(s), "detach");
	T_ASSERT(t_task_on_scx(ext) == 0, "SCHED_EXT task still on sched_ext after detach");
	cleanup();
	return T_PASS;
}
