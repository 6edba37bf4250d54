// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * percpu: load the per-CPU scheduler of percpu.bpf.c, tell it which CPUs
 * share an LLC and a NUMA node (from libscx's topology model), print its
 * counters every -i seconds, and report why it exited. Only the public libscx
 * API is used.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>

#include "percpu.skel.h"

static const char usage[] =
	"usage: percpu [-v] [-i SECONDS] [-s SLICE_US] [-t TIMEOUT_MS] [-S SCOPE]\n"
	"  Run a per-CPU-queue sched_ext scheduler until SIGINT/SIGTERM.\n"
	"  -v             verbose: libscx debug messages\n"
	"  -i SECONDS     print the scheduler's counters every SECONDS\n"
	"  -s SLICE_US    time slice in microseconds (default: the kernel's, 20 ms)\n"
	"  -t TIMEOUT_MS  watchdog: eject a task stalled this long (max 30000)\n"
	"  -S SCOPE       where an idle CPU may steal: cpu, llc (default), node, all\n"
	"  -h             this text\n";

/* The sizes of percpu.bpf.c's domain arrays (SCX_DOMAIN_MAX_CPUS in
 * domain.bpf.h; the global's size is checked by scx_sched__set_global). */
#define MAX_CPUS 1024

/*
 * Give the BPF side the CPU -> LLC / node map. Without it every CPU counts as
 * one LLC, which is still correct, so failures only warn.
 */
static void set_domains(struct scx_sched *s)
{
	static __u32 llc_of[MAX_CPUS], node_of[MAX_CPUS];
	struct scx_topology *t = scx_topology__open(NULL);
	__u32 nr_llcs, nr_nodes;
	int cpu, nr;

	if (!t) {
		fprintf(stderr, "percpu: no topology (%s); all CPUs count as one LLC\n",
			strerror(errno));
		return;
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
}

static bool verbose;

static int print_fn(enum scx_print_level level, const char *fmt, va_list args)
{
	if (level == SCX_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static int print_counter(const char *name, __u64 value, void *ctx)
{
	printf(" %s=%llu", name, (unsigned long long)value);
	return 0;
}

static int print_stats(struct scx_sched *s, void *ctx)
{
	printf("percpu:");
	scx_sched__for_each_counter(s, print_counter, NULL);
	printf("\n");
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	SCX_OPTS(scx_sched_opts, opts);
	SCX_OPTS(scx_run_opts, run, .handle_signals = true);
	const struct scx_exit_info *ei;
	unsigned long long slice_us = 0;
	const char *scope = NULL;
	struct scx_sched *s;
	const void *obj;
	size_t obj_sz;
	int opt, ret;

	while ((opt = getopt(argc, argv, "vi:s:t:S:h")) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 'i':
			run.stats_interval_ms = strtoul(optarg, NULL, 0) * 1000;
			break;
		case 's':
			slice_us = strtoull(optarg, NULL, 0);
			break;
		case 't':
			opts.timeout_ms = strtoul(optarg, NULL, 0);
			break;
		case 'S':
			scope = optarg;
			break;
		default:
			fputs(usage, opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	scx_set_print(print_fn);

	/* The BPF object is embedded in the binary by the skeleton. */
	obj = percpu__elf_bytes(&obj_sz);
	s = scx_sched__open_mem(obj, obj_sz, &opts);
	if (!s) {
		fprintf(stderr, "percpu: cannot open the scheduler: %s\n", strerror(errno));
		return 1;
	}
	if (slice_us) {
		__u64 slice_ns = slice_us * 1000;

		ret = scx_sched__set_global(s, "slice_ns", &slice_ns, sizeof(slice_ns));
		if (ret) {
			fprintf(stderr, "percpu: slice_ns: %s\n", strerror(-ret));
			scx_sched__destroy(s);
			return 1;
		}
	}
	set_domains(s);
	if (scope) {
		/* enum scx_steal_scope in dsq.bpf.h */
		static const char *const names[] = { "cpu", "llc", "node", "all" };
		__u32 v;

		for (v = 0; v < 4 && strcmp(scope, names[v]); v++)
			;
		if (v == 4 || scx_sched__set_global(s, "steal_scope", &v, sizeof(v))) {
			fprintf(stderr, "percpu: bad steal scope %s\n", scope);
			scx_sched__destroy(s);
			return 2;
		}
	}
	if (run.stats_interval_ms)
		run.stats_fn = print_stats;

	/* Attaches, waits for a signal or an ejection, detaches. */
	ret = scx_sched__run(s, &run);
	if (ret < 0) {
		fprintf(stderr, "percpu: %s\n", strerror(-ret));
		scx_sched__destroy(s);
		return 1;
	}
	ei = scx_sched__exit_info(s);
	printf("percpu: exited: %s (%s)%s%s\n", scx_exit_kind__str(scx_exit_info__kind(ei)),
	       scx_exit_info__reason(ei), *scx_exit_info__msg(ei) ? ": " : "",
	       scx_exit_info__msg(ei));
	ret = scx_exit_kind__is_error(scx_exit_info__kind(ei)) ? 1 : 0;
	scx_sched__destroy(s);
	return ret;
}
