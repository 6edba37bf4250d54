// SPDX-License-Identifier: GPL-2.0
/*
 * minimal: one global first-in first-out queue for every CPU.
 *
 * A waking task goes straight to an idle CPU when the kernel's default
 * selection finds one (skipping the queue); otherwise it joins the single
 * shared queue, and whichever CPU runs out of work takes the oldest task from
 * it. No priorities, no fairness beyond arrival order: the smallest scheduler
 * that is still useful, and the template to copy for a new one.
 */
#include <scx/common.bpf.h>
#include <scx/exit.bpf.h>
#include <scx/stats.bpf.h>

char _license[] SEC("license") = "GPL";

/* Counters user space prints by name (scx_sched__for_each_counter). */
struct minimal_stats {
	__u64 direct;	/* woke onto an idle CPU, queue skipped */
	__u64 queued;	/* went through the global queue */
};
SCX_STATS_DEFINE(minimal_stats);

/* Tunable set by user space before load (scx_sched__set_global). */
const volatile __u64 slice_ns = SCX_SLICE_DFL;

s32 SCX_OPS(minimal_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);

	/* The CPU is already reserved for p: queueing would only add latency. */
	if (idle) {
		scx_stat_inc(direct);
		scx_dsq_insert(p, SCX_DSQ_LOCAL, slice_ns, 0);
	}
	return cpu;
}

void SCX_OPS(minimal_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_stat_inc(queued);
	scx_dsq_insert(p, SCX_DSQ_GLOBAL, slice_ns, enq_flags);
}

void SCX_OPS(minimal_exit, struct scx_exit_info *ei)
{
	scx_exit_record(ei);
}

SCX_OPS_DEFINE(minimal_ops,
	       .select_cpu	= (void *)minimal_select_cpu,
	       .enqueue		= (void *)minimal_enqueue,
	       .exit		= (void *)minimal_exit,
	       .timeout_ms	= 10000,
	       .name		= "minimal");
