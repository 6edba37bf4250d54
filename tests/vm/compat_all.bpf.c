// SPDX-License-Identifier: GPL-2.0
/*
 * A global FIFO scheduler that calls every wrapper of compat.bpf.h from a
 * callback where the kernel allows it, so that loading it proves each shim
 * resolves and verifies on the running kernel. The calls that would disturb
 * scheduling sit behind "poke", a .bss flag that user space never sets but
 * the verifier cannot assume is zero.
 */
#include <scx/common.bpf.h>
#include <scx/exit.bpf.h>

/* A created DSQ: the built-in global one cannot be consumed or peeked. */
#define COMPAT_DSQ 1

char _license[] SEC("license") = "GPL";

__u64 poke;
__u64 seen_now, seen_peek_pid, seen_curr_pid;
/* Which variant each wrapper chose on this kernel (test_compat_binding.c). */
__u64 bound_insert_vtime_args, bound_select_cpu_and_args, bound_peek;

s32 SCX_OPS(compat_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	const struct cpumask *idle, *smt;
	s32 cpu;

	idle = scx_get_idle_cpumask();
	smt = scx_get_idle_smtmask();
	if (smt) {
		if (poke && bpf_cpumask_test_cpu(prev_cpu, smt))
			seen_now++;
		scx_bpf_put_idle_cpumask(smt);
	}
	cpu = scx_select_cpu_and(p, prev_cpu, wake_flags, p->cpus_ptr, 0);
	if (idle)
		scx_bpf_put_idle_cpumask(idle);
	if (cpu >= 0) {
		scx_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, 0);
		return cpu;
	}
	return prev_cpu;
}

void SCX_OPS(compat_enqueue, struct task_struct *p, u64 enq_flags)
{
	if (poke) {
		scx_dsq_insert_vtime(p, COMPAT_DSQ, SCX_SLICE_DFL, 0, enq_flags);
		scx_kick_cpu(scx_bpf_task_cpu(p), SCX_KICK_IDLE);
		return;
	}
	scx_dsq_insert(p, COMPAT_DSQ, SCX_SLICE_DFL, enq_flags);
}

void SCX_OPS(compat_dispatch, s32 cpu, struct task_struct *prev)
{
	if (poke)
		seen_peek_pid = scx_dsq_peek_pid(COMPAT_DSQ);
	scx_dsq_move_to_local(COMPAT_DSQ, 0);
}

void SCX_OPS(compat_running, struct task_struct *p)
{
	seen_now = scx_now();
	if (poke) {
		scx_task_set_slice(p, SCX_SLICE_DFL);
		scx_task_set_dsq_vtime(p, 0);
	}
}

void SCX_OPS(compat_tick, struct task_struct *p)
{
	struct task_struct *curr;

	if (!poke)
		return;
	bpf_rcu_read_lock();
	curr = scx_cpu_curr(bpf_get_smp_processor_id());
	if (curr)
		seen_curr_pid = curr->pid;
	bpf_rcu_read_unlock();
	scx_exit(1, "poked: pid %d", p->pid);
}

void SCX_OPS(compat_cpu_release, s32 cpu, struct scx_cpu_release_args *args)
{
	scx_reenqueue_local();
}

s32 SCX_OPS_SLEEPABLE(compat_init)
{
	bound_insert_vtime_args = scx_compat_newer(__scx_bpf_dsq_insert_vtime___scx);
	bound_select_cpu_and_args = scx_compat_newer(__scx_bpf_select_cpu_and___scx);
	bound_peek = scx_dsq_peek_usable();
	return scx_bpf_create_dsq(COMPAT_DSQ, -1);
}

void SCX_OPS(compat_exit, struct scx_exit_info *ei)
{
	scx_exit_record(ei);
}

SCX_OPS_DEFINE(compat_all_ops,
	       .select_cpu	= (void *)compat_select_cpu,
	       .enqueue		= (void *)compat_enqueue,
	       .dispatch	= (void *)compat_dispatch,
	       .running		= (void *)compat_running,
	       .tick		= (void *)compat_tick,
	       .cpu_release	= (void *)compat_cpu_release,
	       .init		= (void *)compat_init,
	       .exit		= (void *)compat_exit,
	       .timeout_ms	= 30000,
	       .name		= "compat_all");
