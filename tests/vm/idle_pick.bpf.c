// SPDX-License-Identifier: GPL-2.0
/*
 * A global-FIFO scheduler that places waking tasks with idle.bpf.h, for
 * test_idle_shape: scx_idle_pick_cpu() from ops.select_cpu or, with use_any,
 * scx_idle_pick_within() (scx_idle_pick_any() unless reach says otherwise)
 * from ops.enqueue, or with class_big >= 0 scx_idle_pick_cpu_class() from
 * ops.select_cpu. For each wakeup of a task named "idleprobe" it counts
 * the CPU the picker returned (picks[cpu]), or that it found none (misses). The topology reaches the pickers the one way it
 * reaches every scheduler: libscx fills topology.bpf.h's maps at load.
 */
#include <scx/common.bpf.h>
#include <scx/dsq.bpf.h>
#include <scx/idle.bpf.h>
#include <scx/exit.bpf.h>
#include "comm.bpf.h"

char _license[] SEC("license") = "GPL";

#define NR_PICKS 64

const volatile bool use_any;
/* >= 0: scx_idle_pick_cpu_class() preferring big (1) or little (0) CPUs */
const volatile int class_big = -1;
const volatile __u32 reach = SCX_REACH_ALL;	/* with use_any: scx_idle_pick_within() */
__u64 picks[NR_PICKS];
__u64 misses;
/* 1 while the CPU runs its idle task (ops.update_idle): the probe waits for
 * the CPU it left to be idle again, so each search finds the state the test
 * set up, however late the emulator runs that CPU */
__u8 idle_now[NR_PICKS];

static __always_inline void count(struct task_struct *p, s32 cpu)
{
	u32 idx = (u32)cpu;

	if (!test_comm_is(p, "idleprobe"))
		return;
	if (cpu < 0)
		__sync_fetch_and_add(&misses, 1);
	else if (idx < NR_PICKS)
		__sync_fetch_and_add(&picks[idx & (NR_PICKS - 1)], 1);
}

s32 SCX_OPS(idle_pick_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	s32 cpu;

	if (use_any)
		return prev_cpu;
	cpu = class_big >= 0 ? scx_idle_pick_cpu_class(p, prev_cpu, wake_flags, class_big) :
			       scx_idle_pick_cpu(p, prev_cpu, wake_flags);
	count(p, cpu);
	if (cpu >= 0) {
		scx_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, 0);
		return cpu;
	}
	return prev_cpu;
}

void SCX_OPS(idle_pick_enqueue, struct task_struct *p, u64 enq_flags)
{
	s32 cpu;

	/* only the probe: a wakeup of a task that may migrate (not one while it
	 * moves between CPUs, allowed one CPU at a time) */
	if (use_any && (enq_flags & SCX_ENQ_WAKEUP) && p->nr_cpus_allowed > 1 &&
	    test_comm_is(p, "idleprobe")) {
		cpu = scx_idle_pick_within(p, scx_bpf_task_cpu(p), reach);
		count(p, cpu);
		if (cpu >= 0) {
			scx_dsq_insert(p, SCX_DSQ_LOCAL_ON | cpu, SCX_SLICE_DFL, enq_flags);
			return;
		}
	}
	scx_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

void SCX_OPS(idle_pick_update_idle, s32 cpu, bool idle)
{
	u32 idx = (u32)cpu;

	if (idx < NR_PICKS)
		idle_now[idx & (NR_PICKS - 1)] = idle;
}

s32 SCX_OPS_SLEEPABLE(idle_pick_init)
{
	return scx_idle_init();
}

void SCX_OPS(idle_pick_exit, struct scx_exit_info *ei)
{
	scx_exit_record(ei);
}

SCX_OPS_DEFINE(idle_pick_ops,
	       .select_cpu	= (void *)idle_pick_select_cpu,
	       .enqueue		= (void *)idle_pick_enqueue,
	       .update_idle	= (void *)idle_pick_update_idle,
	       .init		= (void *)idle_pick_init,
	       .exit		= (void *)idle_pick_exit,
	       .flags		= SCX_OPS_KEEP_BUILTIN_IDLE,	/* the pickers need it */
	       .timeout_ms	= 30000,
	       .name		= "idle_pick");
