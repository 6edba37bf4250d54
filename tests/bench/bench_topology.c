// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Times scx_topology__open() on a fake 4096-CPU tree (4 packages, 512 SMT2
 * cores each, 64 cores per LLC, 8 nodes) and on the running machine, printing
 * the median of N runs:
 *	topology_load_4096 median_us=... runs=...
 * Usage: bench_topology [RUNS]   (default 21). Targets are not asserted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <scx/topology.h>

#include "faketree.h"

static void big_describe(int cpu, struct ft_cpu *c, const void *arg)
{
	int core = cpu % 2048;

	c->package = core / 512;
	c->die = 0;
	c->core = core;
	c->core_id = core % 512;
	c->l2 = core;
	c->l3 = core / 64;
	c->node = core / 256;
	c->cap = 3000000;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Median time of `runs` opens under root (NULL: /sys), or -1 on error. */
static long long bench(const char *root, int runs)
{
	SCX_OPTS(scx_topology_opts, opts, .sysfs_root = root);
	long long *t = calloc(runs, sizeof(*t)), median;
	int i;

	for (i = 0; i < runs; i++) {
		long long start = now_ns();
		struct scx_topology *topo = scx_topology__open(&opts);

		t[i] = now_ns() - start;
		if (!topo) {
			fprintf(stderr, "bench_topology: open %s: %s\n", root ? root : "/sys",
				strerror(errno));
			free(t);
			return -1;
		}
		scx_topology__free(topo);
	}
	qsort(t, runs, sizeof(*t), cmp_ll);
	median = t[runs / 2];
	free(t);
	return median;
}

int main(int argc, char **argv)
{
	struct ft_spec spec = {
		.nr_cpus = 4096, .numa = true, .nr_nodes = 8,
		.cap_file = "cpufreq/cpuinfo_max_freq", .describe = big_describe,
	};
	int runs = argc > 1 ? atoi(argv[1]) : 21;
	struct faketree ft;
	long long us;

	if (runs < 1) {
		fprintf(stderr, "usage: bench_topology [RUNS]\n");
		return 2;
	}
	if (ft_init(&ft) || ft_build(&ft, &spec)) {
		fprintf(stderr, "bench_topology: cannot build the fake tree\n");
		ft_cleanup(&ft);
		return 1;
	}
	us = bench(ft.root, runs);
	ft_cleanup(&ft);
	if (us < 0)
		return 1;
	printf("topology_load_4096 median_us=%lld runs=%d\n", us / 1000, runs);
	us = bench(NULL, runs);
	if (us >= 0)
		printf("topology_load_host median_us=%lld runs=%d\n", us / 1000, runs);
	return 0;
}
