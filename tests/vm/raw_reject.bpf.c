// SPDX-License-Identifier: GPL-2.0
/*
 * A scheduler the verifier must reject: it indexes an array with a task's pid
 * without a bounds check.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym;

u64 per_slot[4];

SEC("struct_ops/reject_enqueue")
void BPF_PROG(reject_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 acc = 0;

	/* a few hundred instructions first, so that the verifier log is far
	 * longer than a line and its verdict comes at the very end */
#pragma unroll
	for (int i = 0; i < 150; i++)
		acc = acc * 31 + (p->pid ^ i);
	per_slot[0] = acc;
	per_slot[p->pid]++;	/* no bounds check: out of the map value */
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops raw_reject_ops = {
	.enqueue = (void *)reject_enqueue,
	.name = "raw_reject",
};
