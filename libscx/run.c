// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The supervisor: attach, wait, stop on request, restart when the kernel asks
 * for it (CPU hotplug), report the final exit.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "exit_priv.h"
#include "sched_priv.h"

#define DEFAULT_MAX_RESTARTS	16
#define DEFAULT_BACKOFF_MS	50
#define MAX_BACKOFF_MS		5000

/* The handle that SIGINT/SIGTERM stop. One supervisor per process handles
 * signals at a time, as there is one sched_ext scheduler per system. */
static struct scx_sched *volatile signal_target;

SCX_API void scx_sched__stop(struct scx_sched *s)
{
	__u64 one = 1;

	if (!s)
		return;
	s->stop = 1;
	/* the eventfd only wakes a sleeping poll; a failed write loses nothing
	 * as the loop reads the flag on every pass */
	if (s->stop_fd >= 0)
		(void)!write(s->stop_fd, &one, sizeof(one));
}

static void on_signal(int sig)
{
	struct scx_sched *s = signal_target;
	int saved = errno;

	(void)sig;
	if (s)
		scx_sched__stop(s);
	errno = saved;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Sleep up to ms, returning early when a stop is requested. */
static void nap(struct scx_sched *s, int ms)
{
	struct pollfd pfd = { .fd = s->stop_fd, .events = POLLIN };

	if (!s->stop)
		poll(&pfd, s->stop_fd >= 0 ? 1 : 0, ms);
}

/* Wait until the scheduler exits or a stop is asked, calling stats_fn on its
 * interval. Returns 0 on exit, 1 on stop. */
static int supervise(struct scx_sched *s, const struct scx_run_opts *o)
{
	__u32 interval = SCX_OPT(o, stats_interval_ms, 0);
	int (*stats_fn)(struct scx_sched *, void *) = SCX_OPT(o, stats_fn, NULL);
	void *ctx = SCX_OPT(o, ctx, NULL);
	long long next = interval ? now_ms() + interval : -1;

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = s->watch_fd, .events = POLLIN },
			{ .fd = s->stop_fd, .events = POLLIN },
		};
		int timeout = 1000;

		if (s->stop)
			return 1;
		if (scx_sched__wait(s, 0) == 0)
			return 0;
		if (next >= 0) {
			long long left = next - now_ms();

			if (left <= 0) {
				if (stats_fn && stats_fn(s, ctx))
					return 1;
				next += interval;
				left = next - now_ms();
				if (left < 0) {
					next = now_ms() + interval;
					left = interval;
				}
			}
			if (left < timeout)
				timeout = left;
		}
		if (s->watch_fd < 0 && timeout > 100)
			timeout = 100;
		poll(pfd, 2, timeout);
	}
}

/* Reopen, reload and reattach after the kernel asked for a restart, trying
 * again with a growing delay: hotplug often comes in bursts. */
static int restart(struct scx_sched *s, int max_restarts, __u32 backoff)
{
	int err = 0;

	for (;;) {
		nap(s, backoff);
		if (s->stop)
			return 0;
		err = scx__reopen(s);
		if (err == -EOPNOTSUPP) {
			pr_warn("run %s: cannot restart a scheduler wrapped with "
				"scx_sched__from_object()\n", s->label);
			return err;
		}
		if (!err)
			err = scx_sched__load(s);
		if (!err && !s->stop)
			err = scx_sched__attach(s);
		s->restarts++;
		if (!err || s->restarts >= (unsigned int)max_restarts) {
			if (err)
				pr_warn("run %s: restart %u failed: %s\n", s->label, s->restarts,
					strerror(-err));
			return err;
		}
		backoff = backoff * 2 > MAX_BACKOFF_MS ? MAX_BACKOFF_MS : backoff * 2;
	}
}

SCX_API int scx_sched__run(struct scx_sched *s, const struct scx_run_opts *opts)
{
	void (*restart_fn)(struct scx_sched *, const struct scx_exit_info *, void *);
	struct sigaction sa = {}, old_int, old_term;
	int max_restarts, err = 0;
	bool signals, stopped = false;
	__u64 drain;
	__u32 backoff;

	if (!s || !SCX_OPTS_VALID(opts, scx_run_opts))
		return scx_err(-EINVAL);
	max_restarts = SCX_OPT(opts, max_restarts, 0);
	if (max_restarts == 0)
		max_restarts = DEFAULT_MAX_RESTARTS;
	backoff = SCX_OPT(opts, restart_backoff_ms, 0);
	if (!backoff)
		backoff = DEFAULT_BACKOFF_MS;
	if (backoff > MAX_BACKOFF_MS)
		backoff = MAX_BACKOFF_MS;
	restart_fn = SCX_OPT(opts, restart_fn, NULL);
	signals = !SCX_OPT(opts, no_signals, false);

	/* a stop asked of an earlier run() does not carry over */
	if (s->stop_fd < 0)
		s->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	else
		while (read(s->stop_fd, &drain, sizeof(drain)) > 0)
			;
	s->stop = 0;
	if (signals) {
		signal_target = s;
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, &old_int);
		sigaction(SIGTERM, &sa, &old_term);
	}

	/* a signal during the load must not switch every task over */
	if (!s->loaded && !s->stop)
		err = scx_sched__load(s);
	if (!err && !s->stop)
		err = scx_sched__attach(s);
	/* A hotplug since load makes the kernel unload the scheduler while
	 * enabling it, asking for a restart: an exit like any other. */
	if (err == -ECANCELED && s->exited && scx_exit_code__restart(s->ei.code))
		err = 0;
	while (!err && !s->stop) {
		const struct scx_exit_info *ei;
		struct scx_exit_info cause;

		if (supervise(s, opts))
			break;
		ei = scx_sched__exit_info(s);
		if (!scx_exit_code__restart(scx_exit_info__code(ei)))
			break;
		if (max_restarts < 0 || s->restarts >= (unsigned int)max_restarts) {
			pr_warn("run %s: the kernel asked for a restart (%s), but the limit of %d "
				"restarts is reached\n", s->label, scx_exit_info__reason(ei),
				max_restarts < 0 ? 0 : max_restarts);
			break;
		}
		pr_info("run %s: restarting: %s%s%s\n", s->label, scx_exit_info__reason(ei),
			*scx_exit_info__msg(ei) ? ": " : "", scx_exit_info__msg(ei));
		/* the reattach resets s->ei; restart_fn wants the cause */
		cause = *ei;
		cause.dump = NULL;
		err = restart(s, max_restarts, backoff);
		if (!err && !s->stop && restart_fn)
			restart_fn(s, &cause, SCX_OPT(opts, ctx, NULL));
	}
	/* supervise() also ends on a stats_fn's non-zero return */
	stopped = s->stop || (!err && s->link && !s->exited);
	if (stopped)
		scx_sched__detach(s);

	if (signals) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		signal_target = NULL;
	}
	if (stopped)
		return SCX_EXIT_UNREG;
	if (err)
		return scx_err(err);
	return scx_exit_info__kind(&s->ei);
}

SCX_API unsigned int scx_sched__restarts(const struct scx_sched *s)
{
	return s ? s->restarts : 0;
}
