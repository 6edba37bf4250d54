/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Dispatch queue sets and their ids: one shared queue, one per CPU, one per
 * LLC, one per NUMA node; creating them; and filling a CPU's local queue in
 * stealing order (its own queue, then CPUs sharing its LLC, then its node,
 * then anywhere; or, queueing per LLC, its LLC's queue, then other LLCs of
 * its node, then any), so work stays where its cache is for as long as
 * possible, and no CPU idles while a queue it may take from holds work. A
 * scheduler that queues a task where it must wait should also wake an idle
 * CPU that may steal it (idle.bpf.h's scx_idle_kick_within()), since an idle
 * CPU looks at the queues only when woken.
 *
 * The shared queue is a DSQ the scheduler creates, not the kernel's built-in
 * SCX_DSQ_GLOBAL: only created DSQs can be vtime-ordered and be consumed with
 * scx_dsq_move_to_local(). Insert with scx_dsq_insert() / scx_dsq_insert_vtime()
 * from compat.bpf.h.
 */
#ifndef __SCX_DSQ_BPF_H
#define __SCX_DSQ_BPF_H

#include "common.bpf.h"
#include "domain.bpf.h"

/* Id ranges; each set is BASE + index. Ids must stay below 2^63 (the
 * kernel's built-in queues have bit 63 set). Override before including. */
#ifndef SCX_DSQ_SHARED
#define SCX_DSQ_SHARED		0ULL
#endif
#ifndef SCX_DSQ_CPU_BASE
#define SCX_DSQ_CPU_BASE	0x10000ULL
#endif
#ifndef SCX_DSQ_LLC_BASE
#define SCX_DSQ_LLC_BASE	0x20000ULL
#endif
#ifndef SCX_DSQ_NODE_BASE
#define SCX_DSQ_NODE_BASE	0x30000ULL
#endif

static __always_inline u64 scx_dsq_cpu(s32 cpu)   { return SCX_DSQ_CPU_BASE + (u32)cpu; }
static __always_inline u64 scx_dsq_llc(u32 llc)   { return SCX_DSQ_LLC_BASE + llc; }
static __always_inline u64 scx_dsq_node(u32 node) { return SCX_DSQ_NODE_BASE + node; }

/* ---- creation (from ops.init: scx_bpf_create_dsq may sleep) ------------- */

static __always_inline s32 scx_dsq_create_shared(void)
{
	return scx_bpf_create_dsq(SCX_DSQ_SHARED, -1);
}

/* One DSQ per possible CPU id (every id the kernel has, however many),
 * allocated on the CPU's node. */
static __always_inline s32 scx_dsq_create_percpu(void)
{
	u32 nr = scx_bpf_nr_cpu_ids();
	s32 cpu, err;

	bpf_for(cpu, 0, nr) {
		err = scx_bpf_create_dsq(scx_dsq_cpu(cpu), scx_bpf_cpu_node(cpu));
		if (err)
			return err;
	}
	return 0;
}

/* The node of each LLC, for stealing between LLC queues nearest first
 * (filled by scx_dsq_create_llc()). */
static u32 scx_dsq__llc_node[SCX_DOMAIN_MAX_LLCS];

_Static_assert((SCX_DOMAIN_MAX_LLCS & (SCX_DOMAIN_MAX_LLCS - 1)) == 0,
	       "SCX_DOMAIN_MAX_LLCS must be a power of two");

/* The index is masked as well as checked: the compiler may drop the check
 * where it knows the bound another way, and the verifier needs one on the
 * register that indexes. */
static __always_inline u32 scx_dsq_llc_node(u32 llc)
{
	if (llc >= SCX_DOMAIN_MAX_LLCS)
		return 0;
	barrier_var(llc);
	return scx_dsq__llc_node[llc & (SCX_DOMAIN_MAX_LLCS - 1)];
}

/* One DSQ per LLC, allocated on the LLC's node. */
static __always_inline s32 scx_dsq_create_llc(void)
{
	u32 nr = scx_domain_nr_llcs_get(), i, llc;
	s32 cpu, err;

	bpf_for(cpu, 0, scx_domain_nr_cpu_ids()) {
		llc = scx_domain_cpu_llc(cpu);
		if (llc < SCX_DOMAIN_MAX_LLCS)
			scx_dsq__llc_node[llc & (SCX_DOMAIN_MAX_LLCS - 1)] = scx_domain_cpu_node(cpu);
	}
	bpf_for(i, 0, nr) {
		err = scx_bpf_create_dsq(scx_dsq_llc(i), scx_dsq_llc_node(i));
		if (err)
			return err;
	}
	return 0;
}

/* The queue of cpu's LLC. */
static __always_inline u64 scx_dsq_llc_of(s32 cpu)
{
	return scx_dsq_llc(scx_domain_cpu_llc(cpu));
}

static __always_inline s32 scx_dsq_create_node(void)
{
	u32 nr = scx_domain_nr_nodes_get(), i;
	s32 err;

	bpf_for(i, 0, nr) {
		err = scx_bpf_create_dsq(scx_dsq_node(i), i);
		if (err)
			return err;
	}
	return 0;
}

/* ---- consuming in stealing order (from ops.dispatch) -------------------- */

enum scx_steal_scope {
	SCX_STEAL_NONE = SCX_REACH_CPU,		/* only the CPU's own queue */
	SCX_STEAL_LLC = SCX_REACH_LLC,		/* ... then CPUs sharing its LLC */
	SCX_STEAL_NODE = SCX_REACH_NODE,	/* ... then CPUs on its node */
	SCX_STEAL_ALL = SCX_REACH_ALL,		/* ... then any CPU */
};

/*
 * Move one task from the per-CPU queue of cpu or, failing that, of the
 * nearest other CPU within scope, to cpu's local DSQ: a CPU sharing its LLC,
 * then its node, then any. One pass over the CPU ids, starting after cpu and
 * wrapping so that CPUs stealing at the same time spread over different
 * victims; it reads each queue's length (no lock) and tries a move only on
 * queues that have tasks: at once for one in the LLC, after the pass for the
 * first one found in the node, then elsewhere; when other CPUs took those
 * first, a second pass takes from any queue within scope. A CPU the topology
 * does not know counts as LLC 0 and node 0: its order is coarser, it is still
 * stolen from. Returns true when a task was moved.
 */
static __always_inline bool scx_dsq_move_to_local_steal(s32 cpu, enum scx_steal_scope scope)
{
	u32 nr = scx_bpf_nr_cpu_ids(), my_llc, my_node, i;
	s32 victim, in_node = -1, far = -1;

	if (scx_dsq_move_to_local(scx_dsq_cpu(cpu), 0))
		return true;
	if (scope == SCX_STEAL_NONE || !nr)
		return false;
	my_llc = scx_domain_cpu_llc(cpu);
	my_node = scx_domain_cpu_node(cpu);

	bpf_for(i, 1, nr) {
		victim = ((u32)cpu + i) % nr;
		if (scx_bpf_dsq_nr_queued(scx_dsq_cpu(victim)) <= 0)
			continue;
		if (scx_domain_cpu_llc(victim) == my_llc) {
			if (scx_dsq_move_to_local(scx_dsq_cpu(victim), 0))
				return true;
		} else if (scx_domain_cpu_node(victim) == my_node) {
			if (in_node < 0)
				in_node = victim;
		} else if (far < 0) {
			far = victim;
		}
	}
	if (scope >= SCX_STEAL_NODE && in_node >= 0 &&
	    scx_dsq_move_to_local(scx_dsq_cpu(in_node), 0))
		return true;
	if (scope >= SCX_STEAL_ALL && far >= 0 && scx_dsq_move_to_local(scx_dsq_cpu(far), 0))
		return true;
	if ((in_node < 0 || scope < SCX_STEAL_NODE) && (far < 0 || scope < SCX_STEAL_ALL))
		return false;
	/* another CPU took those first: any queue within scope that has a task */
	bpf_for(i, 1, nr) {
		victim = ((u32)cpu + i) % nr;
		if (scx_bpf_dsq_nr_queued(scx_dsq_cpu(victim)) <= 0)
			continue;
		if (scope < SCX_STEAL_ALL && scx_domain_cpu_node(victim) != my_node)
			continue;
		if (scx_dsq_move_to_local(scx_dsq_cpu(victim), 0))
			return true;
	}
	return false;
}

/*
 * Move one task to cpu's local DSQ from its LLC's queue or, failing that,
 * from the nearest other LLC queue within scope (SCX_STEAL_LLC: only its
 * own; SCX_STEAL_NODE: then the LLCs of its node; SCX_STEAL_ALL: then any),
 * for schedulers that queue per LLC (scx_dsq_create_llc()). Each pass visits
 * the LLCs once, starting after cpu's own and wrapping, so CPUs stealing at
 * the same time spread over different victims; it reads each queue's length
 * (no lock) and tries a move only where tasks wait. The kernel's move takes
 * the first task of the queue that may run on cpu, so pinned tasks stay
 * where they may run. Returns true when a task was moved.
 */
static __always_inline bool scx_dsq_move_to_local_llc(s32 cpu, enum scx_steal_scope scope)
{
	u32 nr = scx_domain_nr_llcs_get(), my = scx_domain_cpu_llc(cpu), node, llc, i;

	if (scx_dsq_move_to_local(scx_dsq_llc(my), 0))
		return true;
	if (scope < SCX_STEAL_NODE)
		return false;
	node = scx_domain_cpu_node(cpu);
	bpf_for(i, 1, nr) {
		llc = (my + i) % nr;
		if (scx_dsq_llc_node(llc) == node && scx_bpf_dsq_nr_queued(scx_dsq_llc(llc)) > 0 &&
		    scx_dsq_move_to_local(scx_dsq_llc(llc), 0))
			return true;
	}
	if (scope < SCX_STEAL_ALL)
		return false;
	bpf_for(i, 1, nr) {
		llc = (my + i) % nr;
		if (scx_dsq_llc_node(llc) != node && scx_bpf_dsq_nr_queued(scx_dsq_llc(llc)) > 0 &&
		    scx_dsq_move_to_local(scx_dsq_llc(llc), 0))
			return true;
	}
	return false;
}

/* Tasks queued on cpu's own DSQ (0 when it has none). */
static __always_inline s32 scx_dsq_nr_queued_cpu(s32 cpu)
{
	s32 n = scx_bpf_dsq_nr_queued(scx_dsq_cpu(cpu));

	return n > 0 ? n : 0;
}

/* ---- a CPU taken by a higher class (from ops.cpu_release) --------------- */

/*
 * When an RT or deadline task (or the stop class) takes a CPU from a
 * sched_ext task, the kernel puts that task back at the head of the CPU's
 * local DSQ with the rest of its slice, then calls ops.cpu_release. Whatever
 * waits in that local DSQ (the preempted task, tasks inserted there from
 * ops.select_cpu or with SCX_DSQ_LOCAL_ON) stays there until the CPU comes
 * back to sched_ext, however idle the other CPUs are: with a CPU-bound RT
 * task, 95% of every second under the kernel's default RT bandwidth limits,
 * for good without them. scx_dsq_cpu_release() hands those tasks back to ops.enqueue
 * (enq_flags carry SCX_ENQ_REENQ), which queues them where other CPUs take
 * them: a shared, LLC or per-CPU queue, with the idle kick after queueing.
 * It is the whole body of a scheduler's ops.cpu_release:
 *
 *	void SCX_OPS(x_cpu_release, s32 cpu, struct scx_cpu_release_args *args)
 *	{
 *		scx_dsq_cpu_release();
 *	}
 *
 * Kernels: before 6.19 the re-enqueue may only be called from
 * ops.cpu_release, and runs there; and the kernel does not call
 * ops.cpu_release at every hand-over (test_sample_cpu_release saw 6.16.3
 * leave the preempted task in the local DSQ in some runs, until the
 * watchdog ejected the scheduler). 6.19 added one that may be called from
 * any context (it defers the work until the CPU's runqueue lock is free, a
 * moment after this callback) and declared ops.cpu_release deprecated: it misses
 * some hand-overs (see the kernel's commit "sched_ext: Allow
 * scx_bpf_reenqueue_local() to be called from anywhere"), and the kernel
 * logs "ops->cpu_acquire/release() are deprecated" at each load of a
 * scheduler that has it. Its replacement, a sched_switch tracepoint program,
 * needs a second program attached beside the struct_ops, which libscx does
 * not do yet; until then this callback is the one way that works on every
 * supported kernel (6.16 to 7.3), and compat.bpf.h's scx_reenqueue_local()
 * takes the newer kfunc wherever it exists.
 */
static __always_inline void scx_dsq_cpu_release(void)
{
	scx_reenqueue_local();
}

/* ---- the starvation guard (from ops.dispatch) --------------------------- */

/*
 * An ordered queue (vtime, deadline) runs whatever comes first, and a task
 * that keeps coming later can wait without bound: behind a herd of thousands
 * of new threads that each start at the present, say. Fairness itself allows
 * that wait (every thread of the herd is a task owed its share), but the
 * kernel does not: a task runnable for the watchdog timeout without running
 * ejects the scheduler (runnable task stall). scx_dsq_rescue() moves a task
 * that has waited scx_rescue_ms or longer to the calling CPU's local DSQ,
 * ahead of its turn. The wait is the watchdog's own measure: p->scx.runnable_at,
 * the jiffies at which p last became runnable without running.
 *
 * Only the last scx_rescue_scan tasks of the queue are looked at, since a task
 * that keeps losing has a late key and sits near the tail, and only one CPU
 * scans per jiffy. Tasks that may not run on the calling CPU are left to
 * another CPU's scan. Off where the DSQ iterator or scx_bpf_dsq_move() does
 * not bind (Debian's 7.1.13 build, see compat.bpf.h), and until the jiffy
 * rate is known (the first 200 ms, see scx_jiffies_hz()). The knobs exist in
 * every object that includes this header; only schedulers that call
 * scx_dsq_rescue() (vtime, interactive, the user runtime) or
 * scx_dsq_rescue_percpu() (percpu) act on them.
 */
const volatile __u64 scx_rescue_ms = 1000;	/* 0 turns the guard off */
const volatile __u32 scx_rescue_scan = 64;

/* Inside bpf_for_each(scx_dsq, ...): the iterator, for scx_bpf_dsq_move(). */
#define SCX_DSQ_ITER (&___it)

static u64 scx_rescue__next;		/* jiffies of the next scan */
static u64 scx_hz__j0, scx_hz__t0;	/* the calibration's start */
static u32 scx_hz__hz;

/*
 * Jiffies per second: the kernel's CONFIG_HZ, measured (a kconfig value needs
 * the kernel's config file at load time, which a guest or a container may not
 * have). The rate over the first 200 ms is rounded to the nearest of the
 * values Linux allows; 0 until then.
 */
static __always_inline u32 scx_jiffies_hz(void)
{
	u64 j = bpf_jiffies64(), t = bpf_ktime_get_ns(), hz;

	if (scx_hz__hz)
		return scx_hz__hz;
	if (!scx_hz__t0) {
		scx_hz__j0 = j;
		scx_hz__t0 = t;
		return 0;
	}
	if (t - scx_hz__t0 < 200 * 1000 * 1000ULL)
		return 0;
	hz = (j - scx_hz__j0) * 1000000000ULL / (t - scx_hz__t0);
	/* halfway between the allowed rates: 100, 250, 300, 1000 */
	scx_hz__hz = hz < 175 ? 100 : hz < 275 ? 250 : hz < 650 ? 300 : 1000;
	return scx_hz__hz;
}

/* The scan's turn: one CPU per jiffy, once the guard can work at all. The
 * current jiffies and the wait that counts as too long, in jiffies. */
static __always_inline bool scx_rescue__turn(u64 *j, u64 *limit)
{
	u64 rev = SCX_ENUM(scx_dsq_iter_flags, SCX_DSQ_ITER_REV);
	u64 next;
	u32 hz;

	if (!scx_rescue_ms || !rev || !bpf_ksym_exists(bpf_iter_scx_dsq_new) ||
	    !bpf_ksym_exists(scx_bpf_dsq_move) ||
	    !bpf_core_field_exists(struct sched_ext_entity, runnable_at))
		return false;
	hz = scx_jiffies_hz();
	if (!hz)
		return false;
	*j = bpf_jiffies64();
	next = scx_rescue__next;
	if ((s64)(*j - next) < 0 ||
	    __sync_val_compare_and_swap(&scx_rescue__next, next, *j + 1) != next)
		return false;
	/* at least a jiffy: a task back on a queue this jiffy may still be
	 * on its way to a narrower CPU mask (migrate_disable()) */
	*limit = SCX_MAX(scx_rescue_ms * hz / 1000, 1);
	return true;
}

/* Move the first task of dsq_id, in iter_flags' order, that has waited limit
 * jiffies and may run on cpu to cpu's local DSQ. */
static __always_inline bool scx_rescue__scan(u64 dsq_id, s32 cpu, u64 iter_flags, u64 j, u64 limit)
{
	struct task_struct *p;
	u32 n = 0;

	bpf_for_each(scx_dsq, p, dsq_id, iter_flags) {
		if (++n > scx_rescue_scan)
			break;
		if ((s64)(j - p->scx.runnable_at) < (s64)limit ||
		    !bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			continue;
		/* the kernel refuses (and ejects for) moving such a task to
		 * another CPU's local DSQ */
		if (bpf_core_field_exists(p->migration_disabled) && p->migration_disabled)
			continue;
		if (scx_bpf_dsq_move(SCX_DSQ_ITER, p, SCX_DSQ_LOCAL, 0))
			return true;
	}
	return false;
}

/*
 * From ops.dispatch of cpu: move one task of dsq_id that has waited
 * scx_rescue_ms or longer to cpu's local DSQ. True when one was moved (the
 * caller then dispatches nothing else).
 */
static __always_inline bool scx_dsq_rescue(u64 dsq_id, s32 cpu)
{
	u64 j, limit;

	if (!scx_rescue__turn(&j, &limit))
		return false;
	return scx_rescue__scan(dsq_id, cpu, SCX_ENUM(scx_dsq_iter_flags, SCX_DSQ_ITER_REV), j,
				limit);
}

/*
 * The same guard for per-CPU FIFO queues, from ops.dispatch of cpu: each turn
 * looks at the head of one other CPU's non-empty queue, the CPUs in turn. A per-CPU
 * queue is served only by its CPU until that CPU's own queue is empty
 * elsewhere, so a CPU kept busy by RT tasks (or by a SCHED_FIFO daemon that
 * wakes every few ms) leaves its queue waiting while the other CPUs have
 * their own work: the cgroup and policy stress workloads saw hogs wait 2-3
 * s there. A task that waited scx_rescue_ms is taken by cpu instead.
 */
static u32 scx_rescue__rotor;

static __always_inline bool scx_dsq_rescue_percpu(s32 cpu)
{
	u32 nr = scx_bpf_nr_cpu_ids(), i;
	u64 j, limit;
	s32 victim;

	if (nr < 2 || !scx_rescue__turn(&j, &limit))
		return false;
	/* the next non-empty queue of up to 16: CPU ids that are possible
	 * but absent (many, in a VM) would otherwise each cost a turn */
	bpf_for(i, 0, 16) {
		victim = __sync_fetch_and_add(&scx_rescue__rotor, 1) % nr;
		if (victim != cpu && scx_bpf_dsq_nr_queued(scx_dsq_cpu(victim)) > 0)
			return scx_rescue__scan(scx_dsq_cpu(victim), cpu, 0, j, limit);
	}
	return false;
}

#endif /* __SCX_DSQ_BPF_H */
