// SPDX-License-Identifier: GPL-2.0
/*
 * interactive: earliest deadline first, where a task's deadline depends on
 * how it sleeps and wakes.
 *
 * Every task has a weighted virtual clock (vtime: CPU time used divided by its
 * weight, as in the vtime sample) and a deadline: its vtime plus a slice
 * scaled by its weight and by its "burst", the CPU time it uses per wakeup
 * (an average over its recent wakeups, or the time used since its last wakeup
 * when that is longer). A task that wakes and runs for 50 us gets a deadline
 * a sliver after its vtime; a CPU-bound task one full slice after it. Tasks
 * that also wake often (more than wake_hz_hi times a second) have their
 * deadline shortened further. Waiting tasks sit in their LLC's queue (the
 * LLC of the CPU they last ran on, dsq.bpf.h) ordered by deadline, so short
 * bursts run first, and since everyone's vtime advances by the CPU time
 * used, CPU-bound tasks still share the CPUs in proportion to their weights.
 * A CPU takes from its own LLC's queue, then steals from the other LLCs of
 * its node, then from any (cache-warm work first, one lock per LLC rather
 * than one for the machine), and a task queued to wait wakes an idle CPU
 * that can steal it, so no CPU idles while work waits elsewhere. Slices are scaled by weight (scx_vtime_slice), so a light
 * task's run moves its vtime about as far as a nice-0 task's and it never
 * waits seconds for its turn. A task whose slice ends keeps its CPU when no
 * queued task has an earlier deadline than its next one, which is what makes
 * nice values count between two tasks sharing a CPU. A task that has waited
 * in the queue for scx_rescue_ms runs next whatever its deadline (dsq.bpf.h):
 * the kernel ejects a scheduler that leaves a task runnable for its watchdog
 * timeout, and deadlines alone do not bound the wait (a storm of new tasks,
 * each starting at the present, can keep coming first).
 *
 * An interactive task (burst below interactive_ns) that wakes goes to an idle
 * CPU when there is one (idle.bpf.h); where CPUs differ in capacity, light
 * tasks look among the little CPUs first and the others among the big ones. When every CPU is busy, it preempts a
 * CPU running a CPU-bound task with a later deadline: the waking CPU first
 * (the timer or the waker ran there), where it is inserted straight into the
 * local queue with SCX_ENQ_PREEMPT and runs as soon as the interrupt or the
 * wakeup returns; else its own previous CPU, else the one whose task has the
 * latest deadline, which is kicked with SCX_KICK_PREEMPT (or, on kernels
 * where kicking is unavailable, compat.bpf.h: Debian's 7.1.13/7.2.12 builds,
 * also gets p straight into its local queue). A CPU-bound task keeps the CPU
 * for its first preempt_min_ns against wakeups on other CPUs and against
 * synchronous ones (a writer waking its reader is about to sleep anyway); any
 * other wakeup on its CPU takes it at once (a timer or a device interrupt
 * merely landed on it, or it woke someone and goes on running). An
 * interactive wakeup that finds no CPU to take waits in the queue; the next
 * tick of a CPU it may use, whose task has a later deadline than the queue's
 * first and is past its minimum, ends that task's slice (one CPU per waiting
 * task).
 *
 * Tasks that an RT or deadline task pushes off a CPU go back to the queues
 * at once (scx_dsq_cpu_release()) instead of waiting for that CPU.
 *
 * CPU performance targets follow each CPU's utilization (cpufreq.bpf.h).
 */
#include <scx/common.bpf.h>
#include <scx/dsq.bpf.h>
#include <scx/vtime.bpf.h>
#include <scx/idle.bpf.h>
#include <scx/task.bpf.h>
#include <scx/cpufreq.bpf.h>
#include <scx/exit.bpf.h>
#include <scx/stats.bpf.h>

char _license[] SEC("license") = "GPL";

struct interactive_stats {
	__u64 idle;		/* woke onto an idle CPU */
	__u64 queued;		/* went through the deadline queue */
	__u64 kicked;		/* an interactive wakeup kicked a CPU-bound task off */
	__u64 preempted;	/* ... or was put on the victim's CPU directly (the waking CPU, or no kicks) */
	__u64 dispatched;	/* moved from the queue to a CPU */
	__u64 perf_sets;	/* cpufreq targets set */
	__u64 waited;		/* an interactive wakeup found no CPU it could take */
	__u64 tick_cut;		/* a tick ended a CPU-bound slice for a waiting interactive task */
	__u64 kept;		/* a task whose slice ended kept its CPU: nothing queued came first */
	__u64 rescued;		/* a task that waited scx_rescue_ms ran ahead of its turn */
	__u64 woke_idle;	/* a queued task woke an idle CPU to take it */
};
SCX_STATS_DEFINE(interactive_stats);

const volatile __u64 slice_ns = SCX_SLICE_DFL;
const volatile __u64 interactive_ns = 1000 * 1000;	/* bursts shorter than this are interactive */
const volatile __u32 wake_hz_hi = 50;			/* waking this often halves the deadline */
const volatile bool preempt = true;			/* interactive wakeups may preempt */
const volatile __u32 max_scan = 64;			/* CPUs examined for a preemption victim */
const volatile __u64 preempt_min_ns = 1000 * 1000;	/* a victim keeps the CPU at least this long */

struct task_ctx {
	u64 vtime;		/* weighted virtual time (p->scx.dsq_vtime holds the deadline) */
	u64 charged;		/* se.sum_exec_runtime already charged */
	u64 burst;		/* runtime since the last wakeup */
	u64 avg_burst;		/* EWMA of burst at each wakeup */
	u64 last_wake;		/* when the task last woke */
	u64 wake_hz;		/* EWMA of wakeups per second */
	bool waiting;		/* counted in nr_interactive_waiting */
	bool sync_wake;		/* this wakeup is SCX_WAKE_SYNC (set by select_cpu) */
};

/*
 * Interactive tasks queued because no CPU could be taken at their wakeup
 * (every CPU-bound task had just started): a tick cuts a slice for them as
 * soon as it may, instead of leaving them to wait out a whole slice. A task
 * stops counting when it runs or leaves the queue any other way (ops.quiescent:
 * reniced, moved to SCHED_FIFO by rtkit, killed).
 */
__u64 nr_interactive_waiting;	/* __u64: the skeleton shows globals to user space */
/* Slices cut by a tick whose CPU has not picked its next task yet: a tick
 * cuts only while these are fewer than the waiting tasks. */
__u64 nr_cuts_pending;
SCX_TASK_CTX_DEFINE(task_ctx);

/*
 * What each CPU runs, read by other CPUs looking for a task to preempt: a
 * plain array indexed by CPU id (libscx would list the u64 members of a
 * per-CPU array among the counters).
 */
struct cpu_ctx {
	u64 deadline;		/* of the task running here */
	u64 started;		/* ... since */
	bool interactive;	/* ... and whether it is interactive */
	bool busy;
	bool cut;		/* its slice was cut by a tick (counted in nr_cuts_pending) */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCX_DOMAIN_MAX_CPUS);
	__type(key, u32);
	__type(value, struct cpu_ctx);
} cpu_ctxs SEC(".maps");

static __always_inline struct cpu_ctx *cpu_ctx_of(s32 cpu)
{
	u32 key = cpu;

	return bpf_map_lookup_elem(&cpu_ctxs, &key);
}

static __always_inline u64 task_burst(const struct task_ctx *t)
{
	return SCX_MAX(t->avg_burst, t->burst);
}

static __always_inline bool task_interactive(const struct task_ctx *t)
{
	return task_burst(t) < interactive_ns;
}

/*
 * The deadline at vtime: vtime plus the task's own slice in vtime
 * (scx_vtime_deadline) scaled by the latency weight, 100 for a full-slice
 * burst down to 1.
 */
static __always_inline u64 deadline_at(const struct task_struct *p, const struct task_ctx *t,
				       u64 vtime)
{
	u64 lat = task_burst(t) * 100 / slice_ns;

	lat = SCX_CLAMP(lat, 1, 100);
	if (t->wake_hz > wake_hz_hi)
		lat = lat > 1 ? lat / 2 : 1;
	return scx_vtime_deadline(p, vtime, slice_ns, lat);
}

static __always_inline u64 task_deadline(const struct task_struct *p, const struct task_ctx *t)
{
	return deadline_at(p, t, t->vtime);
}

/* Runtime p used since its last charge (ops.stopping charges it). */
static __always_inline u64 uncharged(const struct task_struct *p, const struct task_ctx *t)
{
	u64 now = p->se.sum_exec_runtime;

	return now > t->charged ? now - t->charged : 0;
}

/* Charge the runtime since the last charge to vtime and to the burst. */
static __always_inline void charge(const struct task_struct *p, struct task_ctx *t)
{
	u64 used = uncharged(p, t);

	if (!used)
		return;
	t->charged = p->se.sum_exec_runtime;
	t->burst += used;
	t->vtime += scx_vtime_scale(used, p->scx.weight);
}

static __always_inline bool migration_disabled(const struct task_struct *p)
{
	if (bpf_core_field_exists(p->migration_disabled))
		return p->migration_disabled;
	return false;
}

/*
 * May the task running on c be cut short now? It must be CPU-bound: either
 * classed so when it started, or by now past interactive_ns in this run. And
 * unless protect is false, it must have run for at least preempt_min_ns,
 * which keeps a producer that wakes its consumers message by message from
 * being preempted at every message.
 */
static __always_inline bool cpu_yields(const struct cpu_ctx *c, bool protect)
{
	u64 ran = scx_now() - c->started;

	return c->busy && (!protect || ran >= preempt_min_ns) &&
	       (!c->interactive || ran >= interactive_ns);
}

/*
 * Is cpu, allowed to p, running a task that yields, with a later deadline?
 * The task running on the waking CPU keeps its protected minimum only when
 * the wakeup is synchronous (SCX_WAKE_SYNC: a waker about to sleep, as a
 * socket or pipe writer is); otherwise that task is a waker that goes on
 * running or, for a timer or a device, merely the task the interrupt landed
 * on, and it yields at once.
 */
static __always_inline struct cpu_ctx *preemptible(const struct task_struct *p, s32 cpu,
						   u64 deadline, bool sync_wake)
{
	bool protect = cpu != bpf_get_smp_processor_id() || sync_wake;
	struct cpu_ctx *c;

	if (cpu < 0 || !bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
		return NULL;
	c = cpu_ctx_of(cpu);
	if (!c || !scx_vtime_before(deadline, c->deadline) || !cpu_yields(c, protect))
		return NULL;
	return c;
}

/*
 * The CPU p may preempt: one of its allowed CPUs running a CPU-bound task
 * with a later deadline than p's. The CPU doing the wakeup comes first (a
 * timer or the waker ran here: preempting it needs no interrupt to another
 * CPU), then p's own CPU (warm cache), then the one whose task has the
 * latest deadline. Negative when there is none.
 */
static __always_inline s32 pick_victim(struct task_struct *p, u64 deadline, bool sync_wake)
{
	u32 nr = scx_bpf_nr_cpu_ids(), n, i;
	s32 here = bpf_get_smp_processor_id(), prev = scx_bpf_task_cpu(p), victim = -1, cpu;
	u64 latest = deadline;
	struct cpu_ctx *c;

	/* a task that may not migrate can only take its own CPU */
	if (migration_disabled(p))
		return preemptible(p, prev, deadline, sync_wake) ? prev : -1;
	if (preemptible(p, here, deadline, sync_wake))
		return here;
	if (preemptible(p, prev, deadline, sync_wake))
		return prev;
	n = SCX_MIN(nr, max_scan);
	bpf_for(i, 0, n) {
		cpu = (prev + i) % nr;
		c = preemptible(p, cpu, latest, sync_wake);
		if (c) {
			latest = c->deadline;
			victim = cpu;
		}
	}
	return victim;
}

/*
 * Where CPUs differ in capacity: light tasks (short bursts, waking less than
 * wake_hz_hi times a second) prefer little CPUs, latency-critical (frequent
 * short bursts) and CPU-heavy ones big CPUs.
 */
static __always_inline bool wants_big(const struct task_ctx *t)
{
	return !t || !task_interactive(t) || t->wake_hz > wake_hz_hi;
}

s32 SCX_OPS(interactive_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	struct task_ctx *t = scx_task_ctx(p);
	s32 cpu = scx_idle_pick_cpu_class(p, prev_cpu, wake_flags, wants_big(t));

	if (t)	/* for enqueue, which runs next unless an idle CPU was found */
		t->sync_wake = cpu < 0 && (wake_flags & SCX_WAKE_SYNC);
	if (cpu >= 0) {
		if (t)	/* what the sleep banked is bounded here too */
			t->vtime = scx_vtime_clamp(p, t->vtime, slice_ns);
		scx_stat_inc(idle);
		scx_dsq_insert(p, SCX_DSQ_LOCAL, scx_vtime_slice(p, slice_ns), 0);
		return cpu;
	}
	return prev_cpu;
}

/* Does every task in cpu's LLC queue come after deadline? */
static __always_inline bool queue_after(s32 cpu, u64 deadline)
{
	u64 head;

	return !scx_dsq_head_vtime(scx_dsq_llc_of(cpu), &head) || scx_vtime_before(deadline, head);
}

/* p stops waiting as an interactive task (it runs, or left the queue). */
static __always_inline void stop_waiting(struct task_ctx *t)
{
	if (t->waiting) {
		t->waiting = false;
		__sync_fetch_and_sub(&nr_interactive_waiting, 1);
	}
}

/* cpu picks its next task: a cut made for a waiting task is spent. */
static __always_inline void cut_spent(struct cpu_ctx *c)
{
	if (c->cut) {
		c->cut = false;
		__sync_fetch_and_sub(&nr_cuts_pending, 1);
	}
}

void SCX_OPS(interactive_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *t = scx_task_ctx(p);
	bool sync_wake, searched = false;
	u64 deadline;
	s32 cpu;

	if (!t) {	/* not seen by init_task: queue it at the present */
		scx_dsq_insert_vtime(p, scx_dsq_llc_of(scx_bpf_task_cpu(p)), scx_vtime_slice(p, slice_ns),
				     scx_vtime_now, enq_flags);
		return;
	}
	t->vtime = scx_vtime_clamp(p, t->vtime, slice_ns);
	deadline = task_deadline(p, t);
	sync_wake = t->sync_wake;
	t->sync_wake = false;	/* select_cpu is skipped for a task with one allowed CPU */

	if (preempt && (enq_flags & SCX_ENQ_WAKEUP) && task_interactive(t)) {
		/*
		 * select_cpu found no idle CPU, or was skipped (one allowed
		 * CPU, or migration disabled: then only its own CPU may be
		 * claimed, or an idle CPU would be claimed and left idle).
		 */
		cpu = scx_bpf_task_cpu(p);
		cpu = migration_disabled(p) ? (scx_idle_claim(p, cpu) ? cpu : -1) :
					      scx_idle_pick_any(p, cpu);
		searched = true;
		if (cpu >= 0) {
			scx_stat_inc(idle);
			scx_dsq_insert(p, SCX_DSQ_LOCAL_ON | cpu, scx_vtime_slice(p, slice_ns),
				       enq_flags);
			return;
		}
		cpu = pick_victim(p, deadline, sync_wake);
		if (cpu < 0) {
			scx_stat_inc(waited);
		} else {
			/*
			 * On this CPU (the timer or the waker ran here), p goes
			 * straight to the local queue and preempts at once, if
			 * no queued task has an earlier deadline; so it does on
			 * any CPU where kicks are unavailable. Elsewhere, the
			 * kick is carried out after this callback returns
			 * (irq_work), when p is already queued with the earliest
			 * deadline, so the victim's dispatch finds it.
			 */
			if (!(cpu == bpf_get_smp_processor_id() && queue_after(cpu, deadline)) &&
			    scx_kick_cpu(cpu, SCX_KICK_PREEMPT)) {
				scx_stat_inc(kicked);
			} else {
				scx_stat_inc(preempted);
				scx_dsq_insert(p, SCX_DSQ_LOCAL_ON | cpu, scx_vtime_slice(p, slice_ns),
					       enq_flags | SCX_ENUM(scx_enq_flags, SCX_ENQ_PREEMPT));
				return;
			}
		}
		/* queued: the victim's dispatch or the next tick cut takes it */
		if (!t->waiting) {
			t->waiting = true;
			__sync_fetch_and_add(&nr_interactive_waiting, 1);
		}
	}
	scx_stat_inc(queued);
	cpu = scx_bpf_task_cpu(p);
	scx_dsq_insert_vtime(p, scx_dsq_llc_of(cpu), scx_vtime_slice(p, slice_ns), deadline, enq_flags);
	/*
	 * Where this callback made no idle search (a slice ended, a task that
	 * is not interactive woke), a CPU idle now would not look at the queue
	 * by itself. After a search that just failed, a second one almost
	 * always fails too, and it would run on every queued wakeup of a busy
	 * machine. The price: a CPU that goes idle in the microseconds between
	 * the search and the insert sleeps with p queued until something wakes
	 * it; p still runs when a busy CPU of its LLC next dispatches.
	 */
	if (!searched && scx_idle_kick_for(p, cpu) >= 0)
		scx_stat_inc(woke_idle);
}

/*
 * prev's slice ended (or was cut) and it is still runnable: it keeps the CPU
 * when nothing queued has an earlier deadline than its next one (its vtime
 * charged with the run so far). Without this, whatever waits would win, and
 * two tasks sharing a CPU would alternate whatever their nice values.
 */
static __always_inline bool keep_prev(struct task_struct *prev, s32 cpu, struct cpu_ctx *c)
{
	struct task_ctx *t;
	u64 deadline;

	if (!prev || !(t = scx_task_ctx(prev)))
		return false;
	deadline = deadline_at(prev, t, t->vtime + scx_vtime_scale(uncharged(prev, t),
								    prev->scx.weight));
	if (!scx_vtime_keep_prev_at(prev, scx_dsq_llc_of(cpu), deadline))
		return false;
	scx_task_set_slice(prev, scx_vtime_slice(prev, slice_ns));
	if (c) {	/* ops.running does not run again for a kept task */
		c->deadline = deadline;
		c->started = scx_now();
	}
	return true;
}

void SCX_OPS(interactive_dispatch, s32 cpu, struct task_struct *prev)
{
	struct cpu_ctx *c = cpu_ctx_of(cpu);

	if (c)
		cut_spent(c);
	if (scx_dsq_rescue(scx_dsq_llc_of(cpu), cpu)) {	/* a task waited too long */
		scx_stat_inc(rescued);
		return;
	}
	if (keep_prev(prev, cpu, c)) {
		scx_stat_inc(kept);
		return;
	}
	if (scx_dsq_move_to_local_llc(cpu, SCX_STEAL_ALL))
		scx_stat_inc(dispatched);
}

/*
 * The average burst follows a shorter burst quickly (half the way) and a
 * longer one slowly: an eighth of the way, and by a quarter of
 * interactive_ns at the most. A task is interactive as long as it mostly runs
 * briefly: it takes four long bursts in a row to class it CPU-bound, so one
 * or two (a frame that took long, code run for the first time, or runtime
 * counted while the CPU itself was not running, as under an emulator or a
 * hypervisor) do not, while a task that does not sleep at all is judged by
 * its current burst (task_burst) and a running one by how long it has run
 * (cpu_yields).
 */
static __always_inline u64 burst_average(u64 avg, u64 burst)
{
	u64 up;

	if (burst < avg)
		return avg - (avg - burst) / 2;
	up = (burst - avg) / 8;
	return avg + SCX_MIN(up, interactive_ns / 4);
}

/* A wakeup closes the previous burst and samples the wakeup rate. */
void SCX_OPS(interactive_runnable, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *t = scx_task_ctx(p);
	u64 now = scx_now(), gap;

	if (!t || !(enq_flags & SCX_ENQ_WAKEUP))
		return;
	/* the first burst, from fork (or from this scheduler's start) to the
	 * first sleep, is start-up work (exec, loading, forking) rather than
	 * the task's pattern: only the later ones shape the average */
	if (t->last_wake)
		t->avg_burst = burst_average(t->avg_burst, t->burst);
	t->burst = 0;
	gap = now - t->last_wake;
	if (t->last_wake && gap > 0)
		t->wake_hz = (t->wake_hz * 3 + 1000000000ULL / gap) / 4;
	t->last_wake = now;
}

/*
 * p's CPU is scx_bpf_task_cpu(p), not necessarily this one: ops.running and
 * ops.stopping also run on the CPU that renices, re-pins or re-classes a
 * running task, with the task's rq locked.
 */
void SCX_OPS(interactive_running, struct task_struct *p)
{
	struct task_ctx *t = scx_task_ctx(p);
	struct cpu_ctx *c = cpu_ctx_of(scx_bpf_task_cpu(p));

	if (c)
		cut_spent(c);
	if (t) {
		stop_waiting(t);
		if (scx_vtime_before(scx_vtime_now, t->vtime))
			scx_vtime_now = t->vtime;
		if (c) {
			/* computed, not read from dsq_vtime: a task placed
			 * straight on an idle CPU never had it set */
			c->deadline = task_deadline(p, t);
			c->started = scx_now();
			c->interactive = task_interactive(t);
			c->busy = true;
		}
	}
	if (scx_cpufreq_running(p))
		scx_stat_inc(perf_sets);
}

/* p leaves its CPU (for now): charge its run. */
void SCX_OPS(interactive_stopping, struct task_struct *p, bool runnable)
{
	struct task_ctx *t = scx_task_ctx(p);
	struct cpu_ctx *c = cpu_ctx_of(scx_bpf_task_cpu(p));

	if (c)
		c->busy = false;
	if (t)
		charge(p, t);
	if (scx_cpufreq_stopping(p))
		scx_stat_inc(perf_sets);
}

/* p left the runqueue without running: asleep, or dequeued while waiting. */
void SCX_OPS(interactive_quiescent, struct task_struct *p, u64 deq_flags)
{
	struct task_ctx *t = scx_task_ctx(p);

	if (t)
		stop_waiting(t);
}

/* p leaves sched_ext (another policy, or it exits). */
void SCX_OPS(interactive_disable, struct task_struct *p)
{
	struct task_ctx *t = scx_task_ctx(p);

	if (t)
		stop_waiting(t);
}

/*
 * Does this tick cut p's slice for a waiting interactive task? Only while
 * fewer slices are cut than tasks wait, only when p yields (CPU-bound and
 * past its minimum) and only when the queue's first task may run here and
 * comes before p: the kernel reschedules once the slice is 0.
 */
static __always_inline bool tick_cuts(s32 cpu, struct cpu_ctx *c)
{
	u64 head;

	if (!preempt || c->cut ||
	    *(volatile __u64 *)&nr_cuts_pending >= *(volatile __u64 *)&nr_interactive_waiting ||
	    !cpu_yields(c, true) || !scx_dsq_head_vtime_on(scx_dsq_llc_of(cpu), cpu, &head) ||
	    !scx_vtime_before(head, c->deadline))
		return false;
	c->cut = true;
	__sync_fetch_and_add(&nr_cuts_pending, 1);
	return true;
}

void SCX_OPS(interactive_tick, struct task_struct *p)
{
	s32 cpu = scx_bpf_task_cpu(p);
	struct cpu_ctx *c = cpu_ctx_of(cpu);

	if (c && tick_cuts(cpu, c)) {
		scx_task_set_slice(p, 0);
		scx_stat_inc(tick_cut);
	}
	if (scx_cpufreq_tick(p))
		scx_stat_inc(perf_sets);
}

/* A reniced task gets its new weight's slice, and no lag from its old weight. */
void SCX_OPS(interactive_set_weight, struct task_struct *p, u32 weight)
{
	struct task_ctx *t = scx_task_ctx(p);
	u64 vtime = scx_vtime_reweight(p, weight, t ? t->vtime : 0, slice_ns);

	if (t)
		t->vtime = vtime;
}

s32 SCX_OPS_SLEEPABLE(interactive_init_task, struct task_struct *p,
		      struct scx_init_task_args *args)
{
	struct task_ctx *t = scx_task_ctx_create(p);

	if (!t)
		return -ENOMEM;
	t->charged = p->se.sum_exec_runtime;
	/* a new task counts as interactive until its bursts say otherwise: a
	 * CPU-bound one loses that within its first millisecond of running */
	t->avg_burst = 0;
	return 0;
}

/* A task joining the scheduler starts at the present, not at zero. */
void SCX_OPS(interactive_enable, struct task_struct *p)
{
	struct task_ctx *t = scx_task_ctx(p);

	if (t)
		t->vtime = scx_vtime_now;
}

/* An RT or deadline task took cpu: what waits in its local DSQ goes back to
 * the queues, where other CPUs take it, instead of waiting for cpu. */
void SCX_OPS(interactive_cpu_release, s32 cpu, struct scx_cpu_release_args *args)
{
	scx_dsq_cpu_release();
}

s32 SCX_OPS_SLEEPABLE(interactive_init)
{
	s32 err = scx_dsq_create_llc();

	return err ? err : scx_idle_init();
}

void SCX_OPS(interactive_exit, struct scx_exit_info *ei)
{
	scx_exit_record(ei);
}

SCX_OPS_DEFINE(interactive_ops,
	       .select_cpu	= (void *)interactive_select_cpu,
	       .enqueue		= (void *)interactive_enqueue,
	       .dispatch	= (void *)interactive_dispatch,
	       .cpu_release	= (void *)interactive_cpu_release,
	       .runnable	= (void *)interactive_runnable,
	       .running		= (void *)interactive_running,
	       .stopping	= (void *)interactive_stopping,
	       .quiescent	= (void *)interactive_quiescent,
	       .disable		= (void *)interactive_disable,
	       .tick		= (void *)interactive_tick,
	       .set_weight	= (void *)interactive_set_weight,
	       .enable		= (void *)interactive_enable,
	       .init_task	= (void *)interactive_init_task,
	       .init		= (void *)interactive_init,
	       .exit		= (void *)interactive_exit,
	       .timeout_ms	= 10000,
	       .name		= "interactive");
