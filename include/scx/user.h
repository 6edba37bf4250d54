/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * User-space scheduling: the policy is ordinary C code in a process. The BPF
 * half (scx/user.bpf.h, which the scheduler's .bpf.c includes) sends every
 * task that wants a CPU to the process as a struct scx_user_task; the
 * process answers each with a struct scx_user_dispatch (a CPU or any, a
 * slice, a vtime); BPF carries it out. If the process stops answering (a
 * signal, a debugger, a page fault on a stuck disk) BPF schedules by itself
 * until it comes back, and counts it.
 *
 * The loop, with scx_sched__run() (or scx_cli, scx/cli.h) running it:
 *
 *	static int schedule(struct scx_user *u, void *ctx)
 *	{
 *		struct scx_user_task t[64];
 *		int i, n = scx_user__receive(u, t, 64, 0);
 *
 *		for (i = 0; i < n; i++) {
 *			struct scx_user_dispatch d = { .pid = t[i].pid, .seq = t[i].seq,
 *						       .cpu = SCX_USER_CPU_ANY };
 *			scx_user__dispatch(u, &d);
 *		}
 *		return 0;
 *	}
 *	...
 *	SCX_OPTS(scx_user_opts, uo, .schedule_fn = schedule);
 *	struct scx_user *u = scx_user__new(s, &uo);   // opened, not loaded
 *	scx_sched__run(s, &run_opts);                  // load, attach, loop
 *	scx_user__destroy(u);
 *
 * or a loop of one's own: scx_user__new(), scx_sched__load(),
 * scx_sched__attach(), then scx_user__receive() with a timeout and
 * scx_user__dispatch() until scx_sched__wait(s, 0) says it exited.
 *
 * The rules of the scheduling thread (the thread that calls
 * scx_user__new(); it must be the one that receives and dispatches): while
 * it is late, tasks wait. scx_user__new() makes its memory safe before
 * anything is attached: it locks all the process's memory, present and
 * future (mlockall), reserves and faults in heap_reserve bytes of heap for
 * the policy's malloc() and keeps glibc from returning it or using mmap
 * for large blocks, faults in the thread's stack, and stops the kernel's
 * compaction from moving locked pages (vm.compact_unevictable_allowed = 0,
 * restored by scx_user__destroy()), and turns transparent huge pages off for
 * the process (khugepaged's collapses fault a thread that touches the pages
 * meanwhile). Fork helper processes before scx_user__new(): a fork after it
 * leaves the pages copy-on-write and the thread faults on its next write to
 * each. After attach, the policy must not:
 * allocate beyond that reserve, do blocking I/O (files, sockets, printing
 * to a pipe that may fill), wait on locks another thread holds for long, or
 * sleep other than in scx_user__receive(). scx_user__counters() reports the
 * thread's page faults since the scheduler was loaded, so a policy that
 * breaks the rules shows it.
 */
#ifndef __SCX_USER_H
#define __SCX_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include <scx/common.h>
#include <scx/user_layout.h>

#ifdef __cplusplus
extern "C" {
#endif

struct scx_sched;
struct scx_user;

struct scx_user_opts {
	size_t sz;
	/* Bytes of each ring (tasks to user space, decisions back): a power
	 * of 2 from the page size to 1 GiB. 0: 256 KiB. When the tasks' ring
	 * is full, BPF queues the task itself (counted as congested). */
	__u32 ring_size;
	/* BPF dispatches by itself when the loop shows no sign of life for
	 * this long while tasks wait: 1 to 60000. 0: 100 ms. */
	__u32 stall_ms;
	/* The slice of a decision whose slice_ns is 0, and of what BPF
	 * dispatches itself: 50 us to 1 s. 0: 5 ms. */
	__u64 slice_ns;
	/* Heap reserved (malloc'ed, faulted in, locked and given back to
	 * malloc) for the policy: at most 64 GiB. 0: 16 MiB. */
	__u64 heap_reserve;
	/* For scx_sched__run(): the policy, called from its loop when tasks
	 * wait, and at least every millisecond while scx_user__set_pending()
	 * says the policy holds some. A non-zero return (a negative errno)
	 * stops the scheduler. */
	int (*schedule_fn)(struct scx_user *u, void *ctx);
	void *ctx;
	/* A waking task that finds an idle CPU it may use runs there at once
	 * (BPF's pick, the default slice) instead of waiting for the policy,
	 * and so does a synchronous wakeup (a pipe or socket writer about to
	 * wait) onto its waker's CPU, with what is left of the waker's slice
	 * (a waker's next wakees get half of what the last one got; a first
	 * one that finds tasks queued there waits for the policy): the policy
	 * decides what contends for CPUs, and the task's CPU time is in
	 * runtime_ns of its next record.
	 * Off: every task is decided. */
	bool direct_idle;
	size_t :0;
};
#define scx_user_opts__last_field direct_idle

/**
 * @brief Make s a user-space scheduler driven by the calling thread. s must
 * be opened and not loaded, from an object that includes scx/user.bpf.h. The
 * rings' sizes and the thread's id are set in s (and again on every reopen
 * for a restart); the memory rules above are applied now.
 * @return the handle, or NULL with errno: EINVAL (NULL s, bad opts, or a
 *   ring_size, stall_ms, slice_ns or heap_reserve out of range); EBUSY (s is
 *   loaded already); EEXIST (s has a scx_user already); ENOENT (the object
 *   lacks scx/user.bpf.h's maps or program); EPROTO (the object was built
 *   against another version of scx/user_layout.h); EPERM (memory cannot be locked:
 *   not root and RLIMIT_MEMLOCK too low); ENOMEM (the heap reserve cannot be
 *   had). The print callback says which step failed.
 */
SCX_API struct scx_user *scx_user__new(struct scx_sched *s, const struct scx_user_opts *opts);

/**
 * @brief Take up to max waiting tasks into tasks[]. With timeout_ms 0 it
 * does not wait; otherwise it waits that long (-1: until one comes) when
 * none waits. Call it from the scheduling thread: the call is the loop's
 * sign of life.
 * @return the number taken (0 when none came, or a signal interrupted the
 *   wait); -EINVAL (NULL u or tasks, max 0); -ENODEV (s is not loaded);
 *   -errno of the binding to a newly loaded object.
 */
SCX_API int scx_user__receive(struct scx_user *u, struct scx_user_task *tasks,
			      unsigned int max, int timeout_ms);

/**
 * @brief Send a decision. The library checks what it can; BPF checks the
 * rest and corrects or drops rather than failing the scheduler: a cpu the
 * task may not use becomes any CPU (counted as corrected); a decision for a
 * task that stopped waiting, or for an earlier wait (seq), is dropped
 * (stale); a pid that names no task is dropped (unknown). slice_ns 0 means
 * the default slice.
 * @return 0; -EINVAL (NULL, pid <= 0, cpu neither SCX_USER_CPU_ANY nor a
 *   possible CPU, non-zero flags, slice_ns past 10 s); -ENODEV (not loaded);
 *   -EAGAIN (the decision ring is full: BPF empties it whenever a CPU looks
 *   for work; receive with a timeout, then try again).
 */
SCX_API int scx_user__dispatch(struct scx_user *u, const struct scx_user_dispatch *d);

/**
 * @brief Claim an idle CPU the task may run on, its previous CPU (t->cpu)
 * first, from the kernel's idle tracking. The CPU stays claimed (the
 * kernel's pickers skip it) until it runs something: dispatch the task
 * there.
 * @return the CPU; -EBUSY when none is idle; -ESRCH when the task is gone;
 *   -EINVAL (NULL); -ENODEV (not loaded); -errno of bpf(2).
 */
SCX_API int scx_user__pick_idle_cpu(struct scx_user *u, const struct scx_user_task *t);

/**
 * @brief Tell BPF (and scx_sched__run()'s loop) how many received tasks
 * the policy holds undecided. While non-zero, run() calls schedule_fn again
 * within a millisecond instead of waiting for new tasks.
 * @return 0; -EINVAL for NULL.
 */
SCX_API int scx_user__set_pending(struct scx_user *u, __u64 nr);

/**
 * @brief The runtime's slice: scx_user_opts.slice_ns, or its default, as
 * scx_cli's --slice-us may have set it. A policy gives it (weighted) in its
 * decisions rather than a number of its own, so that one option sets both.
 * @return the slice in ns; 0 for NULL.
 */
SCX_API __u64 scx_user__slice_ns(const struct scx_user *u);

/*
 * Weighted fair sharing, the arithmetic most policies start from. A vclock
 * is how far the queue has got in virtual time; a task's vtime advances by
 * the CPU time it used divided by its weight (100 for nice 0). Zero it, set
 * slice_ns, and keep it for the scheduler's life.
 */
struct scx_user_vclock {
	__u64 now;		/* how far the queue has got (moved by charge) */
	__u64 slice_ns;		/* a sleeper banks one; the clock's biggest step */
	__u32 lag_max;		/* slices a light task's vtime may run ahead; 0: 4 */
};

/**
 * @brief Charge t's CPU time to vtime (a task's own, or its process's for a
 * policy that shares by process). A task back with time used had its turn,
 * so the clock first moves to t->vtime, by a slice at most, or by this
 * run's charge when that is more and t is not light (below): far enough to
 * keep up with runs that outlast their slices, not so far that a task that
 * ran out of turn on an idle CPU drags it anywhere. vtime is then raised to a slice behind
 * the clock at least (a sleeper banks no more) and charged runtime_ns * 100 /
 * weight. A light task, whose scx_user__weighted_slice() is at its floor
 * (weight below 12.5), is then held to lag_max slices ahead of the clock: a
 * nice-19 task charged 100 times its time still gets a turn every few
 * slices. Heavier tasks are charged exactly, however long a run took (a
 * late tick, a stalled vCPU): a bound there would shift ordinary nice
 * levels' shares.
 * @return the new vtime; vtime unchanged for a NULL c or t.
 */
SCX_API __u64 scx_user_vclock__charge(struct scx_user_vclock *c, const struct scx_user_task *t,
				      __u64 vtime);

/**
 * @brief slice_ns scaled by weight for tasks lighter than nice 0 (weight
 * below 100), an eighth of it at the least, so that one turn of a light
 * task does not put it far ahead; slice_ns for the others.
 */
SCX_API __u64 scx_user__weighted_slice(__u64 slice_ns, __u32 weight);

/* What the runtime has done: the library's side and BPF's (summed over
 * CPUs). Set sz to sizeof(struct scx_user_counters) before the call. */
struct scx_user_counters {
	size_t sz;
	__u64 received;		/* tasks taken by scx_user__receive() */
	__u64 dispatched;	/* decisions sent */
	__u64 refused;		/* decisions refused with -EINVAL */
	__u64 ring_full;	/* decisions refused with -EAGAIN */
	__u64 queued;		/* BPF: tasks sent to user space */
	__u64 congested;	/* BPF: the tasks' ring was full, BPF queued them */
	__u64 bpf_direct;	/* BPF: per-CPU kthreads, migration disabled */
	__u64 sched_runs;	/* BPF: the scheduling thread was queued */
	__u64 applied;		/* BPF: decisions carried out */
	__u64 stale;		/* BPF: decisions for a task no longer waiting */
	__u64 unknown;		/* BPF: decisions for no task */
	__u64 corrected;	/* BPF: cpu not allowed, sent to any CPU */
	__u64 fallback;		/* BPF: tasks dispatched while the loop stalled */
	__u64 stalls;		/* BPF: times it took over */
	__u64 rescued;		/* BPF: tasks a live loop left waiting 1 s */
	__u64 bpf_mode;		/* 1 while BPF dispatches for a stalled loop */
	__u64 pending;		/* the last scx_user__set_pending() */
	__u64 faults;		/* the scheduling thread's page faults since load */
	__u64 rtt_count;	/* round trips (enqueue to dispatch) measured */
	__u64 rtt_p50_ns;	/* their median, and 99th percentile */
	__u64 rtt_p99_ns;
	__u64 direct_idle;	/* BPF: wakeups run on an idle CPU at once */
	__u64 resumed;		/* BPF: tasks the scheduling thread preempted, put
				 * back on their CPU with the rest of their slice */
	size_t :0;
};

/**
 * @brief Copy the counters into *c (up to c->sz bytes; members this library
 * does not know read as 0). Any thread may call it; faults is the value
 * the scheduling thread last measured (at its last receive).
 * @return the number of bytes filled; -EINVAL (NULL, or sz smaller than
 *   up to ring_full); -ENODEV (not loaded).
 */
SCX_API int scx_user__counters(struct scx_user *u, struct scx_user_counters *c);

/**
 * @brief The fd that becomes readable when tasks wait (for a loop that
 * polls other fds too); it changes when a restart loads a new object.
 * @return the fd; -ENODEV (not loaded); -EINVAL.
 */
SCX_API int scx_user__fd(struct scx_user *u);

/** @brief The scx_user of s, or NULL. */
SCX_API struct scx_user *scx_sched__user(const struct scx_sched *s);

/**
 * @brief Undo scx_user__new(): free the rings, restore the compaction
 * setting and unlock memory. Call it before scx_sched__destroy(s), after
 * the scheduler is detached. NULL is a no-op.
 */
SCX_API void scx_user__destroy(struct scx_user *u);

#ifdef __cplusplus
}
#endif

#endif /* __SCX_USER_H */
