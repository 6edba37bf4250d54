// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libFuzzer target for the topology parsers. The first input byte picks what
 * the rest is fed to:
 *   0: scx_cpulist_parse() (then format the result and parse it back: the
 *      round trip must give the same set)
 *   1: the integer and distance-list parsers behind sysfs number files
 *   2: a small fake sysfs tree where the rest replaces one file (chosen by the
 *      second byte), read through scx_topology__open(): any content must give
 *      a model or -EINVAL/-ENOENT, never a crash or a leak.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scx/topology.h>

#include "faketree.h"
#include "sysfs.h"

static int silent(enum scx_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static void fuzz_cpulist(const char *s)
{
	static unsigned long long a[SCX_TOPO_MASK_WORDS], b[SCX_TOPO_MASK_WORDS];
	static char buf[32768];
	int n, m, len;

	n = scx_cpulist_parse(s, a, SCX_TOPO_MAX_CPUS);
	if (n < 0) {
		if (n != -EINVAL)
			abort();
		return;
	}
	len = scx_cpulist_format(buf, sizeof(buf), a, SCX_TOPO_MAX_CPUS);
	if (len < 0 || (size_t)len >= sizeof(buf))
		abort();
	m = scx_cpulist_parse(buf, b, SCX_TOPO_MAX_CPUS);
	if (m != n || memcmp(a, b, sizeof(a)))
		abort();
	/* A smaller mask must never be written past its end. */
	{
		unsigned long long *small = malloc(sizeof(unsigned long long));

		scx_cpulist_parse(s, small, 64);
		free(small);
	}
}

static void fuzz_numbers(const char *s)
{
	unsigned int vals[8];
	int v, n;

	scx__parse_int(s, &v);
	n = scx__parse_uint_list(s, vals, 8);
	if (n > 8)
		abort();
}

static const char *const tree_files[] = {
	"devices/system/cpu/possible",
	"devices/system/cpu/online",
	"devices/system/cpu/cpu0/topology/core_cpus_list",
	"devices/system/cpu/cpu2/topology/core_cpus_list",
	"devices/system/cpu/cpu2/topology/physical_package_id",
	"devices/system/cpu/cpu0/cache/index3/shared_cpu_list",
	"devices/system/cpu/cpu0/cache/index3/level",
	"devices/system/cpu/cpu0/cache/index2/type",
	"devices/system/node/online",
	"devices/system/node/node0/cpulist",
	"devices/system/node/node1/distance",
	"devices/system/cpu/cpu2/cpu_capacity",
};

static void small_describe(int cpu, struct ft_cpu *c, const void *arg)
{
	c->package = cpu / 2;
	c->die = 0;
	c->core = cpu / 2;
	c->core_id = 0;
	c->l2 = cpu / 2;
	c->l3 = cpu / 2;
	c->node = cpu / 2;
	c->cap = 512 + cpu;
}

static struct faketree tree;

static void cleanup_tree(void)
{
	ft_cleanup(&tree);
}

static void fuzz_tree(const uint8_t *data, size_t size)
{
	static const struct ft_spec spec = {
		.nr_cpus = 4, .numa = true, .nr_nodes = 2, .cap_file = "cpu_capacity",
		.describe = small_describe,
	};
	SCX_OPTS(scx_topology_opts, opts);
	struct scx_topology *t;
	const char *file;

	static char saved[sizeof(tree_files) / sizeof(tree_files[0])][256];
	size_t which;
	char path[PATH_MAX];
	FILE *f;

	/* Build the tree once and remember each fuzzed file, so that an input
	 * costs one write and one restore rather than a whole tree. */
	if (!tree.root[0]) {
		if (ft_init(&tree) || ft_build(&tree, &spec))
			abort();
		atexit(cleanup_tree);
		for (which = 0; which < sizeof(tree_files) / sizeof(tree_files[0]); which++) {
			snprintf(path, sizeof(path), "%s/%s", tree.root, tree_files[which]);
			f = fopen(path, "r");
			if (!f || !fgets(saved[which], sizeof(saved[which]), f))
				abort();
			fclose(f);
		}
	}
	if (size < 1)
		return;
	which = data[0] % (sizeof(tree_files) / sizeof(tree_files[0]));
	file = tree_files[which];
	if (ft_write_raw(&tree, file, data + 1, size - 1))
		abort();
	opts.sysfs_root = tree.root;
	t = scx_topology__open(&opts);
	if (ft_write(&tree, file, "%s", saved[which]))
		abort();
	if (!t) {
		if (errno != EINVAL && errno != ENOENT)
			abort();
		return;
	}
	/* Whatever was accepted must be self-consistent. */
	if (scx_topology__nr_online(t) < 1 ||
	    scx_topology__nr_cpus(t) > scx_topology__nr_cpu_ids(t) ||
	    scx_topology__refresh(t) || scx_topology__nr_online(t) != 4)
		abort();
	scx_topology__free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	scx_set_print(silent);
	if (size < 1)
		return 0;
	if (data[0] % 3 == 2) {
		fuzz_tree(data + 1, size - 1);
		return 0;
	}
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	if (data[0] % 3 == 0)
		fuzz_cpulist(s);
	else
		fuzz_numbers(s);
	free(s);
	return 0;
}
