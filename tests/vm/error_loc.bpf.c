// SPDX-License-Identifier: GPL-2.0
/*
 * A global FIFO scheduler that ends itself on request, through scx_error()
 * (trigger = 1) or scx_exit() (trigger = 2), recording the source line of the
 * call so the test can check the "file:line: " prefix of the exit message.
 */
#include <scx/common.bpf.h>
#include <scx/exit.bpf.h>

char _license[] SEC("license") = "GPL";

#define FIFO_DSQ 0

__u32 trigger;		/* set by user space after attach */
__u32 fired_line;

void SCX_OPS(errloc_enqueue, struct task_struct *p, u64 enq_flags)
{
	if (trigger == 1 && !fired_line) {
		fired_line = __LINE__; scx_error("deliberate error %d from pid %d", 42, p->pid);
	} else if (trigger == 2 && !fired_line) {
		fired_line = __LINE__; scx_exit(7, "deliberate exit %s", "requested");
	}
	scx_dsq_insert(p, FIFO_DSQ, SCX_SLICE_DFL, enq_flags);
}

void SCX_OPS(errloc_dispatch, s32 cpu, struct task_struct *prev)
{
	scx_dsq_move_to_local(FIFO_DSQ, 0);
}

s32 SCX_OPS_SLEEPABLE(errloc_init)
{
	return scx_bpf_create_dsq(FIFO_DSQ, -1);
}

void SCX_OPS(errloc_exit, struct scx_exit_info *ei)
{
	scx_exit_record(ei);
}

SCX_OPS_DEFINE(error_loc_ops,
	       .enqueue		= (void *)errloc_enqueue,
	       .dispatch	= (void *)errloc_dispatch,
	       .init		= (void *)errloc_init,
	       .exit		= (void *)errloc_exit,
	       .timeout_ms	= 30000,
	       .name		= "error_loc");
