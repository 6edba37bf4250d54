// SPDX-License-Identifier: GPL-2.0
/*
 * A scheduler written WITHOUT libscx's BPF headers: raw kfunc declarations and
 * its own exit record in the kernel samples' layout. It queues every task on
 * the global DSQ in FIFO order. Tests flip its behaviour through read-only
 * globals: raise an error, or starve one task to trip the watchdog.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char _license[] SEC("license") = "GPL";

/* Exists with this prototype from 6.13 on. */
void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym;
void scx_bpf_error_bstr(char *fmt, unsigned long long *data, u32 data__sz) __ksym;

struct user_exit_info {
	int kind;
	s64 exit_code;
	char reason[128];
	char msg[1024];
};
struct user_exit_info uei SEC(".data");

const volatile int error_after;		/* raise scx_bpf_error() after N enqueues */
const volatile int starve_pid;		/* never run this task */
u64 nr_enqueued;

SEC("struct_ops/raw_enqueue")
void BPF_PROG(raw_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 n = __sync_fetch_and_add(&nr_enqueued, 1);

	if (error_after && n == (u64)error_after) {
		unsigned long long args[1] = { n };

		/* the kfunc takes a non-const char *: the verifier wants
		 * writable memory, so not .rodata */
		static char fmt[] = "raw_fifo: deliberate error after %llu enqueues";

		scx_bpf_error_bstr(fmt, args, sizeof(args));
	}
	if (starve_pid && p->pid == starve_pid)
		return;
	scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

SEC("struct_ops/raw_exit")
void BPF_PROG(raw_exit, struct scx_exit_info *ei)
{
	uei.exit_code = ei->exit_code;
	bpf_probe_read_kernel_str(uei.reason, sizeof(uei.reason), ei->reason);
	bpf_probe_read_kernel_str(uei.msg, sizeof(uei.msg), ei->msg);
	__sync_val_compare_and_swap(&uei.kind, 0, ei->kind);
}

SEC(".struct_ops.link")
struct sched_ext_ops raw_fifo_ops = {
	.enqueue = (void *)raw_enqueue,
	.exit = (void *)raw_exit,
	.timeout_ms = 30000,
	.name = "raw_fifo",
};
