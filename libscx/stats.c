// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* A scheduler's counters by name: per-CPU array maps summed, u64 globals. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <scx/stats.h>
#include "internal.h"
#include "sched_priv.h"

/* Sum member (at offset off) of every entry on every CPU of a per-CPU array. */
static int sum_percpu(const struct bpf_map *map, size_t off, __u64 *sum)
{
	int nr_cpus = libbpf_num_possible_cpus();
	size_t vsize = (bpf_map__value_size(map) + 7) & ~7UL;
	__u32 key, nr = bpf_map__max_entries(map);
	char *vals;

	if (nr_cpus < 0)
		return nr_cpus;
	*sum = 0;
	if (bpf_map__fd(map) < 0)
		return 0;	/* not loaded yet: every counter starts at zero */
	vals = calloc(nr_cpus, vsize);
	if (!vals)
		return -ENOMEM;
	for (key = 0; key < nr; key++) {
		int cpu;

		if (bpf_map_lookup_elem(bpf_map__fd(map), &key, vals))
			continue;
		for (cpu = 0; cpu < nr_cpus; cpu++)
			*sum += *(__u64 *)(vals + cpu * vsize + off);
	}
	free(vals);
	return 0;
}

static bool is_stats_map(const struct bpf_map *map)
{
	const char *name = bpf_map__name(map);

	return !strncmp(name, "scx_stats", 9) || !strncmp(name, "stats", 5);
}

/* Visit every u64 counter of the stats maps: fn(map, name, off). */
static int walk_counters(const struct scx_sched *s,
			 int (*fn)(const struct bpf_map *, const char *, size_t, void *), void *ctx)
{
	const struct btf *btf = bpf_object__btf(s->obj);
	struct bpf_map *map;
	int ret;

	if (!btf)
		return 0;
	bpf_object__for_each_map(map, s->obj) {
		const struct btf_type *t;
		const struct btf_member *m;
		__u16 i;

		/* Per-CPU arrays also hold CPU contexts, whose fields are
		 * not counters: only maps named for stats count. */
		if (bpf_map__type(map) != BPF_MAP_TYPE_PERCPU_ARRAY || !is_stats_map(map))
			continue;
		t = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
		if (!t)
			continue;
		t = btf__type_by_id(btf, btf__resolve_type(btf, bpf_map__btf_value_type_id(map)));
		if (!t)
			continue;	/* an object's BTF that does not resolve */
		if (btf_is_int(t) && t->size == 8) {
			ret = fn(map, bpf_map__name(map), 0, ctx);
			if (ret)
				return ret;
			continue;
		}
		if (!btf_is_struct(t))
			continue;
		m = btf_members(t);
		for (i = 0; i < btf_vlen(t); i++, m++) {
			const struct btf_type *mt = btf__type_by_id(btf, btf__resolve_type(btf, m->type));
			__u32 bit = btf_member_bit_offset(t, i);

			/* whole, aligned u64 members only; with bitfields in
			 * the struct, m->offset packs a size in its top bits */
			if (!mt || !btf_is_int(mt) || mt->size != 8 || btf_member_bitfield_size(t, i) ||
			    bit % 64 || bit / 8 + 8 > bpf_map__value_size(map))
				continue;
			ret = fn(map, btf__name_by_offset(btf, m->name_off), bit / 8, ctx);
			if (ret)
				return ret;
		}
	}
	return 0;
}

struct find_ctx {
	const char *name;
	__u64 *val;
	int err;
};

static int find_one(const struct bpf_map *map, const char *name, size_t off, void *ctx)
{
	struct find_ctx *c = ctx;

	if (strcmp(name, c->name))
		return 0;
	c->err = sum_percpu(map, off, c->val);
	return 1;
}

SCX_API int scx_sched__read_counter(const struct scx_sched *s, const char *name, __u64 *val)
{
	struct find_ctx c = { .name = name, .val = val };

	if (!s || !name || !val || !s->obj)
		return scx_err(-EINVAL);
	if (walk_counters(s, find_one, &c))
		return c.err ? scx_err(c.err) : 0;
	/* a plain u64 global */
	if (!scx_sched__get_global(s, name, val, sizeof(*val)))
		return 0;
	return scx_err(-ENOENT);
}

struct each_ctx {
	scx_counter_fn fn;
	void *ctx;
	int err;
};

static int each_one(const struct bpf_map *map, const char *name, size_t off, void *ctx)
{
	struct each_ctx *c = ctx;
	__u64 v;

	c->err = sum_percpu(map, off, &v);
	if (c->err)
		return 1;
	return c->fn(name, v, c->ctx);
}

SCX_API int scx_sched__for_each_counter(const struct scx_sched *s, scx_counter_fn fn, void *ctx)
{
	struct each_ctx c = { .fn = fn, .ctx = ctx };
	int ret;

	if (!s || !fn || !s->obj)
		return scx_err(-EINVAL);
	ret = walk_counters(s, each_one, &c);
	if (c.err)
		return scx_err(c.err);
	return ret;
}
