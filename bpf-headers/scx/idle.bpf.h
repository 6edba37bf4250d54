/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Finding an idle CPU for a task, nearest first. A CPU these functions return
 * has been claimed (its idle bit cleared), so two wakers never pick the same
 * one; insert the task into SCX_DSQ_LOCAL_ON | cpu (or SCX_DSQ_LOCAL from
 * ops.select_cpu).
 *
 * On an SMT machine a wholly idle core beats an idle CPU whose sibling runs
 * something: the two threads share the core's execution units, so a task
 * placed beside a busy sibling runs slower than on an idle core, even its
 * previous one. So an idle core comes first, nearest first (the previous
 * CPU's LLC, then its node), and only then an idle CPU; the two functions
 * differ in where "anywhere" comes (see each).
 *
 * Built on the kernel's idle tracking (scx_bpf_test_and_clear_cpu_idle,
 * scx_bpf_select_cpu_and, scx_bpf_pick_idle_cpu), which the kernel keeps
 * unless the scheduler implements ops.update_idle without
 * SCX_OPS_KEEP_BUILTIN_IDLE. It avoids scx_bpf_get_idle_cpumask/_smtmask,
 * which some 7.1/7.2 builds cannot call (compat.bpf.h). The LLC and node
 * masks come from domain.bpf.h; call scx_idle_init() from ops.init.
 */
#ifndef __SCX_IDLE_BPF_H
#define __SCX_IDLE_BPF_H

#include "common.bpf.h"
#include "domain.bpf.h"

struct scx_idle_mask {
	struct bpf_cpumask __kptr *mask;
};

/* Entries 0..MAX_LLCS-1 are LLC masks, then node masks, then the big and
 * the little CPUs (SCX_IDLE_SLOT_BIG, _LITTLE). */
#define SCX_IDLE_SLOT_BIG	(SCX_DOMAIN_MAX_LLCS + SCX_DOMAIN_MAX_NODES)
#define SCX_IDLE_SLOT_LITTLE	(SCX_IDLE_SLOT_BIG + 1)

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCX_DOMAIN_MAX_LLCS + SCX_DOMAIN_MAX_NODES + 2);
	__type(key, u32);
	__type(value, struct scx_idle_mask);
} scx_idle_masks SEC(".maps");

/*
 * One scratch mask per CPU, for a domain narrowed to a task's allowed CPUs.
 * Used from ops.enqueue and ops.dispatch only: they run under the rq lock
 * with interrupts off, so no other user of this CPU's mask comes between.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCX_DOMAIN_MAX_CPUS);
	__type(key, u32);
	__type(value, struct scx_idle_mask);
} scx_idle_scratch SEC(".maps");

static __always_inline s32 scx_idle_put_mask(void *map, u32 slot, struct bpf_cpumask *mask)
{
	struct scx_idle_mask *m = bpf_map_lookup_elem(map, &slot);

	if (!m) {
		bpf_cpumask_release(mask);
		return -ENOENT;
	}
	mask = bpf_kptr_xchg(&m->mask, mask);
	if (mask)
		bpf_cpumask_release(mask);
	return 0;
}

/* What a domain mask holds: the CPUs of LLC id, of node id, or the big
 * (id 1) or little (id 0) ones. */
enum scx_idle_mask_kind { SCX_IDLE_MASK_LLC, SCX_IDLE_MASK_NODE, SCX_IDLE_MASK_BIG };

/* Does the machine have CPUs of different capacity (big and little)?
 * Set by scx_idle_init() from the topology maps. */
static bool scx_idle__hybrid;

static __always_inline s32 scx_idle_build_mask(u32 slot, u32 id, enum scx_idle_mask_kind kind)
{
	u32 nr = scx_domain_nr_cpu_ids(), dom;
	struct bpf_cpumask *mask;
	s32 cpu;

	mask = bpf_cpumask_create();
	if (!mask)
		return -ENOMEM;
	bpf_for(cpu, 0, nr) {
		if (kind == SCX_IDLE_MASK_NODE)
			dom = scx_domain_cpu_node(cpu);
		else if (kind == SCX_IDLE_MASK_LLC)
			dom = scx_domain_cpu_llc(cpu);
		else
			dom = scx_topo_cpu(cpu) ? scx_topo_cpu_is_big(cpu) : 1;
		if (dom == id)
			bpf_cpumask_set_cpu(cpu, mask);
	}
	return scx_idle_put_mask(&scx_idle_masks, slot, mask);
}

/* Build the LLC and node masks and the scratch masks (ops.init). */
static __always_inline s32 scx_idle_init(void)
{
	u32 i, nr_llcs = scx_domain_nr_llcs_get(), nr_nodes = scx_domain_nr_nodes_get();
	u32 nr = scx_domain_nr_cpu_ids();
	struct bpf_cpumask *mask;
	s32 err;

	bpf_for(i, 0, nr_llcs) {
		err = scx_idle_build_mask(i, i, SCX_IDLE_MASK_LLC);
		if (err)
			return err;
	}
	bpf_for(i, 0, nr_nodes) {
		err = scx_idle_build_mask(SCX_DOMAIN_MAX_LLCS + i, i, SCX_IDLE_MASK_NODE);
		if (err)
			return err;
	}
	err = scx_idle_build_mask(SCX_IDLE_SLOT_BIG, 1, SCX_IDLE_MASK_BIG) ?:
	      scx_idle_build_mask(SCX_IDLE_SLOT_LITTLE, 0, SCX_IDLE_MASK_BIG);
	if (err)
		return err;
	scx_idle__hybrid = false;
	bpf_for(i, 0, nr) {
		if (scx_topo_cpu(i) && !scx_topo_cpu_is_big(i)) {
			scx_idle__hybrid = true;
			break;
		}
	}
	bpf_for(i, 0, nr) {
		mask = bpf_cpumask_create();
		if (!mask)
			return -ENOMEM;
		err = scx_idle_put_mask(&scx_idle_scratch, i, mask);
		if (err)
			return err;
	}
	return 0;
}

/* The domain mask of slot, RCU-protected (caller holds bpf_rcu_read_lock). */
static __always_inline const struct cpumask *scx_idle_domain_mask(u32 slot)
{
	struct scx_idle_mask *m = bpf_map_lookup_elem(&scx_idle_masks, &slot);
	struct bpf_cpumask *mask = m ? m->mask : NULL;

	return (const struct cpumask *)mask;
}

static __always_inline bool scx_idle_claim(const struct task_struct *p, s32 cpu)
{
	return cpu >= 0 && bpf_cpumask_test_cpu(cpu, p->cpus_ptr) &&
	       scx_bpf_test_and_clear_cpu_idle(cpu);
}

/*
 * The idle CPU nearest to prev_cpu that p may run on, claimed, or a negative
 * value when every allowed CPU is busy. For ops.select_cpu and ops.enqueue
 * (where the kernel allows scx_bpf_select_cpu_and).
 *
 * This is the kernel's own search in one call, which already has the order
 * above: with SMT, prev_cpu if its whole core is idle, an idle core in the
 * LLC, in the node, anywhere; then prev_cpu if idle (newer kernels try its
 * SMT sibling next), an idle CPU in the LLC, in the node, anywhere (LLC and
 * node as the kernel's scheduling domains see them, the same sysfs shows).
 * One rule of the kernel's comes with it: on a synchronous wakeup
 * (SCX_WAKE_SYNC) while some CPU is idle, it may return the waker's CPU,
 * busy but about to sleep, if its local DSQ is empty.
 */
static __always_inline s32 scx_idle_pick_cpu(struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	return scx_select_cpu_and(p, prev_cpu, wake_flags, p->cpus_ptr, 0);
}

/* Are there big and little CPUs (scx_idle_init() found both)? */
static __always_inline bool scx_idle_hybrid(void)
{
	return scx_idle__hybrid;
}

/*
 * scx_idle_pick_cpu() preferring a class of CPU where capacities differ:
 * the big ones (big true) for tasks that need speed (latency-critical or
 * CPU-heavy work), the little ones for light work that can run slower and
 * leave the big ones free. Its idle search (idle core, LLC, node, anywhere)
 * runs over the preferred class first, then over every CPU, so a task never
 * waits for its class while the other idles. On a machine with one class it
 * is scx_idle_pick_cpu(). From ops.select_cpu.
 */
static __always_inline s32 scx_idle_pick_cpu_class(struct task_struct *p, s32 prev_cpu,
						   u64 wake_flags, bool big)
{
	const struct cpumask *cls;
	s32 cpu = -EBUSY;

	if (scx_idle__hybrid) {
		bpf_rcu_read_lock();
		cls = scx_idle_domain_mask(big ? SCX_IDLE_SLOT_BIG : SCX_IDLE_SLOT_LITTLE);
		if (cls)
			cpu = scx_select_cpu_and(p, prev_cpu, wake_flags, cls, 0);
		bpf_rcu_read_unlock();
		if (cpu >= 0)
			return cpu;
	}
	return scx_idle_pick_cpu(p, prev_cpu, wake_flags);
}

/*
 * An idle CPU in domain slot that p may run on, claimed (flags: 0 or
 * SCX_PICK_IDLE_CORE). whole: p may run on every CPU, so the domain needs no
 * narrowing. Caller holds bpf_rcu_read_lock.
 */
static __always_inline s32 scx_idle_pick_in(struct task_struct *p, u32 slot, bool whole,
					    u64 flags)
{
	const struct cpumask *dom = scx_idle_domain_mask(slot);
	struct bpf_cpumask *scratch;
	struct scx_idle_mask *m;
	s32 cpu;
	u32 me;

	if (!dom)
		return -ENOENT;
	if (whole) {
		cpu = scx_bpf_pick_idle_cpu(dom, flags);
	} else {
		me = bpf_get_smp_processor_id();
		m = bpf_map_lookup_elem(&scx_idle_scratch, &me);
		scratch = m ? m->mask : NULL;	/* one load: the verifier tracks its NULL check */
		if (!scratch)
			return -ENOENT;
		bpf_cpumask_and(scratch, dom, p->cpus_ptr);
		cpu = scx_bpf_pick_idle_cpu((const struct cpumask *)scratch, flags);
	}
	/*
	 * Inserting p on a CPU it may not run on ejects the scheduler; this
	 * cannot happen as used above, but costs one test to rule out. A kick
	 * hands the claimed CPU back (it goes idle again).
	 */
	if (cpu >= 0 && !bpf_cpumask_test_cpu(cpu, p->cpus_ptr)) {
		scx_kick_cpu(cpu, SCX_KICK_IDLE);
		return -EBUSY;
	}
	return cpu;
}

/* Is p's affinity all of the machine, and not narrowed by migrate_disable()
 * (which changes p->cpus_ptr, not p->nr_cpus_allowed)? */
static __always_inline bool scx_idle_may_run_anywhere(const struct task_struct *p)
{
	if (bpf_core_field_exists(p->migration_disabled) && p->migration_disabled)
		return false;
	return p->nr_cpus_allowed >= scx_bpf_nr_cpu_ids();
}

/*
 * The same order for places where scx_bpf_select_cpu_and is not allowed
 * (ops.dispatch, and ops.enqueue on kernels before it existed), going no
 * farther from prev_cpu than reach (enum scx_domain_reach): an idle core in
 * prev_cpu's LLC, in its node, then prev_cpu itself if idle, an idle CPU in
 * the LLC, in the node, then an idle core and an idle CPU anywhere p may run
 * (unlike the kernel's search, an idle CPU near prev_cpu comes before an idle
 * core in another node). It cannot tell whether prev_cpu's own core is
 * wholly idle, so the idle core it takes in the LLC may be another one. On a
 * CPU without SMT siblings (as the topology says) prev_cpu comes first.
 */
static __always_inline s32 scx_idle_pick_within(struct task_struct *p, s32 prev_cpu, u32 reach)
{
	const struct scx_topo_cpu_rec *rec = scx_topo_cpu(prev_cpu);
	bool whole = scx_idle_may_run_anywhere(p);
	bool smt = !rec || rec->nr_siblings != 1;	/* unknown: assume SMT */
	u32 llc = scx_domain_cpu_llc(prev_cpu);
	u32 node = SCX_DOMAIN_MAX_LLCS + scx_domain_cpu_node(prev_cpu);
	s32 cpu = -EBUSY;

	if ((!smt || reach == SCX_REACH_CPU) && scx_idle_claim(p, prev_cpu))
		return prev_cpu;
	if (reach == SCX_REACH_CPU)
		return -EBUSY;
	bpf_rcu_read_lock();
	if (smt) {
		cpu = scx_idle_pick_in(p, llc, whole, SCX_PICK_IDLE_CORE);
		if (cpu < 0 && reach >= SCX_REACH_NODE)
			cpu = scx_idle_pick_in(p, node, whole, SCX_PICK_IDLE_CORE);
		if (cpu < 0 && scx_idle_claim(p, prev_cpu))
			cpu = prev_cpu;
	}
	if (cpu < 0)
		cpu = scx_idle_pick_in(p, llc, whole, 0);
	if (cpu < 0 && reach >= SCX_REACH_NODE)
		cpu = scx_idle_pick_in(p, node, whole, 0);
	bpf_rcu_read_unlock();
	if (cpu >= 0 || reach < SCX_REACH_ALL)
		return cpu;
	cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, SCX_PICK_IDLE_CORE);
	if (cpu < 0)
		cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	return cpu;
}

/* scx_idle_pick_within() with no limit. */
static __always_inline s32 scx_idle_pick_any(struct task_struct *p, s32 prev_cpu)
{
	return scx_idle_pick_within(p, prev_cpu, SCX_REACH_ALL);
}

/*
 * After queueing p on cpu's queue where it must wait (every CPU it may run
 * on was busy a moment ago), wake the idle CPU nearest to cpu that p may run
 * on and that is within reach of cpu (the scheduler's steal scope: a CPU
 * farther away would wake and find nothing it may take), if one has gone
 * idle since: it then looks for work (ops.dispatch), where it can steal p,
 * instead of sleeping while p waits. A CPU that went idle between the search
 * and the insert would not look again on its own. From ops.enqueue. Returns
 * the CPU woken, or a negative value (none idle, or the kernel cannot kick:
 * then nothing is claimed, which would leave a CPU idle that counts as
 * busy).
 */
static __always_inline s32 scx_idle_kick_within(struct task_struct *p, s32 cpu, u32 reach)
{
	s32 idle;

	if (!scx_can_kick())
		return -EBUSY;
	idle = scx_idle_pick_within(p, cpu, reach);
	if (idle >= 0)
		scx_kick_cpu(idle, SCX_KICK_IDLE);
	return idle;
}

/* scx_idle_kick_within() for a queue any CPU may steal from. */
static __always_inline s32 scx_idle_kick_for(struct task_struct *p, s32 cpu)
{
	return scx_idle_kick_within(p, cpu, SCX_REACH_ALL);
}

#endif /* __SCX_IDLE_BPF_H */
