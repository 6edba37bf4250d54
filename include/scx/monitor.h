/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * The system's sched_ext state, from /sys/kernel/sched_ext: whether a
 * scheduler is attached and which, its sequence counters, the kernel's event
 * counters, and which tasks are on the sched_ext class.
 */
#ifndef __SCX_MONITOR_H
#define __SCX_MONITOR_H

#include <stdbool.h>
#include <sys/types.h>
#include <linux/types.h>

#include <scx/common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct scx_monitor_opts {
	size_t sz;
	/* sysfs root, default "/sys"; procfs root, default "/proc" (tests) */
	const char *sysfs_root;
	const char *procfs_root;
	size_t :0;
};
#define scx_monitor_opts__last_field procfs_root

struct scx_system_status {
	size_t sz;			/* set by the caller: sizeof(struct scx_system_status) */
	char state[16];			/* "disabled", "enabling", "enabled", "disabling" */
	char ops[128];			/* the attached scheduler's name; "" when none */
	bool switch_all;		/* every task is on sched_ext (not a partial switch) */
	__u64 enable_seq;		/* schedulers enabled since boot */
	__u64 nr_rejected;		/* tasks that refused to join sched_ext */
	__u64 hotplug_seq;		/* CPU hotplug events since boot */
};

/**
 * @brief Read the system's sched_ext state.
 * @param st filled in; st->sz must be set. The library fills
 *   min(st->sz, its own sizeof(struct scx_system_status)) bytes and zeroes
 *   the rest up to st->sz: a caller built against an older header gets only
 *   the members it has, one built against a newer header reads the members
 *   this library does not know as 0.
 * @return the number of bytes of *st filled (sz included), or a negative
 *   errno with errno set: -EOPNOTSUPP the kernel has no sched_ext (no
 *   /sys/kernel/sched_ext); -EINVAL bad arguments (st->sz not covering
 *   state) or a malformed state file; -errno reading sysfs.
 */
SCX_API int scx_system__status(struct scx_system_status *st, const struct scx_monitor_opts *opts);

/** Called once per event counter; a non-zero return stops the iteration. */
typedef int (*scx_event_fn)(const char *name, __u64 value, void *ctx);

/**
 * @brief Call fn for each of the attached scheduler's event counters
 * (/sys/kernel/sched_ext/root/events: SCX_EV_*), in the kernel's order.
 * @return 0 or fn's non-zero return; -ENOENT no scheduler is attached or the
 *   kernel has no event counters (before 6.15); -EOPNOTSUPP no sched_ext.
 */
SCX_API int scx_system__for_each_event(scx_event_fn fn, void *ctx, const struct scx_monitor_opts *opts);

/**
 * @brief Read one event counter by name ("SCX_EV_SELECT_CPU_FALLBACK" or
 * without the "SCX_EV_" prefix).
 * @return 0 with *val set; -ENOENT no such counter (or none at all).
 */
SCX_API int scx_system__event(const char *name, __u64 *val, const struct scx_monitor_opts *opts);

/**
 * @brief Whether task PID is on the sched_ext class now.
 * @return 1 yes, 0 no; -ESRCH no such task; -EOPNOTSUPP the kernel does not
 *   report it (no sched_ext, or /proc/PID/sched without ext.enabled).
 */
SCX_API int scx_task__on_scx(pid_t pid, const struct scx_monitor_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* __SCX_MONITOR_H */
