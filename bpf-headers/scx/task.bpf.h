/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Per-task and per-CPU scheduler state.
 *
 * Task context lives in task-local storage, which the kernel frees with the
 * task, so a scheduler never leaks entries for exited tasks:
 *	struct my_task { u64 vtime; };
 *	SCX_TASK_CTX_DEFINE(my_task);
 *	ops.init_task:  if (!scx_task_ctx_create(p)) return -ENOMEM;
 *	elsewhere:      struct my_task *tctx = scx_task_ctx(p);  (may be NULL)
 *
 * CPU context is one per-CPU array entry:
 *	struct my_cpu { u64 busy; };
 *	SCX_CPU_CTX_DEFINE(my_cpu);
 *	struct my_cpu *c = scx_cpu_ctx();        this CPU
 *	struct my_cpu *o = scx_cpu_ctx_of(cpu);  another CPU (racy, by design)
 */
#ifndef __SCX_TASK_BPF_H
#define __SCX_TASK_BPF_H

#include "common.bpf.h"

#define SCX_TASK_CTX_DEFINE(ctx_type)						\
	struct {								\
		__uint(type, BPF_MAP_TYPE_TASK_STORAGE);			\
		__uint(map_flags, BPF_F_NO_PREALLOC);				\
		__type(key, int);						\
		__type(value, struct ctx_type);					\
	} scx_task_ctx_map SEC(".maps");					\
	/* Lookup only: NULL for a task that init_task never saw. */		\
	static __always_inline struct ctx_type *scx_task_ctx(const struct task_struct *p) \
	{									\
		return bpf_task_storage_get(&scx_task_ctx_map,			\
					    (struct task_struct *)p, NULL, 0);	\
	}									\
	/* Create zeroed (or return the existing one); NULL only on -ENOMEM.	\
	 * Call from ops.init_task, where allocation may sleep. */		\
	static __always_inline struct ctx_type *scx_task_ctx_create(struct task_struct *p) \
	{									\
		return bpf_task_storage_get(&scx_task_ctx_map, p, NULL,	\
					    BPF_LOCAL_STORAGE_GET_F_CREATE);	\
	}

#define SCX_CPU_CTX_DEFINE(ctx_type)						\
	struct {								\
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);			\
		__uint(max_entries, 1);						\
		__type(key, u32);						\
		__type(value, struct ctx_type);					\
	} scx_cpu_ctx_map SEC(".maps");						\
	static __always_inline struct ctx_type *scx_cpu_ctx(void)			\
	{									\
		u32 ___key = 0;							\
		return bpf_map_lookup_elem(&scx_cpu_ctx_map, &___key);		\
	}									\
	static __always_inline struct ctx_type *scx_cpu_ctx_of(s32 cpu)		\
	{									\
		u32 ___key = 0;							\
		return bpf_map_lookup_percpu_elem(&scx_cpu_ctx_map, &___key, cpu); \
	}

#endif /* __SCX_TASK_BPF_H */
