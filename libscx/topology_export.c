// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Writing the topology model into the maps of bpf-headers/scx/topology.bpf.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <scx/topology.h>

#include "internal.h"

#define SCX_MAX_U(a, b) ((a) > (b) ? (a) : (b))

static const char *const mask_maps[SCX_TOPO_NR_LEVELS] = {
	[SCX_TOPO_CORE] = "scx_topo_core_masks",
	[SCX_TOPO_LLC] = "scx_topo_llc_masks",
	[SCX_TOPO_NODE] = "scx_topo_node_masks",
	[SCX_TOPO_PACKAGE] = "scx_topo_pkg_masks",
};

/* The fd of a map of the object, after checking that it is the array this
 * library's layout expects and has at least `need` entries. */
static int topo_map_fd(struct bpf_object *obj, const char *name, size_t value_size,
		       unsigned int need, unsigned int *max_entries)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
	int fd;

	if (!map) {
		pr_warn("topology: export: no map %s in the object (include scx/topology.bpf.h)\n",
			name);
		return -ENOENT;
	}
	fd = bpf_map__fd(map);
	if (fd < 0) {
		pr_warn("topology: export: map %s has no fd; export after the object is loaded\n",
			name);
		return -EINVAL;
	}
	if (bpf_map__type(map) != BPF_MAP_TYPE_ARRAY || bpf_map__key_size(map) != 4 ||
	    bpf_map__value_size(map) != value_size) {
		pr_warn("topology: export: map %s: value size %u, expected %zu (topology_layout.h mismatch)\n",
			name, bpf_map__value_size(map), value_size);
		return -EINVAL;
	}
	*max_entries = bpf_map__max_entries(map);
	if (*max_entries < need) {
		pr_warn("topology: export: map %s has %u entries, this machine needs %u\n",
			name, *max_entries, need);
		return -E2BIG;
	}
	return fd;
}

static int update(int fd, const char *name, unsigned int key, const void *val)
{
	int err = bpf_map_update_elem(fd, &key, val, BPF_ANY);

	if (err) {
		err = -errno;
		pr_warn("topology: export: update %s[%u]: %s\n", name, key, strerror(-err));
	}
	return err;
}

SCX_API int scx_topology__export(const struct scx_topology *t, struct bpf_object *obj)
{
	int cpu_fd, info_fd, mask_fd[SCX_TOPO_NR_LEVELS], level, err, cpu;
	unsigned int max[SCX_TOPO_NR_LEVELS], prev[SCX_TOPO_NR_LEVELS], cpu_max, info_max, id;
	unsigned int nr_cpus;
	struct scx_topo_info info = {}, old = {};
	struct scx_topo_mask *mask;
	unsigned int zero = 0;

	if (!t || !obj)
		return scx_err(-EINVAL);

	/* Check every map before writing any, so a mismatch changes nothing. */
	info_fd = topo_map_fd(obj, "scx_topo_info", sizeof(struct scx_topo_info), 1, &info_max);
	if (info_fd < 0)
		return scx_err(info_fd);
	cpu_fd = topo_map_fd(obj, "scx_topo_cpus", sizeof(struct scx_topo_cpu_rec),
			     scx_topology__nr_cpu_ids(t), &cpu_max);
	if (cpu_fd < 0)
		return scx_err(cpu_fd);
	for (level = 0; level < SCX_TOPO_NR_LEVELS; level++) {
		mask_fd[level] = topo_map_fd(obj, mask_maps[level], sizeof(struct scx_topo_mask),
					     scx_topology__nr_domains(t, level), &max[level]);
		if (mask_fd[level] < 0)
			return scx_err(mask_fd[level]);
	}

	/* What a previous export wrote (all zero on a fresh object): entries it
	 * filled that this model lacks must be cleared, and no more. */
	if (bpf_map_lookup_elem(info_fd, &zero, &old) || old.layout_version != SCX_TOPO_LAYOUT_VERSION)
		memset(&old, 0, sizeof(old));
	prev[SCX_TOPO_CORE] = old.nr_cores;
	prev[SCX_TOPO_LLC] = old.nr_llcs;
	prev[SCX_TOPO_NODE] = old.nr_nodes;
	prev[SCX_TOPO_PACKAGE] = old.nr_packages;

	mask = calloc(1, sizeof(*mask));
	if (!mask)
		return scx_err(-ENOMEM);
	for (level = 0; level < SCX_TOPO_NR_LEVELS; level++) {
		unsigned int nr = scx_topology__nr_domains(t, level);

		for (id = 0; id < SCX_MAX_U(nr, prev[level]) && id < max[level]; id++) {
			if (id < nr)
				scx_topology__domain_mask(t, level, id, mask->bits, SCX_TOPO_MASK_WORDS);
			else
				memset(mask, 0, sizeof(*mask));
			err = update(mask_fd[level], mask_maps[level], id, mask);
			if (err) {
				free(mask);
				return scx_err(err);
			}
		}
	}
	free(mask);

	/* Offline CPUs, and ids beyond the model, read as unknown. */
	nr_cpus = SCX_MAX_U(old.nr_cpu_ids, (unsigned int)scx_topology__nr_cpu_ids(t));
	for (cpu = 0; (unsigned int)cpu < nr_cpus && (unsigned int)cpu < cpu_max; cpu++) {
		struct scx_topo_cpu c = { .sz = sizeof(c) };
		struct scx_topo_cpu_rec rec = {
			.core = SCX_TOPO_ID_NONE, .llc = SCX_TOPO_ID_NONE,
			.node = SCX_TOPO_ID_NONE, .package = SCX_TOPO_ID_NONE,
		};

		/* fails for ids beyond the model: c stays all zero, offline */
		scx_topology__cpu(t, cpu, &c);
		if (c.online) {
			rec.core = c.core;
			rec.llc = c.llc;
			rec.node = c.node;
			rec.package = c.package;
			rec.capacity = c.capacity;
			rec.smt_idx = c.smt_idx;
			rec.nr_siblings = scx_topology__domain_cpus(t, SCX_TOPO_CORE, c.core, NULL, 0);
		}
		if (c.possible)
			rec.flags |= SCX_TOPO_CPU_POSSIBLE;
		if (c.online)
			rec.flags |= SCX_TOPO_CPU_ONLINE;
		if (c.big)
			rec.flags |= SCX_TOPO_CPU_BIG;
		err = update(cpu_fd, "scx_topo_cpus", cpu, &rec);
		if (err)
			return scx_err(err);
	}

	info.layout_version = SCX_TOPO_LAYOUT_VERSION;
	info.nr_cpu_ids = scx_topology__nr_cpu_ids(t);
	info.nr_cpus = scx_topology__nr_cpus(t);
	info.nr_online = scx_topology__nr_online(t);
	info.nr_cores = scx_topology__nr_cores(t);
	info.nr_llcs = scx_topology__nr_llcs(t);
	info.nr_nodes = scx_topology__nr_nodes(t);
	info.nr_packages = scx_topology__nr_packages(t);
	info.max_capacity = 1024;
	info.generation = old.generation + 1;
	err = update(info_fd, "scx_topo_info", 0, &info);
	return err ? scx_err(err) : 0;
}
