/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Weighted virtual time: each task's p->scx.dsq_vtime advances by the CPU
 * time it used divided by its weight, and a vtime-ordered DSQ runs the task
 * that is furthest behind. Weights are sched_ext's (p->scx.weight: 100 for
 * nice 0, about 33 for nice 5, from the kernel's nice-to-weight table), so
 * two CPU-bound tasks share a CPU in proportion to their weights.
 *
 *	ops.init_task: scx_vtime_init_task(p)
 *	ops.enable:    scx_task_set_dsq_vtime(p, scx_vtime_now);
 *	ops.enqueue:   vtime = scx_vtime_enqueue(p, slice_ns);  insert_vtime(..., vtime, ...)
 *	ops.dispatch:  if (scx_vtime_keep_prev(prev, dsq)) refill prev's slice; else move_to_local(dsq)
 *	ops.running:   scx_vtime_running(p);
 *	ops.stopping:  scx_vtime_charge(p);
 */
#ifndef __SCX_VTIME_BPF_H
#define __SCX_VTIME_BPF_H

#include "common.bpf.h"

/* The vtime of the most recently started task: the system's "present". */
__u64 scx_vtime_now;

/*
 * How many slices of vtime a sleeping task may bank: a waking task's vtime is
 * raised to at least scx_vtime_now - slice * budget, so a long sleep buys a
 * bounded head start instead of the right to monopolise a CPU.
 */
const volatile __u32 scx_vtime_idle_budget = 1;

static __always_inline bool scx_vtime_before(u64 a, u64 b)
{
	return (s64)(a - b) < 0;
}

/* delta of real time expressed in vtime for a task of weight weight. */
static __always_inline u64 scx_vtime_scale(u64 delta, u32 weight)
{
	return delta * 100 / (weight ? weight : 1);
}

/* vtime raised to the idle-budget floor. */
static __always_inline u64 scx_vtime_clamp(u64 vtime, u64 slice)
{
	u64 floor = scx_vtime_now - slice * scx_vtime_idle_budget;

	if (scx_vtime_now > slice * scx_vtime_idle_budget && scx_vtime_before(vtime, floor))
		return floor;
	return vtime;
}

/* The vtime to queue p with (clamped); also stored back into p. */
static __always_inline u64 scx_vtime_enqueue(struct task_struct *p, u64 slice)
{
	u64 vtime = scx_vtime_clamp(p->scx.dsq_vtime, slice);

	if (vtime != p->scx.dsq_vtime)
		scx_task_set_dsq_vtime(p, vtime);
	return vtime;
}

/* Advance the present to p's vtime when p is ahead of it. Racy across CPUs
 * by design: the present only needs to be roughly monotonic. */
static __always_inline void scx_vtime_running(struct task_struct *p)
{
	if (scx_vtime_before(scx_vtime_now, p->scx.dsq_vtime))
		scx_vtime_now = p->scx.dsq_vtime;
}

/*
 * Charging is by the task's own runtime counter (se.sum_exec_runtime), not by
 * the slice it had left: when nothing else is queued, the kernel lets a task
 * run on and refills its slice without ops.stopping/ops.running, and the
 * refilled slice would hide the time already used.
 */
struct scx_vtime_task {
	u64 charged_runtime;	/* se.sum_exec_runtime already charged */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct scx_vtime_task);
} scx_vtime_tasks SEC(".maps");

/* From ops.init_task (may allocate): start charging from now. */
static __always_inline s32 scx_vtime_init_task(struct task_struct *p)
{
	struct scx_vtime_task *t;

	t = bpf_task_storage_get(&scx_vtime_tasks, p, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t)
		return -ENOMEM;
	t->charged_runtime = p->se.sum_exec_runtime;
	return 0;
}

/* Runtime p used since its last charge. */
static __always_inline u64 scx_vtime_uncharged(const struct task_struct *p)
{
	struct scx_vtime_task *t;
	u64 now = p->se.sum_exec_runtime;

	t = bpf_task_storage_get(&scx_vtime_tasks, (struct task_struct *)p, NULL, 0);
	if (!t || now < t->charged_runtime)
		return 0;
	return now - t->charged_runtime;
}

/* p's vtime including the time it used since its last charge. */
static __always_inline u64 scx_vtime_current(const struct task_struct *p)
{
	return p->scx.dsq_vtime + scx_vtime_scale(scx_vtime_uncharged(p), p->scx.weight);
}

/* Charge p for its runtime since the last charge (ops.stopping). Returns the
 * vtime added. */
static __always_inline u64 scx_vtime_charge(struct task_struct *p)
{
	struct scx_vtime_task *t;
	u64 now = p->se.sum_exec_runtime, add;

	t = bpf_task_storage_get(&scx_vtime_tasks, p, NULL, 0);
	if (!t)
		return 0;
	add = now > t->charged_runtime ? scx_vtime_scale(now - t->charged_runtime, p->scx.weight) : 0;
	t->charged_runtime = now;
	if (add)
		scx_task_set_dsq_vtime(p, p->scx.dsq_vtime + add);
	return add;
}

/*
 * From ops.dispatch: should the CPU keep running prev instead of taking the
 * head of dsq_id? The kernel calls ops.dispatch before it re-queues an
 * expired prev, so without this check prev always loses to whatever waits,
 * and two tasks on one CPU alternate whatever their weights. True when prev
 * is still runnable and no queued task is behind it in vtime; the caller then
 * refills prev's slice and dispatches nothing.
 */
static __always_inline bool scx_vtime_keep_prev(struct task_struct *prev, u64 dsq_id)
{
	u64 queued = SCX_ENUM(scx_ent_flags, SCX_TASK_QUEUED);
	u64 mine, head;

	if (!prev || !queued || !(prev->scx.flags & queued))
		return false;
	mine = scx_vtime_current(prev);
	if (scx_dsq_head_vtime(dsq_id, &head))
		return !scx_vtime_before(head, mine);
	/* empty, or no way to look (then only an empty DSQ keeps prev) */
	return scx_bpf_dsq_nr_queued(dsq_id) <= 0;
}

/*
 * A deadline for earliest-deadline-first ordering: the vtime by which p
 * should have run, one weighted slice after its vtime. Lighter tasks get
 * later deadlines; lat_weight (100 = neutral) lets a caller favour tasks that
 * wake often, e.g. 100 * avg_run / slice.
 */
static __always_inline u64 scx_vtime_deadline(u64 vtime, u64 slice, u32 weight, u32 lat_weight)
{
	return vtime + scx_vtime_scale(slice * (lat_weight ? lat_weight : 100) / 100, weight);
}

/*
 * A slice that keeps the wait of nr_queued tasks near target_ns: the target
 * split between them, never below min_ns (context switches cost) nor above
 * max_ns.
 */
static __always_inline u64 scx_slice_from_load(u64 target_ns, u64 min_ns, u64 max_ns,
					       u64 nr_queued)
{
	u64 slice = nr_queued ? target_ns / nr_queued : max_ns;

	return SCX_CLAMP(slice, min_ns, max_ns);
}

#endif /* __SCX_VTIME_BPF_H */
