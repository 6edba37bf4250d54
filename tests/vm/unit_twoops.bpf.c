// SPDX-License-Identifier: GPL-2.0
/*
 * Two sched_ext schedulers in one object: both queue every task on the global
 * DSQ. The unit tests open it to check that libscx refuses to guess between
 * two sched_ext_ops maps (ENOTUNIQ) unless scx_sched_opts.ops_map names one.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym;

SEC("struct_ops/first_enqueue")
void BPF_PROG(first_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC("struct_ops/second_enqueue")
void BPF_PROG(second_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops first_ops = {
	.enqueue = (void *)first_enqueue,
	.name = "unit_first",
};

SEC(".struct_ops.link")
struct sched_ext_ops second_ops = {
	.enqueue = (void *)second_enqueue,
	.timeout_ms = 5000,
	.name = "unit_second",
};
