// SPDX-License-Identifier: GPL-2.0
/*
 * A global FIFO scheduler that counts each event twice: in stats.bpf.h's
 * per-CPU counters and in plain globals with atomics, so the test can check
 * that user space's per-CPU sums equal what the BPF side counted.
 */
#include <scx/common.bpf.h>
#include <scx/exit.bpf.h>
#include <scx/stats.bpf.h>

char _license[] SEC("license") = "GPL";

#define FIFO_DSQ 0

struct counters_stats {
	__u64 enqueues;
	__u64 dispatches;
	__u64 weight_sum;
};
SCX_STATS_DEFINE(counters_stats);

__u64 ref_enqueues, ref_dispatches, ref_weight_sum;

void SCX_OPS(counters_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_stat_inc(enqueues);
	__sync_fetch_and_add(&ref_enqueues, 1);
	scx_stat_add(weight_sum, p->scx.weight);
	__sync_fetch_and_add(&ref_weight_sum, p->scx.weight);
	scx_dsq_insert(p, FIFO_DSQ, SCX_SLICE_DFL, enq_flags);
}

void SCX_OPS(counters_dispatch, s32 cpu, struct task_struct *prev)
{
	if (scx_dsq_move_to_local(FIFO_DSQ, 0)) {
		scx_stat_inc(dispatches);
		__sync_fetch_and_add(&ref_dispatches, 1);
	}
}

s32 SCX_OPS_SLEEPABLE(counters_init)
{
	return scx_bpf_create_dsq(FIFO_DSQ, -1);
}

void SCX_OPS(counters_exit, struct scx_exit_info *ei)
{
	scx_exit_record(ei);
}

SCX_OPS_DEFINE(counters_ops,
	       .enqueue		= (void *)counters_enqueue,
	       .dispatch	= (void *)counters_dispatch,
	       .init		= (void *)counters_init,
	       .exit		= (void *)counters_exit,
	       .timeout_ms	= 30000,
	       .name		= "counters");
