// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Preparing an opened object for load: finding its sched_ext_ops map and its
 * global variables through the object's BTF, applying the caller's options,
 * and following the load-time conventions other loaders established (enum
 * globals filled from kernel BTF, a sized exit dump, callbacks the running
 * kernel lacks dropped).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "internal.h"
#include "features_priv.h"
#include "sched_priv.h"

/* The kernel refuses ops.timeout_ms above this (SCX_WATCHDOG_MAX_TIMEOUT). */
#define SCX_MAX_TIMEOUT_MS 30000

static const struct btf_type *ops_type(const struct scx_sched *s)
{
	const struct btf *btf = bpf_object__btf(s->obj);

	return btf__type_by_id(btf, bpf_map__btf_value_type_id(s->ops));
}

/* Pointer to member NAME of the ops struct's initial value, and its size. */
static void *ops_member(struct scx_sched *s, const char *name, size_t *size)
{
	const struct btf *btf = bpf_object__btf(s->obj);
	const struct btf_type *t = ops_type(s);
	const struct btf_member *m = btf_members(t);
	size_t data_size;
	char *data;
	__u16 i;

	data = bpf_map__initial_value(s->ops, &data_size);
	if (!data)
		return NULL;
	for (i = 0; i < btf_vlen(t); i++, m++) {
		__s64 msize;

		if (strcmp(btf__name_by_offset(btf, m->name_off), name))
			continue;
		/* the object's BTF is not trusted to fit its own data */
		msize = btf__resolve_size(btf, m->type);
		if (msize < 0 || m->offset / 8 + (__u64)msize > data_size)
			return NULL;
		*size = msize;
		return data + m->offset / 8;
	}
	return NULL;
}

static bool is_sched_ext_ops(struct bpf_object *obj, struct bpf_map *map)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *t;

	if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS || !btf)
		return false;
	t = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
	return t && !strcmp(btf__name_by_offset(btf, t->name_off), "sched_ext_ops");
}

int scx__find_ops_map(struct scx_sched *s)
{
	struct bpf_map *map, *found = NULL;
	int nr = 0;

	bpf_object__for_each_map(map, s->obj) {
		if (!is_sched_ext_ops(s->obj, map))
			continue;
		if (s->ops_map_name && strcmp(bpf_map__name(map), s->ops_map_name))
			continue;
		if (!found)
			found = map;
		nr++;
	}
	if (!found) {
		if (s->ops_map_name)
			pr_warn("open %s: no sched_ext_ops struct_ops map named '%s' in the object\n",
				s->label, s->ops_map_name);
		else
			pr_warn("open %s: no sched_ext_ops struct_ops map in the object "
				"(is it a sched_ext scheduler? its ops must be in SEC(\".struct_ops\") "
				"or SEC(\".struct_ops.link\"))\n", s->label);
		return -ESRCH;
	}
	if (nr > 1) {
		pr_warn("open %s: the object has %d sched_ext_ops maps; name one with "
			"scx_sched_opts.ops_map\n", s->label, nr);
		return -ENOTUNIQ;
	}
	s->ops = found;
	/* Other struct_ops maps of sched_ext_ops type must not be loaded or
	 * attached along with ours. */
	bpf_object__for_each_map(map, s->obj)
		if (map != found && is_sched_ext_ops(s->obj, map))
			bpf_map__set_autocreate(map, false);
	return 0;
}

/*
 * libbpf 1.5 maps a loaded object's global sections over the memory
 * bpf_map__initial_value() returns; older versions leave the pre-load copy
 * there, so reads would be stale and writes lost. Build-time headers say
 * nothing about the libbpf.so a program runs with: ask it.
 */
static bool initial_value_is_live(void)
{
	return libbpf_major_version() > 1 ||
	       (libbpf_major_version() == 1 && libbpf_minor_version() >= 5);
}

/* .rodata and .kconfig: frozen at load, mapped read-only afterwards. */
static bool map_is_readonly(const struct bpf_map *map)
{
	return bpf_map__map_flags(map) & BPF_F_RDONLY_PROG;
}

int scx__map_globals(struct scx_sched *s)
{
	struct bpf_map *map;
	int nr = 0;

	if (initial_value_is_live())
		return 0;
	bpf_object__for_each_map(map, s->obj)
		nr++;
	s->live_maps = calloc(nr ? nr : 1, sizeof(*s->live_maps));
	if (!s->live_maps)
		return -ENOMEM;
	bpf_object__for_each_map(map, s->obj) {
		struct live_map *lm = &s->live_maps[s->nr_live_maps];
		size_t size = bpf_map__value_size(map);
		void *mem;

		if (!bpf_map__is_internal(map) || !(bpf_map__map_flags(map) & BPF_F_MMAPABLE) ||
		    bpf_map__fd(map) < 0 || !size)
			continue;
		mem = mmap(NULL, size, PROT_READ | (map_is_readonly(map) ? 0 : PROT_WRITE),
			   MAP_SHARED, bpf_map__fd(map), 0);
		if (mem == MAP_FAILED) {
			int err = -errno;

			pr_warn("load %s: cannot map %s, so its globals could not be read while it runs "
				"(libbpf %u.%u does not map them itself): %s; close the scheduler\n",
				s->label, bpf_map__name(map), libbpf_major_version(),
				libbpf_minor_version(), strerror(-err));
			scx__unmap_globals(s);
			return err;
		}
		*lm = (struct live_map){ .map = map, .mem = mem, .size = size };
		s->nr_live_maps++;
	}
	return 0;
}

void scx__unmap_globals(struct scx_sched *s)
{
	int i;

	for (i = 0; i < s->nr_live_maps; i++)
		munmap(s->live_maps[i].mem, s->live_maps[i].size);
	free(s->live_maps);
	s->live_maps = NULL;
	s->nr_live_maps = 0;
}

/* The memory behind a global section: after load, the live map. */
static char *section_data(const struct scx_sched *s, struct bpf_map *map, size_t *size)
{
	int i;

	if (!s->loaded || initial_value_is_live())
		return bpf_map__initial_value(map, size);
	for (i = 0; i < s->nr_live_maps; i++) {
		if (s->live_maps[i].map == map) {
			*size = s->live_maps[i].size;
			return s->live_maps[i].mem;
		}
	}
	return NULL;
}

int scx__find_var(const struct scx_sched *s, const char *name, struct var_loc *loc)
{
	const struct btf *btf = bpf_object__btf(s->obj);
	struct bpf_map *map;

	if (!btf)
		return -ENOENT;
	bpf_object__for_each_map(map, s->obj) {
		const struct btf_var_secinfo *vs;
		const struct btf_type *sec;
		__u16 i;

		if (!bpf_map__is_internal(map))
			continue;
		sec = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
		if (!sec || !btf_is_datasec(sec))
			continue;
		vs = btf_var_secinfos(sec);
		for (i = 0; i < btf_vlen(sec); i++, vs++) {
			const struct btf_type *var = btf__type_by_id(btf, vs->type);
			size_t size = 0;
			char *data;

			if (strcmp(btf__name_by_offset(btf, var->name_off), name))
				continue;
			loc->map = map;
			loc->off = vs->offset;
			loc->size = vs->size;
			/* the object's BTF is not trusted to fit its own data */
			data = section_data(s, map, &size);
			loc->data = data && (__u64)vs->offset + vs->size <= size ? data + vs->offset : NULL;
			loc->readonly = s->loaded && map_is_readonly(map);
			loc->label = s->label;
			loc->name = btf__name_by_offset(btf, var->name_off);
			return 0;
		}
	}
	return -ENOENT;
}

void *scx__var_data(const struct var_loc *loc)
{
	return loc->data;
}

void *scx__var_data_rw(const struct var_loc *loc)
{
	if (loc->data && loc->readonly) {
		pr_warn("%s: global '%s' is in %s, which is read-only once loaded; not writing it\n",
			loc->label, loc->name, bpf_map__name(loc->map));
		return NULL;
	}
	return loc->data;
}

/* ---- applying options and the ecosystem's load-time conventions -------- */

/*
 * Callbacks and fields the running kernel does not know would make libbpf
 * refuse the whole map. Clear them, saying which: a scheduler built against a
 * newer vmlinux.h then still runs on an older kernel, minus those callbacks.
 */
static void drop_unknown_ops_members(struct scx_sched *s)
{
	const struct btf *btf = bpf_object__btf(s->obj);
	const struct btf_type *t = ops_type(s);
	const struct btf_member *m = btf_members(t);
	size_t data_size;
	char *data = bpf_map__initial_value(s->ops, &data_size);
	__u16 i;

	if (!data)
		return;
	for (i = 0; i < btf_vlen(t); i++, m++) {
		const char *name = btf__name_by_offset(btf, m->name_off);
		__s64 size = btf__resolve_size(btf, m->type);
		char *p = data + m->offset / 8;
		__s64 j;

		if (size <= 0 || m->offset / 8 + (__u64)size > data_size ||
		    scx_features__has_ops_field(s->feat, name))
			continue;
		for (j = 0; j < size && !p[j]; j++)
			;
		if (j == size)
			continue;
		pr_warn("open %s: this kernel's sched_ext_ops has no '%s'; %s\n", s->label, name,
			btf_is_ptr(btf__type_by_id(btf, m->type)) ? "dropping that callback"
								  : "clearing that field");
		memset(p, 0, size);
	}
}

static int set_ops_int(struct scx_sched *s, const char *field, __u64 val)
{
	size_t size = 0;
	void *p = ops_member(s, field, &size);

	__u32 v32 = val;

	if (!p)
		return -ENOENT;
	/* memcpy: the object's BTF may place a member unaligned */
	switch (size) {
	case 4: memcpy(p, &v32, 4); return 0;
	case 8: memcpy(p, &val, 8); return 0;
	}
	return -EINVAL;
}

static int get_ops_int(struct scx_sched *s, const char *field, __u64 *val)
{
	size_t size = 0;
	void *p = ops_member(s, field, &size);

	__u32 v32;

	if (!p)
		return -ENOENT;
	switch (size) {
	case 4: memcpy(&v32, p, 4); *val = v32; return 0;
	case 8: memcpy(val, p, 8); return 0;
	}
	return -EINVAL;
}

/*
 * Objects built with the sched-ext/scx project's headers read kernel enum
 * values from read-only globals named __SCX_<NAME> that their loader fills
 * from BTF before load. Fill every such variable the object has.
 */
static void fill_enum_globals(struct scx_sched *s)
{
	const struct btf *btf = bpf_object__btf(s->obj);
	struct bpf_map *map;

	bpf_object__for_each_map(map, s->obj) {
		const struct btf_var_secinfo *vs;
		const struct btf_type *sec;
		size_t size;
		char *data;
		__u16 i;

		if (!bpf_map__is_internal(map))
			continue;
		sec = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
		data = bpf_map__initial_value(map, &size);
		if (!sec || !btf_is_datasec(sec) || !data)
			continue;
		vs = btf_var_secinfos(sec);
		for (i = 0; i < btf_vlen(sec); i++, vs++) {
			const char *name = btf__name_by_offset(btf, btf__type_by_id(btf, vs->type)->name_off);
			__s64 val;

			if (strncmp(name, "__SCX_", 6) || vs->offset + vs->size > size)
				continue;
			if (scx_features__enum_value(s->feat, name + 2, &val)) {
				pr_debug("open %s: kernel has no %s for %s\n", s->label, name + 2, name);
				continue;
			}
			/* memcpy: nothing makes the object's offsets aligned */
			switch (vs->size) {
			case 8: memcpy(data + vs->offset, &(__u64){ val }, 8); break;
			case 4: memcpy(data + vs->offset, &(__u32){ val }, 4); break;
			case 2: memcpy(data + vs->offset, &(__u16){ val }, 2); break;
			case 1: memcpy(data + vs->offset, &(__u8){ val }, 1); break;
			}
		}
	}
}

/*
 * The exit dump buffer: a char array "uei_dump" alone in a data section
 * (".data.uei_dump"), sized before load, with its length in "uei_dump_len".
 * Both libscx's exit header and the scx project's follow this.
 */
static int size_exit_dump(struct scx_sched *s, __u32 len)
{
	struct var_loc loc;
	void *lenp;	/* not __u32 *: a mutated object's BTF can place it anywhere */
	int err;

	if (scx__find_var(s, SCX_EXIT_DUMP_VAR, &loc))
		return 0;
	if (len == 0) {
		__u64 v = 0;

		get_ops_int(s, "exit_dump_len", &v);
		len = v ? v : SCX_EXIT_DUMP_DEFAULT_LEN;
	}
	if (loc.off == 0 && bpf_map__btf_value_type_id(loc.map) &&
	    btf_vlen(btf__type_by_id(bpf_object__btf(s->obj),
				     bpf_map__btf_value_type_id(loc.map))) == 1) {
		err = bpf_map__set_value_size(loc.map, len);
		if (err) {
			pr_warn("open %s: cannot size the exit dump to %u bytes: %d\n", s->label, len, err);
			return err;
		}
	} else {
		len = loc.size;	/* fixed-size array: keep it */
	}
	set_ops_int(s, "exit_dump_len", len);
	if (!scx__find_var(s, SCX_EXIT_DUMP_VAR "_len", &loc) && loc.size == 4 && (lenp = scx__var_data(&loc)))
		memcpy(lenp, &len, 4);
	return 0;
}

/* The caller's options: name, watchdog timeout, ops flags, partial switch. */
static int apply_options(struct scx_sched *s)
{
	const struct scx_sched_opts *o = &s->opts;
	__u64 flags = 0;

	if (o->name) {
		size_t size = 0;
		char *p = ops_member(s, "name", &size);

		if (!p || !size)
			return -EINVAL;
		if (!*o->name) {
			pr_warn("open %s: an empty name; the kernel needs one\n", s->label);
			return -EINVAL;
		}
		if (strlen(o->name) >= size) {
			pr_warn("open %s: name '%s' is longer than the kernel's %zu-byte limit\n",
				s->label, o->name, size - 1);
			return -ENAMETOOLONG;
		}
		for (const char *c = o->name; *c; c++) {
			/* the kernel's own rule for ops.name */
			if (!isalnum((unsigned char)*c) && *c != '_' && *c != '.') {
				pr_warn("open %s: name '%s' may hold only letters, digits, '_' and '.'\n",
					s->label, o->name);
				return -EINVAL;
			}
		}
		memset(p, 0, size);
		strcpy(p, o->name);
	}
	if (o->timeout_ms) {
		if (o->timeout_ms > SCX_MAX_TIMEOUT_MS) {
			pr_warn("open %s: timeout_ms %u is above the kernel's %u ms watchdog cap\n",
				s->label, o->timeout_ms, SCX_MAX_TIMEOUT_MS);
			return -E2BIG;
		}
		set_ops_int(s, "timeout_ms", o->timeout_ms);
	} else {
		__u64 t = 0;

		if (!get_ops_int(s, "timeout_ms", &t) && t > SCX_MAX_TIMEOUT_MS) {
			pr_warn("open %s: the object's timeout_ms %llu is above the kernel's %u ms cap\n",
				s->label, (unsigned long long)t, SCX_MAX_TIMEOUT_MS);
			return -E2BIG;
		}
	}
	get_ops_int(s, "flags", &flags);
	flags |= o->ops_flags;
	if (o->partial) {
		__s64 v;

		if (scx_features__enum_value(s->feat, "SCX_OPS_SWITCH_PARTIAL", &v)) {
			pr_warn("open %s: this kernel has no SCX_OPS_SWITCH_PARTIAL\n", s->label);
			return -EOPNOTSUPP;
		}
		flags |= v;
	}
	if (flags & ~scx_features__ops_flags_mask(s->feat)) {
		pr_warn("open %s: ops flags 0x%llx are unknown to this kernel\n", s->label,
			(unsigned long long)(flags & ~scx_features__ops_flags_mask(s->feat)));
		return -EINVAL;
	}
	set_ops_int(s, "flags", flags);

	return 0;
}

/*
 * "uei" is an exit record only where the BPF side can write one: a writable
 * section, and room for the whole record. A read-only "uei" (const volatile)
 * would be mapped read-only after load, and a short one read past its end.
 */
static bool has_exit_record(struct scx_sched *s)
{
	struct var_loc loc;

	if (scx__find_var(s, SCX_EXIT_RECORD_VAR, &loc))
		return false;
	if (map_is_readonly(loc.map) || loc.size < sizeof(struct scx_exit_record)) {
		pr_debug("open %s: '%s' is %s; not taking it for an exit record\n", s->label,
			 SCX_EXIT_RECORD_VAR, map_is_readonly(loc.map) ? "read-only" : "too small");
		return false;
	}
	return true;
}

/* Options and conventions, in the order that lets each see the last. */
int scx__configure(struct scx_sched *s)
{
	unsigned long long seq;
	size_t size = 0;
	const char *name;
	int err;

	err = apply_options(s);
	if (err)
		return err;
	/* The kernel refuses to enable a scheduler whose hotplug_seq is stale:
	 * that is how a hotplug between open and attach is caught. */
	s->have_hotplug_seq = !scx__read_sysfs_u64(s, "hotplug_seq", &seq);
	if (s->have_hotplug_seq) {
		set_ops_int(s, "hotplug_seq", seq);
		/* exit_collect.c's baseline: a hotplug after this one */
		s->hotplug_seq = seq;
	}
	drop_unknown_ops_members(s);
	fill_enum_globals(s);
	err = size_exit_dump(s, s->opts.exit_dump_len);
	if (err)
		return err;
	s->has_record = has_exit_record(s);
	name = ops_member(s, "name", &size);
	snprintf(s->name, sizeof(s->name), "%.*s", (int)size, name ? name : "");
	return 0;
}
