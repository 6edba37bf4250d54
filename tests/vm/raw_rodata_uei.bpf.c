// SPDX-License-Identifier: GPL-2.0
/*
 * A scheduler whose "uei" and "uei_dump" are read-only globals (const
 * volatile, so in .rodata and .rodata.uei_dump): they have the names of the
 * exit-record convention but the BPF side can never write them, and after
 * load libbpf maps them read-only. libscx must not take them for an exit
 * record nor write into them (which faulted), and must report the exit from
 * the kernel's side instead.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym;

struct user_exit_info {
	int kind;
	s64 exit_code;
	char reason[128];
	char msg[1024];
};
const volatile struct user_exit_info uei;
const volatile char uei_dump[256] SEC(".rodata.uei_dump");
const volatile u32 uei_dump_len;
u64 nr_enqueued;

SEC("struct_ops/rouei_enqueue")
void BPF_PROG(rouei_enqueue, struct task_struct *p, u64 enq_flags)
{
	/* read them, so that they stay in the object */
	if (uei.kind || uei_dump[0] || uei_dump_len == 1)
		__sync_fetch_and_add(&nr_enqueued, 2);
	__sync_fetch_and_add(&nr_enqueued, 1);
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops raw_rodata_uei_ops = {
	.enqueue = (void *)rouei_enqueue,
	.timeout_ms = 30000,
	.name = "raw_rodata_uei",
};
