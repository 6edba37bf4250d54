// SPDX-License-Identifier: GPL-2.0
/*
 * A FIFO scheduler (one shared DSQ) that goes wrong on purpose, in the place
 * the read-only global fail_at names, so that the tests can check what a
 * loader sees for each way the kernel's own sched_ext selftests make a
 * scheduler die: scx_bpf_error() from each callback, ops.init() and
 * ops.init_task() returning an error, an insert into a DSQ that was never
 * created, and a SCX_DSQ_LOCAL_ON dispatch to a CPU that does not exist.
 *
 * The errors that happen while the kernel enables the scheduler (init,
 * init_task) fire at once. The others wait until user space sets ctl.armed
 * after attach, so that the scheduler is fully enabled first and the test
 * knows which phase it is checking.
 */
#include <scx/common.bpf.h>
#include <scx/exit.bpf.h>

char _license[] SEC("license") = "GPL";

#include "parity.h"

#define FIFO_DSQ	0
#define BOGUS_DSQ	0x5ca1ab1e	/* a user DSQ id nobody creates */
#define BAD_CPU		4095		/* fits the CPU mask, no machine here has it */

const volatile __u32 fail_at;

struct parity_ctl ctl SEC(".data.ctl");

/* Tasks kept out of any DSQ, to be dispatched by ops.dispatch (LOCAL_ON). */
struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4096);
	__type(value, s32);
} held SEC(".maps");

#define ARMED(point)	(fail_at == (point) && ctl.armed)

/* __LINE__ here and in scx_error()'s "file:line: " are the caller's line */
#define FAIL(where)								\
	do {									\
		if (!ctl.line)							\
			ctl.line = __LINE__;					\
		scx_error("deliberate error in ops." where " on cpu %d",	\
			  bpf_get_smp_processor_id());				\
	} while (0)

s32 SCX_OPS(parity_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	if (ARMED(P_SELECT_CPU))
		FAIL("select_cpu");
	return prev_cpu;
}

void SCX_OPS(parity_enqueue, struct task_struct *p, u64 enq_flags)
{
	s32 pid = p->pid;

	if (ARMED(P_ENQUEUE))
		FAIL("enqueue");
	if (ARMED(P_BOGUS_DSQ)) {
		scx_dsq_insert(p, BOGUS_DSQ, SCX_SLICE_DFL, enq_flags);
		return;
	}
	/* the kernel validates a LOCAL_ON target when ops.dispatch hands
	 * over a task that the BPF side holds, as its selftest does */
	if (ARMED(P_LOCAL_ON_BAD) && !bpf_map_push_elem(&held, &pid, 0)) {
		__sync_fetch_and_add(&ctl.held, 1);
		return;
	}
	scx_dsq_insert(p, FIFO_DSQ, SCX_SLICE_DFL, enq_flags);
}

void SCX_OPS(parity_dispatch, s32 cpu, struct task_struct *prev)
{
	struct task_struct *p;
	s32 pid;

	if (ARMED(P_DISPATCH))
		FAIL("dispatch");
	if (fail_at == P_LOCAL_ON_BAD && !bpf_map_pop_elem(&held, &pid)) {
		p = bpf_task_from_pid(pid);
		if (p) {
			scx_dsq_insert(p, SCX_DSQ_LOCAL_ON | BAD_CPU, SCX_SLICE_DFL, 0);
			bpf_task_release(p);
		}
	}
	scx_dsq_move_to_local(FIFO_DSQ, 0);
}

void SCX_OPS(parity_running, struct task_struct *p)
{
	if (ARMED(P_RUNNING))
		FAIL("running");
}

void SCX_OPS(parity_stopping, struct task_struct *p, bool runnable)
{
	if (ARMED(P_STOPPING))
		FAIL("stopping");
}

void SCX_OPS(parity_tick, struct task_struct *p)
{
	if (ARMED(P_TICK))
		FAIL("tick");
}

s32 SCX_OPS_SLEEPABLE(parity_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	/* failing the call as well makes the kernel abort the enable at
	 * once, rather than finish it and then act on the error */
	if (fail_at == P_INIT_TASK) {
		FAIL("init_task");
		return -EINVAL;
	}
	if (fail_at == P_INIT_TASK_RET)
		return -ENOMEM;
	return 0;
}

void SCX_OPS(parity_exit_task, struct task_struct *p, struct scx_exit_task_args *args)
{
	if (ARMED(P_EXIT_TASK))
		FAIL("exit_task");
}

s32 SCX_OPS_SLEEPABLE(parity_init)
{
	if (fail_at == P_INIT) {
		FAIL("init");
		return -EINVAL;
	}
	if (fail_at == P_INIT_RET)
		return -ENOMEM;
	return scx_bpf_create_dsq(FIFO_DSQ, -1);
}

void SCX_OPS(parity_exit, struct scx_exit_info *ei)
{
	scx_exit_record(ei);
}

SCX_OPS_DEFINE(parity_ops,
	       .select_cpu	= (void *)parity_select_cpu,
	       .enqueue		= (void *)parity_enqueue,
	       .dispatch	= (void *)parity_dispatch,
	       .running		= (void *)parity_running,
	       .stopping	= (void *)parity_stopping,
	       .tick		= (void *)parity_tick,
	       .init_task	= (void *)parity_init_task,
	       .exit_task	= (void *)parity_exit_task,
	       .init		= (void *)parity_init,
	       .exit		= (void *)parity_exit,
	       .timeout_ms	= 30000,
	       .name		= "parity");
