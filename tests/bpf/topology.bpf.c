// SPDX-License-Identifier: GPL-2.0
/*
 * Host test program for topology.bpf.h: one run of topo_walk passes every CPU
 * id through the header's lookups and stores what it saw in `out`, so user
 * space can compare it with the model it exported.
 */
#include <scx/common.bpf.h>
#include <scx/topology.bpf.h>

#include "topology_test.h"

char _license[] SEC("license") = "GPL";

struct topo_test_out out;

SEC("syscall")
int topo_walk(void *ctx)
{
	u32 cpu, nr = scx_topo_nr_cpu_ids();

	out.nr[0] = scx_topo_nr_cpu_ids();
	out.nr[1] = scx_topo_nr_cpus();
	out.nr[2] = scx_topo_nr_online();
	out.nr[3] = scx_topo_nr_cores();
	out.nr[4] = scx_topo_nr_llcs();
	out.nr[5] = scx_topo_nr_nodes();
	out.nr[6] = scx_topo_nr_packages();
	out.nr[7] = scx_topo_ready();

	bpf_for(cpu, 0, SCX_TOPO_MAX_CPUS) {
		u32 llc;

		if (cpu >= nr)
			break;
		llc = scx_topo_cpu_llc(cpu);
		out.core[cpu] = scx_topo_cpu_core(cpu);
		out.llc[cpu] = llc;
		out.node[cpu] = scx_topo_cpu_node(cpu);
		out.pkg[cpu] = scx_topo_cpu_package(cpu);
		out.cap[cpu] = scx_topo_cpu_capacity(cpu);
		out.big[cpu] = scx_topo_cpu_is_big(cpu);
		out.online[cpu] = scx_topo_cpu_is_online(cpu);
		out.in_own_llc[cpu] = scx_topo_mask_test(scx_topo_llc_mask(llc), cpu);
		out.in_own_core[cpu] = scx_topo_mask_test(scx_topo_core_mask(scx_topo_cpu_core(cpu)), cpu);
		out.same_llc_as_0[cpu] = scx_topo_same_llc(0, cpu);
		out.llc_first[cpu] = scx_topo_mask_next(scx_topo_llc_mask(llc), 0);
	}
	out.llc0_weight = scx_topo_mask_weight(scx_topo_llc_mask(0));
	out.none_llc = scx_topo_cpu_llc(SCX_TOPO_MAX_CPUS + 5);
	out.ran = 1;
	return 0;
}

/* Separate program: bpf_cpumask kfuncs need a kernel that allows them in
 * syscall programs; the test skips this part where it does not load. */
SEC("syscall")
int topo_cpumask(void *ctx)
{
	struct bpf_cpumask *m = bpf_cpumask_create();

	if (!m)
		return 1;
	scx_topo_mask_to_cpumask(scx_topo_llc_mask(0), m);
	out.cpumask_weight = bpf_cpumask_weight((const struct cpumask *)m);
	bpf_cpumask_release(m);
	return 0;
}
