/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Which LLC and which NUMA node each CPU belongs to, as dsq.bpf.h (stealing
 * order) and idle.bpf.h (idle search order) need it: read from the maps of
 * topology.bpf.h, which libscx fills from the machine when it loads the
 * scheduler (scx_sched__load(), so on every start and restart of
 * scx_sched__run() too), before ops.init can run. There is nothing to call.
 * An object loaded without libscx reads empty maps until
 * scx_topology__export() fills them: every CPU is then in LLC 0 and node 0,
 * which is correct, if topology-blind, behaviour.
 */
#ifndef __SCX_DOMAIN_BPF_H
#define __SCX_DOMAIN_BPF_H

#ifdef scx_domain_cpu_llc
#error "domain.bpf.h no longer takes scx_domain_* hooks: it reads topology.bpf.h's maps, which libscx fills at load; drop the #defines (and any scx_domain_llc_of globals set from user space)"
#endif

#include "common.bpf.h"
#include "topology.bpf.h"

/*
 * How many LLCs and nodes the per-domain structures of dsq.bpf.h and
 * idle.bpf.h are sized for, and the CPU ids their loops visit; ids beyond
 * count as domain 0 (still correct, only coarser). Override before including.
 */
#ifndef SCX_DOMAIN_MAX_CPUS
#define SCX_DOMAIN_MAX_CPUS	SCX_TOPO_MAX_CPUS
#endif
#ifndef SCX_DOMAIN_MAX_LLCS
#define SCX_DOMAIN_MAX_LLCS	64
#endif
#ifndef SCX_DOMAIN_MAX_NODES
#define SCX_DOMAIN_MAX_NODES	16
#endif

/*
 * How far from a CPU a search may go, nearest first: the CPU itself, the CPUs
 * sharing its LLC, its node, any. dsq.bpf.h's steal scopes and idle.bpf.h's
 * searches take the same values, so a scheduler wakes only a CPU that may
 * steal what it queued.
 */
enum scx_domain_reach {
	SCX_REACH_CPU,
	SCX_REACH_LLC,
	SCX_REACH_NODE,
	SCX_REACH_ALL,
};

static __always_inline u32 __scx_domain_id(u32 id, u32 max)
{
	return id < max ? id : 0;
}

/* The LLC / node of cpu; 0 for a CPU the topology does not know. */
static __always_inline u32 scx_domain_cpu_llc(s32 cpu)
{
	return __scx_domain_id(scx_topo_cpu_llc(cpu), SCX_DOMAIN_MAX_LLCS);
}

static __always_inline u32 scx_domain_cpu_node(s32 cpu)
{
	return __scx_domain_id(scx_topo_cpu_node(cpu), SCX_DOMAIN_MAX_NODES);
}

/* How many LLCs / nodes (at least 1, at most the limits above). */
static __always_inline u32 scx_domain_nr_llcs_get(void)
{
	return SCX_CLAMP(scx_topo_nr_llcs(), 1, SCX_DOMAIN_MAX_LLCS);
}

static __always_inline u32 scx_domain_nr_nodes_get(void)
{
	return SCX_CLAMP(scx_topo_nr_nodes(), 1, SCX_DOMAIN_MAX_NODES);
}

/* CPU ids the loops visit: the kernel's count, capped at SCX_DOMAIN_MAX_CPUS. */
static __always_inline u32 scx_domain_nr_cpu_ids(void)
{
	return SCX_MIN(scx_bpf_nr_cpu_ids(), SCX_DOMAIN_MAX_CPUS);
}

#endif /* __SCX_DOMAIN_BPF_H */
