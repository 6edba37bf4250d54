/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Weighted virtual time: each task's p->scx.dsq_vtime advances by the CPU
 * time it used divided by its weight, and a vtime-ordered DSQ runs the task
 * that is furthest behind. Weights are sched_ext's (p->scx.weight: 100 for
 * nice 0, about 33 for nice 5, from the kernel's nice-to-weight table), so
 * two CPU-bound tasks share a CPU in proportion to their weights.
 *
 * A task runs for a slice scaled by its weight (scx_vtime_slice): a task of
 * weight w that runs a slice s moves its vtime s * 100 / w ahead, and waits
 * about that long, times the number of tasks it shares the CPUs with, before
 * its turn comes again. With the full slice for everyone, one 20 ms run of a
 * nice-19 task (weight 1) puts it 2 s of vtime ahead, and with a few nice-0
 * hogs per CPU it waits past the kernel's watchdog and the scheduler is
 * ejected. Scaled, every task moves about one full slice of vtime per run and
 * waits about as long as a nice-0 one; shares stay weighted because charging
 * is by the runtime actually used. The scaled slice has a floor,
 * scx_vtime_slice_min_ns, so very light tasks do not switch every few
 * microseconds.
 *
 * A slice is only ended at a tick (4 ms at HZ=250, more under an emulator),
 * so a weight-1 task still runs several milliseconds, hundreds of ms of
 * vtime, per turn; with k tasks per CPU it would wait k times that. So for
 * the light tasks whose slice is at the floor (weight below 5: nice 14 and
 * above, with the default slice) the lag is bounded too: such a task is
 * queued at most scx_vtime_lag_max (4) slices ahead of the present
 * (scx_vtime_clamp) and waits about k * 4 slices at the most, getting a
 * little more than its weight instead of waiting seconds. Every heavier task
 * is charged exactly, however long a run took: a bound on its vtime would
 * cut the charge of whichever task a long run (an emulator or a hypervisor
 * stalling the CPU) happened to land on, and shift the shares of ordinary
 * nice levels.
 *
 *	ops.init_task: scx_vtime_init_task(p)
 *	ops.enable:    scx_task_set_dsq_vtime(p, scx_vtime_now);
 *	ops.enqueue:   vtime = scx_vtime_enqueue(p, slice_ns);
 *	               insert_vtime(..., scx_vtime_slice(p, slice_ns), vtime, ...)
 *	ops.dispatch:  if (scx_vtime_keep_prev(prev, dsq)) refill prev's slice; else move_to_local(dsq)
 *	ops.running:   scx_vtime_running(p);
 *	ops.stopping:  scx_vtime_charge(p);
 *	ops.set_weight: set_dsq_vtime(p, scx_vtime_reweight(p, weight, p->scx.dsq_vtime, slice_ns));
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

/* How many slices of vtime a task may be queued ahead of the present. */
const volatile __u32 scx_vtime_lag_max = 4;

/* The shortest slice scx_vtime_slice() gives a light task. */
const volatile __u64 scx_vtime_slice_min_ns = 1000 * 1000;

static __always_inline bool scx_vtime_before(u64 a, u64 b)
{
	return (s64)(a - b) < 0;
}

/* delta of real time expressed in vtime for a task of weight weight. */
static __always_inline u64 scx_vtime_scale(u64 delta, u32 weight)
{
	return delta * 100 / (weight ? weight : 1);
}

/*
 * p's slice: slice scaled by p's weight when that is below nice 0's (never
 * lengthened: a heavy task gets more turns, not longer ones), and not below
 * scx_vtime_slice_min_ns (nor above slice).
 */
static __always_inline u64 scx_vtime_slice_of(u32 weight, u64 slice)
{
	u64 min = SCX_MIN(scx_vtime_slice_min_ns, slice);

	if (weight >= 100)
		return slice;
	return SCX_MAX(slice * weight / 100, min);
}

/* Is a task of this weight light: its scaled slice at the floor? */
static __always_inline bool scx_vtime_light(u32 weight, u64 slice)
{
	return slice * weight / 100 < SCX_MIN(scx_vtime_slice_min_ns, slice);
}

static __always_inline u64 scx_vtime_slice(const struct task_struct *p, u64 slice)
{
	return scx_vtime_slice_of(p->scx.weight, slice);
}

/*
 * p's vtime (given: a scheduler may keep it elsewhere than dsq_vtime) raised
 * to the idle-budget floor, and lowered to the lag ceiling when p is light.
 * The floor also bounds how far behind the rest a task started long ago (a
 * child forked early in a burst) can be: tasks far ahead would otherwise wait
 * for it to catch up.
 */
static __always_inline u64 scx_vtime_clamp(const struct task_struct *p, u64 vtime, u64 slice)
{
	u64 floor = scx_vtime_now - slice * scx_vtime_idle_budget;
	u64 ceil = scx_vtime_now + slice * scx_vtime_lag_max;

	if (scx_vtime_now > slice * scx_vtime_idle_budget && scx_vtime_before(vtime, floor))
		return floor;
	if (scx_vtime_light(p->scx.weight, slice) && scx_vtime_before(ceil, vtime))
		return ceil;
	return vtime;
}

/*
 * From ops.set_weight, with p's vtime; returns the vtime to keep. A task
 * reniced while it runs (by itself, or by a daemon such as ananicy) keeps
 * the slice it got at its old weight: a nice-0 task reniced to 19 would run
 * a whole 20 ms at weight 1, 2 s of vtime. What is left of its slice is
 * trimmed to what the new weight gives. And a light task made heavy again
 * may be far ahead of the present from its light days, where only light
 * tasks are kept: its vtime is brought down to the lag ceiling.
 */
static __always_inline u64 scx_vtime_reweight(struct task_struct *p, u32 weight, u64 vtime,
					      u64 slice)
{
	u64 own = scx_vtime_slice_of(weight, slice);
	u64 ceil = scx_vtime_now + slice * scx_vtime_lag_max;

	if (p->scx.slice > own)
		scx_task_set_slice(p, own);
	return scx_vtime_before(ceil, vtime) ? ceil : vtime;
}

/* The vtime to queue p with (clamped); also stored back into p. */
static __always_inline u64 scx_vtime_enqueue(struct task_struct *p, u64 slice)
{
	u64 vtime = scx_vtime_clamp(p, p->scx.dsq_vtime, slice);

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
 * From ops.dispatch: should the CPU keep running prev, whose place in the
 * vtime-ordered dsq_id would be key, instead of taking the head of dsq_id?
 * The kernel calls ops.dispatch before it re-queues an expired prev, so
 * without this check prev always loses to whatever waits, and two tasks on
 * one CPU alternate whatever their weights. True when prev is still runnable
 * and no queued task comes before key; the caller then refills prev's slice
 * and dispatches nothing.
 */
static __always_inline bool scx_vtime_keep_prev_at(struct task_struct *prev, u64 dsq_id, u64 key)
{
	u64 queued = SCX_ENUM(scx_ent_flags, SCX_TASK_QUEUED);
	u64 head;

	if (!prev || !queued || !(prev->scx.flags & queued))
		return false;
	if (scx_dsq_head_vtime(dsq_id, &head))
		return !scx_vtime_before(head, key);
	/* empty, or no way to look (then only an empty DSQ keeps prev) */
	return scx_bpf_dsq_nr_queued(dsq_id) <= 0;
}

/* The same for a DSQ ordered by vtime itself: prev's key is its vtime. */
static __always_inline bool scx_vtime_keep_prev(struct task_struct *prev, u64 dsq_id)
{
	return prev && scx_vtime_keep_prev_at(prev, dsq_id, scx_vtime_current(prev));
}

/*
 * A deadline for earliest-deadline-first ordering: the vtime by which p
 * should have run, one of its own slices (scx_vtime_slice) after its vtime,
 * in vtime. That is about one full slice for every weight down to the
 * floor; with the full slice scaled by weight instead, a nice-19 task's
 * deadline would lie 100 slices ahead and it could wait past the watchdog.
 * lat_weight (100 = neutral) lets a caller favour tasks that wake often,
 * e.g. 100 * avg_run / slice.
 */
static __always_inline u64 scx_vtime_deadline(const struct task_struct *p, u64 vtime, u64 slice,
					      u32 lat_weight)
{
	u64 own = scx_vtime_slice(p, slice);

	return vtime + scx_vtime_scale(own * (lat_weight ? lat_weight : 100) / 100, p->scx.weight);
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
