// SPDX-License-Identifier: GPL-2.0
/*
 * A scheduler compiled against a newer kernel's types that implements a
 * callback older kernels do not have (cgroup_set_idle, 6.19). On an older
 * kernel libscx drops that callback with a warning and the rest still runs.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym;

u64 nr_idle_calls;

SEC("struct_ops/newops_enqueue")
void BPF_PROG(newops_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC("struct_ops/newops_cgroup_set_idle")
void BPF_PROG(newops_cgroup_set_idle, struct cgroup *cgrp, bool idle)
{
	__sync_fetch_and_add(&nr_idle_calls, 1);
}

SEC(".struct_ops.link")
struct sched_ext_ops raw_newops_ops = {
	.enqueue = (void *)newops_enqueue,
	.cgroup_set_idle = (void *)newops_cgroup_set_idle,
	.timeout_ms = 30000,
	.name = "raw_newops",
};
