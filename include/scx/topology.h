/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libscx: the CPU topology model (SMT cores, last-level caches, NUMA nodes,
 * packages, capacities and big/little core types), read from sysfs, and its
 * export into the maps of bpf-headers/scx/topology.bpf.h.
 *
 * Domain ids (core, llc, node, package) are dense: 0..nr-1, numbered in the
 * order of their lowest CPU. Only online CPUs belong to domains; an offline
 * CPU has no topology in sysfs, so its ids are -1 until a refresh after it
 * comes back.
 *
 * A topology object is not locked: refresh it from one thread while no other
 * thread reads it.
 */
#ifndef __SCX_TOPOLOGY_H
#define __SCX_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>

#include <scx/common.h>
#include <scx/topology_layout.h>

#ifdef __cplusplus
extern "C" {
#endif

struct scx_topology;
struct bpf_object;

struct scx_topology_opts {
	size_t sz;
	/* Directory holding devices/system/cpu and devices/system/node; NULL
	 * means "/sys". Tests point it at a fake tree. */
	const char *sysfs_root;
	size_t :0;
};
#define scx_topology_opts__last_field sysfs_root

/** Domain levels, from the smallest to the largest. */
enum scx_topo_level {
	SCX_TOPO_CORE,
	SCX_TOPO_LLC,
	SCX_TOPO_NODE,
	SCX_TOPO_PACKAGE,
	SCX_TOPO_NR_LEVELS,
};

/**
 * One CPU of the model, copied out by scx_topology__cpu(). Members are only
 * ever appended in later versions; sz tells the library how much of them the
 * caller's struct has room for:
 *
 *	struct scx_topo_cpu c = { .sz = sizeof(c) };
 *
 *	if (scx_topology__cpu(t, cpu, &c) < 0) ...
 */
struct scx_topo_cpu {
	size_t sz;		/* set by the caller: sizeof(struct scx_topo_cpu) */
	int id;
	bool possible;
	bool online;
	bool big;		/* not a little (efficiency) core; see scx_topology__open() */
	int core;		/* dense domain ids, -1 when unknown */
	int llc;
	int node;
	int package;
	unsigned int capacity;	/* 1..1024 relative to the fastest CPU; 0 when unknown */
	int smt_idx;		/* position among the siblings of its core, -1 when unknown */
	/* Raw values from sysfs, -1 when absent. */
	int phys_package_id;
	int die_id;
	int cluster_id;
	int core_id;
	int numa_node;		/* kernel node number */
};

/**
 * @brief Read the CPU topology from sysfs.
 * @param opts options, may be NULL.
 * @return a new topology object, or NULL with errno set:
 *   - EINVAL: invalid opts, or a malformed or inconsistent sysfs file (a
 *     warning names it), including a CPU id at or above SCX_TOPO_MAX_CPUS;
 *   - ENOENT: devices/system/cpu/possible or online is missing;
 *   - EAGAIN: CPUs kept going on- or offline during every one of several
 *     reads (a warning says so); try again once hotplug has settled;
 *   - ENOMEM: out of memory.
 *
 * CPU hotplug during the read is detected and the read done again: the
 * online mask (and kernel/sched_ext/hotplug_seq where the kernel has it) is
 * read before and after, so a CPU that goes offline meanwhile, and whose
 * topology files vanish, is never taken for a core and an LLC of its own.
 *
 * Where sysfs has no information the model falls back instead of failing:
 * no cache directories (common in VMs) gives one LLC per package; no
 * devices/system/node gives one node; no capacity source gives every CPU
 * capacity 1024. The capacity source is the first of cpu_capacity,
 * acpi_cppc/highest_perf, cpufreq/amd_pstate_prefcore_ranking and
 * cpufreq/cpuinfo_max_freq that every core has, scaled so that the fastest
 * CPU has 1024. A CPU is "big" when its capacity is at least 3/4 of 1024; on
 * a machine with one core type every CPU is big. (AMD preferred-core rankings
 * are an order, not a speed: cores ranked far below the best count as little.)
 *
 * SMT siblings share their core's raw ids and capacity: only the first CPU
 * of each core (and of each LLC) is read, which keeps a 4096-CPU machine to
 * a few thousand small reads.
 */
SCX_API struct scx_topology *scx_topology__open(const struct scx_topology_opts *opts);

/**
 * @brief Re-read sysfs into an existing object, e.g. after CPU hotplug.
 * @return 0, or a negative errno as for scx_topology__open(); on failure the
 *   object keeps its previous model.
 */
SCX_API int scx_topology__refresh(struct scx_topology *t);

/** @brief Free a topology object; NULL is ignored. */
SCX_API void scx_topology__free(struct scx_topology *t);

/** @brief Number of possible CPUs. -EINVAL if t is NULL (for all getters). */
SCX_API int scx_topology__nr_cpus(const struct scx_topology *t);
/** @brief Highest possible CPU id + 1: the size of an array indexed by CPU id. */
SCX_API int scx_topology__nr_cpu_ids(const struct scx_topology *t);
/** @brief Number of online CPUs. */
SCX_API int scx_topology__nr_online(const struct scx_topology *t);
/** @brief Number of SMT cores (with at least one online CPU). */
SCX_API int scx_topology__nr_cores(const struct scx_topology *t);
/** @brief Number of last-level caches. */
SCX_API int scx_topology__nr_llcs(const struct scx_topology *t);
/** @brief Number of NUMA nodes with online CPUs. */
SCX_API int scx_topology__nr_nodes(const struct scx_topology *t);
/** @brief Number of packages (sockets). */
SCX_API int scx_topology__nr_packages(const struct scx_topology *t);
/**
 * @brief Number of domains at a level.
 * @return the count, or -EINVAL for a NULL t or an unknown level.
 */
SCX_API int scx_topology__nr_domains(const struct scx_topology *t, enum scx_topo_level level);

/**
 * @brief Copy one CPU of the model into the caller's struct.
 * @param cpu a CPU id, 0..scx_topology__nr_cpu_ids()-1.
 * @param out receives the CPU; out->sz must be set. The library fills
 *   min(out->sz, its own sizeof(struct scx_topo_cpu)) bytes and zeroes the
 *   rest up to out->sz, so a caller built against a newer header reads its
 *   newer members as 0 and one built against an older header gets no more
 *   than it has room for. out->sz is left as it was.
 * @return the number of bytes filled (sz included), or a negative errno with
 *   errno set:
 *   - EINVAL: NULL t or out, or out->sz smaller than the struct of libscx
 *     0.1.0 (it was not set);
 *   - ERANGE: cpu out of range.
 *   Ids in holes of the possible mask are copied with possible false.
 */
SCX_API int scx_topology__cpu(const struct scx_topology *t, int cpu, struct scx_topo_cpu *out);

/**
 * @brief The CPUs of a domain, in ascending order.
 * @param level the domain level.
 * @param id the dense domain id.
 * @param cpus array receiving up to max CPU ids; may be NULL when max is 0.
 * @return the number of CPUs in the domain (which may exceed max: only max are
 *   stored), or -EINVAL (NULL t, unknown level) or -ERANGE (id out of range).
 */
SCX_API int scx_topology__domain_cpus(const struct scx_topology *t, enum scx_topo_level level,
				      int id, int *cpus, size_t max);

/**
 * @brief The CPUs of a domain as a bitmap of 64-bit words (bit N of word N/64
 *   is CPU N), as stored in the BPF maps.
 * @param mask receives nr_words words; bits beyond the words are dropped.
 * @return the number of CPUs in the domain, or -EINVAL / -ERANGE as
 *   scx_topology__domain_cpus().
 */
SCX_API int scx_topology__domain_mask(const struct scx_topology *t, enum scx_topo_level level,
				      int id, unsigned long long *mask, size_t nr_words);

/**
 * @brief Distance between two NUMA nodes, as in nodeN/distance (10 = local).
 * @param a, b dense node ids.
 * @return the distance; 10 when a == b and sysfs has no distances; -EINVAL
 *   (NULL t) or -ERANGE (bad id).
 */
SCX_API int scx_topology__node_distance(const struct scx_topology *t, int a, int b);

/** @brief Name of a level ("core", "llc", "node", "package"), or NULL. */
SCX_API const char *scx_topo_level__str(enum scx_topo_level level);

/**
 * @brief Fill the topology maps of a loaded BPF object.
 * @param obj an object that includes bpf-headers/scx/topology.bpf.h and has
 *   been loaded (array maps can be written from user space after load, so a
 *   running scheduler sees a refreshed model after another call).
 * @return 0, or a negative errno:
 *   - EINVAL: NULL argument, object not loaded, or a map's key/value size does
 *     not match this library's topology_layout.h;
 *   - ENOENT: a scx_topo_* map is missing from the object;
 *   - E2BIG: a map has fewer entries than the model needs;
 *   - other: the error of the map update.
 *
 * Maps are written domain bitmaps first, then CPU records, then the counts in
 * scx_topo_info last, so a CPU's domain ids never point at a bitmap not yet
 * written; during a re-export a program may briefly see a mix of both models.
 * Entries a previous export filled and the new model lacks are cleared.
 */
SCX_API int scx_topology__export(const struct scx_topology *t, struct bpf_object *obj);

/**
 * @brief Parse a kernel CPU list ("0-3,8,10-15", "0-15:2/4", "" = none).
 * @param str the list; a trailing newline is accepted.
 * @param mask receives the set as 64-bit words (cleared first).
 * @param nr_bits capacity of mask in bits (a multiple of 64).
 * @return the number of CPUs in the list, or -EINVAL with errno set for a
 *   syntax error, a reversed range ("5-3"), or a CPU id >= nr_bits.
 *   Entries need not be ascending, as with the kernel's own parser.
 */
SCX_API int scx_cpulist_parse(const char *str, unsigned long long *mask, size_t nr_bits);

/**
 * @brief Format a bitmap as a CPU list ("0-3,8").
 * @return the length of the full list (like snprintf: it was truncated if
 *   >= size), or -EINVAL for NULL arguments.
 */
SCX_API int scx_cpulist_format(char *buf, size_t size, const unsigned long long *mask,
			       size_t nr_bits);

#ifdef __cplusplus
}
#endif

#endif /* __SCX_TOPOLOGY_H */
