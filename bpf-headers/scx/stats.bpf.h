/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Per-CPU counters that user space reads by name (scx_sched__read_counter(),
 * scx_sched__for_each_counter()). The convention libscx sums: a per-CPU array
 * with one entry whose value is a struct of __u64 members, one counter each,
 * named by the member. Per-CPU, so incrementing needs neither atomics nor
 * shared cache lines.
 *
 *	struct my_stats { __u64 enqueued; __u64 dispatched; };
 *	SCX_STATS_DEFINE(my_stats);
 *	...
 *	scx_stat_inc(enqueued);
 */
#ifndef __SCX_STATS_BPF_H
#define __SCX_STATS_BPF_H

#include "common.bpf.h"

/* Declare the counter map "scx_stats" holding struct TYPE. */
#define SCX_STATS_DEFINE(stats_type)							\
	struct {								\
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);			\
		__uint(max_entries, 1);						\
		__type(key, u32);						\
		__type(value, struct stats_type);					\
	} scx_stats SEC(".maps");						\
	static __always_inline struct stats_type *scx_stats_this_cpu(void)		\
	{									\
		u32 ___key = 0;							\
		return bpf_map_lookup_elem(&scx_stats, &___key);		\
	}

/* Add n to counter MEMBER on this CPU. The lookup cannot fail for key 0 of
 * a one-entry array, but the verifier needs the check. */
#define scx_stat_add(member, n)							\
	do {									\
		typeof(scx_stats_this_cpu()) ___s = scx_stats_this_cpu();	\
		if (___s)							\
			___s->member += (n);					\
	} while (0)

#define scx_stat_inc(member)	scx_stat_add(member, 1)

#endif /* __SCX_STATS_BPF_H */
