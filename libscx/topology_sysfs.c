// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Reading the machine's topology from devices/system/{cpu,node} under a root
 * directory, into dense domain ids (struct scx_topo_read); the model in
 * topology.c keeps and answers queries about what this file read.
 *
 * Reading is done the way the kernel publishes it: only online CPUs have
 * topology/ and cache/ directories, and a sibling list names every CPU of a
 * domain, so the first CPU of a domain speaks for all of it and the files of
 * the others are not read again. That keeps a 4096-CPU machine to a few
 * thousand small reads, and any sibling list that disagrees with an earlier
 * one is reported as inconsistent rather than silently merged.
 *
 * CPU hotplug may run during a read: the online mask is read again at the
 * end, and a read that saw it change is thrown away and done again.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scx/topology.h>

#include "bitmap.h"
#include "clock.h"
#include "internal.h"
#include "topology_internal.h"

#define MAX_NODES	1024	/* the kernel's MAX_NUMNODES upper bound */

#define for_each_cpu(cpu, mask) scx_bitmap_for_each(cpu, mask, SCX_TOPO_MASK_WORDS)

void (*scx__topo_read_test_hook)(const char *root, int pass);

/* State of one read of sysfs. */
struct reader {
	const char *root;
	char path[PATH_MAX];
	char *buf;				/* SCX_TOPO_FILE_MAX bytes */
	unsigned long long possible[SCX_TOPO_MASK_WORDS];
	unsigned long long online[SCX_TOPO_MASK_WORDS];
	unsigned long long tmp[SCX_TOPO_MASK_WORDS];
	bool have_online;			/* this pass has read cpu/online */
	struct scx_topo_read *m;
};

static const char *cpu_path(struct reader *r, int cpu, const char *name)
{
	snprintf(r->path, sizeof(r->path), "%s/devices/system/cpu/cpu%d/%s", r->root, cpu, name);
	return r->path;
}

/* Read a file into r->buf. Returns its length, -ENOENT when it is missing
 * (the caller decides whether that is fine) or -EINVAL after a warning. */
static int read_text(struct reader *r, const char *path)
{
	int n = scx__read_file(path, r->buf, SCX_TOPO_FILE_MAX);

	if (n == -ENOENT || n >= 0)
		return n;
	if (n == -EFBIG)
		pr_warn("topology: %s: file is larger than %d bytes\n", path, SCX_TOPO_FILE_MAX);
	else if (n == -EINVAL)
		pr_warn("topology: %s: not a text file (a NUL byte, or not a regular file)\n", path);
	else
		pr_warn("topology: %s: %s\n", path, strerror(-n));
	return n == -ENOMEM ? n : -EINVAL;
}

static int read_int(struct reader *r, const char *path, int *val)
{
	int n = read_text(r, path);

	if (n < 0)
		return n;
	if (scx__parse_int(r->buf, val)) {
		pr_warn("topology: %s: expected an integer, got \"%.32s\"\n", path, r->buf);
		return -EINVAL;
	}
	return 0;
}

/* Like read_int() but for an optional file: -1 when absent. */
static int read_opt_int(struct reader *r, const char *path, int *val)
{
	int err = read_int(r, path, val);

	if (err == -ENOENT) {
		*val = -1;
		return 0;
	}
	return err;
}

static int read_mask(struct reader *r, const char *path, unsigned long long *mask)
{
	int n = read_text(r, path);

	if (n < 0)
		return n;
	n = scx_cpulist_parse(r->buf, mask, SCX_TOPO_MAX_CPUS);
	if (n < 0) {
		pr_warn("topology: %s: malformed CPU list \"%.32s%s\" (CPU ids must be below %d)\n",
			path, r->buf, strlen(r->buf) > 32 ? "..." : "", SCX_TOPO_MAX_CPUS);
		return -EINVAL;
	}
	return n;
}

/*
 * The sibling list at path into r->tmp; a missing file means a domain of cpu
 * alone (sysfs leaves out what the hardware does not describe). 0 or -errno.
 */
static int read_siblings(struct reader *r, const char *path, int cpu)
{
	int n = read_mask(r, path, r->tmp);

	if (n == -ENOENT) {
		memset(r->tmp, 0, sizeof(r->tmp));
		scx_bitmap_set(r->tmp, cpu);
		return 0;
	}
	return n < 0 ? n : 0;
}

static bool path_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* devices/system/cpu/NAME ("possible" or "online") into mask: the number
 * of CPUs in it, or -errno after a warning. An empty list is an error. */
static int read_system_cpus(struct reader *r, const char *name, unsigned long long *mask)
{
	int n;

	snprintf(r->path, sizeof(r->path), "%s/devices/system/cpu/%s", r->root, name);
	n = read_mask(r, r->path, mask);
	if (n == -ENOENT)
		pr_warn("topology: %s: missing (is sysfs mounted?)\n", r->path);
	if (n == 0) {
		pr_warn("topology: %s: no %s CPU\n", r->path, name);
		return -EINVAL;
	}
	return n;
}

static int read_cpu_masks(struct reader *r)
{
	struct scx_topo_read *m = r->m;
	int i, n;

	n = read_system_cpus(r, "possible", r->possible);
	if (n < 0)
		return n;
	m->nr_possible = n;
	for (i = SCX_TOPO_MAX_CPUS - 1; !scx_bitmap_test(r->possible, i); i--)
		;
	m->nr_cpu_ids = i + 1;

	n = read_system_cpus(r, "online", r->online);
	if (n < 0)
		return n;
	for (i = 0; i < SCX_TOPO_MASK_WORDS; i++) {
		if (r->online[i] & ~r->possible[i]) {
			pr_warn("topology: %s: online CPUs that are not possible\n", r->path);
			return -EINVAL;
		}
	}
	m->nr_online = n;
	return 0;
}

/* Raw ids of an online CPU's topology/ directory. Without one (some
 * virtual platforms) the ids stay -1: the CPU is its own core, and all such
 * CPUs share one package. Missing files are simply tried: one failed open
 * is cheaper than a stat and an open. */
static int read_cpu_ids(struct reader *r, struct scx_topo_cpu *c)
{
	int err;

	if ((err = read_opt_int(r, cpu_path(r, c->id, "topology/physical_package_id"),
				&c->phys_package_id)) ||
	    (err = read_opt_int(r, cpu_path(r, c->id, "topology/die_id"), &c->die_id)) ||
	    (err = read_opt_int(r, cpu_path(r, c->id, "topology/cluster_id"), &c->cluster_id)) ||
	    (err = read_opt_int(r, cpu_path(r, c->id, "topology/core_id"), &c->core_id)))
		return err;
	return 0;
}

/*
 * Give every online CPU in `mask` (which must contain `cpu`) the new dense id
 * `id` at one level. A CPU that already has an id was named by an earlier
 * CPU's list that did not name `cpu`: the lists disagree.
 */
static int assign_domain(struct reader *r, const char *path, int cpu, unsigned long long *mask,
			 int *(*field)(struct scx_topo_cpu *), int id)
{
	struct scx_topo_read *m = r->m;
	int w, d;

	for (w = 0; w < SCX_TOPO_MASK_WORDS; w++)
		mask[w] &= r->online[w];
	if (!scx_bitmap_test(mask, cpu)) {
		pr_warn("topology: %s: list does not contain cpu%d itself\n", path, cpu);
		return -EINVAL;
	}
	for_each_cpu(d, mask) {
		int *f = field(&m->cpus[d]);

		if (*f >= 0) {
			pr_warn("topology: %s: cpu%d is listed, but its own list does not contain cpu%d\n",
				path, d, cpu);
			return -EINVAL;
		}
		*f = id;
	}
	return 0;
}

/* A new domain at `level` from the sibling list at path (left in r->tmp). */
static int read_domain(struct reader *r, const char *path, int cpu,
		       int *(*field)(struct scx_topo_cpu *), enum scx_topo_level level)
{
	int err = read_siblings(r, path, cpu);

	if (!err)
		err = assign_domain(r, path, cpu, r->tmp, field, r->m->nr[level]);
	if (!err)
		r->m->nr[level]++;
	return err;
}

static int *core_field(struct scx_topo_cpu *c) { return &c->core; }
static int *llc_field(struct scx_topo_cpu *c) { return &c->llc; }

static int read_core(struct reader *r, struct scx_topo_cpu *c)
{
	struct scx_topo_read *m = r->m;
	const char *path;
	int n, d, idx = 0;

	/* core_cpus_list is the newer name (5.9+) of thread_siblings_list. */
	path = cpu_path(r, c->id, "topology/core_cpus_list");
	if (!path_exists(path))
		path = cpu_path(r, c->id, "topology/thread_siblings_list");
	n = read_domain(r, path, c->id, core_field, SCX_TOPO_CORE);
	if (n)
		return n;
	for_each_cpu(d, r->tmp)
		m->cpus[d].smt_idx = idx++;
	return 0;
}

/*
 * The LLC of a CPU: its highest-level unified cache (the L2 when there is no
 * L3), or its highest data cache when none is unified. Returns 1 with the
 * path of its shared_cpu_list in list_path, 0 when the CPU has no cache
 * information.
 */
static int find_llc(struct reader *r, int cpu, char *list_path, size_t size)
{
	int idx, best_rank = -1, best_idx = -1, err;
	char name[64];

	for (idx = 0; idx < 64; idx++) {
		int level, n, unified, rank;

		snprintf(name, sizeof(name), "cache/index%d", idx);
		if (!path_exists(cpu_path(r, cpu, name)))
			break;
		snprintf(name, sizeof(name), "cache/index%d/type", idx);
		n = scx__read_file(cpu_path(r, cpu, name), r->buf, SCX_TOPO_FILE_MAX);
		if (n < 0 && n != -EFBIG) {
			/* The kernel fails the read for a cache of no known
			 * type: not an error of the topology, skip it. */
			pr_debug("topology: %s: %s; cache skipped\n", r->path, strerror(-n));
			continue;
		}
		if (n < 0) {
			pr_warn("topology: %s: file is larger than %d bytes\n", r->path,
				SCX_TOPO_FILE_MAX);
			return -EINVAL;
		}
		if (!strcmp(r->buf, "Instruction"))
			continue;
		if (strcmp(r->buf, "Unified") && strcmp(r->buf, "Data")) {
			pr_warn("topology: %s: unknown cache type \"%.32s\"\n", r->path, r->buf);
			return -EINVAL;
		}
		unified = !strcmp(r->buf, "Unified");
		snprintf(name, sizeof(name), "cache/index%d/level", idx);
		err = read_int(r, cpu_path(r, cpu, name), &level);
		if (err == -ENOENT)
			continue;
		if (err)
			return err;
		if (level < 1 || level > 9) {
			pr_warn("topology: %s: cache level %d out of range\n", r->path, level);
			return -EINVAL;
		}
		rank = unified * 100 + level;
		if (rank > best_rank) {
			best_rank = rank;
			best_idx = idx;
		}
	}
	if (best_idx < 0)
		return 0;
	snprintf(name, sizeof(name), "cache/index%d/shared_cpu_list", best_idx);
	snprintf(list_path, size, "%s", cpu_path(r, cpu, name));
	return 1;
}

static int read_llc(struct reader *r, struct scx_topo_cpu *c, int *pkg_llc)
{
	struct scx_topo_read *m = r->m;
	char path[PATH_MAX];
	int n;

	n = find_llc(r, c->id, path, sizeof(path));
	if (n < 0)
		return n;
	if (n == 0) {
		/* No cache information (common in VMs): one LLC per package. */
		if (pkg_llc[c->package] < 0)
			pkg_llc[c->package] = m->nr[SCX_TOPO_LLC]++;
		c->llc = pkg_llc[c->package];
		return 0;
	}
	return read_domain(r, path, c->id, llc_field, SCX_TOPO_LLC);
}

/* Packages are few: a linear scan of the raw ids seen so far is enough. */
static int dense_package(struct scx_topo_read *m, int *pkg_raw, int raw)
{
	int p;

	for (p = 0; p < m->nr[SCX_TOPO_PACKAGE]; p++)
		if (pkg_raw[p] == raw)
			return p;
	pkg_raw[p] = raw;
	return m->nr[SCX_TOPO_PACKAGE]++;
}

static int read_nodes(struct reader *r)
{
	struct scx_topo_read *m = r->m;
	unsigned long long nodes[MAX_NODES / 64];
	int node_dense[MAX_NODES];
	unsigned int *dist = NULL;
	int raw_list[MAX_NODES];
	int n, i, d, nr_raw = 0, err = 0;

	snprintf(r->path, sizeof(r->path), "%s/devices/system/node", r->root);
	if (!path_exists(r->path)) {
		/* No NUMA support: the kernel's view is a single node 0. */
		for (d = 0; d < m->nr_cpu_ids; d++) {
			if (!m->cpus[d].online)
				continue;
			m->cpus[d].numa_node = 0;
			m->cpus[d].node = 0;
		}
		m->nr[SCX_TOPO_NODE] = 1;
		return 0;
	}

	snprintf(r->path, sizeof(r->path), "%s/devices/system/node/online", r->root);
	n = read_text(r, r->path);
	if (n == -ENOENT || (n >= 0 && scx_cpulist_parse(r->buf, nodes, MAX_NODES) <= 0)) {
		pr_warn("topology: %s: missing, empty or malformed node list\n", r->path);
		return -EINVAL;
	}
	if (n < 0)
		return n;
	for (i = 0; i < MAX_NODES; i++) {
		node_dense[i] = -1;
		if (scx_bitmap_test(nodes, i))
			raw_list[nr_raw++] = i;
	}

	for (i = 0; i < nr_raw; i++) {
		int node = raw_list[i];

		snprintf(r->path, sizeof(r->path), "%s/devices/system/node/node%d/cpulist",
			 r->root, node);
		n = read_mask(r, r->path, r->tmp);
		if (n == -ENOENT)
			continue;	/* memory-only nodes may lack it on old kernels */
		if (n < 0)
			return n;
		for (d = 0; d < m->nr_cpu_ids; d++) {
			struct scx_topo_cpu *c = &m->cpus[d];

			if (!scx_bitmap_test(r->tmp, d) || !c->online)
				continue;
			if (c->numa_node >= 0) {
				pr_warn("topology: %s: cpu%d is also in node%d\n", r->path, d,
					c->numa_node);
				return -EINVAL;
			}
			c->numa_node = node;
		}
	}
	/* Dense ids by lowest CPU, like every other level. */
	for (d = 0; d < m->nr_cpu_ids; d++) {
		struct scx_topo_cpu *c = &m->cpus[d];

		if (!c->online)
			continue;
		if (c->numa_node < 0) {
			pr_warn("topology: %s/devices/system/node: online cpu%d is in no node's cpulist\n",
				r->root, d);
			return -EINVAL;
		}
		if (node_dense[c->numa_node] < 0)
			node_dense[c->numa_node] = m->nr[SCX_TOPO_NODE]++;
		c->node = node_dense[c->numa_node];
	}

	m->distance = calloc((size_t)m->nr[SCX_TOPO_NODE] * m->nr[SCX_TOPO_NODE], sizeof(int));
	dist = calloc(nr_raw, sizeof(*dist));
	if (!m->distance || !dist) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nr_raw; i++) {
		int a = node_dense[raw_list[i]], j;

		if (a < 0)
			continue;
		snprintf(r->path, sizeof(r->path), "%s/devices/system/node/node%d/distance",
			 r->root, raw_list[i]);
		n = read_text(r, r->path);
		if (n == -ENOENT) {
			/* Unknown distances: local 10, remote 20 as the kernel's default. */
			for (j = 0; j < nr_raw; j++)
				if (node_dense[raw_list[j]] >= 0)
					m->distance[a * m->nr[SCX_TOPO_NODE] + node_dense[raw_list[j]]] =
						i == j ? 10 : 20;
			continue;
		}
		if (n < 0) {
			err = n;
			goto out;
		}
		n = scx__parse_uint_list(r->buf, dist, nr_raw);
		if (n != nr_raw) {
			pr_warn("topology: %s: expected %d distances (one per online node), got \"%.32s\"\n",
				r->path, nr_raw, r->buf);
			err = -EINVAL;
			goto out;
		}
		for (j = 0; j < nr_raw; j++)
			if (node_dense[raw_list[j]] >= 0)
				m->distance[a * m->nr[SCX_TOPO_NODE] + node_dense[raw_list[j]]] = dist[j];
	}
out:
	free(dist);
	return err;
}

/* Capacity sources, best first; the first one every online CPU has wins so
 * that CPUs are never compared across different units. */
static const char *const capacity_files[] = {
	"cpu_capacity",
	"acpi_cppc/highest_perf",
	"cpufreq/amd_pstate_prefcore_ranking",
	"cpufreq/cpuinfo_max_freq",
};

static int read_capacities(struct reader *r, const int *core_first)
{
	struct scx_topo_read *m = r->m;
	unsigned int src;
	int d, err;

	for (src = 0; src < sizeof(capacity_files) / sizeof(capacity_files[0]); src++) {
		unsigned long long max = 0;
		bool complete = true;

		for (d = 0; d < m->nr_cpu_ids && complete; d++) {
			struct scx_topo_cpu *c = &m->cpus[d];
			int val;

			/* SMT siblings share their core's capacity: read the
			 * first CPU of each core only. */
			if (!c->online || c->smt_idx > 0)
				continue;
			err = read_int(r, cpu_path(r, d, capacity_files[src]), &val);
			if (err == -ENOENT) {
				complete = false;
				break;
			}
			if (err)
				return err;
			if (val < 0) {
				pr_warn("topology: %s: negative capacity\n", r->path);
				return -EINVAL;
			}
			c->capacity = val;	/* raw for now */
			if ((unsigned long long)val > max)
				max = val;
		}
		if (!complete || !max)
			continue;
		for (d = 0; d < m->nr_cpu_ids; d++) {
			struct scx_topo_cpu *c = &m->cpus[d];

			if (!c->online)
				continue;
			if (c->smt_idx > 0) {
				/* the core's first CPU has a lower id: already scaled */
				c->capacity = m->cpus[core_first[c->core]].capacity;
				c->big = m->cpus[core_first[c->core]].big;
				continue;
			}
			c->capacity = c->capacity * 1024ULL / max;
			if (!c->capacity)
				c->capacity = 1;
			c->big = c->capacity * 4 >= 1024 * 3;
		}
		pr_debug("topology: capacities from %s\n", capacity_files[src]);
		return 0;
	}
	for (d = 0; d < m->nr_cpu_ids; d++) {
		if (m->cpus[d].online) {
			m->cpus[d].capacity = 1024;
			m->cpus[d].big = true;
		}
	}
	return 0;
}


void scx__topo_read_free(struct scx_topo_read *m)
{
	free(m->cpus);
	free(m->distance);
	memset(m, 0, sizeof(*m));
}

/* One pass over the tree into r->m, which is freed again on failure. */
static int read_pass(struct reader *r, int pass)
{
	struct scx_topo_read *m = r->m;
	int *pkg_llc = NULL, *pkg_raw = NULL;
	int d, err;

	memset(m, 0, sizeof(*m));
	r->have_online = false;
	err = read_cpu_masks(r);
	if (err)
		return err;
	r->have_online = true;
	if (scx__topo_read_test_hook)
		scx__topo_read_test_hook(r->root, pass);

	m->cpus = calloc(m->nr_cpu_ids, sizeof(*m->cpus));
	pkg_llc = malloc(m->nr_cpu_ids * sizeof(*pkg_llc));
	pkg_raw = malloc(m->nr_cpu_ids * sizeof(*pkg_raw));
	if (!m->cpus || !pkg_llc || !pkg_raw) {
		err = -ENOMEM;
		goto out;
	}
	for (d = 0; d < m->nr_cpu_ids; d++) {
		struct scx_topo_cpu *c = &m->cpus[d];

		c->sz = sizeof(*c);
		c->id = d;
		c->possible = scx_bitmap_test(r->possible, d);
		c->online = scx_bitmap_test(r->online, d);
		c->core = c->llc = c->node = c->package = c->smt_idx = -1;
		c->phys_package_id = c->die_id = c->cluster_id = c->core_id = c->numa_node = -1;
		pkg_llc[d] = -1;
	}

	/* Cores and packages first: the LLC fallback hangs off packages. SMT
	 * siblings share every raw id, so only a core's first CPU is read. */
	for (d = 0; d < m->nr_cpu_ids; d++) {
		struct scx_topo_cpu *c = &m->cpus[d];
		int s;

		if (!c->online)
			continue;
		if (c->core < 0) {
			if ((err = read_core(r, c)) || (err = read_cpu_ids(r, c)))
				goto out;
			for_each_cpu(s, r->tmp) {
				m->cpus[s].phys_package_id = c->phys_package_id;
				m->cpus[s].die_id = c->die_id;
				m->cpus[s].cluster_id = c->cluster_id;
				m->cpus[s].core_id = c->core_id;
			}
		}
		c->package = dense_package(m, pkg_raw, c->phys_package_id);
	}
	for (d = 0; d < m->nr_cpu_ids; d++) {
		struct scx_topo_cpu *c = &m->cpus[d];

		if (c->online && c->llc < 0 && (err = read_llc(r, c, pkg_llc)))
			goto out;
	}
	err = read_nodes(r);
	if (err)
		goto out;
	/* pkg_raw is free again: reuse it as core -> its first CPU. */
	for (d = m->nr_cpu_ids - 1; d >= 0; d--)
		if (m->cpus[d].online)
			pkg_raw[m->cpus[d].core] = d;
	err = read_capacities(r, pkg_raw);
out:
	if (err)
		scx__topo_read_free(m);
	free(pkg_llc);
	free(pkg_raw);
	return err;
}

/* kernel/sched_ext/hotplug_seq counts hotplug events, so it also sees a CPU
 * that went offline and came back during a read; -1 on kernels without it. */
static long long hotplug_seq(struct reader *r)
{
	unsigned long long seq;

	snprintf(r->path, sizeof(r->path), "%s/kernel/sched_ext/hotplug_seq", r->root);
	return scx__read_u64(r->path, &seq) ? -1 : (long long)(seq & LLONG_MAX);
}

/* After a pass: 1 when cpu/online (and hotplug_seq) are what the pass saw at
 * its start, 0 when CPU hotplug ran meanwhile, or -errno. */
static int held_still(struct reader *r, long long seq)
{
	int n = read_system_cpus(r, "online", r->tmp);

	if (n < 0)
		return n;
	return !memcmp(r->tmp, r->online, sizeof(r->tmp)) && hotplug_seq(r) == seq;
}

int scx__topo_read_sysfs(const char *root, struct scx_topo_read *out)
{
	struct scx_topo_read m;
	struct reader *r;
	int pass, err, still;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->root = root;
	r->m = &m;
	r->buf = malloc(SCX_TOPO_FILE_MAX);
	if (!r->buf) {
		free(r);
		return -ENOMEM;
	}
	for (pass = 0;; pass++) {
		long long seq = hotplug_seq(r);

		err = read_pass(r, pass);
		if (err && !r->have_online)
			break;	/* failed before there was anything to compare */
		still = held_still(r, seq);
		if (still < 0 && !err) {
			scx__topo_read_free(&m);
			err = still;
		}
		if (still)
			break;
		/* What this pass read, or the error it found, may mix the machine
		 * before and after the hotplug: read it again. */
		if (!err)
			scx__topo_read_free(&m);
		if (pass + 1 == SCX_TOPO_READ_TRIES) {
			pr_warn("topology: %s/devices/system/cpu/online changed during each of %d reads (CPU hotplug in progress); try again later\n",
				root, SCX_TOPO_READ_TRIES);
			err = -EAGAIN;
			break;
		}
		pr_debug("topology: CPU hotplug during the read of %s; reading again\n", root);
		scx__sleep_ms(1U << pass);
	}
	if (!err)
		*out = m;
	free(r->buf);
	free(r);
	return err;
}
