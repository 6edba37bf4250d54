/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* What topology.bpf.c reports back to test_topology.c: its only .bss object. */
#ifndef __TOPOLOGY_TEST_H
#define __TOPOLOGY_TEST_H

#include <scx/topology_layout.h>

struct topo_test_out {
	unsigned int core[SCX_TOPO_MAX_CPUS];
	unsigned int llc[SCX_TOPO_MAX_CPUS];
	unsigned int node[SCX_TOPO_MAX_CPUS];
	unsigned int pkg[SCX_TOPO_MAX_CPUS];
	unsigned int cap[SCX_TOPO_MAX_CPUS];
	unsigned int llc_first[SCX_TOPO_MAX_CPUS];	/* lowest CPU of the CPU's LLC */
	unsigned char big[SCX_TOPO_MAX_CPUS];
	unsigned char online[SCX_TOPO_MAX_CPUS];
	unsigned char in_own_llc[SCX_TOPO_MAX_CPUS];	/* its LLC bitmap contains it */
	unsigned char in_own_core[SCX_TOPO_MAX_CPUS];
	unsigned char same_llc_as_0[SCX_TOPO_MAX_CPUS];
	unsigned int nr[8];	/* nr_cpu_ids, cpus, online, cores, llcs, nodes, packages, ready */
	unsigned int llc0_weight;
	unsigned int none_llc;	/* lookup of an out-of-range CPU */
	unsigned int cpumask_weight;
	int ran;
};

#endif /* __TOPOLOGY_TEST_H */
