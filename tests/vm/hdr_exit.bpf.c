// SPDX-License-Identifier: GPL-2.0
/* Compile check: scx/exit.bpf.h must compile when it is the first include. */
#define SCX_STALL_GUARD
#include <scx/exit.bpf.h>


char _license[] SEC("license") = "GPL";
