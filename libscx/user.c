// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * User-space scheduling (scx/user.h): the library's half of the channel to
 * scx/user.bpf.h, and the memory rules of the scheduling thread.
 *
 * The handle binds to the maps of whatever object its scx_sched has loaded,
 * and binds again when a restart has loaded a new one (load_seq moved).
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <scx/user.h>
#include "clock.h"
#include "internal.h"
#include "sched_priv.h"
#include "user_priv.h"

#define RING_DEFAULT		(256u * 1024)
#define RING_MAX		(1u << 30)
#define STALL_DEFAULT_MS	100
#define SLICE_DEFAULT_NS	(5ULL * 1000 * 1000)
#define SLICE_MIN_NS		(50ULL * 1000)
#define SLICE_MAX_NS		(1000ULL * 1000 * 1000)
#define DISPATCH_SLICE_MAX_NS	(10ULL * 1000 * 1000 * 1000)
#define HEAP_DEFAULT		(16ULL << 20)
#define HEAP_MAX		(64ULL << 30)
#define STACK_PREFAULT		(256 * 1024)
#define COMPACT_PATH		"/proc/sys/vm/compact_unevictable_allowed"

struct scx_user {
	struct scx_sched *s;
	struct scx_user_opts opts;	/* resolved to the defaults */
	pid_t tid;

	/* the binding to the loaded object */
	unsigned int bound_seq;		/* s->load_seq when bound; 0: never */
	struct ring_buffer *rb;
	struct user_ring_buffer *urb;
	struct scx_user_shared *shared;	/* mmap of the shared map */
	size_t shared_len;
	int counters_fd, pick_fd;
	void *percpu;			/* a lookup buffer for the counters */
	int nr_cpus;			/* possible CPUs, for the per-CPU map */
	int nr_cpu_ids;			/* for checking decisions */

	/* scx_user__receive()'s copy target */
	struct scx_user_task *out;
	unsigned int max, n;

	/* the library's counters */
	__u64 received, dispatched, refused, ring_full, pending;
	long fault_base;		/* the thread's faults when bound */
	__u64 faults;

	/* what scx_user__new() changed in the process, to give back */
	bool locked, thp_off;
	int compact_old;		/* -1: not changed */
};

static long long now_ns(void)
{
	return scx__now_ns();
}

/* The calling thread's page faults so far. */
static long thread_faults(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return 0;
	return ru.ru_minflt + ru.ru_majflt;
}

static int read_int_file(const char *path, int *val)
{
	char buf[32];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EINVAL;
	buf[n] = '\0';
	*val = atoi(buf);
	return 0;
}

static int write_int_file(const char *path, int val)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%d\n", val);
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) != len)
		err = -errno;
	close(fd);
	return err;
}

/* Touch a stretch of this thread's stack now, so that the loop's deeper
 * calls find it present (and locked) later. */
static __attribute__((noinline)) void prefault_stack(void)
{
	volatile char buf[STACK_PREFAULT];
	size_t i;

	for (i = 0; i < sizeof(buf); i += 4096)
		buf[i] = 0;
}

/*
 * The memory rules: lock everything, now and later; keep malloc from
 * handing memory back or mapping blocks of its own; fault in a reserve and
 * the stack; keep compaction off locked pages. Each step says what failed.
 */
static int make_memory_safe(struct scx_user *u)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	size_t size = u->opts.heap_reserve;
	char *reserve;
	int err, val = 0;

	if (setrlimit(RLIMIT_MEMLOCK, &unlimited))
		pr_debug("user: cannot lift RLIMIT_MEMLOCK (%s); locking within it\n",
			 strerror(errno));
	/* after this, free() keeps what it got and large blocks come from the
	 * heap, which the reserve below has faulted in */
	if (!mallopt(M_MMAP_MAX, 0) || !mallopt(M_TRIM_THRESHOLD, -1) ||
	    !mallopt(M_TOP_PAD, 1 << 20)) {
		pr_warn("user: cannot configure malloc (mallopt)\n");
		return -EINVAL;
	}
	reserve = malloc(size);
	if (!reserve) {
		pr_warn("user: cannot reserve %zu bytes of heap for the policy\n", size);
		return -ENOMEM;
	}
	memset(reserve, 0, size);
	if (mlockall(MCL_CURRENT | MCL_FUTURE)) {
		err = -errno;
		free(reserve);
		pr_warn("user: mlockall: %s (lock memory as root, or raise RLIMIT_MEMLOCK past the process's size)\n",
			strerror(-err));
		return err == -ENOMEM ? -EPERM : err;
	}
	u->locked = true;
	free(reserve);		/* back to malloc, which keeps it: trimming is off */
	prefault_stack();
	/* khugepaged collapses pages into huge ones under the process, locked
	 * or not, and an access during a collapse faults: no huge pages */
	if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0))
		pr_debug("user: cannot turn transparent huge pages off: %s\n", strerror(errno));
	else
		u->thp_off = true;

	u->compact_old = -1;
	err = read_int_file(COMPACT_PATH, &val);
	if (err == -ENOENT) {
		pr_debug("user: no %s: this kernel does not compact memory\n", COMPACT_PATH);
		return 0;
	}
	if (!err && val != 0) {
		err = write_int_file(COMPACT_PATH, 0);
		if (!err)
			u->compact_old = val;
	}
	if (err) {
		pr_warn("user: cannot set %s to 0: %s (compaction could move locked pages and stall the loop)\n",
			COMPACT_PATH, strerror(-err));
		return err;
	}
	return 0;
}

static void undo_memory(struct scx_user *u)
{
	if (u->compact_old >= 0) {
		int err = write_int_file(COMPACT_PATH, u->compact_old);

		if (err)
			pr_warn("user: cannot restore %s to %d: %s\n", COMPACT_PATH,
				u->compact_old, strerror(-err));
		u->compact_old = -1;
	}
	if (u->locked)
		munlockall();
	u->locked = false;
	if (u->thp_off)
		prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0);
	u->thp_off = false;
}

static bool power_of_2(__u32 v)
{
	return v && !(v & (v - 1));
}

static int resolve_opts(struct scx_user *u, const struct scx_user_opts *o)
{
	long page = sysconf(_SC_PAGESIZE);

	u->opts.ring_size = SCX_OPT(o, ring_size, 0) ?: RING_DEFAULT;
	u->opts.stall_ms = SCX_OPT(o, stall_ms, 0) ?: STALL_DEFAULT_MS;
	u->opts.slice_ns = SCX_OPT(o, slice_ns, 0) ?: SLICE_DEFAULT_NS;
	u->opts.heap_reserve = SCX_OPT(o, heap_reserve, 0) ?: HEAP_DEFAULT;
	u->opts.schedule_fn = SCX_OPT(o, schedule_fn, NULL);
	u->opts.ctx = SCX_OPT(o, ctx, NULL);
	u->opts.direct_idle = SCX_OPT(o, direct_idle, false);
	if (!power_of_2(u->opts.ring_size) || u->opts.ring_size < page ||
	    u->opts.ring_size > RING_MAX) {
		pr_warn("user: ring_size %u: must be a power of 2 from %ld to %u\n",
			u->opts.ring_size, page, RING_MAX);
		return -EINVAL;
	}
	if (u->opts.stall_ms > 60000) {
		pr_warn("user: stall_ms %u: must be 1 to 60000\n", u->opts.stall_ms);
		return -EINVAL;
	}
	if (u->opts.slice_ns < SLICE_MIN_NS || u->opts.slice_ns > SLICE_MAX_NS) {
		pr_warn("user: slice_ns %llu: must be %llu to %llu\n",
			(unsigned long long)u->opts.slice_ns, SLICE_MIN_NS, SLICE_MAX_NS);
		return -EINVAL;
	}
	if (u->opts.heap_reserve > HEAP_MAX) {
		pr_warn("user: heap_reserve %llu: at most %llu\n",
			(unsigned long long)u->opts.heap_reserve, HEAP_MAX);
		return -EINVAL;
	}
	return 0;
}

/* The object's half of the channel, by the names scx/user.bpf.h gives it. */
static int check_object(struct scx_user *u)
{
	static const char *const maps[] = {
		SCX_USER_QUEUED_MAP, SCX_USER_DECIDED_MAP, SCX_USER_SHARED_MAP,
		SCX_USER_COUNTERS_MAP,
	};
	struct bpf_object *obj = u->s->obj;
	size_t i;

	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		if (!bpf_object__find_map_by_name(obj, maps[i])) {
			pr_warn("user %s: no map %s: the object does not include scx/user.bpf.h\n",
				u->s->label, maps[i]);
			return -ENOENT;
		}
	}
	if (!bpf_object__find_program_by_name(obj, SCX_USER_PICK_PROG)) {
		pr_warn("user %s: no program %s: the object does not include scx/user.bpf.h\n",
			u->s->label, SCX_USER_PICK_PROG);
		return -ENOENT;
	}
	/* the page both sides share and BPF's counters are read and written
	 * by this library's layout: an object built against another version
	 * of scx/user_layout.h would be misread */
	if (bpf_map__value_size(bpf_object__find_map_by_name(obj, SCX_USER_SHARED_MAP)) !=
		    sizeof(struct scx_user_shared) ||
	    bpf_map__value_size(bpf_object__find_map_by_name(obj, SCX_USER_COUNTERS_MAP)) !=
		    sizeof(struct scx_user_bpf_counters)) {
		pr_warn("user %s: the object was built against another version of "
			"scx/user_layout.h than this library's: rebuild it against this libscx\n",
			u->s->label);
		return -EPROTO;
	}
	return 0;
}

struct scx_user *scx_user__new(struct scx_sched *s, const struct scx_user_opts *opts)
{
	struct scx_user *u;
	__s32 tid;
	__u32 stall;
	int err;

	if (!s || !s->obj || !SCX_OPTS_VALID(opts, scx_user_opts))
		return scx_err_ptr(-EINVAL);
	if (s->loaded)
		return scx_err_ptr(-EBUSY);
	if (s->user)
		return scx_err_ptr(-EEXIST);
	u = calloc(1, sizeof(*u));
	if (!u)
		return scx_err_ptr(-ENOMEM);
	u->s = s;
	u->counters_fd = u->pick_fd = -1;
	u->compact_old = -1;
	err = resolve_opts(u, opts);
	if (!err)
		err = check_object(u);
	tid = gettid();
	stall = u->opts.stall_ms;
	/* set through the handle, so that a reopen for a restart sets them
	 * again */
	if (!err)
		err = scx_sched__resize_map(s, SCX_USER_QUEUED_MAP, u->opts.ring_size);
	if (!err)
		err = scx_sched__resize_map(s, SCX_USER_DECIDED_MAP, u->opts.ring_size);
	if (!err)
		err = scx_sched__set_global(s, SCX_USER_TID_VAR, &tid, sizeof(tid));
	if (!err)
		err = scx_sched__set_global(s, SCX_USER_STALL_VAR, &stall, sizeof(stall));
	if (!err)
		err = make_memory_safe(u);
	if (err) {
		undo_memory(u);
		free(u);
		return scx_err_ptr(err);
	}
	u->tid = tid;
	s->user = u;
	return u;
}

static void unbind(struct scx_user *u)
{
	ring_buffer__free(u->rb);
	u->rb = NULL;
	user_ring_buffer__free(u->urb);
	u->urb = NULL;
	if (u->shared)
		munmap(u->shared, u->shared_len);
	u->shared = NULL;
	free(u->percpu);
	u->percpu = NULL;
	u->counters_fd = u->pick_fd = -1;
	u->bound_seq = 0;
}

/* ring_buffer's callback: copy one record out, stop at max. */
static int take_record(void *ctx, void *data, size_t size)
{
	struct scx_user *u = ctx;
	struct scx_user_task *t;

	if (u->n >= u->max)
		return 1;
	t = &u->out[u->n++];
	memset(t, 0, sizeof(*t));
	memcpy(t, data, size < sizeof(*t) ? size : sizeof(*t));
	return 0;
}

/* Bind to the object s has loaded now (after the first load or a restart's). */
static int bind(struct scx_user *u)
{
	struct scx_sched *s = u->s;
	struct bpf_object *obj;
	struct bpf_map *m;
	long page = sysconf(_SC_PAGESIZE);
	int fd, err;

	if (!s->loaded || !s->obj)
		return -ENODEV;
	if (u->bound_seq == s->load_seq)
		return 0;
	unbind(u);
	obj = s->obj;
	fd = bpf_map__fd(bpf_object__find_map_by_name(obj, SCX_USER_QUEUED_MAP));
	u->rb = ring_buffer__new(fd, take_record, u, NULL);
	if (!u->rb) {
		err = -errno;
		pr_warn("user %s: cannot map the tasks' ring: %s\n", s->label, strerror(-err));
		goto fail;
	}
	fd = bpf_map__fd(bpf_object__find_map_by_name(obj, SCX_USER_DECIDED_MAP));
	u->urb = user_ring_buffer__new(fd, NULL);
	if (!u->urb) {
		err = -errno;
		pr_warn("user %s: cannot map the decisions' ring: %s\n", s->label, strerror(-err));
		goto fail;
	}
	m = bpf_object__find_map_by_name(obj, SCX_USER_SHARED_MAP);
	u->shared_len = (sizeof(struct scx_user_shared) + page - 1) / page * page;
	u->shared = mmap(NULL, u->shared_len, PROT_READ | PROT_WRITE, MAP_SHARED,
			 bpf_map__fd(m), 0);
	if (u->shared == MAP_FAILED) {
		u->shared = NULL;
		err = -errno;
		pr_warn("user %s: cannot map %s: %s\n", s->label, SCX_USER_SHARED_MAP, strerror(-err));
		goto fail;
	}
	u->counters_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, SCX_USER_COUNTERS_MAP));
	u->pick_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, SCX_USER_PICK_PROG));
	u->nr_cpus = libbpf_num_possible_cpus();
	u->nr_cpu_ids = u->nr_cpus;
	if (u->nr_cpus <= 0) {
		err = u->nr_cpus ?: -EINVAL;
		pr_warn("user %s: cannot count the possible CPUs: %s\n", s->label, strerror(-err));
		goto fail;
	}
	u->percpu = calloc(u->nr_cpus, (sizeof(struct scx_user_bpf_counters) + 7) / 8 * 8);
	if (!u->percpu) {
		err = -ENOMEM;
		goto fail;
	}
	u->shared->slice_ns = u->opts.slice_ns;
	u->shared->direct_idle = u->opts.direct_idle;
	u->shared->seen_ns = now_ns();
	u->shared->awake = 1;
	u->fault_base = thread_faults();
	u->faults = 0;
	u->bound_seq = s->load_seq;
	return 0;
fail:
	unbind(u);
	return err;
}

int scx__user_bind(struct scx_user *u)
{
	return bind(u);
}

static void wake(struct scx_user *u)
{
	u->shared->seen_ns = now_ns();
	u->shared->awake = 1;
	u->shared->wait_ns = 0;
}

/* Before the loop waits: from now on BPF times how long tasks wait for it. */
static void doze(struct scx_user *u)
{
	u->shared->awake = 0;
}

int scx_user__receive(struct scx_user *u, struct scx_user_task *tasks, unsigned int max,
		      int timeout_ms)
{
	int err, n;

	if (!u || !tasks || !max)
		return scx_err(-EINVAL);
	err = bind(u);
	if (err)
		return scx_err(err);
	wake(u);
	u->out = tasks;
	u->max = max;
	u->n = 0;
	n = ring_buffer__consume_n(u->rb, max);
	if (n == 0 && timeout_ms != 0) {
		struct epoll_event ev;

		doze(u);
		epoll_wait(ring_buffer__epoll_fd(u->rb), &ev, 1, timeout_ms);
		wake(u);
		n = ring_buffer__consume_n(u->rb, max);
	}
	if (n < 0)
		return scx_err(n);
	u->received += u->n;
	u->faults = thread_faults() - u->fault_base;
	return u->n;
}

int scx_user__dispatch(struct scx_user *u, const struct scx_user_dispatch *d)
{
	struct scx_user_dispatch *slot;
	int err;

	if (!u || !d)
		return scx_err(-EINVAL);
	err = bind(u);
	if (err)
		return scx_err(err);
	if (d->pid <= 0 || (d->cpu != SCX_USER_CPU_ANY && (d->cpu < 0 || d->cpu >= u->nr_cpu_ids)) ||
	    d->flags || d->slice_ns > DISPATCH_SLICE_MAX_NS) {
		u->refused++;
		pr_debug("user %s: decision refused: pid %d cpu %d slice %llu flags %#llx\n",
			 u->s->label, d->pid, d->cpu, (unsigned long long)d->slice_ns,
			 (unsigned long long)d->flags);
		return scx_err(-EINVAL);
	}
	slot = user_ring_buffer__reserve(u->urb, sizeof(*slot));
	if (!slot) {
		u->ring_full++;
		return scx_err(-EAGAIN);
	}
	*slot = *d;
	user_ring_buffer__submit(u->urb, slot);
	u->dispatched++;
	u->shared->seen_ns = now_ns();
	return 0;
}

int scx_user__pick_idle_cpu(struct scx_user *u, const struct scx_user_task *t)
{
	struct scx_user_pick_args a = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, run, .ctx_in = &a, .ctx_size_in = sizeof(a));
	int err;

	if (!u || !t)
		return scx_err(-EINVAL);
	err = bind(u);
	if (err)
		return scx_err(err);
	a.pid = t->pid;
	a.prev_cpu = t->cpu;
	err = bpf_prog_test_run_opts(u->pick_fd, &run);
	if (err)
		return scx_err(-errno);
	return a.cpu < 0 ? scx_err(a.cpu) : a.cpu;
}

int scx_user__set_pending(struct scx_user *u, __u64 nr)
{
	if (!u)
		return scx_err(-EINVAL);
	u->pending = nr;
	if (u->shared)
		u->shared->nr_pending = nr;
	return 0;
}

__u64 scx_user__slice_ns(const struct scx_user *u)
{
	return u ? u->opts.slice_ns : 0;
}

__u64 scx_user_vclock__charge(struct scx_user_vclock *c, const struct scx_user_task *t,
			      __u64 vtime)
{
	__u64 lag, floor, charge, step;
	bool light;

	if (!c || !t)
		return vtime;
	light = scx_user_layout__light(c->slice_ns, t->weight);
	charge = t->runtime_ns * 100 / (t->weight ? t->weight : 1);
	/* The clock follows the returning task by a slice, or by what this run
	 * cost when that is more (runs longer than the slice, late ticks): the
	 * queue's head moves by no more than the charges of the tasks that
	 * ran, so it keeps up with them, and a task that ran out of turn drags
	 * it a bounded way. A light task drags it a slice at most. */
	step = light || charge < c->slice_ns ? c->slice_ns : charge;
	if (t->runtime_ns && t->vtime > c->now)
		c->now = t->vtime - c->now < step ? t->vtime : c->now + step;
	floor = c->now > c->slice_ns ? c->now - c->slice_ns : 0;
	if (vtime < floor)
		vtime = floor;
	vtime += charge;
	/* Only a light task is held back: a heavier one is charged exactly,
	 * however long its run was. A bound on it would cut the charge of
	 * whichever task a long run (a late tick, a stalled vCPU) landed on
	 * and pull nice 5 towards nice 0. */
	if (!light)
		return vtime;
	lag = (__u64)(c->lag_max ? c->lag_max : 4) * c->slice_ns;
	return vtime > c->now + lag ? c->now + lag : vtime;
}

__u64 scx_user__weighted_slice(__u64 slice_ns, __u32 weight)
{
	return scx_user_layout__weighted_slice(slice_ns, weight);
}

/* The value below which pct percent of the histogram's counts lie. */
static __u64 rtt_percentile(const __u64 *hist, __u64 total, unsigned int pct)
{
	__u64 want = (total * pct + 99) / 100, seen = 0;
	unsigned int b;

	for (b = 0; b < SCX_USER_RTT_BUCKETS; b++) {
		seen += hist[b];
		if (seen >= want && hist[b])
			return b < 8 ? b : (4ULL + b % 4) << (b / 4 - 2);
	}
	return 0;
}

int scx_user__counters(struct scx_user *u, struct scx_user_counters *out)
{
	struct scx_user_counters c = { .sz = sizeof(c) };
	__u64 hist[SCX_USER_RTT_BUCKETS] = { 0 };
	size_t stride = (sizeof(struct scx_user_bpf_counters) + 7) / 8 * 8, skip, n;
	__u32 key = 0;
	int i, b;

	if (!u || !out || out->sz < offsetofend(struct scx_user_counters, ring_full))
		return scx_err(-EINVAL);
	if (!u->s->loaded)
		return scx_err(-ENODEV);
	if (u->bound_seq != u->s->load_seq || !u->percpu)
		return scx_err(-ENODEV);	/* the loop binds; counters only read */
	if (bpf_map_lookup_elem(u->counters_fd, &key, u->percpu))
		return scx_err(-errno);
	for (i = 0; i < u->nr_cpus; i++) {
		const struct scx_user_bpf_counters *p =
			(const void *)((const char *)u->percpu + i * stride);

		c.queued += p->queued;
		c.congested += p->congested;
		c.bpf_direct += p->bpf_direct;
		c.sched_runs += p->sched_runs;
		c.applied += p->applied;
		c.stale += p->stale;
		c.unknown += p->unknown;
		c.corrected += p->corrected;
		c.fallback += p->fallback;
		c.stalls += p->stalls;
		c.rescued += p->rescued;
		c.direct_idle += p->direct_idle;
		c.resumed += p->resumed;
		for (b = 0; b < SCX_USER_RTT_BUCKETS; b++)
			hist[b] += p->rtt[b];
	}
	for (b = 0; b < SCX_USER_RTT_BUCKETS; b++)
		c.rtt_count += hist[b];
	c.rtt_p50_ns = rtt_percentile(hist, c.rtt_count, 50);
	c.rtt_p99_ns = rtt_percentile(hist, c.rtt_count, 99);
	c.received = u->received;
	c.dispatched = u->dispatched;
	c.refused = u->refused;
	c.ring_full = u->ring_full;
	c.pending = u->pending;
	c.faults = u->faults;
	c.bpf_mode = u->shared ? u->shared->bpf_mode : 0;
	skip = sizeof(out->sz);
	n = out->sz < sizeof(c) ? out->sz : sizeof(c);
	memcpy((char *)out + skip, (char *)&c + skip, n - skip);
	if (out->sz > n)
		memset((char *)out + n, 0, out->sz - n);
	return (int)n;
}

int scx_user__fd(struct scx_user *u)
{
	int err;

	if (!u)
		return scx_err(-EINVAL);
	err = bind(u);
	if (err)
		return scx_err(err);
	return ring_buffer__epoll_fd(u->rb);
}

struct scx_user *scx_sched__user(const struct scx_sched *s)
{
	return s ? s->user : NULL;
}

/* run.c's loop: before it waits, and when it has waited. */
void scx__user_doze(struct scx_user *u)
{
	if (u->shared)
		doze(u);
}

int scx__user_serve(struct scx_user *u)
{
	int err = bind(u);

	if (err)
		return err;
	wake(u);
	if (!u->opts.schedule_fn)
		return 0;
	err = u->opts.schedule_fn(u, u->opts.ctx);
	return err > 0 ? -ECANCELED : err;
}

bool scx__user_has_fn(const struct scx_user *u)
{
	return u->opts.schedule_fn;
}

__u64 scx__user_pending(const struct scx_user *u)
{
	return u->pending;
}

void scx_user__destroy(struct scx_user *u)
{
	if (!u)
		return;
	unbind(u);
	undo_memory(u);
	if (u->s && u->s->user == u)
		u->s->user = NULL;
	free(u);
}
