// SPDX-License-Identifier: GPL-2.0
/*
 * Not a scheduler: a BPF object with one syscall program and no struct_ops
 * map. The unit tests open it to check that libscx refuses an object without
 * a sched_ext_ops map (ESRCH) and says so in the log.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char _license[] SEC("license") = "GPL";

int calls;

SEC("syscall")
int unit_noops_prog(void *ctx)
{
	calls++;
	return 0;
}
