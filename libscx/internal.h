/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Helpers shared by the library's own .c files; not installed. */
#ifndef __SCX_INTERNAL_H
#define __SCX_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <linux/types.h>

#include <scx/common.h>

__attribute__((format(printf, 2, 3)))
void scx__print(enum scx_print_level level, const char *fmt, ...);

#define pr_warn(fmt, ...)  scx__print(SCX_WARN, "libscx: " fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)  scx__print(SCX_INFO, "libscx: " fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) scx__print(SCX_DEBUG, "libscx: " fmt, ##__VA_ARGS__)

/* Return a negative errno and set errno: "return scx_err(-ENOENT);". */
static inline int scx_err(int err)
{
	if (err < 0)
		errno = -err;
	return err;
}

/* Return NULL with errno set from a negative error code. */
static inline void *scx_err_ptr(int err)
{
	errno = err < 0 ? -err : err;
	return NULL;
}

/* libbpf reports ELF and object errors with its own codes above 4000. */
static inline int scx__libbpf_errno(int err)
{
	if (err <= -4000)
		return -EINVAL;
	return err;
}

/*
 * Options structs: true when the caller's struct is usable. A caller built
 * against an older header passes a smaller sz (the missing members read as
 * zero through SCX_OPT()); one built against a newer header passes a larger
 * sz, which is fine only if every byte we do not know is zero.
 */
bool scx__opts_valid(const void *opts, size_t opts_sz, size_t known_sz, const char *type_name);

/* The kernel's struct sched_attr (sched_getattr(2)); glibc 2.36 has none. */
struct scx__sched_attr {
	__u32 size;
	__u32 sched_policy;
	__u64 sched_flags;
	__s32 sched_nice;
	__u32 sched_priority;
	__u64 sched_runtime, sched_deadline, sched_period;
	__u32 sched_util_min, sched_util_max;
};
#define SCX__SCHED_FLAG_RESET_ON_FORK 0x01

/*
 * Raise the calling thread to SCHED_FIFO for the kernel's enable (boost.c):
 * 1 raised (saved holds what to give back), 0 left as it was (already RT
 * or deadline), or a negative errno (EPERM without CAP_SYS_NICE).
 */
int scx__enable_boost(struct scx__sched_attr *saved);
/* Give the thread back what scx__enable_boost() saved. */
void scx__enable_unboost(struct scx__sched_attr *saved);

#define SCX_OPTS_VALID(opts, TYPE)						\
	scx__opts_valid((opts), (opts) ? (opts)->sz : 0,				\
		       offsetofend(struct TYPE, TYPE##__last_field), #TYPE)

/* Member of an options struct, or its default when the caller's struct
 * predates it. */
#define SCX_OPT(opts, field, def)						\
	(((opts) && (opts)->sz >= offsetofend(__typeof__(*(opts)), field))	\
	 ? (opts)->field : (def))

#ifndef offsetofend
#define offsetofend(TYPE, FIELD) (offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))
#endif

/* scx__read_file() and the other small readers of sysfs files. */
#include "sysfs.h"

/* scx__now_ms(), scx__sleep_ms(), the rate limit */
#include "clock.h"

#endif /* __SCX_INTERNAL_H */
