// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Kernel feature probing. The one module of the library that interprets the
 * kernel's BTF: everything the loader needs to know about the sched_ext
 * interface of a kernel (present at all, kfuncs, ops members, ops flags, enum
 * values) is answered here, so version differences have one home.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <scx/features.h>
#include "internal.h"
#include "features_priv.h"

struct enum_entry {
	const char *name;
	__s64 value;
};

struct scx_features {
	struct btf *btf;
	__s32 ops_id;			/* struct sched_ext_ops, or < 0 */
	__s32 flags_id;			/* enum scx_ops_flags, or < 0 */
	struct enum_entry *enums;	/* every enumerator, sorted by name */
	size_t nr_enums;
	__u32 *kfuncs;			/* FUNC ids tagged "bpf_kfunc", sorted */
	size_t nr_kfuncs;
};

static int cmp_enum(const void *a, const void *b)
{
	return strcmp(((const struct enum_entry *)a)->name, ((const struct enum_entry *)b)->name);
}

/* Kernel BTF has a few thousand enumerators among ~150k types: one sorted
 * index makes each later look-up (dozens at every open) a bsearch. */
static int index_enums(struct scx_features *f)
{
	__u32 i, j, n = btf__type_cnt(f->btf);
	size_t cap = 0;

	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(f->btf, i);
		__u16 vlen;

		if (!btf_is_enum(t) && !btf_is_enum64(t))
			continue;
		vlen = btf_vlen(t);
		if (f->nr_enums + vlen > cap) {
			struct enum_entry *e;

			cap = (f->nr_enums + vlen) * 2 + 256;
			e = realloc(f->enums, cap * sizeof(*e));
			if (!e)
				return -ENOMEM;
			f->enums = e;
		}
		for (j = 0; j < vlen; j++) {
			struct enum_entry *e = &f->enums[f->nr_enums++];

			if (btf_is_enum(t)) {
				const struct btf_enum *v = btf_enum(t) + j;

				e->name = btf__name_by_offset(f->btf, v->name_off);
				e->value = btf_kflag(t) ? (__s64)(__s32)v->val : (__s64)(__u32)v->val;
			} else {
				const struct btf_enum64 *v = btf_enum64(t) + j;

				e->name = btf__name_by_offset(f->btf, v->name_off);
				e->value = (__s64)btf_enum64_value(v);
			}
		}
	}
	/* no enumerators: enums is NULL, which qsort() must not be given */
	if (f->nr_enums)
		qsort(f->enums, f->nr_enums, sizeof(*f->enums), cmp_enum);
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Kernel BTF holds every kernel function, and only some are kfuncs. Since
 * 6.9-era pahole (decl_tag_kfuncs), each kfunc's FUNC carries a
 * BTF_KIND_DECL_TAG "bpf_kfunc"; collect those. No tag at all means BTF made
 * without them, where a FUNC is the best sign there is.
 */
static int index_kfuncs(struct scx_features *f)
{
	__u32 i, n = btf__type_cnt(f->btf);
	size_t cap = 0;

	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(f->btf, i);
		const struct btf_type *target;

		if (!btf_is_decl_tag(t) || btf_decl_tag(t)->component_idx != -1 ||
		    strcmp(btf__name_by_offset(f->btf, t->name_off), "bpf_kfunc"))
			continue;
		target = btf__type_by_id(f->btf, t->type);
		if (!target || !btf_is_func(target))
			continue;
		if (f->nr_kfuncs == cap) {
			__u32 *k;

			cap = cap * 2 + 256;
			k = realloc(f->kfuncs, cap * sizeof(*k));
			if (!k)
				return -ENOMEM;
			f->kfuncs = k;
		}
		f->kfuncs[f->nr_kfuncs++] = t->type;
	}
	if (f->nr_kfuncs)
		qsort(f->kfuncs, f->nr_kfuncs, sizeof(*f->kfuncs), cmp_id);
	return 0;
}

static struct scx_features *features_new(struct btf *btf)
{
	struct scx_features *f;
	int err;

	f = calloc(1, sizeof(*f));
	if (!f) {
		btf__free(btf);
		return scx_err_ptr(-ENOMEM);
	}
	f->btf = btf;
	f->ops_id = btf__find_by_name_kind(btf, "sched_ext_ops", BTF_KIND_STRUCT);
	f->flags_id = btf__find_by_name_kind(btf, "scx_ops_flags", BTF_KIND_ENUM);
	if (f->flags_id < 0)
		f->flags_id = btf__find_by_name_kind(btf, "scx_ops_flags", BTF_KIND_ENUM64);
	err = index_enums(f);
	if (!err)
		err = index_kfuncs(f);
	if (err) {
		scx_features__free(f);
		return scx_err_ptr(err);
	}
	return f;
}

SCX_API struct scx_features *scx_features__open(const char *btf_path)
{
	struct btf *btf;
	int err;

	if (!btf_path)
		return scx_err_ptr(-EINVAL);
	btf = btf__parse(btf_path, NULL);
	err = libbpf_get_error(btf);
	if (err) {
		if (err == -ENOENT)
			pr_warn("features: %s: no such file\n", btf_path);
		else
			pr_warn("features: %s: no BTF could be read from it (%d)\n", btf_path, err);
		return scx_err_ptr(err == -ENOENT ? -ENOENT : -EINVAL);
	}
	return features_new(btf);
}

static struct scx_features *running;
static int running_err;
static pthread_once_t running_once = PTHREAD_ONCE_INIT;

static void probe_running(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int err = libbpf_get_error(btf);

	if (err) {
		pr_warn("features: the running kernel's BTF (/sys/kernel/btf/vmlinux) cannot be read (%d); "
			"sched_ext needs CONFIG_DEBUG_INFO_BTF\n", err);
		running_err = err == -ENOENT ? -ENOENT : -EINVAL;
		return;
	}
	running = features_new(btf);
	if (!running)
		running_err = -errno;
}

SCX_API const struct scx_features *scx_features__running(void)
{
	pthread_once(&running_once, probe_running);
	if (!running)
		return scx_err_ptr(running_err);
	return running;
}

SCX_API void scx_features__free(struct scx_features *f)
{
	if (!f || f == running)
		return;
	btf__free(f->btf);
	free(f->enums);
	free(f->kfuncs);
	free(f);
}

SCX_API bool scx_features__has_sched_ext(const struct scx_features *f)
{
	return f && f->ops_id > 0;
}

static const struct btf_type *kfunc_proto(const struct scx_features *f, const char *name)
{
	const struct btf_type *t;
	__s32 id;

	if (!f || !name)
		return NULL;
	id = btf__find_by_name_kind(f->btf, name, BTF_KIND_FUNC);
	if (id < 0)
		return NULL;
	if (f->nr_kfuncs && !bsearch(&(__u32){ id }, f->kfuncs, f->nr_kfuncs,
				     sizeof(*f->kfuncs), cmp_id))
		return NULL;	/* a kernel function, not a kfunc */
	t = btf__type_by_id(f->btf, id);
	return btf__type_by_id(f->btf, t->type);
}

SCX_API bool scx_features__has_kfunc(const struct scx_features *f, const char *name)
{
	return kfunc_proto(f, name) != NULL;
}

SCX_API int scx_features__kfunc_nr_args(const struct scx_features *f, const char *name)
{
	const struct btf_type *proto = kfunc_proto(f, name);

	if (!proto)
		return scx_err(-ENOENT);
	return btf_vlen(proto);
}

const struct btf_member *scx__features_ops_member(const struct scx_features *f, const char *name)
{
	const struct btf_member *m;
	const struct btf_type *t;
	__u16 i;

	if (!scx_features__has_sched_ext(f) || !name)
		return NULL;
	t = btf__type_by_id(f->btf, f->ops_id);
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++)
		if (!strcmp(btf__name_by_offset(f->btf, m->name_off), name))
			return m;
	return NULL;
}

SCX_API bool scx_features__has_ops_field(const struct scx_features *f, const char *name)
{
	return scx__features_ops_member(f, name) != NULL;
}

/* Look NAME up among the enumerators of enum scx_ops_flags only: other enums
 * share the SCX_OPS_ prefix (SCX_OPS_NAME_LEN is a constant, not a flag). */
static int flag_value(const struct scx_features *f, const char *name, __s64 *val)
{
	const struct btf_type *t;
	char full[128];
	__u16 i;

	if (!f || f->flags_id < 0 || !name)
		return -ENOENT;
	if (strncmp(name, "SCX_OPS_", 8)) {
		snprintf(full, sizeof(full), "SCX_OPS_%s", name);
		name = full;
	}
	t = btf__type_by_id(f->btf, f->flags_id);
	for (i = 0; i < btf_vlen(t); i++) {
		__u32 off = btf_is_enum(t) ? btf_enum(t)[i].name_off : btf_enum64(t)[i].name_off;

		if (strcmp(btf__name_by_offset(f->btf, off), name))
			continue;
		*val = btf_is_enum(t) ? (__s64)(__u32)btf_enum(t)[i].val
				      : (__s64)btf_enum64_value(btf_enum64(t) + i);
		return 0;
	}
	return -ENOENT;
}

SCX_API bool scx_features__has_ops_flag(const struct scx_features *f, const char *name)
{
	__s64 v;

	return flag_value(f, name, &v) == 0;
}

SCX_API int scx_features__enum_value(const struct scx_features *f, const char *name, __s64 *val)
{
	struct enum_entry key = { .name = name }, *e;

	if (!f || !name || !val)
		return scx_err(-EINVAL);
	e = f->nr_enums ? bsearch(&key, f->enums, f->nr_enums, sizeof(*e), cmp_enum) : NULL;
	if (!e)
		return scx_err(-ENOENT);
	*val = e->value;
	return 0;
}

SCX_API __u64 scx_features__ops_flags_mask(const struct scx_features *f)
{
	const struct btf_type *t;
	__s64 all;
	__u64 mask = 0;
	__u16 i;

	if (!f || f->flags_id < 0)
		return 0;
	/* What the kernel accepts from a scheduler is SCX_OPS_ALL_FLAGS; the
	 * enum also holds internal bits (SCX_OPS_HAS_CPU_PREEMPT) it refuses. */
	if (!flag_value(f, "SCX_OPS_ALL_FLAGS", &all))
		return all;
	t = btf__type_by_id(f->btf, f->flags_id);
	for (i = 0; i < btf_vlen(t); i++) {
		__u64 v = btf_is_enum(t) ? (__u64)(__u32)btf_enum(t)[i].val
					 : btf_enum64_value(btf_enum64(t) + i);

		/* single bits below the internal range (bit 56 and up) */
		if (v && !(v & (v - 1)) && v < (1ULL << 56))
			mask |= v;
	}
	return mask;
}

const struct btf *scx__features_btf(const struct scx_features *f)
{
	return f ? f->btf : NULL;
}
