// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the topology model against fake sysfs trees shaped after real
 * machines, the CPU-list parser, and malformed files (each must give -EINVAL
 * with a warning naming the file, never a crash).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <scx/topology.h>

#include "faketree.h"
#include "topology_internal.h"

static char last_warning[4096];

static int capture_print(enum scx_print_level level, const char *fmt, va_list ap)
{
	if (level == SCX_WARN)
		vsnprintf(last_warning, sizeof(last_warning), fmt, ap);
	return 0;
}

/* CPU `cpu` of the model, copied out; all zero (not possible, not online)
 * when the id is out of range. */
static struct scx_topo_cpu topo_cpu(const struct scx_topology *t, int cpu)
{
	struct scx_topo_cpu c = { .sz = sizeof(c) };

	scx_topology__cpu(t, cpu, &c);
	return c;
}

static struct scx_topology *open_tree(struct faketree *ft)
{
	SCX_OPTS(scx_topology_opts, opts, .sysfs_root = ft->root);

	last_warning[0] = '\0';
	return scx_topology__open(&opts);
}

static struct scx_topology *build_and_open(struct faketree *ft, const struct ft_spec *spec)
{
	struct scx_topology *t;

	assert_int_equal(ft_init(ft), 0);
	assert_int_equal(ft_build(ft, spec), 0);
	t = open_tree(ft);
	if (!t)
		print_error("open failed: %s (%s)\n", strerror(errno), last_warning);
	assert_non_null(t);
	return t;
}

/*
 * Every CPU's dense id at a level must follow the spec's keys exactly: two
 * online CPUs share a dense id iff they share a key, and dense ids are
 * numbered by lowest CPU.
 */
static void check_level(struct scx_topology *t, const struct ft_spec *spec,
			enum scx_topo_level level, int (*key)(const struct ft_cpu *))
{
	int nr = scx_topology__nr_cpu_ids(t), nr_dom = scx_topology__nr_domains(t, level);
	int *key_of_dom = calloc(nr_dom, sizeof(int)), next = 0, i;
	int *cpus = calloc(nr, sizeof(int));

	assert_non_null(key_of_dom);
	for (i = 0; i < nr_dom; i++)
		key_of_dom[i] = INT32_MIN;
	for (i = 0; i < nr; i++) {
		const struct scx_topo_cpu c_copy = topo_cpu(t, i), *c = &c_copy;
		struct ft_cpu fc;
		int id;

		assert_non_null(c);
		assert_int_equal(c->id, i);
		id = level == SCX_TOPO_CORE ? c->core : level == SCX_TOPO_LLC ? c->llc :
		     level == SCX_TOPO_NODE ? c->node : c->package;
		if (!c->online) {
			assert_int_equal(id, -1);
			continue;
		}
		spec->describe(i, &fc, spec->arg);
		assert_in_range(id, 0, nr_dom - 1);
		if (key_of_dom[id] == INT32_MIN) {
			/* first CPU of a new domain: ids are dense and ordered */
			assert_int_equal(id, next);
			next++;
			key_of_dom[id] = key(&fc);
		} else {
			assert_int_equal(key_of_dom[id], key(&fc));
		}
	}
	assert_int_equal(next, nr_dom);
	/* Domain lists agree with the per-CPU ids. */
	for (i = 0; i < nr_dom; i++) {
		int n = scx_topology__domain_cpus(t, level, i, cpus, nr), j;

		assert_true(n > 0);
		for (j = 0; j < n; j++) {
			const struct scx_topo_cpu c_copy = topo_cpu(t, cpus[j]), *c = &c_copy;
			int id = level == SCX_TOPO_CORE ? c->core : level == SCX_TOPO_LLC ? c->llc :
				 level == SCX_TOPO_NODE ? c->node : c->package;

			assert_int_equal(id, i);
			if (j)
				assert_true(cpus[j] > cpus[j - 1]);
		}
	}
	free(key_of_dom);
	free(cpus);
}

static int key_core(const struct ft_cpu *c) { return c->core; }
static int key_l3(const struct ft_cpu *c) { return c->l3; }
static int key_node(const struct ft_cpu *c) { return c->node; }
static int key_pkg(const struct ft_cpu *c) { return c->package; }

static void check_all_levels(struct scx_topology *t, const struct ft_spec *spec, bool l3)
{
	check_level(t, spec, SCX_TOPO_CORE, key_core);
	if (l3)
		check_level(t, spec, SCX_TOPO_LLC, key_l3);
	if (spec->numa)
		check_level(t, spec, SCX_TOPO_NODE, key_node);
	check_level(t, spec, SCX_TOPO_PACKAGE, key_pkg);
}

/* ---- 1: two-socket server, SMT with sibling N+16, cpu5 offline ---------- */
static void server_describe(int cpu, struct ft_cpu *c, const void *arg)
{
	int core = cpu % 16;

	c->package = core / 8;
	c->die = 0;
	c->core = core;
	c->core_id = core % 8;
	c->l2 = core;
	c->l3 = c->package;
	c->node = c->package;
	c->cap = 3500000;
}

static const struct ft_spec server_spec = {
	.nr_cpus = 32, .online = "0-4,6-31", .numa = true, .nr_nodes = 2,
	.cap_file = "cpufreq/cpuinfo_max_freq", .describe = server_describe,
};

static void test_server(void **state)
{
	struct faketree ft;
	struct scx_topology *t = build_and_open(&ft, &server_spec);
	struct scx_topo_cpu c;
	int cpus[64];

	assert_int_equal(scx_topology__nr_cpus(t), 32);
	assert_int_equal(scx_topology__nr_cpu_ids(t), 32);
	assert_int_equal(scx_topology__nr_online(t), 31);
	assert_int_equal(scx_topology__nr_cores(t), 16);
	assert_int_equal(scx_topology__nr_llcs(t), 2);
	assert_int_equal(scx_topology__nr_nodes(t), 2);
	assert_int_equal(scx_topology__nr_packages(t), 2);
	check_all_levels(t, &server_spec, true);

	c = topo_cpu(t, 5);
	assert_true(c.possible);
	assert_false(c.online);
	assert_int_equal(c.core, -1);
	assert_int_equal(c.llc, -1);
	assert_int_equal(c.capacity, 0);

	/* Interleaved siblings: 0 and 16 share a core. */
	assert_int_equal(topo_cpu(t, 0).core, topo_cpu(t, 16).core);
	assert_int_equal(topo_cpu(t, 16).smt_idx, 1);
	/* cpu21 lost its sibling cpu5 and is alone, first in its core. */
	assert_int_equal(scx_topology__domain_cpus(t, SCX_TOPO_CORE,
						   topo_cpu(t, 21).core, cpus, 64), 1);
	assert_int_equal(topo_cpu(t, 21).smt_idx, 0);
	/* Socket 1 is CPUs 8-15 and 24-31. */
	assert_int_equal(scx_topology__domain_cpus(t, SCX_TOPO_PACKAGE, 1, cpus, 64), 16);
	assert_int_equal(cpus[0], 8);
	assert_int_equal(cpus[8], 24);
	assert_int_equal(topo_cpu(t, 24).phys_package_id, 1);
	assert_int_equal(topo_cpu(t, 9).core_id, 1);
	assert_int_equal(scx_topology__node_distance(t, 0, 1), 21);
	assert_int_equal(scx_topology__node_distance(t, 1, 1), 10);
	assert_int_equal(scx_topology__node_distance(t, 0, 2), -ERANGE);
	c = topo_cpu(t, 31);
	assert_int_equal(c.capacity, 1024);
	assert_true(c.big);
	scx_topology__free(t);
	ft_cleanup(&ft);
}

/* Hotplug: cpu5 comes back, a refresh sees it. */
static void test_refresh_after_hotplug(void **state)
{
	struct faketree ft;
	struct scx_topology *t = build_and_open(&ft, &server_spec);
	struct ft_spec all = server_spec;

	all.online = NULL;
	assert_int_equal(ft_build(&ft, &all), 0);
	assert_int_equal(scx_topology__refresh(t), 0);
	assert_int_equal(scx_topology__nr_online(t), 32);
	assert_true(topo_cpu(t, 5).online);
	assert_int_equal(topo_cpu(t, 5).core, topo_cpu(t, 21).core);
	check_all_levels(t, &all, true);

	/* A refresh that fails keeps the previous model. */
	assert_int_equal(ft_write(&ft, "devices/system/cpu/online", "garbage\n"), 0);
	assert_int_equal(scx_topology__refresh(t), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(scx_topology__nr_online(t), 32);
	scx_topology__free(t);
	ft_cleanup(&ft);
}

/* ---- 2: chiplet CPU, 4 L3s of 4 cores, siblings N+16, AMD ranking ------- */
static void chiplet_describe(int cpu, struct ft_cpu *c, const void *arg)
{
	int core = cpu % 16;

	c->package = 0;
	c->die = -1;
	c->core = core;
	c->core_id = core;
	c->l2 = core;
	c->l3 = core / 4;
	c->node = 0;
	c->cap = core < 4 ? 236 : 196;	/* preferred cores on the first CCD */
}

static const struct ft_spec chiplet_spec = {
	.nr_cpus = 32, .numa = true, .nr_nodes = 1,
	.cap_file = "cpufreq/amd_pstate_prefcore_ranking", .describe = chiplet_describe,
};

static void test_chiplet(void **state)
{
	struct faketree ft;
	struct scx_topology *t = build_and_open(&ft, &chiplet_spec);
	unsigned long long mask[SCX_TOPO_MASK_WORDS];

	assert_int_equal(scx_topology__nr_online(t), 32);
	assert_int_equal(scx_topology__nr_cores(t), 16);
	assert_int_equal(scx_topology__nr_llcs(t), 4);
	assert_int_equal(scx_topology__nr_nodes(t), 1);
	assert_int_equal(scx_topology__nr_packages(t), 1);
	check_all_levels(t, &chiplet_spec, true);
	/* LLC 1 is cores 4-7: CPUs 4-7 and 20-23. */
	assert_int_equal(scx_topology__domain_mask(t, SCX_TOPO_LLC, 1, mask, SCX_TOPO_MASK_WORDS), 8);
	assert_true(mask[0] == 0x00f000f0ULL);
	assert_int_equal(topo_cpu(t, 0).capacity, 1024);
	assert_int_equal(topo_cpu(t, 4).capacity, 196 * 1024 / 236);
	assert_true(topo_cpu(t, 4).big);
	scx_topology__free(t);
	ft_cleanup(&ft);
}

/* ---- 3: hybrid laptop: 6 P-cores with SMT, 8 E-cores, CPPC ------------- */
static void hybrid_describe(int cpu, struct ft_cpu *c, const void *arg)
{
	c->package = 0;
	c->die = 0;
	c->node = 0;
	c->l3 = 0;
	if (cpu < 12) {
		c->core = cpu / 2;
		c->core_id = cpu & ~1;
		c->l2 = c->core;
		c->cap = 64;
	} else {
		c->core = cpu;		/* E-cores have no SMT */
		c->core_id = cpu * 2;
		c->l2 = 100 + (cpu - 12) / 4;	/* clusters of 4 share an L2 */
		c->cap = 40;
	}
}

static const struct ft_spec hybrid_spec = {
	.nr_cpus = 20, .cap_file = "acpi_cppc/highest_perf", .describe = hybrid_describe,
};

static void test_hybrid(void **state)
{
	struct faketree ft;
	struct scx_topology *t = build_and_open(&ft, &hybrid_spec);
	int i;

	assert_int_equal(scx_topology__nr_cpus(t), 20);
	assert_int_equal(scx_topology__nr_cores(t), 14);
	assert_int_equal(scx_topology__nr_llcs(t), 1);	/* L3, not the E-core L2 */
	assert_int_equal(scx_topology__nr_nodes(t), 1);	/* no node directory */
	assert_int_equal(scx_topology__nr_packages(t), 1);
	check_all_levels(t, &hybrid_spec, true);
	for (i = 0; i < 20; i++) {
		const struct scx_topo_cpu c_copy = topo_cpu(t, i), *c = &c_copy;

		assert_int_equal(c->node, 0);
		assert_int_equal(c->numa_node, 0);
		if (i < 12) {
			assert_true(c->big);
			assert_int_equal(c->capacity, 1024);
		} else {
			assert_false(c->big);
			assert_int_equal(c->capacity, 640);
		}
	}
	scx_topology__free(t);
	ft_cleanup(&ft);
}

/* cpu_capacity wins over CPPC when every CPU has it. */
static void test_capacity_priority(void **state)
{
	struct faketree ft;
	struct scx_topology *t = build_and_open(&ft, &hybrid_spec);
	char rel[128];
	int i;

	for (i = 0; i < 20; i++) {
		snprintf(rel, sizeof(rel), "devices/system/cpu/cpu%d/cpu_capacity", i);
		assert_int_equal(ft_write(&ft, rel, "%d\n", i < 12 ? 1024 : 512), 0);
	}
	assert_int_equal(scx_topology__refresh(t), 0);
	assert_int_equal(topo_cpu(t, 13).capacity, 512);
	/* One CPU without it: fall back to the next complete source. */
	assert_int_equal(ft_remove(&ft, "devices/system/cpu/cpu2/cpu_capacity"), 0);
	assert_int_equal(scx_topology__refresh(t), 0);
	assert_int_equal(topo_cpu(t, 13).capacity, 640);
	scx_topology__free(t);
	ft_cleanup(&ft);
}

/* ---- 4: small VM: 4 vCPUs in 2 sockets, no caches, no NUMA ------------- */
static void vm_describe(int cpu, struct ft_cpu *c, const void *arg)
{
	c->package = cpu / 2;
	c->die = 0;
	c->core = cpu;
	c->core_id = cpu % 2;
	c->l2 = c->l3 = -1;
	c->node = 0;
	c->cap = 0;
}

static const struct ft_spec vm_spec = { .nr_cpus = 4, .no_cache = true, .describe = vm_describe };

static void test_vm_no_cache(void **state)
{
	struct faketree ft;
	struct scx_topology *t = build_and_open(&ft, &vm_spec);
	int i;

	assert_int_equal(scx_topology__nr_cores(t), 4);
	/* No cache information: one LLC per package. */
	assert_int_equal(scx_topology__nr_llcs(t), 2);
	assert_int_equal(scx_topology__nr_packages(t), 2);
	check_all_levels(t, &vm_spec, false);
	for (i = 0; i < 4; i++) {
		assert_int_equal(topo_cpu(t, i).llc, i / 2);
		assert_int_equal(topo_cpu(t, i).capacity, 1024);
		assert_true(topo_cpu(t, i).big);
	}
	scx_topology__free(t);
	ft_cleanup(&ft);
}

/* No L3: the L2 shared by pairs of cores (some arm64 SoCs) is the LLC. */
static void l2_describe(int cpu, struct ft_cpu *c, const void *arg)
{
	c->package = 0;
	c->die = -1;
	c->core = cpu;
	c->core_id = cpu;
	c->l2 = cpu / 2;
	c->l3 = -1;
	c->node = 0;
	c->cap = 0;
}

static const struct ft_spec l2_spec = { .nr_cpus = 6, .describe = l2_describe };

static int key_l2(const struct ft_cpu *c) { return c->l2; }

static void test_l2_is_llc(void **state)
{
	struct faketree ft;
	struct scx_topology *t = build_and_open(&ft, &l2_spec);

	assert_int_equal(scx_topology__nr_llcs(t), 3);
	check_level(t, &l2_spec, SCX_TOPO_LLC, key_l2);
	/* An unreadable cache type (the kernel fails the read for caches of
	 * unknown type) is skipped, not an error. */
	for (int cpu = 0; cpu < 2; cpu++) {
		char p[2 * PATH_MAX];

		snprintf(p, sizeof(p), "%s/devices/system/cpu/cpu%d/cache/index2/type", ft.root, cpu);
		assert_int_equal(remove(p), 0);
		assert_int_equal(mkdir(p, 0755), 0);	/* a directory: read() fails */
	}
	assert_int_equal(scx_topology__refresh(t), 0);
	/* cpu0 and cpu1 now have only L1 caches: each its own L1d is its LLC. */
	assert_int_equal(scx_topology__nr_llcs(t), 4);
	scx_topology__free(t);
	ft_cleanup(&ft);
}

/* ---- 5: a single CPU that reports package -1 (some arm64 firmware) ------ */
static void single_describe(int cpu, struct ft_cpu *c, const void *arg)
{
	c->package = -1;
	c->die = -1;
	c->core = 0;
	c->core_id = 0;
	c->l2 = 0;
	c->l3 = -1;	/* LLC is the L2 */
	c->node = 0;
	c->cap = 1024;
}

static const struct ft_spec single_spec = {
	.nr_cpus = 1, .numa = true, .nr_nodes = 1, .cap_file = "cpu_capacity",
	.describe = single_describe,
};

static void test_single_cpu(void **state)
{
	struct faketree ft;
	struct scx_topology *t = build_and_open(&ft, &single_spec);
	const struct scx_topo_cpu c_copy = topo_cpu(t, 0), *c = &c_copy;
	struct scx_topo_cpu out = { .sz = sizeof(out) };
	int cpus[1];

	assert_int_equal(scx_topology__nr_cpus(t), 1);
	assert_int_equal(scx_topology__nr_online(t), 1);
	assert_int_equal(scx_topology__nr_cores(t), 1);
	assert_int_equal(scx_topology__nr_llcs(t), 1);
	assert_int_equal(scx_topology__nr_nodes(t), 1);
	assert_int_equal(scx_topology__nr_packages(t), 1);
	assert_int_equal(c->package, 0);
	assert_int_equal(c->phys_package_id, -1);
	assert_int_equal(c->die_id, -1);
	assert_int_equal(c->llc, 0);
	assert_true(c->big);
	assert_int_equal(scx_topology__cpu(t, 1, &out), -ERANGE);
	assert_int_equal(errno, ERANGE);
	assert_int_equal(scx_topology__domain_cpus(t, SCX_TOPO_LLC, 0, cpus, 1), 1);
	assert_int_equal(scx_topology__domain_cpus(t, SCX_TOPO_LLC, 1, cpus, 1), -ERANGE);
	assert_int_equal(scx_topology__domain_cpus(t, SCX_TOPO_NR_LEVELS, 0, cpus, 1), -EINVAL);
	scx_topology__free(t);
	ft_cleanup(&ft);
}

/* Holes in the CPU ids: 2-3 are not possible, 6 is offline. */
static const struct ft_spec holes_spec = {
	.nr_cpus = 8, .possible = "0-1,4-7", .online = "0-1,4-5,7",
	.describe = vm_describe,
};

static void test_cpu_id_holes(void **state)
{
	struct faketree ft;
	struct scx_topology *t = build_and_open(&ft, &holes_spec);

	assert_int_equal(scx_topology__nr_cpus(t), 6);
	assert_int_equal(scx_topology__nr_cpu_ids(t), 8);
	assert_int_equal(scx_topology__nr_online(t), 5);
	assert_false(topo_cpu(t, 2).possible);
	assert_false(topo_cpu(t, 2).online);
	assert_true(topo_cpu(t, 6).possible);
	assert_false(topo_cpu(t, 6).online);
	check_all_levels(t, &holes_spec, false);
	scx_topology__free(t);
	ft_cleanup(&ft);
}

/* ---- 6: 4096 CPUs: 4 sockets x 512 cores x SMT2, 2 nodes per socket ----- */
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
	c->cap = 1024;
}

static const struct ft_spec big_spec = {
	.nr_cpus = 4096, .online = "0-4000,4002-4095", .numa = true, .nr_nodes = 8,
	.cap_file = "cpu_capacity", .describe = big_describe,
};

static void test_4096_cpus(void **state)
{
	struct faketree ft;
	struct scx_topology *t = build_and_open(&ft, &big_spec);

	assert_int_equal(scx_topology__nr_cpus(t), 4096);
	assert_int_equal(scx_topology__nr_online(t), 4095);
	assert_int_equal(scx_topology__nr_cores(t), 2048);
	assert_int_equal(scx_topology__nr_llcs(t), 32);
	assert_int_equal(scx_topology__nr_nodes(t), 8);
	assert_int_equal(scx_topology__nr_packages(t), 4);
	assert_int_equal(scx_topology__node_distance(t, 0, 7), 27);
	check_all_levels(t, &big_spec, true);
	assert_int_equal(topo_cpu(t, 4095).package, 3);
	assert_false(topo_cpu(t, 4001).online);
	scx_topology__free(t);
	ft_cleanup(&ft);
}

/* ---- malformed files --------------------------------------------------- */
struct bad_case {
	const char *file;	/* relative to the root */
	const char *content;	/* NULL: remove the file */
	int err;
	const char *warning;	/* substring the warning must contain */
};

static const struct bad_case bad_cases[] = {
	{ "devices/system/cpu/possible", "", -EINVAL, "cpu/possible" },
	{ "devices/system/cpu/possible", "\n", -EINVAL, "cpu/possible" },
	{ "devices/system/cpu/possible", "zero-three\n", -EINVAL, "cpu/possible" },
	{ "devices/system/cpu/possible", "3-0\n", -EINVAL, "cpu/possible" },
	{ "devices/system/cpu/possible", "0-4096\n", -EINVAL, "cpu/possible" },
	{ "devices/system/cpu/possible", "0-3,99999999999999999999\n", -EINVAL, "cpu/possible" },
	{ "devices/system/cpu/possible", "0-3,\n", -EINVAL, "cpu/possible" },
	{ "devices/system/cpu/possible", "-1\n", -EINVAL, "cpu/possible" },
	{ "devices/system/cpu/possible", NULL, -ENOENT, "cpu/possible" },
	{ "devices/system/cpu/online", NULL, -ENOENT, "cpu/online" },
	{ "devices/system/cpu/online", "", -EINVAL, "cpu/online" },
	{ "devices/system/cpu/online", "0-5\n", -EINVAL, "cpu/online" },
	{ "devices/system/cpu/online", "0,,1\n", -EINVAL, "cpu/online" },
	{ "devices/system/cpu/cpu2/topology/physical_package_id", "", -EINVAL, "physical_package_id" },
	{ "devices/system/cpu/cpu2/topology/physical_package_id", "x1\n", -EINVAL, "physical_package_id" },
	{ "devices/system/cpu/cpu2/topology/physical_package_id", "99999999999\n", -EINVAL, "physical_package_id" },
	{ "devices/system/cpu/cpu2/topology/core_id", "1 2\n", -EINVAL, "core_id" },
	{ "devices/system/cpu/cpu2/topology/core_cpus_list", "", -EINVAL, "cpu2/topology/core_cpus_list" },
	{ "devices/system/cpu/cpu2/topology/core_cpus_list", "3\n", -EINVAL, "cpu2/topology/core_cpus_list" },
	{ "devices/system/cpu/cpu2/topology/core_cpus_list", "2-1\n", -EINVAL, "cpu2/topology/core_cpus_list" },
	{ "devices/system/cpu/cpu2/topology/core_cpus_list", "2,5000\n", -EINVAL, "cpu2/topology/core_cpus_list" },
	/* cpu0 claims cpu2 as its sibling, cpu2 and cpu3 disagree */
	{ "devices/system/cpu/cpu0/topology/core_cpus_list", "0-2\n", -EINVAL, "cpu3/topology/core_cpus_list" },
	{ "devices/system/cpu/cpu0/cache/index3/shared_cpu_list", "garbage\n", -EINVAL, "index3/shared_cpu_list" },
	{ "devices/system/cpu/cpu0/cache/index3/level", "three\n", -EINVAL, "index3/level" },
	{ "devices/system/cpu/cpu0/cache/index3/level", "300\n", -EINVAL, "index3/level" },
	{ "devices/system/cpu/cpu0/cache/index3/type", "Sideways\n", -EINVAL, "index3/type" },
	{ "devices/system/node/online", "", -EINVAL, "node/online" },
	{ "devices/system/node/online", "0-2000\n", -EINVAL, "node/online" },
	{ "devices/system/node/node0/cpulist", "0-3,1\n", -EINVAL, "node" },
	{ "devices/system/node/node1/cpulist", "0\n", -EINVAL, "node1/cpulist" },
	{ "devices/system/node/node0/distance", "10\n", -EINVAL, "node0/distance" },
	{ "devices/system/node/node0/distance", "10 21 30\n", -EINVAL, "node0/distance" },
	{ "devices/system/node/node0/distance", "10 x\n", -EINVAL, "node0/distance" },
	{ "devices/system/cpu/cpu2/cpufreq/cpuinfo_max_freq", "fast\n", -EINVAL, "cpuinfo_max_freq" },
	{ "devices/system/cpu/cpu2/cpufreq/cpuinfo_max_freq", "-5\n", -EINVAL, "cpuinfo_max_freq" },
};

/* 4 CPUs, 2 packages and nodes, SMT pairs (0,1) (2,3), caches. */
static void small_describe(int cpu, struct ft_cpu *c, const void *arg)
{
	c->package = cpu / 2;
	c->die = 0;
	c->core = cpu / 2;
	c->core_id = 0;
	c->l2 = cpu / 2;
	c->l3 = cpu / 2;
	c->node = cpu / 2;
	c->cap = 2000000;
}

static const struct ft_spec small_spec = {
	.nr_cpus = 4, .numa = true, .nr_nodes = 2, .cap_file = "cpufreq/cpuinfo_max_freq",
	.describe = small_describe,
};

static void test_malformed(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *bc = &bad_cases[i];
		struct scx_topology *t;
		struct faketree ft;

		assert_int_equal(ft_init(&ft), 0);
		assert_int_equal(ft_build(&ft, &small_spec), 0);
		t = open_tree(&ft);
		assert_non_null(t);	/* the base tree is fine */
		scx_topology__free(t);
		if (bc->content)
			assert_int_equal(ft_write(&ft, bc->file, "%s", bc->content), 0);
		else
			assert_int_equal(ft_remove(&ft, bc->file), 0);
		t = open_tree(&ft);
		if (t || errno != -bc->err || (bc->warning && !strstr(last_warning, bc->warning)))
			print_error("case %zu: %s = \"%s\": got %s, errno %d, warning \"%s\"\n", i,
				    bc->file, bc->content ? bc->content : "(removed)",
				    t ? "a model" : "NULL", errno, last_warning);
		assert_null(t);
		assert_int_equal(errno, -bc->err);
		if (bc->warning)
			assert_non_null(strstr(last_warning, bc->warning));
		ft_cleanup(&ft);
	}
}

static void test_malformed_huge_and_nul(void **state)
{
	struct faketree ft;
	size_t n = 100 * 1024, len = 0;
	char *huge = malloc(n);

	assert_non_null(huge);
	/* A list far longer than any real one. */
	while (len + 8 < n)
		len += snprintf(huge + len, n - len, "%s", len ? ",1" : "1");
	assert_int_equal(ft_init(&ft), 0);
	assert_int_equal(ft_build(&ft, &small_spec), 0);
	assert_int_equal(ft_write_raw(&ft, "devices/system/cpu/cpu0/topology/core_cpus_list", huge, len), 0);
	assert_null(open_tree(&ft));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(last_warning, "cpu0/topology/core_cpus_list"));

	assert_int_equal(ft_build(&ft, &small_spec), 0);
	assert_int_equal(ft_write_raw(&ft, "devices/system/cpu/online", "0-1\0garbage", 11), 0);
	assert_null(open_tree(&ft));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(last_warning, "cpu/online"));
	ft_cleanup(&ft);
	free(huge);
}

/* ---- CPU hotplug while the tree is read ---------------------------------- */
static struct faketree *hook_tree;
static int hook_passes;

/* What the kernel leaves of cpu3 of small_spec when it goes offline: no
 * topology, cache or cpufreq files, cpu2 alone in its core and caches, and
 * cpu/online (and node1/cpulist) without it. */
static void take_cpu3_offline(const struct ft_spec *spec)
{
	struct ft_spec s = *spec;

	s.online = "0-2";
	assert_int_equal(ft_build(hook_tree, &s), 0);
	assert_int_equal(ft_remove(hook_tree, "devices/system/cpu/cpu3/topology"), 0);
	assert_int_equal(ft_remove(hook_tree, "devices/system/cpu/cpu3/cache"), 0);
	assert_int_equal(ft_remove(hook_tree, "devices/system/cpu/cpu3/cpufreq"), 0);
}

static const struct ft_spec small_flat_spec = {
	.nr_cpus = 4, .cap_file = "cpufreq/cpuinfo_max_freq", .describe = small_describe,
};

static const struct ft_spec *hook_spec;

static void offline_on_pass0(const char *root, int pass)
{
	hook_passes++;
	if (pass == 0)
		take_cpu3_offline(hook_spec);
}

static struct scx_topology *open_with_hook(struct faketree *ft, const struct ft_spec *spec,
					   void (*hook)(const char *, int))
{
	struct scx_topology *t;

	assert_int_equal(ft_init(ft), 0);
	assert_int_equal(ft_build(ft, spec), 0);
	hook_tree = ft;
	hook_passes = 0;
	scx__topo_read_test_hook = hook;
	t = open_tree(ft);
	scx__topo_read_test_hook = NULL;
	return t;
}

/* The model of small_spec with cpu3 offline: nothing about cpu3 invented. */
static void check_cpu3_offline(struct scx_topology *t)
{
	const struct scx_topo_cpu c_copy = topo_cpu(t, 3), *c = &c_copy;

	assert_int_equal(scx_topology__nr_online(t), 3);
	assert_false(c->online);
	assert_int_equal(c->core, -1);
	assert_int_equal(c->llc, -1);
	assert_int_equal(c->package, -1);
	assert_int_equal(scx_topology__nr_cores(t), 2);
	assert_int_equal(scx_topology__nr_llcs(t), 2);
	assert_int_equal(scx_topology__nr_packages(t), 2);
}

/* Open spec's tree while cpu3 goes offline right after the reader read
 * cpu/online: the model must be the one without cpu3, after one more pass. */
static void offline_mid_read(const struct ft_spec *spec)
{
	struct faketree ft;
	struct scx_topology *t;

	hook_spec = spec;
	t = open_with_hook(&ft, spec, offline_on_pass0);
	if (!t)
		print_error("open failed: %s (%s)\n", strerror(errno), last_warning);
	assert_non_null(t);
	check_cpu3_offline(t);
	assert_int_equal(hook_passes, 2);
	assert_int_equal(scx_topology__nr_nodes(t), spec->numa ? 2 : 1);
	scx_topology__free(t);
	ft_cleanup(&ft);
}

/* The reader finds an online CPU without topology files. It must notice that
 * cpu/online changed and read again, not make cpu3 a core, an LLC and a
 * package of its own. */
static void test_hotplug_during_read(void **state)
{
	offline_mid_read(&small_flat_spec);
}

/* With NUMA the half-read tree is inconsistent (cpu3 is online but in no
 * node's cpulist). That is hotplug, not a broken sysfs: read again. */
static void test_hotplug_error_is_retried(void **state)
{
	offline_mid_read(&small_spec);
}

/* cpu3 goes offline and comes back while the reader reads its files: cpu/online
 * is the same before and after, but hotplug_seq counts the two events. */
static void flap_cpu3_on_pass0(const char *root, int pass)
{
	hook_passes++;
	if (pass == 0) {
		take_cpu3_offline(&small_flat_spec);
		assert_int_equal(ft_write(hook_tree, "devices/system/cpu/online", "0-3\n"), 0);
		assert_int_equal(ft_write(hook_tree, "kernel/sched_ext/hotplug_seq", "9\n"), 0);
	} else {
		/* back online: its files are there again */
		assert_int_equal(ft_build(hook_tree, &small_flat_spec), 0);
	}
}

static void test_hotplug_flap_during_read(void **state)
{
	struct faketree ft;
	struct scx_topology *t;

	assert_int_equal(ft_init(&ft), 0);
	assert_int_equal(ft_build(&ft, &small_flat_spec), 0);
	assert_int_equal(ft_write(&ft, "kernel/sched_ext/hotplug_seq", "7\n"), 0);
	hook_tree = &ft;
	hook_passes = 0;
	scx__topo_read_test_hook = flap_cpu3_on_pass0;
	t = open_tree(&ft);
	scx__topo_read_test_hook = NULL;
	if (!t)
		print_error("open failed: %s (%s)\n", strerror(errno), last_warning);
	assert_non_null(t);
	assert_int_equal(scx_topology__nr_online(t), 4);
	assert_int_equal(scx_topology__nr_cores(t), 2);
	assert_int_equal(scx_topology__nr_packages(t), 2);
	assert_int_equal(topo_cpu(t, 3).core, topo_cpu(t, 2).core);
	assert_int_equal(topo_cpu(t, 3).smt_idx, 1);
	assert_int_equal(hook_passes, 2);
	scx_topology__free(t);
	ft_cleanup(&ft);
}

/* cpu3 goes off- and online on every pass: a bounded number of tries, then
 * -EAGAIN with a warning saying why; a refresh keeps the previous model. */
static void toggle_cpu3(const char *root, int pass)
{
	hook_passes++;
	if (pass % 2 == 0)
		take_cpu3_offline(&small_flat_spec);
	else
		assert_int_equal(ft_build(hook_tree, &small_flat_spec), 0);
}

static void test_hotplug_never_settles(void **state)
{
	struct faketree ft;
	struct scx_topology *t = open_with_hook(&ft, &small_flat_spec, toggle_cpu3);

	assert_null(t);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(hook_passes, SCX_TOPO_READ_TRIES);
	assert_non_null(strstr(last_warning, "cpu/online"));
	assert_non_null(strstr(last_warning, "hotplug"));

	assert_int_equal(ft_build(&ft, &small_flat_spec), 0);
	t = open_tree(&ft);
	assert_non_null(t);
	scx__topo_read_test_hook = toggle_cpu3;
	assert_int_equal(scx_topology__refresh(t), -EAGAIN);
	scx__topo_read_test_hook = NULL;
	assert_int_equal(scx_topology__nr_online(t), 4);
	scx_topology__free(t);
	ft_cleanup(&ft);
}

/* ---- copying a CPU out: the struct may grow ------------------------------ */
static void test_cpu_copy_out(void **state)
{
	struct faketree ft;
	struct scx_topology *t = build_and_open(&ft, &small_spec);
	/* A caller built against a newer header: members this library does not
	 * know come after the struct; canary lies beyond the caller's sz. */
	struct {
		struct scx_topo_cpu c;
		unsigned char newer[40];
		unsigned char canary[8];
	} big;
	struct scx_topo_cpu c = { .sz = sizeof(c) };
	size_t i;

	assert_int_equal(scx_topology__cpu(t, 1, &c), (int)sizeof(c));
	assert_int_equal(c.sz, sizeof(c));
	assert_int_equal(c.id, 1);
	assert_int_equal(c.core, 0);
	assert_int_equal(c.smt_idx, 1);
	assert_int_equal(c.numa_node, 0);

	memset(&big, 0xa5, sizeof(big));
	big.c.sz = offsetof(__typeof__(big), canary);
	assert_int_equal(scx_topology__cpu(t, 2, &big.c), (int)sizeof(struct scx_topo_cpu));
	assert_int_equal(big.c.sz, offsetof(__typeof__(big), canary));
	assert_int_equal(big.c.id, 2);
	assert_int_equal(big.c.package, 1);
	for (i = 0; i < sizeof(big.newer); i++)
		assert_int_equal(big.newer[i], 0);	/* not cpu3's data */
	for (i = 0; i < sizeof(big.canary); i++)
		assert_int_equal(big.canary[i], 0xa5);

	/* sz not set, or smaller than any version of the struct */
	c.sz = 0;
	assert_int_equal(scx_topology__cpu(t, 0, &c), -EINVAL);
	c.sz = offsetof(struct scx_topo_cpu, numa_node);
	assert_int_equal(scx_topology__cpu(t, 0, &c), -EINVAL);
	c.sz = sizeof(c);
	assert_int_equal(scx_topology__cpu(t, -1, &c), -ERANGE);
	assert_int_equal(scx_topology__cpu(t, 4, &c), -ERANGE);
	assert_int_equal(scx_topology__cpu(t, 0, NULL), -EINVAL);
	assert_int_equal(scx_topology__cpu(NULL, 0, &c), -EINVAL);
	assert_int_equal(errno, EINVAL);
	scx_topology__free(t);
	ft_cleanup(&ft);
}

static void test_bad_opts(void **state)
{
	struct { struct scx_topology_opts o; long extra; } big = { { .sz = sizeof(big) }, 1 };

	assert_null(scx_topology__open(&big.o));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(scx_topology__nr_cpus(NULL), -EINVAL);
	assert_int_equal(scx_topology__refresh(NULL), -EINVAL);
	scx_topology__free(NULL);
	assert_string_equal(scx_topo_level__str(SCX_TOPO_LLC), "llc");
	assert_null(scx_topo_level__str(SCX_TOPO_NR_LEVELS));
}

/* ---- the CPU-list parser ------------------------------------------------ */
static void test_cpulist(void **state)
{
	unsigned long long m[SCX_TOPO_MASK_WORDS];
	char buf[64];

	assert_int_equal(scx_cpulist_parse("", m, 4096), 0);
	assert_int_equal(scx_cpulist_parse("\n", m, 4096), 0);
	assert_int_equal(scx_cpulist_parse("0", m, 4096), 1);
	assert_true(m[0] == 1);
	assert_int_equal(scx_cpulist_parse("0-3,8,10-11\n", m, 4096), 7);
	assert_true(m[0] == 0xd0f);
	assert_int_equal(scx_cpulist_parse("8,0", m, 4096), 2);
	assert_int_equal(scx_cpulist_parse("0-15:2/4", m, 4096), 8);
	assert_true(m[0] == 0x3333);
	assert_int_equal(scx_cpulist_parse("4095", m, 4096), 1);
	assert_true(m[63] == 1ULL << 63);
	assert_int_equal(scx_cpulist_parse("0-4095", m, 4096), 4096);
	assert_int_equal(scx_cpulist_parse("63", m, 64), 1);
	assert_int_equal(scx_cpulist_parse("64", m, 64), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(scx_cpulist_parse("4096", m, 4096), -EINVAL);
	assert_int_equal(scx_cpulist_parse("3-1", m, 4096), -EINVAL);
	assert_int_equal(scx_cpulist_parse("1-", m, 4096), -EINVAL);
	assert_int_equal(scx_cpulist_parse(",1", m, 4096), -EINVAL);
	assert_int_equal(scx_cpulist_parse("1 2", m, 4096), -EINVAL);
	assert_int_equal(scx_cpulist_parse("1\n\n", m, 4096), -EINVAL);
	assert_int_equal(scx_cpulist_parse("+1", m, 4096), -EINVAL);
	assert_int_equal(scx_cpulist_parse("0-7:0/4", m, 4096), -EINVAL);
	assert_int_equal(scx_cpulist_parse("0-7:5/4", m, 4096), -EINVAL);
	assert_int_equal(scx_cpulist_parse("0-7:1", m, 4096), -EINVAL);
	assert_int_equal(scx_cpulist_parse("1", m, 100), -EINVAL);	/* not a multiple of 64 */
	assert_int_equal(scx_cpulist_parse(NULL, m, 4096), -EINVAL);

	assert_int_equal(scx_cpulist_parse("0-3,8,10-11,4095", m, 4096), 8);
	assert_int_equal(scx_cpulist_format(buf, sizeof(buf), m, 4096), 16);
	assert_string_equal(buf, "0-3,8,10-11,4095");
	assert_int_equal(scx_cpulist_format(buf, 5, m, 4096), 16);
	assert_string_equal(buf, "0-3");
	assert_int_equal(scx_cpulist_parse("", m, 4096), 0);
	assert_int_equal(scx_cpulist_format(buf, sizeof(buf), m, 4096), 0);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpulist),
		cmocka_unit_test(test_bad_opts),
		cmocka_unit_test(test_server),
		cmocka_unit_test(test_refresh_after_hotplug),
		cmocka_unit_test(test_chiplet),
		cmocka_unit_test(test_hybrid),
		cmocka_unit_test(test_capacity_priority),
		cmocka_unit_test(test_vm_no_cache),
		cmocka_unit_test(test_l2_is_llc),
		cmocka_unit_test(test_single_cpu),
		cmocka_unit_test(test_cpu_id_holes),
		cmocka_unit_test(test_4096_cpus),
		cmocka_unit_test(test_hotplug_during_read),
		cmocka_unit_test(test_hotplug_error_is_retried),
		cmocka_unit_test(test_hotplug_flap_during_read),
		cmocka_unit_test(test_hotplug_never_settles),
		cmocka_unit_test(test_cpu_copy_out),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_malformed_huge_and_nul),
	};

	scx_set_print(capture_print);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
