// SPDX-License-Identifier: GPL-2.0
/* Compile check: scx/vtime.bpf.h must compile when it is the first include. */
#include <scx/vtime.bpf.h>


char _license[] SEC("license") = "GPL";
