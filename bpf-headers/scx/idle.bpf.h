/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Finding an idle CPU for a task, nearest first: its previous CPU, a fully
 * idle SMT core in its LLC, any idle CPU in the LLC, in the NUMA node, then
 * anywhere it may run. A CPU these functions return has been claimed (its
 * idle bit cleared), so two wakers never pick the same one; insert the task
 * into SCX_DSQ_LOCAL_ON | cpu (or SCX_DSQ_LOCAL from ops.select_cpu).
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

/* Entries 0..MAX_LLCS-1 are LLC masks, the rest node masks. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCX_DOMAIN_MAX_LLCS + SCX_DOMAIN_MAX_NODES);
	__type(key, u32);
	__type(value, struct scx_idle_mask);
} scx_idle_masks SEC(".maps");

static __always_inline s32 scx_idle_build_mask(u32 slot, u32 id, bool node)
{
	u32 nr = scx_domain_nr_cpu_ids();
	struct scx_idle_mask *m;
	struct bpf_cpumask *mask;
	s32 cpu;

	m = bpf_map_lookup_elem(&scx_idle_masks, &slot);
	if (!m)
		return -ENOENT;
	mask = bpf_cpumask_create();
	if (!mask)
		return -ENOMEM;
	bpf_for(cpu, 0, nr) {
		u32 dom = node ? scx_domain_cpu_node(cpu) : scx_domain_cpu_llc(cpu);

		if (dom == id)
			bpf_cpumask_set_cpu(cpu, mask);
	}
	mask = bpf_kptr_xchg(&m->mask, mask);
	if (mask)
		bpf_cpumask_release(mask);
	return 0;
}

/* Build the LLC and node masks (ops.init). */
static __always_inline s32 scx_idle_init(void)
{
	u32 i, nr_llcs = scx_domain_nr_llcs_get(), nr_nodes = scx_domain_nr_nodes_get();
	s32 err;

	bpf_for(i, 0, nr_llcs) {
		err = scx_idle_build_mask(i, i, false);
		if (err)
			return err;
	}
	bpf_for(i, 0, nr_nodes) {
		err = scx_idle_build_mask(SCX_DOMAIN_MAX_LLCS + i, i, true);
		if (err)
			return err;
	}
	return 0;
}

/* The domain mask of slot, RCU-protected (caller holds bpf_rcu_read_lock). */
static __always_inline const struct cpumask *scx_idle_domain_mask(u32 slot)
{
	struct scx_idle_mask *m = bpf_map_lookup_elem(&scx_idle_masks, &slot);

	return m && m->mask ? (const struct cpumask *)m->mask : NULL;
}

static __always_inline bool scx_idle_claim(const struct task_struct *p, s32 cpu)
{
	return cpu >= 0 && bpf_cpumask_test_cpu(cpu, p->cpus_ptr) &&
	       scx_bpf_test_and_clear_cpu_idle(cpu);
}

/*
 * The idle CPU nearest to prev_cpu that p may run on, claimed, or a negative
 * value when every allowed CPU is busy. For ops.select_cpu (the kernel only
 * allows scx_bpf_select_cpu_and there and in ops.enqueue).
 */
static __always_inline s32 scx_idle_pick_cpu(struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	const struct cpumask *llc, *node;
	s32 cpu = -EBUSY;

	if (scx_idle_claim(p, prev_cpu))
		return prev_cpu;

	bpf_rcu_read_lock();
	llc = scx_idle_domain_mask(scx_domain_cpu_llc(prev_cpu));
	node = scx_idle_domain_mask(SCX_DOMAIN_MAX_LLCS + scx_domain_cpu_node(prev_cpu));
	if (llc) {
		cpu = scx_select_cpu_and(p, prev_cpu, wake_flags, llc, SCX_PICK_IDLE_CORE);
		if (cpu < 0)
			cpu = scx_select_cpu_and(p, prev_cpu, wake_flags, llc, 0);
	}
	if (cpu < 0 && node)
		cpu = scx_select_cpu_and(p, prev_cpu, wake_flags, node, 0);
	bpf_rcu_read_unlock();
	if (cpu < 0)
		cpu = scx_select_cpu_and(p, prev_cpu, wake_flags, p->cpus_ptr, 0);
	return cpu;
}

/*
 * The same search for places where scx_bpf_select_cpu_and is not allowed
 * (e.g. ops.dispatch, timers): previous CPU, then a full idle core anywhere
 * allowed, then any idle CPU allowed.
 */
static __always_inline s32 scx_idle_pick_any(struct task_struct *p, s32 prev_cpu)
{
	s32 cpu;

	if (scx_idle_claim(p, prev_cpu))
		return prev_cpu;
	cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, SCX_PICK_IDLE_CORE);
	if (cpu < 0)
		cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	return cpu;
}

#endif /* __SCX_IDLE_BPF_H */
