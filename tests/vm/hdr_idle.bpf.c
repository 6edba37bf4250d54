// SPDX-License-Identifier: GPL-2.0
/* Compile check: scx/idle.bpf.h must compile when it is the first include. */
#include <scx/idle.bpf.h>


char _license[] SEC("license") = "GPL";
