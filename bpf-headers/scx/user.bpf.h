/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * The BPF half of user-space scheduling (the other half is scx/user.h): the
 * policy runs in an ordinary process, and this header queues tasks to it and
 * carries out its decisions.
 *
 * A task that wants a CPU waits in a BPF queue ("parked") while a record of
 * it (scx/user_layout.h) goes to user space through a ring buffer. User
 * space answers with a decision (a CPU or any CPU, a slice, a vtime) through
 * a user ring buffer, which ops.dispatch drains: the task moves from the
 * parking queue to that CPU, or to a vtime-ordered queue every CPU takes
 * from. Each wait has a sequence number, and a decision for an earlier wait
 * (the task left meanwhile: it was dequeued, re-pinned, killed) is dropped
 * and counted; the kernel checks again, under the task's lock, that the task
 * is still parked.
 *
 * BPF schedules by itself what user space cannot or must not decide:
 * - the scheduling thread (it is the one that would decide),
 * - per-CPU kthreads and tasks with migration disabled (they cannot wait
 *   for a round trip),
 * - tasks that find the ring full (a weighted-vtime queue of its own),
 * - every parked task while the user-space loop is stalled: stopped by a
 *   signal or a debugger, faulting on a page, stuck, or still inside the
 *   attach. When the loop has not shown a sign of life for
 *   scx_user_stall_ms while tasks wait, dispatch takes them from the
 *   parking queue itself in weighted-vtime order, tasks that come meanwhile
 *   go to an idle CPU or BPF's queue without a round trip, and a timer
 *   wakes idle CPUs for what is parked, until the loop shows life again
 *   ("bpf_mode" in the shared page); its late decisions for those tasks are
 *   stale and dropped. Nothing waits for the kernel's watchdog because a
 *   process paused.
 * No ops.cpu_release: handing a CPU's local tasks back when an RT task takes
 * it (scx_dsq_cpu_release()) sends them to user space, whose decision for a
 * task that may only use that CPU puts it back there, and 7.3 ejects a
 * scheduler that re-enqueues a task 256 times without running it (seen
 * under the stress layer's renice workload). A task user space sent to a
 * busy CPU waits for it, RT bandwidth limits included.
 * A task parked for a second although the loop is alive (a policy that
 * forgot it) is rescued ahead of its turn (scx_dsq_rescue()).
 *
 * A scheduler whose policy is all in user space defines its ops with one
 * macro (the rest of the struct's members after the name):
 *	SCX_USER_OPS_DEFINE(mysched, .timeout_ms = 5000, .name = "mysched");
 * One that does more in BPF wires the callbacks itself (the library finds
 * the maps and the picker program by name):
 *	.select_cpu = scx_user_select_cpu(p, prev_cpu, wake_flags)
 *	.enqueue    = scx_user_enqueue(p, enq_flags)
 *	.dispatch   = scx_user_dispatch(cpu, prev)
 *	.running    = scx_user_running(p)
 *	.stopping   = scx_user_stopping(p, runnable)
 *	.enable     = scx_user_enable(p)
 *	.init_task  = scx_user_init_task(p)          (sleepable)
 *	.init       = scx_user_init()                (sleepable)
 * It uses DSQ ids SCX_USER_DSQ_BASE to SCX_USER_DSQ_BASE + 3.
 */
#ifndef __SCX_USER_BPF_H
#define __SCX_USER_BPF_H

#include "common.bpf.h"
#include "dsq.bpf.h"
#include "exit.bpf.h"
#include <scx/user_layout.h>

#ifndef PF_KTHREAD
#define PF_KTHREAD	0x00200000
#endif
#ifndef PF_EXITING
#define PF_EXITING	0x00000004
#endif

#define SCX_USER_DSQ_BASE	0x55530000ULL
#define SCX_USER_DSQ_PARK	(SCX_USER_DSQ_BASE + 0)	/* waiting for user space */
#define SCX_USER_DSQ_ANY	(SCX_USER_DSQ_BASE + 1)	/* decided: any CPU, by vtime */
#define SCX_USER_DSQ_BPF	(SCX_USER_DSQ_BASE + 2)	/* the ring was full */
#define SCX_USER_DSQ_SCHED	(SCX_USER_DSQ_BASE + 3)	/* the scheduling thread */

/* A synchronous wakeup takes the rest of its waker's slice (at most the
 * default slice: a waker outside sched_ext has none of ours); with less
 * than this left, it goes to the policy. */
#define SCX_USER_SYNC_SLICE_MIN	(100 * 1000ULL)

/* Decisions carried out per ops.dispatch call, at most. */
#define SCX_USER_DRAIN_MAX	64

/* Set by scx_user__new(): the scheduling thread's id, and how long the loop
 * may show no sign of life while tasks wait before BPF takes over. */
const volatile __s32 scx_user_tid;
const volatile __u32 scx_user_stall_ms = 100;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);	/* scx_user_opts.ring_size */
} scx_user_queued SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 256 * 1024);
} scx_user_decided SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scx_user_shared);
} scx_user_shared SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scx_user_bpf_counters);
} scx_user_counters_map SEC(".maps");

struct scx_user_tctx {
	u64 seq;		/* the current wait's number */
	u64 vtime;		/* user space's, from its last decision */
	u64 bpf_vtime;		/* BPF's own weighted vtime, for its queues */
	u64 started_ns;		/* when it last started running */
	u64 run_slice;		/* its slice then */
	u64 runtime_ns;		/* since it last waited */
	u64 burst_ns;		/* since it last woke */
	u64 enq_ns;		/* when the current wait began */
	u64 left;		/* what was left of its slice when it stopped */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct scx_user_tctx);
} scx_user_tasks SEC(".maps");

static u64 scx_user__vclock;	/* the BPF queues' vtime: the highest started */
static u64 scx_user__uclock;	/* user space's: the highest vtime it decided */

/* Per CPU: the task running there, and the one the scheduling thread's
 * wakeup preempted, which resumes after it without a round trip, written
 * under the CPU's rq lock (ops.running and ops.stopping can run on another
 * CPU, for a renice: they name the task's CPU, not their own); and what the
 * running task gave its last synchronous wakee, written by its wakeups on
 * that CPU, without the lock (a renice's ops.running racing with it can
 * only make the next wakee's slice smaller). */
struct scx_user__cpu {
	s32 running;
	s32 preempted;
	u64 sync_slice;		/* the last synchronous wakee's, in this run */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scx_user__cpu);
} scx_user_cpu_map SEC(".maps");

static __always_inline struct scx_user_bpf_counters *scx_user__cnt(void)
{
	u32 key = 0;

	return bpf_map_lookup_elem(&scx_user_counters_map, &key);
}

#define scx_user__inc(field)						\
	do {								\
		struct scx_user_bpf_counters *___c = scx_user__cnt();	\
		if (___c)						\
			___c->field++;					\
	} while (0)

static __always_inline struct scx_user_shared *scx_user__shared(void)
{
	u32 key = 0;

	return bpf_map_lookup_elem(&scx_user_shared, &key);
}

static __always_inline u64 scx_user__slice(void)
{
	struct scx_user_shared *sh = scx_user__shared();

	return sh && sh->slice_ns ? sh->slice_ns : SCX_SLICE_DFL;
}

/* A slice for BPF's own queues, weighted as user space's: a light task runs
 * less per turn instead of falling far behind. */
static __always_inline u64 scx_user__bpf_slice(const struct task_struct *p)
{
	return scx_user_layout__weighted_slice(scx_user__slice(), p->scx.weight);
}

static __always_inline bool scx_user__light(const struct task_struct *p)
{
	return scx_user_layout__light(scx_user__slice(), p->scx.weight);
}

/* The BPF queues' order: weighted vtime, at most one slice behind, and for
 * a light task (its slice at the floor) at most four ahead. Without that
 * bound a nice-19 task (charged 100 times its CPU time) waited behind a
 * stream of others past the watchdog while BPF had taken over (khugepaged,
 * in test_user_loop); on heavier ones it would pull nice levels' shares
 * together whenever runs are long (late ticks), as in the library. */
static __always_inline u64 scx_user__key(const struct task_struct *p, struct scx_user_tctx *t)
{
	u64 floor = scx_user__vclock - SCX_SLICE_DFL;
	u64 ceil = scx_user__vclock + 4 * SCX_SLICE_DFL;

	if ((s64)(t->bpf_vtime - floor) < 0)
		t->bpf_vtime = floor;
	if (scx_user__light(p) && (s64)(t->bpf_vtime - ceil) > 0)
		t->bpf_vtime = ceil;
	return t->bpf_vtime;
}

static __always_inline struct scx_user__cpu *scx_user__cpu_of(s32 cpu)
{
	u32 key = 0;

	return bpf_map_lookup_percpu_elem(&scx_user_cpu_map, &key, cpu);
}

/* Where the scheduling thread goes: an idle CPU it may use (inserting into a
 * CPU's local queue wakes it on every kernel), or the queue every dispatch
 * serves first. Every decision waits for it, so when it wakes to find no
 * CPU idle it takes the CPU it wakes on now, ahead of that CPU's local
 * queue, instead of at the end of a slice. The task it preempts was given
 * its slice by a decision already: it resumes after it with what it had
 * left (scx_user__resume()), instead of going round to the policy because
 * the policy ran. An RT task there keeps its CPU. */
static __always_inline void scx_user__queue_sched(struct task_struct *p, u64 enq_flags)
{
	s32 cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);

	scx_user__inc(sched_runs);
	if (cpu >= 0) {
		scx_dsq_insert(p, SCX_DSQ_LOCAL_ON | cpu, SCX_SLICE_DFL, enq_flags);
	} else if (enq_flags & SCX_ENQ_WAKEUP) {
		struct scx_user__cpu *c = scx_user__cpu_of(scx_bpf_task_cpu(p));

		if (c)
			c->preempted = c->running;
		scx_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, enq_flags | SCX_ENQ_PREEMPT);
	} else {
		scx_dsq_insert(p, SCX_USER_DSQ_SCHED, SCX_SLICE_DFL, enq_flags);
	}
}

/*
 * The task the scheduling thread just preempted: it goes back among the
 * decided tasks with the rest of its slice, in the order of its last
 * decision's vtime (no further back than a slice behind the latest
 * decision: a task that ran without one since has an old vtime), so
 * that what the thread decides now (the wakeup that woke it, often) runs
 * first when the policy put it first. Back on its CPU, it would run before
 * every decision (a local queue that is not empty is not dispatched to),
 * and a wakeup would wait for the rest of its slice. A slice about spent
 * goes to the policy as usual: it would have soon.
 */
static __always_inline bool scx_user__resume(struct task_struct *p, struct scx_user_tctx *t,
					     u64 enq_flags)
{
	struct scx_user__cpu *c;
	u64 floor;

	if (enq_flags & SCX_ENQ_WAKEUP)
		return false;
	c = scx_user__cpu_of(scx_bpf_task_cpu(p));
	if (!c || c->preempted != p->pid)
		return false;
	c->preempted = 0;
	if (t->left < SCX_USER_SYNC_SLICE_MIN)
		return false;
	floor = scx_user__uclock - scx_user__slice();
	if (p->nr_cpus_allowed == 1)
		scx_dsq_insert(p, SCX_DSQ_LOCAL, t->left, enq_flags);
	else
		scx_dsq_insert_vtime(p, SCX_USER_DSQ_ANY, t->left,
				     (s64)(t->vtime - floor) < 0 ? floor : t->vtime, enq_flags);
	scx_user__inc(resumed);
	return true;
}

/*
 * Can p not leave its CPU right now? The BPF program's own entry disables
 * migration for the task running it, so the current task reads 1 when it
 * is enqueued from its own context (a preempted CPU hog): only more than
 * that, or 1 on another task, is the task's own migrate_disable().
 */
static __always_inline bool scx_user__migration_disabled(const struct task_struct *p)
{
	if (!bpf_core_field_exists(p->migration_disabled))
		return false;
	if (p->migration_disabled == 1)
		return bpf_get_current_task_btf() != p;
	return p->migration_disabled;
}

static __always_inline bool scx_user__bpf_only(const struct task_struct *p)
{
	return ((p->flags & PF_KTHREAD) && p->nr_cpus_allowed == 1) ||
	       scx_user__migration_disabled(p);
}

/*
 * Wakeups. The scheduling thread goes to an idle CPU when there is one.
 * With direct_idle (scx_user_opts), so does any waking task: it runs there
 * at once with the default slice, its burst ends as a wakeup's does, and
 * its CPU time goes to user space with its next record. So does a
 * synchronous wakeup (a pipe or socket writer about to wait for the
 * answer) onto the waker's CPU: the CPU is as good as idle, and a round
 * trip would cost more than the message. It gets what is left of the
 * waker's slice, not a new one, so that a chain of tasks waking each other
 * on one CPU goes to the policy once per slice and the tasks waiting for
 * that CPU get their turns. A waker that wakes several before it sleeps (a
 * fan-out writer, a server answering clients) gives each next one half of
 * what it gave the last: all of them get at most twice what it had left.
 * A first wakee that finds the CPU's queue holding something goes to the
 * policy. Tasks the policy decided, in the shared queue, wait for that CPU
 * by those slices at most (a wakee may wake others in turn, within its
 * own slice): the price of a round trip saved where
 * no CPU is idle. The others keep
 * prev_cpu: a CPU claimed here and not used would look busy to
 * user space's idle picks until it ran something.
 */
static __always_inline s32 scx_user_select_cpu(struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	struct scx_user_shared *sh;
	struct scx_user__cpu *c = NULL;
	struct scx_user_tctx *t;
	bool idle = false;
	u64 slice;
	s32 cpu;

	if (p->pid == scx_user_tid) {
		cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);
		if (idle) {
			scx_user__inc(sched_runs);
			scx_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, 0);
		}
		return cpu;
	}
	sh = scx_user__shared();
	if (!sh || !sh->direct_idle)
		return prev_cpu;
	t = bpf_task_storage_get(&scx_user_tasks, p, NULL, 0);
	if (!t)
		return prev_cpu;
	slice = scx_user__slice();
	/* without SCX_WAKE_SYNC: the kernel's search would return the
	 * waker's (busy) CPU as idle while another CPU is, with a full slice */
	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags & ~SCX_WAKE_SYNC, &idle);
	if (!idle) {
		struct task_struct *waker = bpf_get_current_task_btf();
		struct scx_user_tctx *w;
		u64 ran;

		if (!(wake_flags & SCX_WAKE_SYNC) || (waker->flags & PF_EXITING))
			return prev_cpu;
		/* what the waker has left: its slice when it started running
		 * less the time since (the kernel's own count is only brought
		 * up to date at ticks) */
		w = bpf_task_storage_get(&scx_user_tasks, waker, NULL, 0);
		if (!w || !w->started_ns)
			return prev_cpu;
		ran = bpf_ktime_get_ns() - w->started_ns;
		slice = w->run_slice > ran ? w->run_slice - ran : 0;
		cpu = bpf_get_smp_processor_id();
		c = scx_user__cpu_of(cpu);
		if (!c)
			return prev_cpu;
		/* a second wakee of this run (ops.running cleared sync_slice
		 * when the waker started) gets half the last one's, whatever
		 * is queued; a first one, only to an empty queue */
		if (c->sync_slice)
			slice = SCX_MIN(slice, c->sync_slice / 2);
		else if (scx_bpf_dsq_nr_queued(SCX_DSQ_LOCAL))
			return prev_cpu;
		if (slice < SCX_USER_SYNC_SLICE_MIN || slice > scx_user__slice() ||
		    !bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			return prev_cpu;
	}
	if (scx_dsq_insert(p, SCX_DSQ_LOCAL, slice, 0)) {
		t->burst_ns = 0;
		scx_user__inc(direct_idle);
		if (c)
			c->sync_slice = slice;
	}
	return cpu;
}

static __always_inline void scx_user_enqueue(struct task_struct *p, u64 enq_flags)
{
	struct scx_user_tctx *t = bpf_task_storage_get(&scx_user_tasks, p, NULL, 0);
	struct scx_user_shared *sh;
	struct scx_user_task *rec;
	u64 now = bpf_ktime_get_ns(), key;

	if (p->pid == scx_user_tid) {
		scx_user__queue_sched(p, enq_flags);
		return;
	}
	if (scx_user__bpf_only(p) || !t) {
		scx_user__inc(bpf_direct);
		scx_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, enq_flags);
		return;
	}
	if (scx_user__resume(p, t, enq_flags))
		return;
	t->seq++;
	t->enq_ns = now;
	key = scx_user__key(p, t);
	sh = scx_user__shared();
	if (sh && sh->bpf_mode) {
		/* the loop is stalled: no round trip, an idle CPU or BPF's queue */
		s32 cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);

		scx_user__inc(fallback);
		if (cpu >= 0)
			scx_dsq_insert(p, SCX_DSQ_LOCAL_ON | cpu, scx_user__bpf_slice(p), enq_flags);
		else
			scx_dsq_insert_vtime(p, SCX_USER_DSQ_BPF, scx_user__bpf_slice(p), key, enq_flags);
		return;
	}
	rec = bpf_ringbuf_reserve(&scx_user_queued, sizeof(*rec), 0);
	if (!rec) {
		scx_user__inc(congested);
		scx_dsq_insert_vtime(p, SCX_USER_DSQ_BPF, scx_user__bpf_slice(p), key, enq_flags);
		return;
	}
	rec->pid = p->pid;
	rec->tgid = p->tgid;
	rec->cpu = scx_bpf_task_cpu(p);
	rec->nr_cpus_allowed = p->nr_cpus_allowed;
	rec->seq = t->seq;
	rec->enq_flags = enq_flags;
	rec->weight = p->scx.weight;
	rec->runtime_ns = t->runtime_ns;
	rec->burst_ns = t->burst_ns;
	rec->vtime = t->vtime;
	rec->enq_ns = now;
	__builtin_memcpy(rec->comm, p->comm, sizeof(rec->comm));
	t->runtime_ns = 0;
	if (enq_flags & SCX_ENQ_WAKEUP)
		t->burst_ns = 0;
	/* The record cannot be acted on before the task is parked: that
	 * happens under this task's rq lock, which a decision's move takes. */
	bpf_ringbuf_submit(rec, 0);
	scx_user__inc(queued);
	scx_dsq_insert_vtime(p, SCX_USER_DSQ_PARK, scx_user__bpf_slice(p), key, enq_flags);
	if (sh && !sh->awake && !sh->wait_ns)
		__sync_val_compare_and_swap(&sh->wait_ns, 0, now);
}

/* The round trip's histogram bucket: 4 per power of two of ns (the two bits
 * below the highest set one); 0-3 ns are buckets 0-3. */
static __always_inline u32 scx_user__rtt_bucket(u64 ns)
{
	u64 v = ns;
	u32 log = 0, b;

	if (ns < 4)
		return ns;
	if (v >> 32) { v >>= 32; log += 32; }
	if (v >> 16) { v >>= 16; log += 16; }
	if (v >> 8) { v >>= 8; log += 8; }
	if (v >> 4) { v >>= 4; log += 4; }
	if (v >> 2) { v >>= 2; log += 2; }
	if (v >> 1) log += 1;
	b = log * 4 + ((ns >> (log - 2)) & 3);
	return b < SCX_USER_RTT_BUCKETS ? b : SCX_USER_RTT_BUCKETS - 1;
}

/* The drain's state, in a map rather than on the stack: the verifier
 * would otherwise follow the count through every possible call. */
struct scx_user__drain {
	u32 n;
	u32 turn;		/* which of the two queues dispatch tries first */
	u64 now;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scx_user__drain);
} scx_user_drain_map SEC(".maps");

/* One decision, from the user ring (bpf_user_ringbuf_drain's callback). */
static long scx_user__apply(struct bpf_dynptr *dynptr, void *ctx)
{
	u32 key = 0;
	struct scx_user__drain *dr = bpf_map_lookup_elem(&scx_user_drain_map, &key);
	struct scx_user_bpf_counters *c = scx_user__cnt();
	struct bpf_iter_scx_dsq it;
	struct scx_user_dispatch d;
	struct scx_user_tctx *t;
	struct task_struct *p;
	bool moved;
	s32 cpu;

	if (!c || !dr)
		return 1;
	if (bpf_dynptr_read(&d, sizeof(d), dynptr, 0, 0)) {
		c->unknown++;	/* the library writes whole records */
		return 0;
	}
	/* Before the checks: a task parked again after this point has a
	 * queue sequence past the iterator's, and the kernel will not move
	 * it for this (by then stale) decision. */
	bpf_iter_scx_dsq_new(&it, SCX_USER_DSQ_PARK, 0);
	p = bpf_task_from_pid(d.pid);
	if (!p) {
		c->unknown++;
		goto out;
	}
	t = bpf_task_storage_get(&scx_user_tasks, p, NULL, 0);
	if (!t || t->seq != d.seq) {
		c->stale++;
		goto release;
	}
	cpu = d.cpu;
	if (cpu != SCX_USER_CPU_ANY &&
	    (cpu < 0 || cpu >= scx_bpf_nr_cpu_ids() || !bpf_cpumask_test_cpu(cpu, p->cpus_ptr))) {
		c->corrected++;
		cpu = SCX_USER_CPU_ANY;
	}
	/* any CPU: an idle one now (inserting there wakes it), else the
	 * shared queue in the decision's vtime order */
	if (cpu == SCX_USER_CPU_ANY)
		cpu = p->nr_cpus_allowed == 1 ? scx_bpf_task_cpu(p) :
						 scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	scx_bpf_dsq_move_set_slice(&it, d.slice_ns ?: scx_user__slice());
	if (cpu >= 0) {
		moved = scx_bpf_dsq_move(&it, p, SCX_DSQ_LOCAL_ON | cpu, 0);
		/* Kernels without upstream's fix "sched_ext: Fix missing
		 * post-enqueue handling in move_local_task_to_local_dsq()"
		 * (December 2025; 6.16.3 lacks it, 7.3.4 has it) do not wake
		 * an idle CPU for a task moved into its local queue from the
		 * same CPU's rq, as a task sent back to its previous CPU is:
		 * it waited for the watch timer, ~25 ms a wakeup on 6.16.3. */
		if (moved && cpu != bpf_get_smp_processor_id())
			scx_kick_cpu(cpu, SCX_KICK_IDLE);
	} else {
		scx_bpf_dsq_move_set_vtime(&it, d.vtime);
		moved = scx_bpf_dsq_move_vtime(&it, p, SCX_USER_DSQ_ANY, 0);
	}
	if (moved) {
		u64 now = bpf_ktime_get_ns();
		u32 b = scx_user__rtt_bucket((s64)(now - t->enq_ns) > 0 ? now - t->enq_ns : 0);

		c->applied++;
		t->vtime = d.vtime;
		if ((s64)(d.vtime - scx_user__uclock) > 0)
			scx_user__uclock = d.vtime;
		if (b < SCX_USER_RTT_BUCKETS)
			c->rtt[b]++;
	} else {
		c->stale++;
	}
release:
	bpf_task_release(p);
out:
	bpf_iter_scx_dsq_destroy(&it);
	return ++dr->n >= SCX_USER_DRAIN_MAX;
}

/* Has the loop stopped showing signs of life? While it works, its sign is
 * the last time it looked for work (seen_ns); while it waits for work, how
 * long the first task queued since has waited (wait_ns). */
static __always_inline bool scx_user__stale(struct scx_user_shared *sh, u64 now)
{
	u64 limit = (u64)scx_user_stall_ms * 1000000, w;

	if (sh->awake)
		return (s64)(now - sh->seen_ns) > (s64)limit;
	w = sh->wait_ns;
	if (!w) {
		/* parked before the loop went to wait: count from now */
		if (scx_bpf_dsq_nr_queued(SCX_USER_DSQ_PARK))
			__sync_val_compare_and_swap(&sh->wait_ns, 0, now);
		return false;
	}
	return (s64)(now - w) > (s64)limit;
}

/* BPF takes over (true) or hands back: only a sign of life ends bpf_mode. */
static __always_inline bool scx_user__takeover(struct scx_user_shared *sh, u64 now)
{
	if (!scx_user__stale(sh, now)) {
		if (sh->bpf_mode)
			sh->bpf_mode = 0;
		return false;
	}
	if (!sh->bpf_mode && scx_bpf_dsq_nr_queued(SCX_USER_DSQ_PARK) &&
	    !__sync_val_compare_and_swap(&sh->bpf_mode, 0, 1))
		scx_user__inc(stalls);
	return sh->bpf_mode;
}

static __always_inline void scx_user_dispatch(s32 cpu, struct task_struct *prev)
{
	struct scx_user_shared *sh = scx_user__shared();
	struct scx_user__drain *dr;
	u32 key = 0;
	u64 now = bpf_ktime_get_ns();

	if (scx_dsq_move_to_local(SCX_USER_DSQ_SCHED, 0))
		return;
	dr = bpf_map_lookup_elem(&scx_user_drain_map, &key);
	if (dr) {
		dr->n = 0;
		dr->now = now;
		bpf_user_ringbuf_drain(&scx_user_decided, scx_user__apply, NULL, 0);
	}
	if (scx_dsq_rescue(SCX_USER_DSQ_PARK, cpu)) {
		scx_user__inc(rescued);
		return;
	}
	/* Taken over: what was parked first (it waited longest; what comes
	 * now goes to BPF's queue). */
	if (sh && scx_user__takeover(sh, now) && scx_dsq_move_to_local(SCX_USER_DSQ_PARK, 0)) {
		scx_user__inc(fallback);
		return;
	}
	/* Decided tasks and BPF's own take turns, so neither stream holds
	 * the other back. */
	if (dr && (dr->turn++ & 1)) {
		if (scx_dsq_move_to_local(SCX_USER_DSQ_BPF, 0))
			return;
		scx_dsq_move_to_local(SCX_USER_DSQ_ANY, 0);
	} else if (!scx_dsq_move_to_local(SCX_USER_DSQ_ANY, 0)) {
		scx_dsq_move_to_local(SCX_USER_DSQ_BPF, 0);
	}
}

/* Idle CPUs do not look for work by themselves: while tasks are parked,
 * wake them, for BPF's takeover and for the rescue of a task a live loop
 * left parked (a SIGKILL'd task whose decision the policy holds must run
 * to exit, test_user_loop). An idle CPU woken for nothing finds nothing. */
struct scx_user__watch {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scx_user__watch);
} scx_user_watch SEC(".maps");

static __always_inline u64 scx_user__watch_ns(void)
{
	return (u64)(scx_user_stall_ms ?: 2) * 1000000 / 2;
}

static int scx_user__watch_fn(void *map, int *key, struct bpf_timer *timer)
{
	struct scx_user_shared *sh = scx_user__shared();
	const struct cpumask *idle;
	u32 nr = scx_bpf_nr_cpu_ids();
	s32 i;

	if (sh)
		scx_user__takeover(sh, bpf_ktime_get_ns());
	if (scx_bpf_dsq_nr_queued(SCX_USER_DSQ_PARK) && (idle = scx_get_idle_cpumask())) {
		bpf_for(i, 0, nr) {
			if (bpf_cpumask_test_cpu(i, idle))
				scx_kick_cpu(i, SCX_KICK_IDLE);
		}
		scx_bpf_put_idle_cpumask(idle);
	}
	bpf_timer_start(timer, scx_user__watch_ns(), 0);
	return 0;
}

static __always_inline void scx_user_running(struct task_struct *p)
{
	struct scx_user_tctx *t = bpf_task_storage_get(&scx_user_tasks, p, NULL, 0);
	struct scx_user__cpu *c = scx_user__cpu_of(scx_bpf_task_cpu(p));

	if (c) {
		c->running = p->pid;
		c->preempted = 0;
		c->sync_slice = 0;
	}
	if (!t)
		return;
	t->started_ns = bpf_ktime_get_ns();
	t->run_slice = p->scx.slice;
	/* the clock moves to the started task; a light task, queued up to four
	 * slices ahead, by a slice at most, so as not to drag every other
	 * forward. A heavier one's key has no ceiling: with a capped step the
	 * clock would fall behind it whenever runs outlast their slices. */
	if ((s64)(t->bpf_vtime - scx_user__vclock) > 0)
		scx_user__vclock = scx_user__light(p) ?
			scx_user__vclock + SCX_MIN(t->bpf_vtime - scx_user__vclock, SCX_SLICE_DFL) :
			t->bpf_vtime;
}

static __always_inline void scx_user_stopping(struct task_struct *p, bool runnable)
{
	struct scx_user_tctx *t = bpf_task_storage_get(&scx_user_tasks, p, NULL, 0);
	struct scx_user__cpu *c = scx_user__cpu_of(scx_bpf_task_cpu(p));
	u64 ran;

	/* what runs next may be another class's: nothing of ours to preempt */
	if (c && c->running == p->pid)
		c->running = 0;
	if (!t || !t->started_ns)
		return;
	ran = bpf_ktime_get_ns() - t->started_ns;
	t->left = t->run_slice > ran ? t->run_slice - ran : 0;
	t->runtime_ns += ran;
	t->burst_ns += ran;
	t->bpf_vtime += ran * 100 / (p->scx.weight ?: 1);
}

static __always_inline void scx_user_enable(struct task_struct *p)
{
	struct scx_user_tctx *t = bpf_task_storage_get(&scx_user_tasks, p, NULL, 0);

	if (t)
		t->bpf_vtime = scx_user__vclock;
}

static __always_inline s32 scx_user_init_task(struct task_struct *p)
{
	if (!bpf_task_storage_get(&scx_user_tasks, p, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE))
		return -ENOMEM;
	return 0;
}

static __always_inline s32 scx_user_init(void)
{
	struct scx_user__watch *w;
	u32 key = 0;
	u64 id;
	s32 err;

	for (id = SCX_USER_DSQ_PARK; id <= SCX_USER_DSQ_SCHED; id++) {
		err = scx_bpf_create_dsq(id, -1);
		if (err)
			return err;
	}
	w = bpf_map_lookup_elem(&scx_user_watch, &key);
	if (!w)
		return -ENOENT;
	err = bpf_timer_init(&w->timer, &scx_user_watch, 1 /* CLOCK_MONOTONIC */);
	if (!err)
		err = bpf_timer_set_callback(&w->timer, scx_user__watch_fn);
	if (!err)
		err = bpf_timer_start(&w->timer, scx_user__watch_ns(), 0);
	return err;
}

/* Every callback wired to the runtime, the exit recorded (scx/exit.bpf.h). */
#define SCX_USER_OPS_DEFINE(__name, ...)					\
	s32 SCX_OPS(__name##_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags) \
	{ return scx_user_select_cpu(p, prev_cpu, wake_flags); }		\
	void SCX_OPS(__name##_enqueue, struct task_struct *p, u64 enq_flags)	\
	{ scx_user_enqueue(p, enq_flags); }					\
	void SCX_OPS(__name##_dispatch, s32 cpu, struct task_struct *prev)	\
	{ scx_user_dispatch(cpu, prev); }					\
	void SCX_OPS(__name##_running, struct task_struct *p)			\
	{ scx_user_running(p); }						\
	void SCX_OPS(__name##_stopping, struct task_struct *p, bool runnable)	\
	{ scx_user_stopping(p, runnable); }					\
	void SCX_OPS(__name##_enable, struct task_struct *p)			\
	{ scx_user_enable(p); }							\
	s32 SCX_OPS_SLEEPABLE(__name##_init_task, struct task_struct *p,	\
			      struct scx_init_task_args *args)			\
	{ return scx_user_init_task(p); }					\
	s32 SCX_OPS_SLEEPABLE(__name##_init)					\
	{ return scx_user_init(); }						\
	void SCX_OPS(__name##_exit, struct scx_exit_info *ei)			\
	{ scx_exit_record(ei); }						\
	SCX_OPS_DEFINE(__name##_ops,						\
		       .select_cpu = (void *)__name##_select_cpu,		\
		       .enqueue = (void *)__name##_enqueue,			\
		       .dispatch = (void *)__name##_dispatch,			\
		       .running = (void *)__name##_running,			\
		       .stopping = (void *)__name##_stopping,			\
		       .enable = (void *)__name##_enable,			\
		       .init_task = (void *)__name##_init_task,			\
		       .init = (void *)__name##_init,				\
		       .exit = (void *)__name##_exit,				\
		       ##__VA_ARGS__)

/* scx_user__pick_idle_cpu(): claim an idle CPU the task may use, prev_cpu
 * first; -EBUSY when none is idle, -ESRCH when there is no such task. */
SEC("syscall")
int scx_user_pick_cpu(struct scx_user_pick_args *a)
{
	struct task_struct *p = bpf_task_from_pid(a->pid);
	s32 prev = a->prev_cpu, cpu;

	if (!p) {
		a->cpu = -ESRCH;
		return 0;
	}
	bpf_rcu_read_lock();
	if (prev >= 0 && prev < scx_bpf_nr_cpu_ids() && bpf_cpumask_test_cpu(prev, p->cpus_ptr) &&
	    scx_bpf_test_and_clear_cpu_idle(prev))
		cpu = prev;
	else
		cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	bpf_rcu_read_unlock();
	bpf_task_release(p);
	a->cpu = cpu;
	return 0;
}

#endif /* __SCX_USER_BPF_H */
