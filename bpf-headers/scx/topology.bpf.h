/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Topology domains on the BPF side: CPU -> core / LLC / node / package ids,
 * per-domain CPU bitmaps and domain counts, in array maps that libscx fills
 * when it loads the scheduler (scx_sched__load(), before ops.init can run;
 * scx_sched__run() loads again at every restart), or that user space fills
 * with scx_topology__export() after loading the object by other means. The
 * layout is include/scx/topology_layout.h.
 *
 * Bitmaps rather than struct bpf_cpumask so they are plain map values that
 * user space can write and that work on every kernel; scx_topo_mask_to_cpumask()
 * turns one into a bpf_cpumask where a kfunc needs it (not in hot paths).
 *
 * Every per-CPU lookup is one array-map lookup: no loops, indices bounded by
 * the map itself, and an out-of-range or unknown CPU gives SCX_TOPO_ID_NONE.
 * Before the first export the maps read as zero: layout_version is 0 and the
 * counts are 0, which scx_topo_ready() reports.
 *
 * Include from one .bpf.c per object: the maps are defined here (domain.bpf.h,
 * dsq.bpf.h and idle.bpf.h include it). scx_sched__load() trims each map to
 * the machine's CPU ids before load (no domain has fewer than one CPU, so
 * that is enough whatever CPUs come and go): a bitmap is 512 bytes, so a
 * 16-CPU machine spends about 32 KiB. The limits below cap the maps; the
 * load fails with -E2BIG, saying which map, if the machine needs more:
 *	#define SCX_TOPO_MAX_CORES 1024
 */
#ifndef __SCX_TOPOLOGY_BPF_H
#define __SCX_TOPOLOGY_BPF_H

#include "common.bpf.h"
#include <scx/topology_layout.h>

#ifndef SCX_TOPO_MAX_CORES
#define SCX_TOPO_MAX_CORES	SCX_TOPO_MAX_CPUS
#endif
#ifndef SCX_TOPO_MAX_LLCS
#define SCX_TOPO_MAX_LLCS	1024
#endif
#ifndef SCX_TOPO_MAX_NODES
#define SCX_TOPO_MAX_NODES	1024
#endif
#ifndef SCX_TOPO_MAX_PACKAGES
#define SCX_TOPO_MAX_PACKAGES	256
#endif

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scx_topo_info);
} scx_topo_info SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCX_TOPO_MAX_CPUS);
	__type(key, u32);
	__type(value, struct scx_topo_cpu_rec);
} scx_topo_cpus SEC(".maps");

#define __SCX_TOPO_MASK_MAP(name, entries)			\
	struct {						\
		__uint(type, BPF_MAP_TYPE_ARRAY);		\
		__uint(max_entries, entries);			\
		__type(key, u32);				\
		__type(value, struct scx_topo_mask);		\
	} name SEC(".maps")

__SCX_TOPO_MASK_MAP(scx_topo_core_masks, SCX_TOPO_MAX_CORES);
__SCX_TOPO_MASK_MAP(scx_topo_llc_masks, SCX_TOPO_MAX_LLCS);
__SCX_TOPO_MASK_MAP(scx_topo_node_masks, SCX_TOPO_MAX_NODES);
__SCX_TOPO_MASK_MAP(scx_topo_pkg_masks, SCX_TOPO_MAX_PACKAGES);

/* ---- counts ------------------------------------------------------------ */

static __always_inline const struct scx_topo_info *scx_topo_info_get(void)
{
	u32 zero = 0;

	return bpf_map_lookup_elem(&scx_topo_info, &zero);
}

/* True once user space has exported a model with this header's layout. */
static __always_inline bool scx_topo_ready(void)
{
	const struct scx_topo_info *info = scx_topo_info_get();

	return info && info->layout_version == SCX_TOPO_LAYOUT_VERSION;
}

#define __SCX_TOPO_COUNT(field)						\
static __always_inline u32 scx_topo_##field(void)			\
{									\
	const struct scx_topo_info *info = scx_topo_info_get();		\
									\
	return info ? info->field : 0;					\
}
__SCX_TOPO_COUNT(nr_cpu_ids)
__SCX_TOPO_COUNT(nr_cpus)
__SCX_TOPO_COUNT(nr_online)
__SCX_TOPO_COUNT(nr_cores)
__SCX_TOPO_COUNT(nr_llcs)
__SCX_TOPO_COUNT(nr_nodes)
__SCX_TOPO_COUNT(nr_packages)
#undef __SCX_TOPO_COUNT

/* ---- per-CPU lookups (hot-path safe) ----------------------------------- */

/* The record of a CPU, or NULL when cpu is out of range. */
static __always_inline const struct scx_topo_cpu_rec *scx_topo_cpu(s32 cpu)
{
	u32 key = (u32)cpu;

	return bpf_map_lookup_elem(&scx_topo_cpus, &key);
}

#define __SCX_TOPO_CPU_ID(field)					\
static __always_inline u32 scx_topo_cpu_##field(s32 cpu)		\
{									\
	const struct scx_topo_cpu_rec *rec = scx_topo_cpu(cpu);		\
									\
	return rec ? rec->field : SCX_TOPO_ID_NONE;			\
}
/* scx_topo_cpu_core(), _llc(), _node(), _package(): a dense id, or
 * SCX_TOPO_ID_NONE for an offline, impossible or out-of-range CPU. */
__SCX_TOPO_CPU_ID(core)
__SCX_TOPO_CPU_ID(llc)
__SCX_TOPO_CPU_ID(node)
__SCX_TOPO_CPU_ID(package)
#undef __SCX_TOPO_CPU_ID

/* 1..1024 relative to the fastest CPU; 0 when unknown. */
static __always_inline u32 scx_topo_cpu_capacity(s32 cpu)
{
	const struct scx_topo_cpu_rec *rec = scx_topo_cpu(cpu);

	return rec ? rec->capacity : 0;
}

static __always_inline bool scx_topo_cpu_is_big(s32 cpu)
{
	const struct scx_topo_cpu_rec *rec = scx_topo_cpu(cpu);

	return rec && (rec->flags & SCX_TOPO_CPU_BIG);
}

/* As of the last export: hotplug since then is not reflected here. */
static __always_inline bool scx_topo_cpu_is_online(s32 cpu)
{
	const struct scx_topo_cpu_rec *rec = scx_topo_cpu(cpu);

	return rec && (rec->flags & SCX_TOPO_CPU_ONLINE);
}

#define __SCX_TOPO_SAME(level)						\
static __always_inline bool scx_topo_same_##level(s32 a, s32 b)		\
{									\
	u32 ia = scx_topo_cpu_##level(a);				\
									\
	return ia != SCX_TOPO_ID_NONE && ia == scx_topo_cpu_##level(b);	\
}
/* scx_topo_same_core(), _llc(), _node(), _package(): both CPUs known and in
 * the same domain. */
__SCX_TOPO_SAME(core)
__SCX_TOPO_SAME(llc)
__SCX_TOPO_SAME(node)
__SCX_TOPO_SAME(package)
#undef __SCX_TOPO_SAME

/* ---- domain bitmaps ---------------------------------------------------- */

/* The bitmap of a domain, or NULL for an id outside the map. */
static __always_inline const struct scx_topo_mask *scx_topo_core_mask(u32 id)
{
	return bpf_map_lookup_elem(&scx_topo_core_masks, &id);
}

static __always_inline const struct scx_topo_mask *scx_topo_llc_mask(u32 id)
{
	return bpf_map_lookup_elem(&scx_topo_llc_masks, &id);
}

static __always_inline const struct scx_topo_mask *scx_topo_node_mask(u32 id)
{
	return bpf_map_lookup_elem(&scx_topo_node_masks, &id);
}

static __always_inline const struct scx_topo_mask *scx_topo_pkg_mask(u32 id)
{
	return bpf_map_lookup_elem(&scx_topo_pkg_masks, &id);
}

/* Is cpu in the bitmap? False for NULL or out-of-range cpu. The word index
 * is masked as well as checked so the verifier sees the bound on the same
 * register that indexes the value. */
static __always_inline bool scx_topo_mask_test(const struct scx_topo_mask *m, s32 cpu)
{
	u32 c = (u32)cpu;

	if (!m || c >= SCX_TOPO_MAX_CPUS)
		return false;
	barrier_var(c);
	return (m->bits[(c / 64) & (SCX_TOPO_MASK_WORDS - 1)] >> (c & 63)) & 1;
}

/* Number of CPUs in a bitmap; 64 word reads, so keep it out of hot paths. */
static __always_inline u32 scx_topo_mask_weight(const struct scx_topo_mask *m)
{
	u32 w, n = 0;

	if (!m)
		return 0;
	bpf_for(w, 0, SCX_TOPO_MASK_WORDS)
		n += __builtin_popcountll(m->bits[w]);
	return n;
}

/*
 * The first CPU of the bitmap at or after `from`, or SCX_TOPO_MAX_CPUS when
 * there is none: for (cpu = scx_topo_mask_next(m, 0); cpu < SCX_TOPO_MAX_CPUS;
 * cpu = scx_topo_mask_next(m, cpu + 1)) with bpf_for/can_loop around it.
 */
static __always_inline u32 scx_topo_mask_next(const struct scx_topo_mask *m, u32 from)
{
	u32 w, first = from / 64;

	if (!m || from >= SCX_TOPO_MAX_CPUS)
		return SCX_TOPO_MAX_CPUS;
	bpf_for(w, first, SCX_TOPO_MASK_WORDS) {
		u64 bits = m->bits[w];

		if (w == first)
			bits &= ~0ULL << (from & 63);
		if (bits)
			return w * 64 + __builtin_ctzll(bits);
	}
	return SCX_TOPO_MAX_CPUS;
}

/*
 * Set in dst the CPUs of the bitmap (dst is not cleared first). For init or
 * slow paths: up to SCX_TOPO_MAX_CPUS kfunc calls. Returns how many bits were
 * passed on; the kernel ignores ids at or above its nr_cpu_ids.
 */
static __always_inline u32 scx_topo_mask_to_cpumask(const struct scx_topo_mask *m,
						    struct bpf_cpumask *dst)
{
	u32 w, b, n = 0;

	if (!m || !dst)
		return 0;
	bpf_for(w, 0, SCX_TOPO_MASK_WORDS) {
		u64 bits = m->bits[w];

		if (!bits)
			continue;
		bpf_for(b, 0, 64) {
			if ((bits >> b) & 1) {
				bpf_cpumask_set_cpu(w * 64 + b, dst);
				n++;
			}
		}
	}
	return n;
}

/* ---- optional: drive domain.bpf.h from this topology ------------------- */
#endif /* __SCX_TOPOLOGY_BPF_H */
