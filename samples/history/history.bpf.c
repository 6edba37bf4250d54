// SPDX-License-Identifier: GPL-2.0
/*
 * history: the BPF half of a user-space scheduler (history.c) that shares
 * the CPUs among processes by their history. All policy is in user space;
 * this wires scx/user.bpf.h's callbacks.
 */
#include <scx/common.bpf.h>
#include <scx/user.bpf.h>

char _license[] SEC("license") = "GPL";

SCX_USER_OPS_DEFINE(history, .timeout_ms = 5000, .name = "history");
