/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * A scheduler's own counters, read by name from user space.
 *
 * Counters live in the scheduler's BPF object in one of two forms:
 * - a BPF_MAP_TYPE_PERCPU_ARRAY named "scx_stats..." or "stats..." whose
 *   value type is a struct of __u64 members: each member is one counter,
 *   named by the member, and user space sums it over every CPU and array
 *   entry (bpf-headers/scx/stats.bpf.h declares such a map); such a map of
 *   plain __u64 values is one counter named by the map. Other per-CPU
 *   arrays (CPU contexts) are not counters;
 * - a __u64 global variable in .bss/.data, read as it is.
 */
#ifndef __SCX_STATS_H
#define __SCX_STATS_H

#include <linux/types.h>

#include <scx/common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct scx_sched;

/**
 * @brief Read counter NAME, summed over CPUs. Before load, reads the
 * initial value.
 * @return 0 with *val set; -ENOENT no such counter; -EINVAL bad arguments.
 */
SCX_API int scx_sched__read_counter(const struct scx_sched *s, const char *name, __u64 *val);

/** Called once per counter; a non-zero return stops the iteration. */
typedef int (*scx_counter_fn)(const char *name, __u64 value, void *ctx);

/**
 * @brief Call fn for every per-CPU counter of the scheduler, in map and
 * member order.
 * @return 0, fn's non-zero return, or a negative errno.
 */
SCX_API int scx_sched__for_each_counter(const struct scx_sched *s, scx_counter_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* __SCX_STATS_H */
