/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Which LLC and which NUMA node each CPU belongs to, as dsq.bpf.h (stealing
 * order) and idle.bpf.h (idle search order) need it. Kept apart so that both
 * can include it without defining it twice.
 *
 * By default the answer comes from two arrays that user space fills before
 * load (scx_sched__set_global("scx_domain_llc_of", ...)); left alone, every CPU
 * is in LLC 0 and node 0, which gives correct (if topology-blind) behaviour.
 * A scheduler that has richer topology (topology.bpf.h) maps the hooks onto
 * it instead, before including this header:
 *	#define scx_domain_cpu_llc(cpu)  my_llc_of(cpu)
 *	#define scx_domain_cpu_node(cpu) my_node_of(cpu)
 *	#define scx_domain_nr_llcs_get() my_nr_llcs()
 *	#define scx_domain_nr_nodes_get() my_nr_nodes()
 */
#ifndef __SCX_DOMAIN_BPF_H
#define __SCX_DOMAIN_BPF_H

#include "common.bpf.h"

/* Upper bounds the arrays and loops are sized for; override before including. */
#ifndef SCX_DOMAIN_MAX_CPUS
#define SCX_DOMAIN_MAX_CPUS	1024
#endif
#ifndef SCX_DOMAIN_MAX_LLCS
#define SCX_DOMAIN_MAX_LLCS	64
#endif
#ifndef SCX_DOMAIN_MAX_NODES
#define SCX_DOMAIN_MAX_NODES	16
#endif

#ifndef scx_domain_cpu_llc
__u32 scx_domain_llc_of[SCX_DOMAIN_MAX_CPUS] SEC(".data");
__u32 scx_domain_node_of[SCX_DOMAIN_MAX_CPUS] SEC(".data");
__u32 scx_domain_nr_llcs SEC(".data") = 1;
__u32 scx_domain_nr_nodes SEC(".data") = 1;

_Static_assert((SCX_DOMAIN_MAX_CPUS & (SCX_DOMAIN_MAX_CPUS - 1)) == 0,
	       "SCX_DOMAIN_MAX_CPUS must be a power of two");

/*
 * The mask after the range check is for the verifier: clang tests one copy of
 * the index and indexes with another, so the check alone does not bound the
 * access; barrier_var() stops clang from dropping the mask as redundant.
 */
static __always_inline u32 scx_domain_cpu_llc(s32 cpu)
{
	u32 idx = (u32)cpu, llc;

	if (idx >= SCX_DOMAIN_MAX_CPUS)
		return 0;
	barrier_var(idx);
	llc = scx_domain_llc_of[idx & (SCX_DOMAIN_MAX_CPUS - 1)];
	return llc < SCX_DOMAIN_MAX_LLCS ? llc : 0;
}

static __always_inline u32 scx_domain_cpu_node(s32 cpu)
{
	u32 idx = (u32)cpu, node;

	if (idx >= SCX_DOMAIN_MAX_CPUS)
		return 0;
	barrier_var(idx);
	node = scx_domain_node_of[idx & (SCX_DOMAIN_MAX_CPUS - 1)];
	return node < SCX_DOMAIN_MAX_NODES ? node : 0;
}

static __always_inline u32 scx_domain_nr_llcs_get(void)
{
	return SCX_CLAMP(scx_domain_nr_llcs, 1, SCX_DOMAIN_MAX_LLCS);
}

static __always_inline u32 scx_domain_nr_nodes_get(void)
{
	return SCX_CLAMP(scx_domain_nr_nodes, 1, SCX_DOMAIN_MAX_NODES);
}
#endif /* scx_domain_cpu_llc */

/* CPU ids the loops visit: the kernel's count, capped at what the arrays hold. */
static __always_inline u32 scx_domain_nr_cpu_ids(void)
{
	return SCX_MIN(scx_bpf_nr_cpu_ids(), SCX_DOMAIN_MAX_CPUS);
}

#endif /* __SCX_DOMAIN_BPF_H */
