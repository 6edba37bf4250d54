/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * The base every libscx BPF scheduler includes first: vmlinux types, libbpf's
 * BPF helpers, the sched_ext kfuncs that have kept one prototype across every
 * supported kernel (6.16 .. 7.3), the ops definition macros and the
 * error/exit helpers that prepend file:line.
 *
 * Kfuncs whose name, arguments or return type changed, and kfuncs that only
 * newer kernels have, are NOT declared here: compat.bpf.h (included at the end
 * of this file) gives each of them one spelling that loads everywhere.
 */
#ifndef __SCX_COMMON_BPF_H
#define __SCX_COMMON_BPF_H

/*
 * vmlinux.h is generated from the newest kernel and declares that kernel's
 * kfunc prototypes; older kernels disagree with several of them, so the
 * prototypes come from here and compat.bpf.h instead.
 */
#define BPF_NO_KFUNC_PROTOTYPES
/* bpftool emits a few anonymous members that clang flags as declaring
 * nothing; they are harmless and not the scheduler author's to fix. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wmissing-declarations"
#include "vmlinux.h"
#pragma clang diagnostic pop
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#ifndef __stringify
#define __scx_str(x) #x
#define __stringify(x) __scx_str(x)
#endif

/* vmlinux.h has no errno macros; these are the values every arch shares. */
#ifndef ENOENT
#define ENOENT	2
#endif
#ifndef ESRCH
#define ESRCH	3
#endif
#ifndef ENOMEM
#define ENOMEM	12
#endif
#ifndef EBUSY
#define EBUSY	16
#endif
#ifndef EINVAL
#define EINVAL	22
#endif

/*
 * Globals that user space reads or sets should use the __u32/__u64 spellings:
 * bpftool copies their type names into the skeleton, which is compiled
 * against libc headers where u32/u64 do not exist.
 */

#define SCX_MIN(a, b) ((a) < (b) ? (a) : (b))
#define SCX_MAX(a, b) ((a) > (b) ? (a) : (b))
#define SCX_CLAMP(v, lo, hi) SCX_MIN(SCX_MAX((v), (lo)), (hi))

/*
 * The kernel's sched_ext enums are not ABI: SCX_ENQ_HEAD was 16 in 6.16 and is
 * 1 << 16 in 7.3. vmlinux.h holds the newest values, which are wrong on older
 * kernels for such flags; SCX_ENUM() reads the running kernel's value through
 * a CO-RE relocation and yields 0 where the kernel lacks the enumerator.
 * Constants that never moved (SCX_DSQ_GLOBAL, SCX_DSQ_LOCAL, SCX_SLICE_DFL,
 * SCX_KICK_*, SCX_PICK_IDLE_*) may be used directly.
 */
#define SCX_ENUM(type, name)							\
	(bpf_core_enum_value_exists(enum type, name) ?				\
	 bpf_core_enum_value(enum type, name) : 0)

/* ---- kfuncs with one prototype on every supported kernel --------------- */

s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __ksym __weak;
void scx_bpf_destroy_dsq(u64 dsq_id) __ksym __weak;
s32 scx_bpf_dsq_nr_queued(u64 dsq_id) __ksym __weak;
void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
			      u64 enq_flags) __ksym __weak;
u32 scx_bpf_dispatch_nr_slots(void) __ksym __weak;
void scx_bpf_dispatch_cancel(void) __ksym __weak;
bool scx_bpf_dsq_move(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p, u64 dsq_id,
		      u64 enq_flags) __ksym __weak;
bool scx_bpf_dsq_move_vtime(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p,
			    u64 dsq_id, u64 enq_flags) __ksym __weak;
void scx_bpf_dsq_move_set_slice(struct bpf_iter_scx_dsq *it__iter, u64 slice) __ksym __weak;
void scx_bpf_dsq_move_set_vtime(struct bpf_iter_scx_dsq *it__iter, u64 vtime) __ksym __weak;
int bpf_iter_scx_dsq_new(struct bpf_iter_scx_dsq *it, u64 dsq_id, u64 flags) __ksym __weak;
struct task_struct *bpf_iter_scx_dsq_next(struct bpf_iter_scx_dsq *it) __ksym __weak;
void bpf_iter_scx_dsq_destroy(struct bpf_iter_scx_dsq *it) __ksym __weak;

s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
			   bool *is_idle) __ksym __weak;
bool scx_bpf_test_and_clear_cpu_idle(s32 cpu) __ksym __weak;
s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags) __ksym __weak;
s32 scx_bpf_pick_any_cpu(const struct cpumask *cpus_allowed, u64 flags) __ksym __weak;
void scx_bpf_put_idle_cpumask(const struct cpumask *cpumask) __ksym __weak;
const struct cpumask *scx_bpf_get_possible_cpumask(void) __ksym __weak;
const struct cpumask *scx_bpf_get_online_cpumask(void) __ksym __weak;
void scx_bpf_put_cpumask(const struct cpumask *cpumask) __ksym __weak;

u32 scx_bpf_nr_cpu_ids(void) __ksym __weak;
u32 scx_bpf_nr_node_ids(void) __ksym __weak;
s32 scx_bpf_cpu_node(s32 cpu) __ksym __weak;
s32 scx_bpf_task_cpu(const struct task_struct *p) __ksym __weak;
bool scx_bpf_task_running(const struct task_struct *p) __ksym __weak;
struct cgroup *scx_bpf_task_cgroup(struct task_struct *p) __ksym __weak;
u32 scx_bpf_cpuperf_cap(s32 cpu) __ksym __weak;
u32 scx_bpf_cpuperf_cur(s32 cpu) __ksym __weak;
void scx_bpf_cpuperf_set(s32 cpu, u32 perf) __ksym __weak;

void scx_bpf_error_bstr(char *fmt, unsigned long long *data, u32 data__sz) __ksym __weak;
void scx_bpf_dump_bstr(char *fmt, unsigned long long *data, u32 data__sz) __ksym __weak;

/* Generic BPF kfuncs the building blocks use. */
struct bpf_cpumask *bpf_cpumask_create(void) __ksym __weak;
void bpf_cpumask_release(struct bpf_cpumask *cpumask) __ksym __weak;
void bpf_cpumask_set_cpu(u32 cpu, struct bpf_cpumask *cpumask) __ksym __weak;
void bpf_cpumask_clear_cpu(u32 cpu, struct bpf_cpumask *cpumask) __ksym __weak;
bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask) __ksym __weak;
u32 bpf_cpumask_first(const struct cpumask *cpumask) __ksym __weak;
u32 bpf_cpumask_any_and_distribute(const struct cpumask *src1,
				   const struct cpumask *src2) __ksym __weak;
bool bpf_cpumask_and(struct bpf_cpumask *dst, const struct cpumask *src1,
		     const struct cpumask *src2) __ksym __weak;
bool bpf_cpumask_empty(const struct cpumask *cpumask) __ksym __weak;
u32 bpf_cpumask_weight(const struct cpumask *cpumask) __ksym __weak;
void bpf_rcu_read_lock(void) __ksym __weak;
void bpf_rcu_read_unlock(void) __ksym __weak;
struct task_struct *bpf_task_from_pid(s32 pid) __ksym __weak;
void bpf_task_release(struct task_struct *p) __ksym __weak;

/* ---- defining a scheduler ----------------------------------------------- */

/*
 * One ops callback:
 *	s32 SCX_OPS(my_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
 * SCX_OPS_SLEEPABLE is for the callbacks the kernel allows to sleep (init,
 * exit, init_task, cgroup_init, ...).
 */
#define SCX_OPS(name, args...)	SEC("struct_ops/" #name) BPF_PROG(name, ##args)
#define SCX_OPS_SLEEPABLE(name, args...) SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

/*
 * The scheduler itself; ".struct_ops.link" makes attaching create a link, so
 * the scheduler goes away with its loader:
 *	SCX_OPS_DEFINE(minimal_ops, .enqueue = (void *)minimal_enqueue, .name = "minimal");
 */
#define SCX_OPS_DEFINE(__name, ...)						\
	SEC(".struct_ops.link") struct sched_ext_ops __name = { __VA_ARGS__ }

/* ---- errors, exits and dumps that say where they came from -------------- */

/*
 * The *_bstr kfuncs take the format and an array of u64 arguments. The format
 * is a static (writable .data) copy because the kernel reads it from BPF
 * memory; __FILE_NAME__ keeps the location short whatever the build path.
 */
#define __SCX_BSTR_CALL(call, fmt, args...)					\
({										\
	static char ___scx_fmt[] = fmt;						\
	unsigned long long ___scx_data[___bpf_narg(args)];			\
	_Pragma("GCC diagnostic push")						\
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")			\
	___bpf_fill(___scx_data, ##args);					\
	_Pragma("GCC diagnostic pop")						\
	call(___scx_fmt, ___scx_data, sizeof(___scx_data));			\
})

#define SCX_HERE __FILE_NAME__ ":" __stringify(__LINE__) ": "

/* Abort the scheduler (exit kind ERROR_BPF) with "file:line: message". */
#define scx_error(fmt, args...)							\
	__SCX_BSTR_CALL(scx_bpf_error_bstr, SCX_HERE fmt, ##args)

/* Write a line into the kernel's debug dump (only valid from ops.dump*). */
#define scx_dump(fmt, args...)	__SCX_BSTR_CALL(scx_bpf_dump_bstr, fmt, ##args)

/* scx_exit(code, fmt, ...) is in compat.bpf.h: its kfunc changed in 7.1. */

#include "compat.bpf.h"

#endif /* __SCX_COMMON_BPF_H */
