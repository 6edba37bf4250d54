// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: on a guest shaped like a server (tools/scx-vm --shape
 * 2s2n-smt: 2 sockets, each its own NUMA node, of 2 dies with an L3 each,
 * 2 cores x 2 SMT threads per die), the topology libscx reads is the shape
 * QEMU was told to present: the numbers of CPUs, cores, LLCs, nodes and
 * packages; each CPU's core, LLC, node and package and its place among its
 * SMT siblings; the CPUs of every domain; the node distances.
 *
 * What is expected comes from the guest kernel's command line, where scx-vm
 * writes the numbers it gave QEMU (scxvm.shape=sockets=S,dies=D,cores=C,
 * threads=T,nodes=N), never from what the guest shows: a guest kernel or a
 * library that sees another machine fails the test. QEMU numbers CPUs thread
 * first, then core, die and socket, and gives each die its own L3; scx-vm
 * puts sockets k*S/N .. (k+1)*S/N-1 in node k. Each CPU's line shows what
 * was expected, what libscx read and what sysfs says, so a failure tells
 * which of the two disagreed.
 *
 * The test needs that guest (tests/vm/guests gives it one); elsewhere it
 * exits 77, which the VM suite counts as a failure.
 */
#include <string.h>
#include <unistd.h>

#include <scx/topology.h>
#include "testlib.h"

#define MAX_SHAPE_CPUS 1024

struct shape {
	int sockets, dies, cores, threads, nodes;
};

/* Where CPU `cpu` of the shape belongs: the dense id at each level. */
static int expected_id(const struct shape *s, enum scx_topo_level level, int cpu)
{
	int core = cpu / s->threads;
	int llc = core / s->cores;		/* one L3 per die */
	int package = llc / s->dies;

	switch (level) {
	case SCX_TOPO_CORE:
		return core;
	case SCX_TOPO_LLC:
		return llc;
	case SCX_TOPO_NODE:
		return package / (s->sockets / s->nodes);
	case SCX_TOPO_PACKAGE:
		return package;
	default:
		return -1;
	}
}

static int expected_nr(const struct shape *s, enum scx_topo_level level)
{
	switch (level) {
	case SCX_TOPO_CORE:
		return s->sockets * s->dies * s->cores;
	case SCX_TOPO_LLC:
		return s->sockets * s->dies;
	case SCX_TOPO_NODE:
		return s->nodes;
	case SCX_TOPO_PACKAGE:
		return s->sockets;
	default:
		return -1;
	}
}

/* The shape scx-vm gave QEMU, from /proc/cmdline; false when there is none. */
static bool read_shape(struct shape *s)
{
	char cmdline[4096];
	const char *p;
	int end = 0;

	t_read_line("/proc/cmdline", cmdline, sizeof(cmdline));
	p = strstr(cmdline, "scxvm.shape=");
	if (!p || (p != cmdline && p[-1] != ' '))
		return false;
	if (sscanf(p, "scxvm.shape=sockets=%d,dies=%d,cores=%d,threads=%d,nodes=%d%n", &s->sockets,
		   &s->dies, &s->cores, &s->threads, &s->nodes, &end) != 5 || (p[end] && p[end] != ' '))
		return false;
	return s->sockets > 0 && s->dies > 0 && s->cores > 0 && s->threads > 0 && s->nodes > 0 &&
	       s->sockets % s->nodes == 0;
}

static const char *cpu_file(int cpu, const char *name, char *buf, size_t size)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/%s", cpu, name);
	return t_read_line(path, buf, size);
}

/* What sysfs says about a CPU, in one line, for the reader of a failure. */
static void sysfs_view(int cpu, char *out, size_t size)
{
	char path[128], pkg[16], die[16], core[16], sib[64], l3[64], node[16] = "-";
	int n;

	for (n = 0; n < 1024; n++) {
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/node%d", cpu, n);
		if (access(path, F_OK) == 0) {
			snprintf(node, sizeof(node), "%d", n);
			break;
		}
	}
	cpu_file(cpu, "cache/index3/shared_cpu_list", l3, sizeof(l3));
	snprintf(out, size, "package %s die %s core_id %s threads %s L3 %s node %s",
		 cpu_file(cpu, "topology/physical_package_id", pkg, sizeof(pkg)),
		 cpu_file(cpu, "topology/die_id", die, sizeof(die)),
		 cpu_file(cpu, "topology/core_id", core, sizeof(core)),
		 cpu_file(cpu, "topology/thread_siblings_list", sib, sizeof(sib)), *l3 ? l3 : "-", node);
}

static void check_cpu(struct scx_topology *t, const struct shape *s, int cpu)
{
	struct scx_topo_cpu c = { .sz = sizeof(c) };
	int core = expected_id(s, SCX_TOPO_CORE, cpu), llc = expected_id(s, SCX_TOPO_LLC, cpu);
	int node = expected_id(s, SCX_TOPO_NODE, cpu), pkg = expected_id(s, SCX_TOPO_PACKAGE, cpu);
	char view[256];

	T_EXPECT(scx_topology__cpu(t, cpu, &c) > 0, "cpu%d", cpu);
	sysfs_view(cpu, view, sizeof(view));
	printf("  cpu%-3d shape: core %d llc %d node %d package %d smt %d | libscx: core %d llc %d node %d package %d smt %d | sysfs: %s\n",
	       cpu, core, llc, node, pkg, cpu % s->threads, c.core, c.llc, c.node, c.package,
	       c.smt_idx, view);
	T_EXPECT(c.possible && c.online, "cpu%d", cpu);
	T_EXPECT(c.core == core, "cpu%d core %d, shape %d", cpu, c.core, core);
	T_EXPECT(c.llc == llc, "cpu%d llc %d, shape %d", cpu, c.llc, llc);
	T_EXPECT(c.node == node, "cpu%d node %d, shape %d", cpu, c.node, node);
	T_EXPECT(c.package == pkg, "cpu%d package %d, shape %d", cpu, c.package, pkg);
	T_EXPECT(c.smt_idx == cpu % s->threads, "cpu%d smt_idx %d, shape %d", cpu, c.smt_idx,
		 cpu % s->threads);
	/* QEMU's socket and node ids are the kernel's too */
	T_EXPECT(c.phys_package_id == pkg, "cpu%d physical_package_id %d, socket %d", cpu,
		 c.phys_package_id, pkg);
	T_EXPECT(c.numa_node == node, "cpu%d kernel node %d, QEMU node %d", cpu, c.numa_node, node);
}

/* Every domain of a level holds exactly the CPUs the shape puts there. */
static void check_domains(struct scx_topology *t, const struct shape *s, int nr_cpus,
			  enum scx_topo_level level)
{
	const char *name = scx_topo_level__str(level);
	int id, i, n, cpus[MAX_SHAPE_CPUS];

	T_EXPECT(scx_topology__nr_domains(t, level) == expected_nr(s, level), "%s: %d domains, shape %d",
		 name, scx_topology__nr_domains(t, level), expected_nr(s, level));
	for (id = 0; id < expected_nr(s, level); id++) {
		int want = 0, at = 0;

		for (i = 0; i < nr_cpus; i++)
			want += expected_id(s, level, i) == id;
		n = scx_topology__domain_cpus(t, level, id, cpus, MAX_SHAPE_CPUS);
		T_EXPECT(n == want, "%s %d: %d CPUs, shape %d", name, id, n, want);
		for (i = 0; i < nr_cpus && n == want; i++) {
			if (expected_id(s, level, i) != id)
				continue;
			T_EXPECT(cpus[at] == i, "%s %d: CPU %d where the shape has cpu%d", name, id,
				 cpus[at], i);
			at++;
		}
	}
}

int main(void)
{
	struct scx_topology *t;
	struct shape s;
	int nr, cpu, a, b;
	enum scx_topo_level level;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!read_shape(&s)) {
		printf("SKIP: no scxvm.shape= on the kernel command line: not in a guest that "
		       "tools/scx-vm --shape (or --smp with sockets, cores, threads) started\n");
		return T_SKIP;
	}
	nr = s.sockets * s.dies * s.cores * s.threads;
	t_log("shape from the command line: %d sockets x %d dies x %d cores x %d threads = %d CPUs, %d nodes",
	      s.sockets, s.dies, s.cores, s.threads, nr, s.nodes);
	T_ASSERT(nr <= MAX_SHAPE_CPUS, "%d CPUs: more than this test handles", nr);

	t = scx_topology__open(NULL);
	T_ASSERT(t, "scx_topology__open: %s", strerror(errno));
	t_log("libscx: %d CPUs (%d ids, %d online), %d cores, %d llcs, %d nodes, %d packages",
	      scx_topology__nr_cpus(t), scx_topology__nr_cpu_ids(t), scx_topology__nr_online(t),
	      scx_topology__nr_cores(t), scx_topology__nr_llcs(t), scx_topology__nr_nodes(t),
	      scx_topology__nr_packages(t));
	T_EXPECT(scx_topology__nr_cpus(t) == nr, "%d CPUs, shape %d", scx_topology__nr_cpus(t), nr);
	T_EXPECT(scx_topology__nr_cpu_ids(t) == nr, "%d CPU ids, shape %d", scx_topology__nr_cpu_ids(t), nr);
	T_EXPECT(scx_topology__nr_online(t) == nr, "%d online, shape %d", scx_topology__nr_online(t), nr);
	T_EXPECT(scx_topology__nr_cores(t) == expected_nr(&s, SCX_TOPO_CORE), "%d cores, shape %d",
		 scx_topology__nr_cores(t), expected_nr(&s, SCX_TOPO_CORE));
	T_EXPECT(scx_topology__nr_llcs(t) == expected_nr(&s, SCX_TOPO_LLC), "%d LLCs, shape %d",
		 scx_topology__nr_llcs(t), expected_nr(&s, SCX_TOPO_LLC));
	T_EXPECT(scx_topology__nr_nodes(t) == s.nodes, "%d nodes, shape %d", scx_topology__nr_nodes(t),
		 s.nodes);
	T_EXPECT(scx_topology__nr_packages(t) == s.sockets, "%d packages, shape %d",
		 scx_topology__nr_packages(t), s.sockets);

	for (cpu = 0; cpu < nr && cpu < scx_topology__nr_cpu_ids(t); cpu++)
		check_cpu(t, &s, cpu);
	for (level = SCX_TOPO_CORE; level < SCX_TOPO_NR_LEVELS; level++)
		check_domains(t, &s, nr, level);

	/* scx-vm gives QEMU no distances, so there is no SLIT and the kernel
	 * uses its defaults: 10 within a node, 20 between two. */
	for (a = 0; a < s.nodes; a++)
		for (b = 0; b < s.nodes; b++)
			T_EXPECT(scx_topology__node_distance(t, a, b) == (a == b ? 10 : 20),
				 "distance %d-%d is %d", a, b, scx_topology__node_distance(t, a, b));

	scx_topology__free(t);
	if (t_failures) {
		printf("FAIL: %d check(s) failed\n", t_failures);
		return T_FAIL;
	}
	printf("PASS\n");
	return T_PASS;
}
