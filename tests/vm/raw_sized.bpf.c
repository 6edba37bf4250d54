// SPDX-License-Identifier: GPL-2.0
/*
 * A scheduler whose own loader would size a map: "pair_slots" is declared
 * with no max_entries (0), the way schedulers declare maps sized per CPU or
 * per CPU pair at load time. Without a size the kernel cannot create it; its
 * runner must size it (scx_sched__resize_map(), scxtool run --resize). It
 * queues every task on the global DSQ and counts enqueues in slot 0, and
 * in the last slot when told how many there are.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, u32);
	__type(value, u64);
} pair_slots SEC(".maps");

const volatile u32 nr_slots;		/* the size given to pair_slots, when set */

SEC("struct_ops/sized_enqueue")
void BPF_PROG(sized_enqueue, struct task_struct *p, u64 enq_flags)
{
	u32 first = 0, last = nr_slots ? nr_slots - 1 : 0;
	u64 *n = bpf_map_lookup_elem(&pair_slots, &first);

	if (n)
		__sync_fetch_and_add(n, 1);
	n = bpf_map_lookup_elem(&pair_slots, &last);
	if (n && last)
		__sync_fetch_and_add(n, 1);
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops raw_sized_ops = {
	.enqueue = (void *)sized_enqueue,
	.timeout_ms = 30000,
	.name = "raw_sized",
};
