// SPDX-License-Identifier: GPL-2.0
/*
 * A scheduler with no exit record at all (no "uei", no ops.exit): libscx must
 * still tell that it exited and, from the kernel log, why.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym;
void scx_bpf_error_bstr(char *fmt, unsigned long long *data, u32 data__sz) __ksym;

const volatile int error_after;
u64 nr_enqueued;

SEC("struct_ops/norec_enqueue")
void BPF_PROG(norec_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 n = __sync_fetch_and_add(&nr_enqueued, 1);

	if (error_after && n == (u64)error_after) {
		static char fmt[] = "raw_norec: giving up after %llu enqueues";
		unsigned long long args[1] = { n };

		scx_bpf_error_bstr(fmt, args, sizeof(args));
	}
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC(".struct_ops.link")
struct sched_ext_ops raw_norec_ops = {
	.enqueue = (void *)norec_enqueue,
	.timeout_ms = 30000,
	.name = "raw_norec",
};
