// SPDX-License-Identifier: GPL-2.0
/* Compile check: scx/compat.bpf.h must compile when it is the first include. */
#include <scx/compat.bpf.h>


char _license[] SEC("license") = "GPL";
