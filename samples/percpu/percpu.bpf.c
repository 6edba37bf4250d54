// SPDX-License-Identifier: GPL-2.0
/*
 * percpu: one queue per CPU, with stealing nearest first.
 *
 * A waking task goes to the nearest idle CPU (an idle SMT core before a CPU
 * beside a busy sibling; its previous CPU, its LLC, its node, anywhere: see
 * idle.bpf.h). When every CPU it may use is busy, it waits in the queue of
 * the CPU it last ran on, where its data is most likely still cached, and a
 * CPU that went idle meanwhile, and may steal from that queue, is woken to
 * steal it. A CPU that runs out of work first takes from its own queue, then
 * steals from CPUs that share its LLC (cheap: the cache is shared), then its
 * node, then anywhere, so a CPU idles only when no queue has a task for it
 * (steal_scope narrows that, for stealing and waking alike). A task that
 * waited a second in a queue whose CPU is kept busy (RT tasks) is taken by
 * another CPU at its next dispatch (scx_dsq_rescue_percpu()). The CPU to
 * LLC/node map is the machine's, which libscx puts in the maps of
 * topology.bpf.h when it loads the scheduler (domain.bpf.h). Tasks that an
 * RT or deadline task pushes off a CPU go back through the enqueue path at
 * once (scx_dsq_cpu_release()) instead of waiting for that CPU.
 */
#include <scx/common.bpf.h>
#include <scx/dsq.bpf.h>
#include <scx/idle.bpf.h>
#include <scx/exit.bpf.h>
#include <scx/stats.bpf.h>

char _license[] SEC("license") = "GPL";

struct percpu_stats {
	__u64 idle_hit;		/* placed on an idle CPU at wakeup */
	__u64 idle_enq;		/* placed on an idle CPU from enqueue */
	__u64 queued;		/* waited in a per-CPU queue */
	__u64 local;		/* a CPU ran a task from its own queue */
	__u64 stolen;		/* ... or stole one from another CPU */
	__u64 kicked;		/* a CPU went idle as a task was queued: woken */
	__u64 rescued;		/* ... or took one that waited too long elsewhere */
};
SCX_STATS_DEFINE(percpu_stats);

const volatile __u64 slice_ns = SCX_SLICE_DFL;
const volatile __u32 steal_scope = SCX_STEAL_ALL;

s32 SCX_OPS(percpu_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	s32 cpu = scx_idle_pick_cpu(p, prev_cpu, wake_flags);

	if (cpu >= 0) {
		scx_stat_inc(idle_hit);
		scx_dsq_insert(p, SCX_DSQ_LOCAL, slice_ns, 0);
		return cpu;
	}
	return prev_cpu;
}

void SCX_OPS(percpu_enqueue, struct task_struct *p, u64 enq_flags)
{
	s32 cpu = scx_bpf_task_cpu(p);
	s32 idle;

	/*
	 * Tasks that did not go through select_cpu (new, pinned, preempted)
	 * still deserve an idle CPU; LOCAL_ON wakes the target on every
	 * kernel, where a kick is not always available (compat.bpf.h).
	 */
	idle = scx_idle_pick_any(p, cpu);
	if (idle >= 0) {
		scx_stat_inc(idle_enq);
		scx_dsq_insert(p, SCX_DSQ_LOCAL_ON | idle, slice_ns, enq_flags);
		return;
	}
	scx_stat_inc(queued);
	scx_dsq_insert(p, scx_dsq_cpu(cpu), slice_ns, enq_flags);
	if (scx_idle_kick_within(p, cpu, steal_scope) >= 0)
		scx_stat_inc(kicked);
}

void SCX_OPS(percpu_dispatch, s32 cpu, struct task_struct *prev)
{
	bool own = scx_dsq_nr_queued_cpu(cpu) > 0;

	if (scx_dsq_rescue_percpu(cpu)) {
		scx_stat_inc(rescued);
		return;
	}
	if (scx_dsq_move_to_local_steal(cpu, steal_scope)) {
		if (own)
			scx_stat_inc(local);
		else
			scx_stat_inc(stolen);
	}
}

/* An RT or deadline task took cpu: what waits in its local DSQ goes back to
 * the queues, where other CPUs take it, instead of waiting for cpu. */
void SCX_OPS(percpu_cpu_release, s32 cpu, struct scx_cpu_release_args *args)
{
	scx_dsq_cpu_release();
}

s32 SCX_OPS_SLEEPABLE(percpu_init)
{
	s32 err = scx_dsq_create_percpu();

	return err ? err : scx_idle_init();
}

void SCX_OPS(percpu_exit, struct scx_exit_info *ei)
{
	scx_exit_record(ei);
}

SCX_OPS_DEFINE(percpu_ops,
	       .select_cpu	= (void *)percpu_select_cpu,
	       .enqueue		= (void *)percpu_enqueue,
	       .dispatch	= (void *)percpu_dispatch,
	       .cpu_release	= (void *)percpu_cpu_release,
	       .init		= (void *)percpu_init,
	       .exit		= (void *)percpu_exit,
	       .timeout_ms	= 10000,
	       .name		= "percpu");
