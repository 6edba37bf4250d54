// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * percpu: run the per-CPU scheduler of percpu.bpf.c through libscx's command
 * line (scx/cli.h), telling it which CPUs share an LLC and a NUMA node (from
 * libscx's topology model) before it loads. Its own options: -s (slice) and
 * -S (how far an idle CPU may steal).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <scx/scx.h>

#include "percpu.skel.h"

/* The sizes of percpu.bpf.c's domain arrays (SCX_DOMAIN_MAX_CPUS in
 * domain.bpf.h; the global's size is checked by scx_sched__set_global). */
#define MAX_CPUS 1024

static const struct scx_cli_option options[] = {
	{ "slice-us", 's', "US", "time slice in microseconds (default: the kernel's, 20 ms)" },
	{ "steal", 'S', "SCOPE", "where an idle CPU may steal: cpu, llc (default), node, all" },
	{ NULL },
};

static int on_option(struct scx_cli *cli, int key, const char *arg, void *ctx)
{
	/* enum scx_steal_scope in dsq.bpf.h */
	static const char *const scopes[] = { "cpu", "llc", "node", "all" };
	__u64 ns = 0;
	__u32 v;
	int ret;

	if (key == 's') {
		ret = scx_cli__arg_u64(cli, arg, 1, 1000000, &ns);
		ns *= 1000;
		return ret ?: scx_cli__set_global(cli, "slice_ns", &ns, sizeof(ns));
	}
	for (v = 0; v < 4 && strcmp(arg, scopes[v]); v++)
		;
	if (v == 4)
		return scx_cli__usage_error(cli, "'%s' is not cpu, llc, node or all", arg);
	return scx_cli__set_global(cli, "steal_scope", &v, sizeof(v));
}

/*
 * Give the BPF side the CPU -> LLC / node map. Without it every CPU counts as
 * one LLC, which is still correct, so failures only warn.
 */
static int set_domains(struct scx_cli *cli, struct scx_sched *s, void *ctx)
{
	static __u32 llc_of[MAX_CPUS], node_of[MAX_CPUS];
	struct scx_topology *t = scx_topology__open(NULL);
	__u32 nr_llcs, nr_nodes;
	int cpu, nr;

	if (!t) {
		fprintf(stderr, "percpu: no topology (%s); all CPUs count as one LLC\n",
			strerror(errno));
		return 0;
	}
	nr = scx_topology__nr_cpu_ids(t);
	for (cpu = 0; cpu < nr && cpu < MAX_CPUS; cpu++) {
		struct scx_topo_cpu c = { .sz = sizeof(c) };

		/* an offline CPU has no domains (-1): count it in the first */
		if (scx_topology__cpu(t, cpu, &c) < 0)
			c.llc = c.node = -1;
		llc_of[cpu] = c.llc >= 0 ? c.llc : 0;
		node_of[cpu] = c.node >= 0 ? c.node : 0;
	}
	nr_llcs = scx_topology__nr_llcs(t);
	nr_nodes = scx_topology__nr_nodes(t);
	if (scx_sched__set_global(s, "scx_domain_llc_of", llc_of, sizeof(llc_of)) ||
	    scx_sched__set_global(s, "scx_domain_node_of", node_of, sizeof(node_of)) ||
	    scx_sched__set_global(s, "scx_domain_nr_llcs", &nr_llcs, sizeof(nr_llcs)) ||
	    scx_sched__set_global(s, "scx_domain_nr_nodes", &nr_nodes, sizeof(nr_nodes)))
		fprintf(stderr, "percpu: cannot pass the topology: %s\n", strerror(errno));
	scx_topology__free(t);
	return 0;
}

int main(int argc, char **argv)
{
	size_t size;
	const void *obj = percpu__elf_bytes(&size);	/* embedded by the skeleton */
	SCX_OPTS(scx_cli_opts, opts, .name = "percpu", .obj_buf = obj, .obj_size = size,
		 .summary = "Run a per-CPU-queue sched_ext scheduler until SIGINT/SIGTERM.\n",
		 .options = options, .option_fn = on_option, .prepare_fn = set_domains);

	return scx_cli__main(argc, argv, &opts);
}
