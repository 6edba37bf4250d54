// SPDX-License-Identifier: GPL-2.0
/*
 * The interactive sample, built again here so the VM suite (which only gets
 * build/tests/vm/) has its object as /vm/sample_interactive.bpf.o.
 *
 * It also counts what happens to one task: every scx_stat_inc() of the
 * sample is counted a second time in probe_counts[] when the task it concerns
 * (the callback's p) has the pid in probe_pid, which the test sets before
 * load. probe_counts[i] is the counter at byte offset 8 * i of the sample's
 * stats struct (the test finds the offsets by member name in the object's
 * BTF), so this wrapper needs no change when the sample's counters change.
 * In callbacks without a p (dispatch), the file-scope p below (no task)
 * is what the macro sees, so nothing is counted for the probe there.
 */
#include <scx/stats.bpf.h>

__s32 probe_pid = -1;
__u64 probe_counts[32];

static const int p = 0;

static __always_inline s32 probe_task_pid(const struct task_struct *t)
{
	return t->pid;
}

static __always_inline s32 probe_no_pid(long unused)
{
	return -1;
}

/* p's pid when p is a task, -1 otherwise (the file-scope int p) */
#define probe_pid_of(task)							\
	_Generic((task),							\
		 struct task_struct *: probe_task_pid,				\
		 const struct task_struct *: probe_task_pid,			\
		 default: probe_no_pid)((task))

#undef scx_stat_inc
#define scx_stat_inc(member)							\
	do {									\
		scx_stat_add(member, 1);					\
		if (probe_pid_of(p) == probe_pid) {				\
			u32 ___i = __builtin_offsetof(typeof(*scx_stats_this_cpu()), member) / 8; \
			if (___i < 32)						\
				__sync_fetch_and_add(&probe_counts[___i], 1);	\
		}								\
	} while (0)

#include "../../samples/interactive/interactive.bpf.c"
