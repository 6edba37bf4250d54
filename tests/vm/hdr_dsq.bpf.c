// SPDX-License-Identifier: GPL-2.0
/* Compile check: scx/dsq.bpf.h must compile when it is the first include. */
#include <scx/dsq.bpf.h>


char _license[] SEC("license") = "GPL";
