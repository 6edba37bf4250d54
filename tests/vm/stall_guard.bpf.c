// SPDX-License-Identifier: GPL-2.0
/*
 * A global FIFO scheduler that deliberately never runs tasks named
 * "scx_starved", to check that exit.bpf.h's stall guard reports the starved
 * task (pid and name, file:line) well before the kernel's watchdog.
 */
#define SCX_STALL_GUARD
#include <scx/common.bpf.h>
#include <scx/exit.bpf.h>
#include "comm.bpf.h"

char _license[] SEC("license") = "GPL";

#define FIFO_DSQ 0

static bool is_victim(const struct task_struct *p)
{
	return test_comm_is(p, "scx_starved");
}

/* Never dispatch from here: the kernel's default select_cpu would put the
 * victim straight onto an idle CPU, past ops.enqueue. */
s32 SCX_OPS(stall_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	return prev_cpu;
}

void SCX_OPS(stall_enqueue, struct task_struct *p, u64 enq_flags)
{
	/* Dropping the task: it stays runnable and never runs. */
	if (is_victim(p))
		return;
	scx_dsq_insert(p, FIFO_DSQ, SCX_SLICE_DFL, enq_flags);
}

void SCX_OPS(stall_dispatch, s32 cpu, struct task_struct *prev)
{
	scx_dsq_move_to_local(FIFO_DSQ, 0);
}

void SCX_OPS(stall_runnable, struct task_struct *p, u64 enq_flags)
{
	scx_stall_guard_wait(p);
}

void SCX_OPS(stall_running, struct task_struct *p)
{
	scx_stall_guard_done(p);
}

void SCX_OPS(stall_stopping, struct task_struct *p, bool runnable)
{
	if (runnable)
		scx_stall_guard_wait(p);
}

void SCX_OPS(stall_quiescent, struct task_struct *p, u64 deq_flags)
{
	scx_stall_guard_done(p);
}

s32 SCX_OPS_SLEEPABLE(stall_init)
{
	s32 err = scx_bpf_create_dsq(FIFO_DSQ, -1);

	return err ? err : scx_stall_guard_init();
}

void SCX_OPS(stall_exit, struct scx_exit_info *ei)
{
	scx_exit_record(ei);
}

SCX_OPS_DEFINE(stall_guard_ops,
	       .select_cpu	= (void *)stall_select_cpu,
	       .enqueue		= (void *)stall_enqueue,
	       .dispatch	= (void *)stall_dispatch,
	       .runnable	= (void *)stall_runnable,
	       .running		= (void *)stall_running,
	       .stopping	= (void *)stall_stopping,
	       .quiescent	= (void *)stall_quiescent,
	       .init		= (void *)stall_init,
	       .exit		= (void *)stall_exit,
	       .timeout_ms	= 25000,
	       .name		= "stall_guard");
