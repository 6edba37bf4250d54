// SPDX-License-Identifier: GPL-2.0
/*
 * onedsq: the bench's single-queue baseline, not a sample. Every waiting task
 * of the machine sits in one custom DSQ, so every enqueue and every dispatch
 * on every CPU takes the same lock: the shape whose cost per-LLC queues are
 * meant to remove. make bench's multi-LLC phase compares interactive against
 * it. Neither sample serves: minimal's SCX_DSQ_GLOBAL is one queue per NUMA
 * node in the kernels we run (find_global_dsq(), since 6.13), and vtime is
 * moving to per-LLC queues. First in, first out, the cheapest queue there is,
 * so whatever interactive gains over it is the lock and placement, not a
 * costlier ordering. A waking task that finds an idle CPU skips the queue, as
 * in every sample. Run with scxtool run.
 */
#include <scx/common.bpf.h>
#include <scx/dsq.bpf.h>
#include <scx/exit.bpf.h>

char _license[] SEC("license") = "GPL";

s32 SCX_OPS(onedsq_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);

	if (idle)
		scx_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, 0);
	return cpu;
}

void SCX_OPS(onedsq_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_dsq_insert(p, SCX_DSQ_SHARED, SCX_SLICE_DFL, enq_flags);
}

void SCX_OPS(onedsq_dispatch, s32 cpu, struct task_struct *prev)
{
	scx_dsq_move_to_local(SCX_DSQ_SHARED, 0);
}

s32 SCX_OPS_SLEEPABLE(onedsq_init)
{
	return scx_dsq_create_shared();
}

void SCX_OPS(onedsq_exit, struct scx_exit_info *ei)
{
	scx_exit_record(ei);
}

SCX_OPS_DEFINE(onedsq_ops,
	       .select_cpu	= (void *)onedsq_select_cpu,
	       .enqueue		= (void *)onedsq_enqueue,
	       .dispatch	= (void *)onedsq_dispatch,
	       .init		= (void *)onedsq_init,
	       .exit		= (void *)onedsq_exit,
	       .timeout_ms	= 10000,
	       .name		= "onedsq");
