/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Utilization-driven CPU performance targets. Each CPU's busy time (the time
 * between ops.running and ops.stopping) is sampled over windows of
 * scx_cpufreq_interval_ns and folded into an exponentially weighted moving
 * average; the CPU's target (scx_bpf_cpuperf_set, 0 .. SCX_CPUPERF_ONE = 1024)
 * is that utilization plus scx_cpufreq_headroom_pct, set at most once per
 * window per CPU and only when it moved by more than a small step, because
 * every set reaches the cpufreq governor (schedutil acts on it; others may
 * ignore it).
 *
 * Every hook works on the CPU of the task it is given, never on the CPU it
 * runs on. ops.running and ops.stopping also run on another CPU than the
 * task's: when a task that is running is reniced, re-pinned, switched to
 * another policy or moved to another cgroup, the caller's CPU takes the
 * task's rq lock and puts the task down and up again there. While an rq lock
 * is held, scx_bpf_cpuperf_set() accepts only the locked rq's CPU (any other
 * could deadlock against that CPU's own lock) and ejects the scheduler with
 * "Invalid target CPU" otherwise; the locked rq is the task's
 * (scx_bpf_task_cpu(p)), and so is the busy time to account.
 *
 *	ops.running:  scx_cpufreq_running(p);
 *	ops.stopping: scx_cpufreq_stopping(p);
 *	ops.tick:     scx_cpufreq_tick(p);
 * Each returns true when it set a new target (for a counter).
 *
 * Availability: the cpuperf kfuncs exist on every supported kernel (6.16+;
 * added in 6.11), but a machine without a cpufreq driver (any QEMU guest) has
 * nothing to act on them: cpuperf_cap reports the full scale and a set changes
 * nothing. User space checks for /sys/devices/system/cpu/cpufreq/policy* (or
 * cpu0/cpufreq) and clears scx_cpufreq_enabled before load when there is none;
 * the hooks then return at once.
 */
#ifndef __SCX_CPUFREQ_BPF_H
#define __SCX_CPUFREQ_BPF_H

#include "common.bpf.h"

/* Set by user space before load. */
const volatile bool scx_cpufreq_enabled = true;
const volatile __u64 scx_cpufreq_interval_ns = 10 * 1000 * 1000;	/* window and rate limit */
const volatile __u32 scx_cpufreq_headroom_pct = 25;			/* target = util * 1.25 */

/* Targets closer than this to the last one set are not worth a set. */
#define SCX_CPUFREQ_STEP	(SCX_CPUPERF_ONE / 32)

struct scx_cpufreq_cpu {
	u64 busy_since;		/* a task started running at; 0 while idle */
	u64 busy_ns;		/* busy time in the current window */
	u64 window_start;
	u64 last_set;		/* when the target was last set */
	u32 util;		/* EWMA of busy/window, 0 .. SCX_CPUPERF_ONE */
	u32 perf;		/* the last target set */
};

#ifndef SCX_CPUFREQ_MAX_CPUS
#define SCX_CPUFREQ_MAX_CPUS	1024
#endif

/*
 * Indexed by CPU id. A plain array rather than a per-CPU one: libscx sums
 * every per-CPU array of u64 members as counters (stats.bpf.h), and this
 * state is no counter.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCX_CPUFREQ_MAX_CPUS);
	__type(key, u32);
	__type(value, struct scx_cpufreq_cpu);
} scx_cpufreq_cpus SEC(".maps");

/* Is there anything to drive? Decided at load time: both branches fold. */
static __always_inline bool scx_cpufreq_active(void)
{
	return scx_cpufreq_enabled && bpf_ksym_exists(scx_bpf_cpuperf_set);
}

static __always_inline struct scx_cpufreq_cpu *scx_cpufreq_cpu(s32 cpu)
{
	u32 key = cpu;

	return bpf_map_lookup_elem(&scx_cpufreq_cpus, &key);
}

/* cpu's utilization estimate (0 .. SCX_CPUPERF_ONE). */
static __always_inline u32 scx_cpufreq_util(s32 cpu)
{
	struct scx_cpufreq_cpu *c = scx_cpufreq_cpu(cpu);

	return c ? c->util : 0;
}

/* Close cpu's window when it is over, then set a new target if due. cpu must
 * be the CPU whose rq is locked: the task's. */
static __always_inline bool scx_cpufreq_update(struct scx_cpufreq_cpu *c, s32 cpu, u64 now)
{
	u64 elapsed = now - c->window_start, sample, target;

	if (!c->window_start || (s64)(now - c->window_start) < 0) {
		c->window_start = now;
		return false;
	}
	if (elapsed < scx_cpufreq_interval_ns)
		return false;
	sample = c->busy_ns * SCX_CPUPERF_ONE / elapsed;
	if (sample > SCX_CPUPERF_ONE)
		sample = SCX_CPUPERF_ONE;
	/* 3/4 old, 1/4 new: one long idle window does not drop the target */
	c->util = (c->util * 3 + sample) / 4;
	c->busy_ns = 0;
	c->window_start = now;

	target = (u64)c->util * (100 + scx_cpufreq_headroom_pct) / 100;
	if (target > SCX_CPUPERF_ONE)
		target = SCX_CPUPERF_ONE;
	if (now - c->last_set < scx_cpufreq_interval_ns ||
	    (target + SCX_CPUFREQ_STEP > c->perf && target < c->perf + SCX_CPUFREQ_STEP))
		return false;
	scx_bpf_cpuperf_set(cpu, target);
	c->perf = target;
	c->last_set = now;
	return true;
}

/* The state of p's CPU, that CPU and the time, for the hooks below; NULL
 * when inactive. */
static __always_inline struct scx_cpufreq_cpu *scx_cpufreq_enter(const struct task_struct *p,
								s32 *cpu, u64 *now)
{
	struct scx_cpufreq_cpu *c;

	if (!scx_cpufreq_active())
		return NULL;
	*cpu = scx_bpf_task_cpu(p);
	if (!(c = scx_cpufreq_cpu(*cpu)))
		return NULL;
	*now = scx_now();
	return c;
}

/* Add the time since busy_since to the window. */
static __always_inline void scx_cpufreq_account(struct scx_cpufreq_cpu *c, u64 now)
{
	if (c->busy_since && (s64)(now - c->busy_since) > 0)
		c->busy_ns += now - c->busy_since;
}

/* ops.running: p's CPU is busy from now on. */
static __always_inline bool scx_cpufreq_running(const struct task_struct *p)
{
	struct scx_cpufreq_cpu *c;
	s32 cpu;
	u64 now;

	if (!(c = scx_cpufreq_enter(p, &cpu, &now)))
		return false;
	c->busy_since = now;
	return scx_cpufreq_update(c, cpu, now);
}

/* ops.stopping: p leaves its CPU (which may be idle next). */
static __always_inline bool scx_cpufreq_stopping(const struct task_struct *p)
{
	struct scx_cpufreq_cpu *c;
	s32 cpu;
	u64 now;

	if (!(c = scx_cpufreq_enter(p, &cpu, &now)))
		return false;
	scx_cpufreq_account(c, now);
	c->busy_since = 0;
	return scx_cpufreq_update(c, cpu, now);
}

/* ops.tick: p runs on without stopping and still counts as busy. */
static __always_inline bool scx_cpufreq_tick(const struct task_struct *p)
{
	struct scx_cpufreq_cpu *c;
	s32 cpu;
	u64 now;

	if (!(c = scx_cpufreq_enter(p, &cpu, &now)))
		return false;
	scx_cpufreq_account(c, now);
	if (c->busy_since)
		c->busy_since = now;
	return scx_cpufreq_update(c, cpu, now);
}

#endif /* __SCX_CPUFREQ_BPF_H */
