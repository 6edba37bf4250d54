/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* scxtool: every task (thread) of every process in /proc, and whether it is on
 * the sched_ext class; shared by `scxtool tasks` and `scxtool top`. */
#ifndef __SCXTOOL_TASK_WALK_H
#define __SCXTOOL_TASK_WALK_H

#include <stdbool.h>

#include <scx/monitor.h>

struct scxtool_task {
	int tgid;
	int tid;
	bool on_scx;
	/* with want_cpu, for tasks on sched_ext: the CPU it last ran on
	 * (-1 unknown) and whether it is running or runnable now */
	int cpu;
	bool running;
};

typedef int (*scxtool_task_fn)(const struct scxtool_task *t, void *ctx);

/*
 * Call fn for each task found under opts' procfs root (NULL: /proc). Tasks
 * come and go while the list is read: one that exits meanwhile is left out.
 * Returns 0, fn's non-zero return, or -errno when the root cannot be read.
 */
int scxtool_for_each_task(const struct scx_monitor_opts *opts, bool want_cpu,
			  scxtool_task_fn fn, void *ctx);

#endif /* __SCXTOOL_TASK_WALK_H */
