// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The topology model: what topology_sysfs.c read, the domain bitmaps built
 * from it, and the queries of include/scx/topology.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <scx/topology.h>

#include "bitmap.h"
#include "internal.h"
#include "topology_internal.h"

#define MASK_BYTES	(SCX_TOPO_MASK_WORDS * sizeof(unsigned long long))

struct model {
	struct scx_topo_read r;
	unsigned long long *masks[SCX_TOPO_NR_LEVELS];	/* r.nr[level] masks each */
};

struct scx_topology {
	char *root;
	struct model m;
};

static void model_free(struct model *m)
{
	int l;

	scx__topo_read_free(&m->r);
	for (l = 0; l < SCX_TOPO_NR_LEVELS; l++)
		free(m->masks[l]);
	memset(m, 0, sizeof(*m));
}

static int *level_field(struct scx_topo_cpu *c, int level)
{
	switch (level) {
	case SCX_TOPO_CORE: return &c->core;
	case SCX_TOPO_LLC: return &c->llc;
	case SCX_TOPO_NODE: return &c->node;
	default: return &c->package;
	}
}

static int build_masks(struct model *m)
{
	int l, d;

	for (l = 0; l < SCX_TOPO_NR_LEVELS; l++) {
		m->masks[l] = calloc(m->r.nr[l] ? m->r.nr[l] : 1, MASK_BYTES);
		if (!m->masks[l])
			return -ENOMEM;
		for (d = 0; d < m->r.nr_cpu_ids; d++) {
			int id = *level_field(&m->r.cpus[d], l);

			if (id >= 0)
				scx_bitmap_set(m->masks[l] + (size_t)id * SCX_TOPO_MASK_WORDS, d);
		}
	}
	return 0;
}

/* Read sysfs under root into m; m is untouched on failure. */
static int model_read(const char *root, struct model *m)
{
	struct model new = {};
	int err;

	err = scx__topo_read_sysfs(root, &new.r);
	if (err)
		return err;
	err = build_masks(&new);
	if (err) {
		model_free(&new);
		return err;
	}
	*m = new;
	return 0;
}

SCX_API struct scx_topology *scx_topology__open(const struct scx_topology_opts *opts)
{
	struct scx_topology *t;
	const char *root;
	int err;

	if (!SCX_OPTS_VALID(opts, scx_topology_opts))
		return scx_err_ptr(-EINVAL);
	root = SCX_OPT(opts, sysfs_root, NULL);
	if (!root)
		root = "/sys";
	if (strlen(root) > PATH_MAX - 128) {
		pr_warn("topology: sysfs root is too long\n");
		return scx_err_ptr(-EINVAL);
	}
	t = calloc(1, sizeof(*t));
	if (!t || !(t->root = strdup(root))) {
		free(t);
		return scx_err_ptr(-ENOMEM);
	}
	err = model_read(t->root, &t->m);
	if (err) {
		free(t->root);
		free(t);
		return scx_err_ptr(err);
	}
	return t;
}

SCX_API int scx_topology__refresh(struct scx_topology *t)
{
	struct model m;
	int err;

	if (!t)
		return scx_err(-EINVAL);
	err = model_read(t->root, &m);
	if (err)
		return scx_err(err);
	model_free(&t->m);
	t->m = m;
	return 0;
}

SCX_API void scx_topology__free(struct scx_topology *t)
{
	if (!t)
		return;
	model_free(&t->m);
	free(t->root);
	free(t);
}

SCX_API int scx_topology__nr_cpus(const struct scx_topology *t)
{
	return t ? t->m.r.nr_possible : scx_err(-EINVAL);
}

SCX_API int scx_topology__nr_cpu_ids(const struct scx_topology *t)
{
	return t ? t->m.r.nr_cpu_ids : scx_err(-EINVAL);
}

SCX_API int scx_topology__nr_online(const struct scx_topology *t)
{
	return t ? t->m.r.nr_online : scx_err(-EINVAL);
}

SCX_API int scx_topology__nr_domains(const struct scx_topology *t, enum scx_topo_level level)
{
	if (!t || (unsigned int)level >= SCX_TOPO_NR_LEVELS)
		return scx_err(-EINVAL);
	return t->m.r.nr[level];
}

SCX_API int scx_topology__nr_cores(const struct scx_topology *t)
{
	return scx_topology__nr_domains(t, SCX_TOPO_CORE);
}

SCX_API int scx_topology__nr_llcs(const struct scx_topology *t)
{
	return scx_topology__nr_domains(t, SCX_TOPO_LLC);
}

SCX_API int scx_topology__nr_nodes(const struct scx_topology *t)
{
	return scx_topology__nr_domains(t, SCX_TOPO_NODE);
}

SCX_API int scx_topology__nr_packages(const struct scx_topology *t)
{
	return scx_topology__nr_domains(t, SCX_TOPO_PACKAGE);
}

/* struct scx_topo_cpu as libscx 0.1.0 declared it: every caller has at least
 * this much, and a smaller sz means it was never set. Never change this. */
#define TOPO_CPU_MIN_SZ	offsetofend(struct scx_topo_cpu, numa_node)

SCX_API int scx_topology__cpu(const struct scx_topology *t, int cpu, struct scx_topo_cpu *out)
{
	size_t skip = sizeof(out->sz), n;

	if (!t || !out || out->sz < TOPO_CPU_MIN_SZ)
		return scx_err(-EINVAL);
	if (cpu < 0 || cpu >= t->m.r.nr_cpu_ids)
		return scx_err(-ERANGE);
	n = out->sz < sizeof(*out) ? out->sz : sizeof(*out);
	memcpy((char *)out + skip, (const char *)&t->m.r.cpus[cpu] + skip, n - skip);
	/* a newer caller's members this library does not know read as 0 */
	if (out->sz > n)
		memset((char *)out + n, 0, out->sz - n);
	return (int)n;
}

static const unsigned long long *domain_mask(const struct scx_topology *t,
					     enum scx_topo_level level, int id, int *err)
{
	if (!t || (unsigned int)level >= SCX_TOPO_NR_LEVELS) {
		*err = scx_err(-EINVAL);
		return NULL;
	}
	if (id < 0 || id >= t->m.r.nr[level]) {
		*err = scx_err(-ERANGE);
		return NULL;
	}
	return t->m.masks[level] + (size_t)id * SCX_TOPO_MASK_WORDS;
}

SCX_API int scx_topology__domain_cpus(const struct scx_topology *t, enum scx_topo_level level,
				      int id, int *cpus, size_t max)
{
	const unsigned long long *mask;
	int err = 0, d, n = 0;

	mask = domain_mask(t, level, id, &err);
	if (!mask)
		return err;
	if (!cpus && max)
		return scx_err(-EINVAL);
	for (d = 0; d < t->m.r.nr_cpu_ids; d++) {
		if (!scx_bitmap_test(mask, d))
			continue;
		if ((size_t)n < max)
			cpus[n] = d;
		n++;
	}
	return n;
}

SCX_API int scx_topology__domain_mask(const struct scx_topology *t, enum scx_topo_level level,
				      int id, unsigned long long *out, size_t nr_words)
{
	const unsigned long long *mask;
	int err = 0;

	mask = domain_mask(t, level, id, &err);
	if (!mask)
		return err;
	if (!out && nr_words)
		return scx_err(-EINVAL);
	if (nr_words > SCX_TOPO_MASK_WORDS) {
		memset(out + SCX_TOPO_MASK_WORDS, 0,
		       (nr_words - SCX_TOPO_MASK_WORDS) * sizeof(*out));
		nr_words = SCX_TOPO_MASK_WORDS;
	}
	memcpy(out, mask, nr_words * sizeof(*out));
	return scx_bitmap_weight(mask, SCX_TOPO_MASK_WORDS);
}

SCX_API int scx_topology__node_distance(const struct scx_topology *t, int a, int b)
{
	int nr;

	if (!t)
		return scx_err(-EINVAL);
	nr = t->m.r.nr[SCX_TOPO_NODE];
	if (a < 0 || b < 0 || a >= nr || b >= nr)
		return scx_err(-ERANGE);
	if (!t->m.r.distance)
		return a == b ? 10 : 20;
	return t->m.r.distance[a * nr + b];
}

SCX_API const char *scx_topo_level__str(enum scx_topo_level level)
{
	static const char *const names[] = { "core", "llc", "node", "package" };

	if ((unsigned int)level >= SCX_TOPO_NR_LEVELS)
		return NULL;
	return names[level];
}
