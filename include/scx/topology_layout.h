/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Layout of the topology maps, shared by libscx (which fills them) and
 * bpf-headers/scx/topology.bpf.h (which reads them). Plain C types only: this
 * file is compiled both against libc and against vmlinux.h.
 *
 * The maps, all BPF_MAP_TYPE_ARRAY keyed by a 32-bit index:
 *   scx_topo_info        1 entry of struct scx_topo_info (domain counts)
 *   scx_topo_cpus        one struct scx_topo_cpu_rec per CPU id
 *   scx_topo_core_masks  one struct scx_topo_mask per dense core id
 *   scx_topo_llc_masks   one struct scx_topo_mask per dense LLC id
 *   scx_topo_node_masks  one struct scx_topo_mask per dense NUMA node id
 *   scx_topo_pkg_masks   one struct scx_topo_mask per dense package id
 * Domain ids are dense (0..nr-1) so that they can index other arrays, e.g. a
 * per-LLC set of dispatch queues.
 */
#ifndef __SCX_TOPOLOGY_LAYOUT_H
#define __SCX_TOPOLOGY_LAYOUT_H

/* Highest number of CPU ids the model and the maps can describe. */
#define SCX_TOPO_MAX_CPUS	4096
#define SCX_TOPO_MASK_WORDS	(SCX_TOPO_MAX_CPUS / 64)

/* Domain id of a CPU whose place is unknown (it is offline or not possible). */
#define SCX_TOPO_ID_NONE	0xffffffffU

/* Bump when a struct below changes incompatibly; libscx refuses to fill maps
 * whose value sizes do not match. */
#define SCX_TOPO_LAYOUT_VERSION	1

enum scx_topo_cpu_flags {
	SCX_TOPO_CPU_POSSIBLE	= 1U << 0,
	SCX_TOPO_CPU_ONLINE	= 1U << 1,
	SCX_TOPO_CPU_BIG	= 1U << 2,
};

struct scx_topo_info {
	unsigned int layout_version;	/* SCX_TOPO_LAYOUT_VERSION once filled, 0 before */
	unsigned int nr_cpu_ids;	/* highest possible CPU id + 1 */
	unsigned int nr_cpus;		/* possible CPUs */
	unsigned int nr_online;
	unsigned int nr_cores;
	unsigned int nr_llcs;
	unsigned int nr_nodes;
	unsigned int nr_packages;
	unsigned int max_capacity;	/* always 1024 once filled */
	unsigned int generation;	/* incremented by every export */
};

struct scx_topo_cpu_rec {
	unsigned int core;		/* dense ids, or SCX_TOPO_ID_NONE */
	unsigned int llc;
	unsigned int node;
	unsigned int package;
	unsigned int capacity;		/* 1..1024, 1024 is the fastest CPU; 0 if unknown */
	unsigned int flags;		/* enum scx_topo_cpu_flags */
	unsigned int smt_idx;		/* position among its core's siblings (0 = first) */
	unsigned int nr_siblings;	/* CPUs in its core, 0 when unknown */
};

struct scx_topo_mask {
	unsigned long long bits[SCX_TOPO_MASK_WORDS];
};

#endif /* __SCX_TOPOLOGY_LAYOUT_H */
