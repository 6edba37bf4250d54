// SPDX-License-Identifier: GPL-2.0
/* Compile check: scx/cpufreq.bpf.h must compile when it is the first include. */
#include <scx/cpufreq.bpf.h>

char _license[] SEC("license") = "GPL";
