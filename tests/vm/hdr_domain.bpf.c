// SPDX-License-Identifier: GPL-2.0
/* Compile check: scx/domain.bpf.h must compile when it is the first include. */
#include <scx/domain.bpf.h>


char _license[] SEC("license") = "GPL";
