/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * The records of user-space scheduling (scx/user.h, scx/user.bpf.h), shared
 * by the BPF half and the library: the task BPF hands to user space, the
 * decision user space hands back, the page both sides share and BPF's
 * counters.
 *
 * Included from both sides: it depends on neither libc nor vmlinux.h.
 */
#ifndef __SCX_USER_LAYOUT_H
#define __SCX_USER_LAYOUT_H

/* A decision's cpu: any CPU the task may use. */
#define SCX_USER_CPU_ANY	(-1)
#define SCX_USER_COMM_LEN	16
/* In a task's enq_flags: it woke up (the kernel's SCX_ENQ_WAKEUP). */
#define SCX_USER_ENQ_WAKEUP	1ULL

/* The names the library finds the BPF half by. */
#define SCX_USER_QUEUED_MAP	"scx_user_queued"	/* BPF ring buffer: tasks */
#define SCX_USER_DECIDED_MAP	"scx_user_decided"	/* user ring buffer: decisions */
#define SCX_USER_SHARED_MAP	"scx_user_shared"	/* one mmapable page */
#define SCX_USER_COUNTERS_MAP	"scx_user_counters_map"	/* per-CPU counters */
#define SCX_USER_PICK_PROG	"scx_user_pick_cpu"	/* SEC("syscall") picker */
#define SCX_USER_TID_VAR	"scx_user_tid"		/* the scheduling thread */
#define SCX_USER_STALL_VAR	"scx_user_stall_ms"

/* A task waiting for a decision. */
struct scx_user_task {
	int pid;			/* thread id */
	int tgid;			/* process id */
	int cpu;			/* the CPU it last ran on */
	unsigned int nr_cpus_allowed;	/* 1: it may run on cpu only */
	unsigned long long seq;		/* this wait's number: give it back */
	unsigned long long enq_flags;	/* SCX_ENQ_*: SCX_USER_ENQ_WAKEUP, it woke */
	unsigned long long weight;	/* 1..10000, nice 0 = 100 */
	unsigned long long runtime_ns;	/* CPU time since its last decision */
	unsigned long long burst_ns;	/* CPU time since it last slept */
	unsigned long long vtime;	/* the last decision's vtime, 0 at first */
	unsigned long long enq_ns;	/* when it started waiting (CLOCK_MONOTONIC) */
	char comm[SCX_USER_COMM_LEN];
};

/* Where and how a task runs. */
struct scx_user_dispatch {
	int pid;
	int cpu;			/* a CPU, or SCX_USER_CPU_ANY */
	unsigned long long seq;		/* the record's seq */
	unsigned long long slice_ns;	/* 0: the runtime's default slice */
	unsigned long long vtime;	/* order among the tasks sent to any CPU */
	unsigned long long flags;	/* none yet: 0 */
};

/* Written by the library, read by BPF (and the other way for bpf_mode). */
struct scx_user_shared {
	unsigned int awake;		/* the loop is working, not waiting */
	unsigned int bpf_mode;		/* BPF is dispatching for a stalled loop */
	unsigned long long seen_ns;	/* the loop's last sign of life */
	unsigned long long wait_ns;	/* first record while it waited (BPF) */
	unsigned long long nr_pending;	/* tasks user space holds undecided */
	unsigned long long slice_ns;	/* the default slice */
	unsigned int direct_idle;	/* wakeups to an idle CPU skip the policy */
	unsigned int pad;
};

/* scx_user__pick_idle_cpu()'s argument to the picker program. */
struct scx_user_pick_args {
	int pid;
	int prev_cpu;		/* tried first */
	int cpu;		/* out: the CPU, -EBUSY or -ESRCH */
	int pad;
};

/* Round trip (enqueue to dispatch) histogram: bucket b < 8 holds b ns,
 * bucket b >= 8 holds from (4 + b % 4) << (b / 4 - 2) ns: 4 per power of 2,
 * up to 2^48 ns. */
#define SCX_USER_RTT_BUCKETS	192

/* BPF's counters, one per CPU, summed by scx_user__counters(). */
struct scx_user_bpf_counters {
	unsigned long long queued;	/* sent to user space */
	unsigned long long congested;	/* the ring was full: BPF queued it */
	unsigned long long bpf_direct;	/* per-CPU kthreads, migration-disabled */
	unsigned long long sched_runs;	/* the scheduling thread was queued */
	unsigned long long applied;	/* decisions carried out */
	unsigned long long stale;	/* decisions for a task no longer waiting */
	unsigned long long unknown;	/* decisions naming no task */
	unsigned long long corrected;	/* a CPU the task may not use: any CPU */
	unsigned long long fallback;	/* dispatched by BPF while the loop stalled */
	unsigned long long stalls;	/* times BPF took over */
	unsigned long long rescued;	/* waited a second in spite of a live loop */
	unsigned long long rtt[SCX_USER_RTT_BUCKETS];
	unsigned long long direct_idle;	/* woke onto an idle CPU, no round trip */
	unsigned long long resumed;	/* preempted by the scheduling thread, resumed */
};

/* The weighted slice both sides give: slice scaled by weight below nice 0's
 * (100), an eighth of it at the least (scx_user__weighted_slice()). */
static inline __u64 scx_user_layout__weighted_slice(__u64 slice, __u32 weight)
{
	__u64 s = weight < 100 ? slice * weight / 100 : slice;

	return s > slice / 8 ? s : slice / 8;
}

/* A light task: its weighted slice is at that floor (weight below 12.5).
 * Only light tasks are held to a bounded lead in vtime, on both sides. */
static inline int scx_user_layout__light(__u64 slice, __u32 weight)
{
	return slice * weight / 100 < slice / 8;
}

#endif /* __SCX_USER_LAYOUT_H */
