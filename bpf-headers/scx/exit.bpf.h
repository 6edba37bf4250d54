/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * How a scheduler tells user space why it exited, and a stall guard that
 * reports a starving task with its pid and name before the kernel's watchdog
 * does (the kernel's message names no task of the scheduler's choosing and
 * comes only after up to 30 s).
 *
 * The exit record: the globals "uei" (struct scx_exit_record, the layout of
 * the kernel samples' user_exit_info, so any loader that knows it can read
 * it) and "uei_dump" (the kernel's debug dump). uei_dump lives in its own
 * section so user space can resize it before load; it then sets uei_dump_len
 * to the same size (libscx does both from scx_sched_opts.exit_dump_len).
 *
 *	void SCX_OPS(my_exit, struct scx_exit_info *ei) { scx_exit_record(ei); }
 */
#ifndef __SCX_EXIT_BPF_H
#define __SCX_EXIT_BPF_H

#include "common.bpf.h"
#include <scx/exit_layout.h>

struct scx_exit_record uei SEC(".data");
char uei_dump[SCX_EXIT_DUMP_DEFAULT_LEN] SEC(".data.uei_dump");
const volatile __u32 uei_dump_len = SCX_EXIT_DUMP_DEFAULT_LEN;

/*
 * Copy the kernel's exit information into uei/uei_dump. Call it from
 * ops.exit. kind is written last, with an atomic, because user space treats a
 * non-zero kind as "the record is complete"; the first exit wins.
 */
static __always_inline void scx_exit_record(struct scx_exit_info *ei)
{
	if (uei.kind)
		return;
	if (uei_dump_len && ei->dump)
		bpf_probe_read_kernel_str(uei_dump, uei_dump_len, ei->dump);
	bpf_probe_read_kernel_str(uei.reason, sizeof(uei.reason), ei->reason);
	bpf_probe_read_kernel_str(uei.msg, sizeof(uei.msg), ei->msg);
	uei.exit_code = ei->exit_code;
	__sync_val_compare_and_swap(&uei.kind, 0, ei->kind);
}

/* ---- stall guard ------------------------------------------------------- */

/*
 * Opt in with SCX_STALL_GUARD before including this header. The guard keeps
 * the time each waiting task became runnable in a hash map keyed by pid and
 * scans it from a BPF timer; a task waiting longer than scx_stall_guard_ms
 * ends the scheduler with scx_error() naming the task. Hooks:
 *	ops.init:       scx_stall_guard_init()     (returns 0 or -errno)
 *	ops.runnable:   scx_stall_guard_wait(p)
 *	ops.stopping:   if (runnable) scx_stall_guard_wait(p)
 *	ops.running:    scx_stall_guard_done(p)
 *	ops.quiescent:  scx_stall_guard_done(p)
 * A task preempted at the end of its slice stays runnable and gets no new
 * ops.runnable, hence the ops.stopping hook.
 */
#ifdef SCX_STALL_GUARD

#ifndef SCX_STALL_GUARD_MAX_TASKS
#define SCX_STALL_GUARD_MAX_TASKS 16384
#endif

/* Set by user space; 0 disables the checks. Keep it below ops.timeout_ms. */
const volatile __u64 scx_stall_guard_ms = 5000;

struct scx_stall_wait {
	u64 since;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SCX_STALL_GUARD_MAX_TASKS);
	__type(key, s32);
	__type(value, struct scx_stall_wait);
} scx_stall_waiting SEC(".maps");

struct scx_stall_timer {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scx_stall_timer);
} scx_stall_timer SEC(".maps");

/* The worst waiter found by the last scan (user-space visible types: the
 * skeleton of a scheduler shows it). */
struct scx_stall_found {
	__s32 pid;
	__u64 waited_ns;
	char comm[16];
};
static struct scx_stall_found scx_stall_found;

static __always_inline void scx_stall_guard_wait(struct task_struct *p)
{
	struct scx_stall_wait w = { .since = bpf_ktime_get_ns() };
	s32 pid = p->pid;

	if (!scx_stall_guard_ms)
		return;
	__builtin_memcpy(w.comm, p->comm, sizeof(w.comm));
	/* BPF_NOEXIST keeps the earliest time across repeated wait calls. */
	bpf_map_update_elem(&scx_stall_waiting, &pid, &w, BPF_NOEXIST);
}

static __always_inline void scx_stall_guard_done(struct task_struct *p)
{
	s32 pid = p->pid;

	if (scx_stall_guard_ms)
		bpf_map_delete_elem(&scx_stall_waiting, &pid);
}

static long scx_stall_scan_one(struct bpf_map *map, s32 *pid, struct scx_stall_wait *w,
			       u64 *now)
{
	u64 waited = *now > w->since ? *now - w->since : 0;

	if (waited > scx_stall_guard_ms * 1000000ULL && waited > scx_stall_found.waited_ns) {
		scx_stall_found.pid = *pid;
		scx_stall_found.waited_ns = waited;
		__builtin_memcpy(scx_stall_found.comm, w->comm, sizeof(w->comm));
	}
	return 0;
}

static int scx_stall_timer_fn(void *map, int *key, struct bpf_timer *timer)
{
	u64 now = bpf_ktime_get_ns();

	scx_stall_found.pid = 0;
	scx_stall_found.waited_ns = 0;
	bpf_for_each_map_elem(&scx_stall_waiting, scx_stall_scan_one, &now, 0);
	if (scx_stall_found.pid) {
		scx_error("stall guard: task %d (%s) runnable for %llu ms without running",
			  scx_stall_found.pid, scx_stall_found.comm,
			  scx_stall_found.waited_ns / 1000000);
		return 0;
	}
	/* Four scans per threshold: a stall is reported at most 25% late. */
	bpf_timer_start(timer, scx_stall_guard_ms * 1000000ULL / 4, 0);
	return 0;
}

static __always_inline s32 scx_stall_guard_init(void)
{
	struct bpf_timer *timer;
	u32 key = 0;
	long err;

	if (!scx_stall_guard_ms)
		return 0;
	timer = bpf_map_lookup_elem(&scx_stall_timer, &key);
	if (!timer)
		return -ENOENT;
	err = bpf_timer_init(timer, &scx_stall_timer, 1 /* CLOCK_MONOTONIC */);
	if (err)
		return err;
	err = bpf_timer_set_callback(timer, scx_stall_timer_fn);
	if (err)
		return err;
	return bpf_timer_start(timer, scx_stall_guard_ms * 1000000ULL / 4, 0);
}

#endif /* SCX_STALL_GUARD */

#endif /* __SCX_EXIT_BPF_H */
