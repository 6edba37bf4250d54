// SPDX-License-Identifier: GPL-2.0
/*
 * userland: the BPF half of a scheduler whose policy runs in user space
 * (userland.c). Every task that wants a CPU goes to the user-space loop as
 * a record and runs where the loop says; BPF itself schedules the loop's
 * own thread, per-CPU kthreads, and everything waiting while the loop is
 * stalled (see scx/user.bpf.h, whose callbacks this wires).
 */
#include <scx/common.bpf.h>
#include <scx/user.bpf.h>

char _license[] SEC("license") = "GPL";

SCX_USER_OPS_DEFINE(userland, .timeout_ms = 5000, .name = "userland");
