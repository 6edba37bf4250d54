// SPDX-License-Identifier: GPL-2.0
/* Compile check: scx/task.bpf.h must compile when it is the first include. */
#include <scx/task.bpf.h>
struct hdr_task_ctx { __u64 a; };
struct hdr_cpu_ctx { __u64 b; };
SCX_TASK_CTX_DEFINE(hdr_task_ctx);
SCX_CPU_CTX_DEFINE(hdr_cpu_ctx);

char _license[] SEC("license") = "GPL";
