/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Shared by the user-space scheduling tests (test_user_*.c): a policy thread
 * that drives scx/user.h the way a scheduler author would (its own loop,
 * not scx_sched__run(), so the test's main thread stays free to watch and
 * to provoke), and readers of the runtime's BPF maps by id, for a scheduler
 * that runs in another process (which may be stopped).
 */
#ifndef __TESTS_VM_USER_UTIL_H
#define __TESTS_VM_USER_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <scx/scx.h>
#include "testlib.h"

#define UU_BATCH 64

struct uu_policy {
	/* set by the test before uu_start() */
	const char *obj;		/* in t_dir() */
	__u32 timeout_ms;		/* the kernel's watchdog */
	struct scx_user_opts uo;	/* sz set by uu_start() */
	/* a record the test wants for itself: return true when it took it
	 * (called in the policy thread: no I/O, no allocation) */
	bool (*on_task)(struct uu_policy *p, const struct scx_user_task *t);
	/* after every receive, in the policy thread, for the test's own
	 * calls into the runtime */
	void (*on_turn)(struct uu_policy *p);

	struct scx_sched *s;
	struct scx_user *u;
	pthread_t th;
	_Atomic int ready;		/* 1 attached, < 0 -errno of a setup step */
	_Atomic int quit;
	_Atomic int pause;		/* 1: stop receiving; the thread answers 2 */
	_Atomic int tid;
	_Atomic long errors;		/* decisions refused although well formed */
	_Atomic long eagain;		/* decisions the full ring refused */
	const char *failed;		/* the setup step that failed */
};

/* The ordinary decision: the task's previous CPU or another idle one it may
 * use, else any CPU. Returns scx_user__dispatch()'s result. */
static inline int uu_decide(struct scx_user *u, const struct scx_user_task *t)
{
	struct scx_user_dispatch d = { .pid = t->pid, .seq = t->seq, .cpu = SCX_USER_CPU_ANY };
	int cpu = scx_user__pick_idle_cpu(u, t);

	if (cpu >= 0)
		d.cpu = cpu;
	return scx_user__dispatch(u, &d);
}

static void *uu_thread(void *arg)
{
	struct uu_policy *p = arg;
	SCX_OPTS(scx_sched_opts, so, .timeout_ms = p->timeout_ms);
	/* static: the loop's data is in place before the memory rules apply */
	static struct scx_user_task t[UU_BATCH];
	int i, n, err;

	p->tid = gettid();
	p->s = scx_sched__open_file(t_path(p->obj), &so);
	if (!p->s) {
		p->failed = "open";
		p->ready = -errno;
		return NULL;
	}
	p->uo.sz = sizeof(p->uo);
	p->u = scx_user__new(p->s, &p->uo);
	if (!p->u) {
		p->failed = "scx_user__new";
		p->ready = -errno;
		return NULL;
	}
	err = scx_sched__load(p->s);
	if (!err)
		err = scx_sched__attach(p->s);
	if (err) {
		p->failed = "load/attach";
		p->ready = err;
		return NULL;
	}
	p->ready = 1;
	while (!p->quit) {
		if (p->pause) {
			p->pause = 2;
			usleep(1000);
			continue;
		}
		n = scx_user__receive(p->u, t, UU_BATCH, 10);
		for (i = 0; i < n; i++) {
			if (p->on_task && p->on_task(p, &t[i]))
				continue;
			err = uu_decide(p->u, &t[i]);
			/* a full decision ring: the task stays parked, and
			 * BPF's own guard takes it if it waits a second */
			if (err == -EAGAIN)
				p->eagain++;
			else if (err)
				p->errors++;
		}
		if (p->on_turn)
			p->on_turn(p);
	}
	return NULL;
}

/* Start the policy thread and wait until the scheduler is attached;
 * asserts (the step that failed is printed). */
static inline void uu_start(struct uu_policy *p)
{
	long long end = t_now_ms() + T_WAIT_MIN_MS;

	T_ASSERT(!pthread_create(&p->th, NULL, uu_thread, p), "pthread_create");
	while (!p->ready && t_now_ms() < end)
		usleep(10000);
	T_ASSERT(p->ready == 1, "policy thread: %s failed: %s",
		 p->failed ? p->failed : "attach (timed out)", strerror(-p->ready));
}

/* Stop the loop, detach, and give the process's memory rules back. */
static inline void uu_stop(struct uu_policy *p)
{
	if (p->th) {
		p->quit = 1;
		pthread_join(p->th, NULL);
		p->th = 0;
	}
	if (p->s)
		scx_sched__detach(p->s);
	scx_user__destroy(p->u);
	scx_sched__destroy(p->s);
	p->u = NULL;
	p->s = NULL;
}

static inline struct scx_user_counters uu_counters(struct uu_policy *p)
{
	struct scx_user_counters c = { .sz = sizeof(c) };

	T_ASSERT(scx_user__counters(p->u, &c) == sizeof(c), "scx_user__counters: %s",
		 strerror(errno));
	return c;
}

static inline void uu_print_counters(struct uu_policy *p)
{
	struct scx_user_counters c = { .sz = sizeof(c) };

	if (scx_user__counters(p->u, &c) < 0)
		return;
	t_log("received %llu dispatched %llu refused %llu ring_full %llu queued %llu "
	      "congested %llu bpf_direct %llu sched_runs %llu applied %llu stale %llu unknown %llu "
	      "corrected %llu fallback %llu stalls %llu rescued %llu bpf_mode %llu faults %llu",
	      (unsigned long long)c.received, (unsigned long long)c.dispatched,
	      (unsigned long long)c.refused, (unsigned long long)c.ring_full,
	      (unsigned long long)c.queued, (unsigned long long)c.congested,
	      (unsigned long long)c.bpf_direct, (unsigned long long)c.sched_runs,
	      (unsigned long long)c.applied, (unsigned long long)c.stale,
	      (unsigned long long)c.unknown, (unsigned long long)c.corrected,
	      (unsigned long long)c.fallback, (unsigned long long)c.stalls,
	      (unsigned long long)c.rescued, (unsigned long long)c.bpf_mode,
	      (unsigned long long)c.faults);
}

/* The scheduler is still the one attached at enable_seq seq: not ejected,
 * not restarted. Otherwise print why it left (the kernel's dump names the
 * task that waited) and fail. */
static inline void uu_assert_attached(struct uu_policy *p, long long seq, const char *when)
{
	const struct scx_exit_info *ei;
	const char *dump;
	char buf[64];

	if (scx_sched__wait(p->s, 0) == -ETIMEDOUT && t_enable_seq() == seq &&
	    !strcmp(t_scx_read("state", buf, sizeof(buf)), "enabled"))
		return;
	printf("%s: state %s, enable_seq %lld (was %lld)\n", when, t_scx_read("state", buf, sizeof(buf)),
	       t_enable_seq(), seq);
	uu_print_counters(p);
	T_ASSERT(scx_sched__wait(p->s, T_WAIT_MIN_MS) == 0, "%s: left, but no exit reported", when);
	ei = scx_sched__exit_info(p->s);
	dump = scx_exit_info__dump(ei);
	printf("%s\n", dump ? dump : "(no dump)");
	T_ASSERT(false, "%s: the scheduler exited: %s (%s)", when, scx_exit_info__reason(ei),
		 scx_exit_info__msg(ei));
}

/* The newest BPF map named name (as the kernel truncates it): the one of
 * the scheduler started last. -1 when there is none. */
static inline int uu_map_by_name(const char *name)
{
	__u32 id = 0, best = 0;
	int fd;

	while (!bpf_map_get_next_id(id, &id)) {
		struct bpf_map_info info = { 0 };
		__u32 len = sizeof(info);

		fd = bpf_map_get_fd_by_id(id);
		if (fd < 0)
			continue;
		if (!bpf_map_get_info_by_fd(fd, &info, &len) &&
		    !strncmp(info.name, name, sizeof(info.name) - 1))
			best = id;
		close(fd);
	}
	return best ? bpf_map_get_fd_by_id(best) : -1;
}

/* BPF's counters (summed over CPUs) from the map's fd. */
static inline bool uu_bpf_counters(int fd, struct scx_user_bpf_counters *sum)
{
	static struct scx_user_bpf_counters per[256];
	int n = libbpf_num_possible_cpus(), i;
	__u32 key = 0;

	memset(sum, 0, sizeof(*sum));
	if (n <= 0 || n > 256 || bpf_map_lookup_elem(fd, &key, per))
		return false;
	for (i = 0; i < n; i++) {
		sum->queued += per[i].queued;
		sum->congested += per[i].congested;
		sum->applied += per[i].applied;
		sum->stale += per[i].stale;
		sum->fallback += per[i].fallback;
		sum->stalls += per[i].stalls;
		sum->rescued += per[i].rescued;
	}
	return true;
}

#endif /* __TESTS_VM_USER_UTIL_H */
