// SPDX-License-Identifier: GPL-2.0
/* Compile check: scx/common.bpf.h must compile when it is the first include. */
#include <scx/common.bpf.h>


char _license[] SEC("license") = "GPL";
