/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * What a kernel's sched_ext interface offers, read from its BTF: whether
 * sched_ext is there at all, and whether a kfunc, an ops field, an ops flag or
 * an enum value exists. The sched_ext interface is unstable between kernel
 * versions, so libscx decides from BTF, never from the version string.
 */
#ifndef __SCX_FEATURES_H
#define __SCX_FEATURES_H

#include <stdbool.h>
#include <linux/types.h>

#include <scx/common.h>

#ifdef __cplusplus
extern "C" {
#endif

struct scx_features;

/**
 * @brief The running kernel's features, probed once from
 * /sys/kernel/btf/vmlinux and cached for the life of the process.
 * @return the cached probe (do not free it), or NULL with errno set:
 *   ENOENT when the kernel has no BTF, EINVAL when its BTF cannot be parsed.
 */
SCX_API const struct scx_features *scx_features__running(void);

/**
 * @brief Probe the kernel described by a BTF file (a vmlinux ELF or raw BTF,
 * such as a copy of /sys/kernel/btf/vmlinux), e.g. recorded test kernels.
 * @return a new object to free with scx_features__free(), or NULL with errno
 *   set: ENOENT for a missing file, EINVAL for a file that holds no BTF,
 *   ENOMEM.
 */
SCX_API struct scx_features *scx_features__open(const char *btf_path);

/** @brief Free an object from scx_features__open(); NULL is a no-op. */
SCX_API void scx_features__free(struct scx_features *f);

/** @brief True when the kernel was built with CONFIG_SCHED_CLASS_EXT. */
SCX_API bool scx_features__has_sched_ext(const struct scx_features *f);

/**
 * @brief True when the kernel has the kfunc NAME (e.g. "scx_bpf_dsq_insert").
 *
 * A kfunc is a kernel function that BPF programs may call: in BTF that carries
 * the "bpf_kfunc" declaration tag (pahole 1.26 and later tag kfuncs), any
 * other kernel function (schedule(), an _impl helper) is not one. For BTF
 * without any such tag (older tooling), every kernel function counts.
 */
SCX_API bool scx_features__has_kfunc(const struct scx_features *f, const char *name);

/**
 * @brief Number of parameters of kfunc NAME in the kernel's BTF, or -ENOENT
 * when scx_features__has_kfunc() says no.
 */
SCX_API int scx_features__kfunc_nr_args(const struct scx_features *f, const char *name);

/** @brief True when struct sched_ext_ops has a member NAME (e.g. "cgroup_set_idle"). */
SCX_API bool scx_features__has_ops_field(const struct scx_features *f, const char *name);

/**
 * @brief True when enum scx_ops_flags has flag NAME, spelled as in the kernel
 * ("SCX_OPS_SWITCH_PARTIAL") or without the prefix ("SWITCH_PARTIAL").
 */
SCX_API bool scx_features__has_ops_flag(const struct scx_features *f, const char *name);

/**
 * @brief The value of enumerator NAME of any enum in the kernel's BTF.
 * @return 0 with *val set, -ENOENT when the kernel has no such enumerator.
 */
SCX_API int scx_features__enum_value(const struct scx_features *f, const char *name, __s64 *val);

/** @brief Every flag bit of enum scx_ops_flags this kernel accepts, ORed. */
SCX_API __u64 scx_features__ops_flags_mask(const struct scx_features *f);

#ifdef __cplusplus
}
#endif

#endif /* __SCX_FEATURES_H */
