// SPDX-License-Identifier: GPL-2.0
/*
 * userland: the BPF half of a scheduler whose policy runs in user space
 * (userland.c). It only wires scx/user.bpf.h's callbacks: every task that
 * wants a CPU goes to the user-space loop as a record and runs where the
 * loop says; BPF itself schedules the loop's own thread, per-CPU kthreads,
 * and everything waiting while the loop is stalled (see scx/user.bpf.h).
 */
#include <scx/common.bpf.h>
#include <scx/user.bpf.h>
#include <scx/exit.bpf.h>

char _license[] SEC("license") = "GPL";

s32 SCX_OPS(userland_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	return scx_user_select_cpu(p, prev_cpu, wake_flags);
}

void SCX_OPS(userland_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_user_enqueue(p, enq_flags);
}

void SCX_OPS(userland_dispatch, s32 cpu, struct task_struct *prev)
{
	scx_user_dispatch(cpu, prev);
}

void SCX_OPS(userland_running, struct task_struct *p)
{
	scx_user_running(p);
}

void SCX_OPS(userland_stopping, struct task_struct *p, bool runnable)
{
	scx_user_stopping(p, runnable);
}

void SCX_OPS(userland_enable, struct task_struct *p)
{
	scx_user_enable(p);
}

s32 SCX_OPS_SLEEPABLE(userland_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	return scx_user_init_task(p);
}

s32 SCX_OPS_SLEEPABLE(userland_init)
{
	return scx_user_init();
}

void SCX_OPS(userland_exit, struct scx_exit_info *ei)
{
	scx_exit_record(ei);
}

SCX_OPS_DEFINE(userland_ops,
	       .select_cpu	= (void *)userland_select_cpu,
	       .enqueue		= (void *)userland_enqueue,
	       .dispatch	= (void *)userland_dispatch,
	       .running		= (void *)userland_running,
	       .stopping	= (void *)userland_stopping,
	       .enable		= (void *)userland_enable,
	       .init_task	= (void *)userland_init_task,
	       .init		= (void *)userland_init,
	       .exit		= (void *)userland_exit,
	       .timeout_ms	= 5000,
	       .name		= "userland");
