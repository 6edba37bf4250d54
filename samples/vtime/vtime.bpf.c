// SPDX-License-Identifier: GPL-2.0
/*
 * vtime: weighted fair sharing of the CPUs through vtime-ordered queues, one
 * per last-level cache (LLC).
 *
 * Every task carries a virtual clock that advances by the CPU time it uses
 * divided by its weight (nice 0 = 100, nice 5 ~= 33). A waiting task sits in
 * the queue of its LLC (the LLC of the CPU it last ran on), ordered by that
 * clock, and a free CPU runs the task whose clock is furthest behind in its
 * own LLC's queue; only when that queue is empty does it take from the other
 * LLCs, those of its own NUMA node first. Over time every task's clock
 * advances at the same pace, so CPU time is shared in proportion to weight:
 * two CPU-bound tasks of nice 0 and nice 5 on one CPU split it about 3:1. On
 * a machine with one LLC this is one shared queue. A task queued to wait
 * wakes an idle CPU that may take it, so no CPU sleeps while work waits in
 * another LLC's queue. A task that slept may only bank a bounded amount of
 * vtime (scx_vtime_idle_budget slices), so waking tasks run soon without
 * starving the others. A light task runs a shorter slice (scx_vtime_slice),
 * so that one run does not put it so far ahead that it waits seconds for its
 * next: a nice-19 job next to a parallel build still gets a turn every few
 * hundred milliseconds. A task that has waited in its queue for
 * scx_rescue_ms runs next, ahead of its turn (dsq.bpf.h), so no order of
 * clocks leaves it waiting until the kernel's watchdog fires. Tasks that an
 * RT or deadline task pushes off a CPU go back to the queues at once
 * (scx_dsq_cpu_release()) instead of waiting for that CPU.
 */
#include <scx/common.bpf.h>
#include <scx/dsq.bpf.h>
#include <scx/vtime.bpf.h>
#include <scx/idle.bpf.h>
#include <scx/exit.bpf.h>
#include <scx/stats.bpf.h>

char _license[] SEC("license") = "GPL";

struct vtime_stats {
	__u64 direct;		/* woke onto an idle CPU */
	__u64 queued;		/* went through the vtime queue */
	__u64 dispatched;	/* moved from the queue to a CPU */
	__u64 kept;		/* a CPU kept its task: nothing queued was behind it */
	__u64 charged_ns;	/* weighted vtime charged, all tasks */
	__u64 rescued;		/* a task that waited scx_rescue_ms ran ahead of its turn */
	__u64 woke_idle;	/* a queued task woke an idle CPU to take it */
};
SCX_STATS_DEFINE(vtime_stats);

const volatile __u64 slice_ns = SCX_SLICE_DFL;

s32 SCX_OPS(vtime_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);

	/* Nothing waits when a CPU is idle, so ordering has nothing to decide;
	 * what the sleep banked is still bounded. */
	if (idle) {
		scx_vtime_enqueue(p, slice_ns);
		scx_stat_inc(direct);
		scx_dsq_insert(p, SCX_DSQ_LOCAL, scx_vtime_slice(p, slice_ns), 0);
	}
	return cpu;
}

void SCX_OPS(vtime_enqueue, struct task_struct *p, u64 enq_flags)
{
	s32 cpu = scx_bpf_task_cpu(p);

	scx_stat_inc(queued);
	scx_dsq_insert_vtime(p, scx_dsq_llc_of(cpu), scx_vtime_slice(p, slice_ns),
			     scx_vtime_enqueue(p, slice_ns), enq_flags);
	/* an idle CPU looks at the queues only when woken */
	if (scx_idle_kick_for(p, cpu) >= 0)
		scx_stat_inc(woke_idle);
}

void SCX_OPS(vtime_dispatch, s32 cpu, struct task_struct *prev)
{
	u64 dsq = scx_dsq_llc_of(cpu);

	if (scx_dsq_rescue(dsq, cpu)) {	/* a task waited too long */
		scx_stat_inc(rescued);
		return;
	}
	/* prev is not queued yet: compare it with the queue before switching. */
	if (scx_vtime_keep_prev(prev, dsq)) {
		scx_stat_inc(kept);
		scx_task_set_slice(prev, scx_vtime_slice(prev, slice_ns));
		return;
	}
	if (scx_dsq_move_to_local_llc(cpu, SCX_STEAL_ALL))
		scx_stat_inc(dispatched);
}

void SCX_OPS(vtime_running, struct task_struct *p)
{
	scx_vtime_running(p);
}

void SCX_OPS(vtime_stopping, struct task_struct *p, bool runnable)
{
	scx_stat_add(charged_ns, scx_vtime_charge(p));
}

/* A reniced task gets its new weight's slice, and no lag from its old weight. */
void SCX_OPS(vtime_set_weight, struct task_struct *p, u32 weight)
{
	scx_task_set_dsq_vtime(p, scx_vtime_reweight(p, weight, p->scx.dsq_vtime, slice_ns));
}

s32 SCX_OPS_SLEEPABLE(vtime_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	return scx_vtime_init_task(p);
}

/* A task joining the scheduler starts at the present, not at zero. */
void SCX_OPS(vtime_enable, struct task_struct *p)
{
	scx_task_set_dsq_vtime(p, scx_vtime_now);
}

/* An RT or deadline task took cpu: what waits in its local DSQ goes back to
 * the queues, where other CPUs take it, instead of waiting for cpu. */
void SCX_OPS(vtime_cpu_release, s32 cpu, struct scx_cpu_release_args *args)
{
	scx_dsq_cpu_release();
}

s32 SCX_OPS_SLEEPABLE(vtime_init)
{
	s32 err = scx_dsq_create_llc();

	return err ? err : scx_idle_init();
}

void SCX_OPS(vtime_exit, struct scx_exit_info *ei)
{
	scx_exit_record(ei);
}

SCX_OPS_DEFINE(vtime_ops,
	       .select_cpu	= (void *)vtime_select_cpu,
	       .enqueue		= (void *)vtime_enqueue,
	       .dispatch	= (void *)vtime_dispatch,
	       .cpu_release	= (void *)vtime_cpu_release,
	       .running		= (void *)vtime_running,
	       .stopping	= (void *)vtime_stopping,
	       .set_weight	= (void *)vtime_set_weight,
	       .enable		= (void *)vtime_enable,
	       .init_task	= (void *)vtime_init_task,
	       .init		= (void *)vtime_init,
	       .exit		= (void *)vtime_exit,
	       .timeout_ms	= 10000,
	       .name		= "vtime");
