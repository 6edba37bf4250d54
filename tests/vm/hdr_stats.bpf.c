// SPDX-License-Identifier: GPL-2.0
/* Compile check: scx/stats.bpf.h must compile when it is the first include. */
#include <scx/stats.bpf.h>
struct hdr_stats { __u64 a; };
SCX_STATS_DEFINE(hdr_stats);

char _license[] SEC("license") = "GPL";
