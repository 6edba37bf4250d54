// SPDX-License-Identifier: GPL-2.0
/*
 * A vtime-ordered scheduler that always queues tasks named "scx_late" last:
 * their key lies far in the future, so without dsq.bpf.h's starvation guard
 * they never run and the kernel's watchdog ejects the scheduler. With the
 * guard (scx_rescue_ms), they run about once per scx_rescue_ms.
 */
#include <scx/common.bpf.h>
#include <scx/dsq.bpf.h>
#include <scx/exit.bpf.h>
#include "comm.bpf.h"

char _license[] SEC("license") = "GPL";

__u64 nr_rescued;	/* victims moved by the guard */
static u64 seq;

static bool is_late(const struct task_struct *p)
{
	return test_comm_is(p, "scx_late");
}

/* No direct dispatch: every task goes through ops.enqueue and the queue. */
s32 SCX_OPS(rescue_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	return prev_cpu;
}

void SCX_OPS(rescue_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 key = __sync_fetch_and_add(&seq, 1);

	if (is_late(p))
		key += 1ULL << 62;
	scx_dsq_insert_vtime(p, SCX_DSQ_SHARED, SCX_SLICE_DFL / 4, key, enq_flags);
}

void SCX_OPS(rescue_dispatch, s32 cpu, struct task_struct *prev)
{
	if (scx_dsq_rescue(SCX_DSQ_SHARED, cpu)) {
		__sync_fetch_and_add(&nr_rescued, 1);
		return;
	}
	scx_dsq_move_to_local(SCX_DSQ_SHARED, 0);
}

s32 SCX_OPS_SLEEPABLE(rescue_init)
{
	return scx_dsq_create_shared();
}

void SCX_OPS(rescue_exit, struct scx_exit_info *ei)
{
	scx_exit_record(ei);
}

SCX_OPS_DEFINE(rescue_ops,
	       .select_cpu	= (void *)rescue_select_cpu,
	       .enqueue		= (void *)rescue_enqueue,
	       .dispatch	= (void *)rescue_dispatch,
	       .init		= (void *)rescue_init,
	       .exit		= (void *)rescue_exit,
	       .timeout_ms	= 4000,
	       .name		= "rescue");
