// SPDX-License-Identifier: GPL-2.0
/*
 * A scheduler following the conventions of objects built with the
 * sched-ext/scx project's headers, written out by hand: kernel enum values
 * come from read-only __SCX_* globals that the loader fills from BTF, and the
 * exit record has a dump buffer alone in a resizable data section.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym;
void scx_bpf_error_bstr(char *fmt, unsigned long long *data, u32 data__sz) __ksym;

const volatile u64 __SCX_DSQ_GLOBAL __weak;
const volatile u64 __SCX_SLICE_DFL __weak;
const volatile u64 __SCX_NO_SUCH_ENUM __weak;	/* left alone: unknown to the kernel */

struct {
	int kind;
	s64 exit_code;
	char reason[128];
	char msg[1024];
} uei SEC(".data");
char uei_dump[1] SEC(".data.uei_dump");
const volatile u32 uei_dump_len;

const volatile int error_after;
u64 nr_enqueued;

SEC("struct_ops/style_enqueue")
void BPF_PROG(style_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 n = __sync_fetch_and_add(&nr_enqueued, 1);

	if (error_after && n == (u64)error_after) {
		static char fmt[] = "scx_style: error after %llu enqueues";
		unsigned long long args[1] = { n };

		scx_bpf_error_bstr(fmt, args, sizeof(args));
	}
	/* a zero here (loader did not fill it) would be an invalid DSQ */
	scx_bpf_dsq_insert(p, __SCX_DSQ_GLOBAL, __SCX_SLICE_DFL, enq_flags);
}

SEC("struct_ops/style_exit")
void BPF_PROG(style_exit, struct scx_exit_info *ei)
{
	if (uei_dump_len)
		bpf_probe_read_kernel_str(uei_dump, uei_dump_len, ei->dump);
	uei.exit_code = ei->exit_code;
	bpf_probe_read_kernel_str(uei.reason, sizeof(uei.reason), ei->reason);
	bpf_probe_read_kernel_str(uei.msg, sizeof(uei.msg), ei->msg);
	__sync_val_compare_and_swap(&uei.kind, 0, ei->kind);
}

SEC(".struct_ops.link")
struct sched_ext_ops scx_style_ops = {
	.enqueue = (void *)style_enqueue,
	.exit = (void *)style_exit,
	.timeout_ms = 30000,
	.name = "scx_style",
};
