/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * One spelling for each sched_ext operation whose kfunc differs between the
 * supported kernels (Debian 6.16 .. 7.3). Every wrapper picks, at load time,
 * the variant the running kernel has: libbpf resolves each weak __ksym against
 * the kernel's BTF (a missing or mismatching one becomes NULL) and the
 * verifier drops the branches that bpf_ksym_exists() rules out.
 *
 * libbpf strips a trailing "___suffix" when it resolves a kfunc, which is how
 * two prototypes of one kernel function coexist here ("foo___v1" and
 * "foo___scx" resolve to the kernel's "foo", "foo___v2___scx" to its
 * "foo___v2"). The "___scx" suffix only keeps our declarations from
 * clashing with the kernel's names.
 *
 * Kernels built with an older pahole (Debian trixie-backports 7.1.13 and
 * 7.2.12) describe the kfuncs that take an implicit bpf_prog_aux argument
 * (7.1+) with that argument visible and without the "*_impl" function that
 * correct builds (sid 7.2.13, 7.3.4) add. On such a kernel libbpf (>= 1.5)
 * leaves a weak extern with the documented prototype unbound, and declaring
 * the longer prototype does not help: the verifier itself then rejects the
 * call ("cannot find function scx_bpf_get_idle_cpumask_impl in BTF", seen on
 * 7.2.12). Those kfuncs simply cannot be called there. The ones affected are
 * scx_bpf_kick_cpu, scx_bpf_get_idle_cpumask/_smtmask(_node),
 * scx_bpf_exit_bstr, scx_bpf_dsq_insert___v2, scx_bpf_task_set_slice,
 * scx_bpf_task_set_dsq_vtime, scx_bpf_kick_cid and scx_bpf_locked_rq; the
 * wrappers below fall back to other means for each, as noted there. Remove
 * the fallbacks when those builds no longer matter.
 *
 * Each shim names the kernel version that made it necessary; once the oldest
 * supported kernel is at or past that version, only the first branch stays.
 */
#ifndef __SCX_COMPAT_BPF_H
#define __SCX_COMPAT_BPF_H

#include "common.bpf.h"

/*
 * Each wrapper prefers the newer kfunc with scx_compat_newer(). A test (or a
 * scheduler author checking their fallbacks) defines SCX_COMPAT_FALLBACKS to
 * 1 before the first include to make every wrapper take its older path
 * instead, so the fallbacks run on a kernel that has the newer kfuncs; the
 * older ones they call exist on every supported kernel.
 */
#ifndef SCX_COMPAT_FALLBACKS
#define SCX_COMPAT_FALLBACKS 0
#endif
#define scx_compat_newer(sym) (!SCX_COMPAT_FALLBACKS && bpf_ksym_exists(sym))

/* ---- inserting into a DSQ ------------------------------------------------ */

/* 6.19 added scx_bpf_dsq_insert___v2, which reports whether the insert
 * happened; the void one (6.13, "scx_bpf_dispatch" before) stays for now. On
 * the 7.1/7.2 builds described above ___v2 does not bind and the void one,
 * which those builds describe correctly, is used. */
bool scx_bpf_dsq_insert___v2___scx(struct task_struct *p, u64 dsq_id, u64 slice,
				   u64 enq_flags) __ksym __weak;
void scx_bpf_dsq_insert___v1(struct task_struct *p, u64 dsq_id, u64 slice,
			     u64 enq_flags) __ksym __weak;

/* Queue p on dsq_id (FIFO). False when the kernel refused (6.19+ only). */
static __always_inline bool scx_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice,
					   u64 enq_flags)
{
	if (scx_compat_newer(scx_bpf_dsq_insert___v2___scx))
		return scx_bpf_dsq_insert___v2___scx(p, dsq_id, slice, enq_flags);
	scx_bpf_dsq_insert___v1(p, dsq_id, slice, enq_flags);
	return true;
}

/*
 * 6.19 added __scx_bpf_dsq_insert_vtime, which takes its scalars in a struct
 * (kfuncs may have at most five arguments, and the struct can grow) and
 * reports whether the insert happened; the five-argument
 * scx_bpf_dsq_insert_vtime (6.13) is kept for old programs and marked for
 * removal. The struct-argument one is used wherever it binds; the 7.1/7.2
 * builds above show it with its implicit argument, so it does not bind there.
 */
bool __scx_bpf_dsq_insert_vtime___scx(struct task_struct *p,
				      struct scx_bpf_dsq_insert_vtime_args *args) __ksym __weak;

/* Queue p on dsq_id ordered by vtime. False when the kernel refused (6.19+). */
static __always_inline bool scx_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice,
						 u64 vtime, u64 enq_flags)
{
	if (scx_compat_newer(__scx_bpf_dsq_insert_vtime___scx)) {
		struct scx_bpf_dsq_insert_vtime_args args = {
			.dsq_id = dsq_id, .slice = slice, .vtime = vtime, .enq_flags = enq_flags,
		};

		return __scx_bpf_dsq_insert_vtime___scx(p, &args);
	}
	scx_bpf_dsq_insert_vtime(p, dsq_id, slice, vtime, enq_flags);
	return true;
}

/* ---- moving to the local DSQ --------------------------------------------- */

/* 7.1 added enq_flags (as scx_bpf_dsq_move_to_local___v2); 6.13 renamed
 * scx_bpf_consume to scx_bpf_dsq_move_to_local. */
bool scx_bpf_dsq_move_to_local___v2___scx(u64 dsq_id, u64 enq_flags) __ksym __weak;
bool scx_bpf_dsq_move_to_local___v1(u64 dsq_id) __ksym __weak;

/* Move the first task of dsq_id to this CPU's local DSQ (from ops.dispatch).
 * enq_flags are dropped on kernels before 7.1. */
static __always_inline bool scx_dsq_move_to_local(u64 dsq_id, u64 enq_flags)
{
	if (scx_compat_newer(scx_bpf_dsq_move_to_local___v2___scx))
		return scx_bpf_dsq_move_to_local___v2___scx(dsq_id, enq_flags);
	return scx_bpf_dsq_move_to_local___v1(dsq_id);
}

/* 6.19 turned scx_bpf_reenqueue_local into a void ___v2; the u32 one stays. */
u32 scx_bpf_reenqueue_local___v1(void) __ksym __weak;
void scx_bpf_reenqueue_local___v2___scx(void) __ksym __weak;

static __always_inline void scx_reenqueue_local(void)
{
	if (scx_compat_newer(scx_bpf_reenqueue_local___v2___scx))
		scx_bpf_reenqueue_local___v2___scx();
	else
		scx_bpf_reenqueue_local___v1();
}

/* ---- kfuncs with an implicit bpf_prog_aux argument (7.1) ----------------- */

void scx_bpf_kick_cpu___scx(s32 cpu, u64 flags) __ksym __weak;

/*
 * Make cpu reschedule (SCX_KICK_IDLE, SCX_KICK_PREEMPT, ...). Returns false
 * where the kernel cannot be asked (the 7.1/7.2 builds above): code that must
 * wake a CPU can insert into SCX_DSQ_LOCAL_ON | cpu instead, which wakes it on
 * every kernel.
 */
static __always_inline bool scx_kick_cpu(s32 cpu, u64 flags)
{
	if (!scx_compat_newer(scx_bpf_kick_cpu___scx))
		return false;
	scx_bpf_kick_cpu___scx(cpu, flags);
	return true;
}

/* Can scx_kick_cpu() kick on this kernel? (Ask before claiming a CPU to kick.) */
static __always_inline bool scx_can_kick(void)
{
	return scx_compat_newer(scx_bpf_kick_cpu___scx);
}

const struct cpumask *scx_bpf_get_idle_cpumask___scx(void) __ksym __weak;
const struct cpumask *scx_bpf_get_idle_smtmask___scx(void) __ksym __weak;

/*
 * The idle CPUs / the CPUs whose whole SMT core is idle, or NULL where the
 * kernel cannot give them (the 7.1/7.2 builds above). Release a non-NULL mask
 * with scx_bpf_put_idle_cpumask(). idle.bpf.h works without them.
 */
static __always_inline const struct cpumask *scx_get_idle_cpumask(void)
{
	if (scx_compat_newer(scx_bpf_get_idle_cpumask___scx))
		return scx_bpf_get_idle_cpumask___scx();
	return NULL;
}

static __always_inline const struct cpumask *scx_get_idle_smtmask(void)
{
	if (scx_compat_newer(scx_bpf_get_idle_smtmask___scx))
		return scx_bpf_get_idle_smtmask___scx();
	return NULL;
}

void scx_bpf_exit_bstr___scx(s64 exit_code, char *fmt, unsigned long long *data,
			     u32 data__sz) __ksym __weak;

/*
 * Unregister the scheduler on purpose (exit kind UNREG_BPF) with exit code
 * code and a "file:line: " message; user space sees both in its exit info.
 * On the 7.1/7.2 builds above it ends as scx_error() does (kind ERROR_BPF,
 * the code lost): the message still says where and why.
 */
#define scx_exit(code, fmt, args...)						\
({										\
	static char ___scx_fmt[] = SCX_HERE fmt;				\
	unsigned long long ___scx_data[___bpf_narg(args)];			\
	_Pragma("GCC diagnostic push")						\
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")			\
	___bpf_fill(___scx_data, ##args);					\
	_Pragma("GCC diagnostic pop")						\
	if (scx_compat_newer(scx_bpf_exit_bstr___scx))				\
		scx_bpf_exit_bstr___scx((code), ___scx_fmt, ___scx_data,	\
					sizeof(___scx_data));			\
	else									\
		scx_bpf_error_bstr(___scx_fmt, ___scx_data,			\
				   sizeof(___scx_data));			\
})

bool scx_bpf_task_set_slice___scx(struct task_struct *p, u64 slice) __ksym __weak;
bool scx_bpf_task_set_dsq_vtime___scx(struct task_struct *p, u64 vtime) __ksym __weak;

/*
 * Set p's remaining slice / its vtime. 6.19 added kfuncs for this; before,
 * and on the 7.1/7.2 builds above, struct_ops programs write p->scx.slice and
 * p->scx.dsq_vtime directly, which sched_ext allows.
 */
static __always_inline void scx_task_set_slice(struct task_struct *p, u64 slice)
{
	if (scx_compat_newer(scx_bpf_task_set_slice___scx))
		scx_bpf_task_set_slice___scx(p, slice);
	else
		p->scx.slice = slice;
}

static __always_inline void scx_task_set_dsq_vtime(struct task_struct *p, u64 vtime)
{
	if (scx_compat_newer(scx_bpf_task_set_dsq_vtime___scx))
		scx_bpf_task_set_dsq_vtime___scx(p, vtime);
	else
		p->scx.dsq_vtime = vtime;
}

/* ---- newer kfuncs with fallbacks ----------------------------------------- */

u64 scx_bpf_now___scx(void) __ksym __weak;

/* The rq clock (6.14): cheaper than bpf_ktime_get_ns() and consistent with
 * the kernel's own accounting; falls back to bpf_ktime_get_ns(). */
static __always_inline u64 scx_now(void)
{
	if (scx_compat_newer(scx_bpf_now___scx))
		return scx_bpf_now___scx();
	return bpf_ktime_get_ns();
}

/* 6.16 added scx_bpf_select_cpu_and; 6.19 the struct-argument
 * __scx_bpf_select_cpu_and, which the five-argument one is marked to give way
 * to. As with the insert above, the struct one is used where it binds. */
s32 __scx_bpf_select_cpu_and___scx(struct task_struct *p, const struct cpumask *cpus_allowed,
				   struct scx_bpf_select_cpu_and_args *args) __ksym __weak;
s32 scx_bpf_select_cpu_and___scx(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
				 const struct cpumask *cpus_allowed, u64 flags) __ksym __weak;

/*
 * The kernel's default idle CPU selection restricted to cpus_allowed (6.16).
 * Returns an idle CPU that it claimed, or a negative value when none is idle.
 * Before 6.16: the default selection without the restriction, only when its
 * pick is idle and inside cpus_allowed. A pick outside has been claimed
 * already (its idle bit cleared) and would stay idle, invisible to every
 * later search, until something woke it: it is kicked, so that it goes
 * through the idle path again and reappears in the idle mask.
 */
static __always_inline s32 scx_select_cpu_and(struct task_struct *p, s32 prev_cpu,
					      u64 wake_flags,
					      const struct cpumask *cpus_allowed, u64 flags)
{
	bool is_idle = false;
	s32 cpu;

	if (scx_compat_newer(__scx_bpf_select_cpu_and___scx)) {
		struct scx_bpf_select_cpu_and_args args = {
			.prev_cpu = prev_cpu, .wake_flags = wake_flags, .flags = flags,
		};

		return __scx_bpf_select_cpu_and___scx(p, cpus_allowed, &args);
	}
	if (scx_compat_newer(scx_bpf_select_cpu_and___scx))
		return scx_bpf_select_cpu_and___scx(p, prev_cpu, wake_flags, cpus_allowed,
						    flags);
	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (is_idle && cpu >= 0 && bpf_cpumask_test_cpu(cpu, cpus_allowed))
		return cpu;
	if (is_idle && cpu >= 0)
		scx_kick_cpu(cpu, SCX_KICK_IDLE);
	return -EBUSY;
}

struct task_struct *scx_bpf_cpu_curr___scx(s32 cpu) __ksym __weak;
struct rq *scx_bpf_cpu_rq___scx(s32 cpu) __ksym __weak;

/*
 * The task running on cpu, RCU-protected: call between bpf_rcu_read_lock()
 * and bpf_rcu_read_unlock(). 6.18 added scx_bpf_cpu_curr; before it the rq
 * was exposed (scx_bpf_cpu_rq, removed in 7.x).
 */
static __always_inline struct task_struct *scx_cpu_curr(s32 cpu)
{
	struct rq *rq;

	if (scx_compat_newer(scx_bpf_cpu_curr___scx))
		return scx_bpf_cpu_curr___scx(cpu);
	if (!bpf_ksym_exists(scx_bpf_cpu_rq___scx))
		return NULL;
	rq = scx_bpf_cpu_rq___scx(cpu);
	return rq ? rq->curr : NULL;
}

struct task_struct *scx_bpf_dsq_peek___scx(u64 dsq_id) __ksym __weak;

/*
 * The lockless scx_bpf_dsq_peek (6.19) can return a stale first task, or
 * none for a DSQ that is not empty, until 7.1 fixed it. It is used from 7.1
 * on, where it binds; before, the DSQ iterator (6.12) walks to the first
 * task under the DSQ's lock. The version comes from libbpf, which fills
 * LINUX_KERNEL_VERSION from the running kernel at load time; the verifier
 * drops the branch not taken.
 */
extern int LINUX_KERNEL_VERSION __kconfig;

static __always_inline bool scx_dsq_peek_usable(void)
{
	return scx_compat_newer(scx_bpf_dsq_peek___scx) &&
	       LINUX_KERNEL_VERSION >= KERNEL_VERSION(7, 1, 0);
}

/*
 * The first task of dsq_id without removing it, or NULL. The fallback walks
 * the DSQ with its iterator and returns the task's pid instead of a pointer,
 * which the verifier would not let escape the loop: use scx_dsq_peek_pid()
 * where both kernels matter.
 */
static __always_inline s32 scx_dsq_peek_pid(u64 dsq_id)
{
	struct task_struct *p;

	if (scx_dsq_peek_usable()) {
		p = scx_bpf_dsq_peek___scx(dsq_id);
		return p ? p->pid : -ENOENT;
	}
	if (!bpf_ksym_exists(bpf_iter_scx_dsq_new))
		return -ENOENT;
	bpf_for_each(scx_dsq, p, dsq_id, 0)
		return p->pid;
	return -ENOENT;
}

/*
 * The vtime (dsq_vtime) of the first task of dsq_id that may run on cpu
 * (any CPU when cpu is negative): true when there is one. Only the first task
 * is looked at: one that may not run on cpu makes the answer false. Debian's
 * 7.1.13 build has a usable peek but cannot bind the iterator (its BTF shows
 * the implicit argument, see above), and kernels before 7.1 have only the
 * iterator, so both are needed until 7.1 is the oldest kernel.
 */
static __always_inline bool scx_dsq_head_vtime_on(u64 dsq_id, s32 cpu, u64 *vtime)
{
	struct task_struct *p;

	if (scx_dsq_peek_usable()) {
		p = scx_bpf_dsq_peek___scx(dsq_id);
		if (!p || (cpu >= 0 && !bpf_cpumask_test_cpu(cpu, p->cpus_ptr)))
			return false;
		*vtime = p->scx.dsq_vtime;
		return true;
	}
	if (!bpf_ksym_exists(bpf_iter_scx_dsq_new))
		return false;
	bpf_for_each(scx_dsq, p, dsq_id, 0) {
		if (cpu >= 0 && !bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			return false;
		*vtime = p->scx.dsq_vtime;
		return true;
	}
	return false;
}

/* The vtime of the first task of dsq_id: true when there is one. */
static __always_inline bool scx_dsq_head_vtime(u64 dsq_id, u64 *vtime)
{
	return scx_dsq_head_vtime_on(dsq_id, -1, vtime);
}

#endif /* __SCX_COMPAT_BPF_H */
