// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The supervisor: attach, wait, stop on request, restart when the kernel asks
 * for it (CPU hotplug), report the final exit; and under systemd, tell the
 * service manager each of these (notify.c).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include <scx/stats_server.h>
#include <scx/user.h>
#include <scx/topology.h>
#include <scx/topology_layout.h>

#include "internal.h"
#include "exit_priv.h"
#include "notify.h"
#include "sched_priv.h"
#include "user_priv.h"

#define DEFAULT_MAX_RESTARTS	16
#define DEFAULT_RESTART_WINDOW_MS	60000
#define DEFAULT_BACKOFF_MS	50
#define MAX_BACKOFF_MS		5000

/* The handle that SIGINT/SIGTERM stop, when run() was asked to handle them.
 * One supervisor per process handles signals at a time, as there is one
 * sched_ext scheduler per system. */
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

/* Sleep up to ms, returning early when a stop is requested. */
static void nap(struct scx_sched *s, int ms)
{
	struct pollfd pfd = { .fd = s->stop_fd, .events = POLLIN };

	if (!s->stop)
		poll(&pfd, s->stop_fd >= 0 ? 1 : 0, ms);
}

/* Wait until the scheduler exits or a stop is asked, calling stats_fn on its
 * interval and keeping systemd's watchdog fed. Returns 0 on exit, 1 on stop. */
static int supervise(struct scx_sched *s, const struct scx_run_opts *o, struct scx_notify *n)
{
	__u32 interval = SCX_OPT(o, stats_interval_ms, 0);
	int (*stats_fn)(struct scx_sched *, void *) = SCX_OPT(o, stats_fn, NULL);
	void *ctx = SCX_OPT(o, ctx, NULL);
	struct scx_stats_server *srv = SCX_OPT(o, stats_server, NULL);
	long long next = interval ? scx__now_ms() + interval : -1, looked = 0, now;
	bool watch_woke = true;

	for (;;) {
		struct pollfd pfd[4] = {
			{ .fd = s->watch.ep, .events = POLLIN },
			{ .fd = s->stop_fd, .events = POLLIN },
			{ .fd = srv ? scx_stats_server__fd(srv) : -1, .events = POLLIN },
			{ .fd = s->user ? scx_user__fd(s->user) : -1, .events = POLLIN },
		};
		int timeout = 1000, ready, wd, err;

		if (s->stop)
			return 1;
		/* Has it exited? A full look reads sysfs. A user-space policy
		 * wakes this loop for every batch of tasks: it looks only when
		 * the watch or stop fd woke it, or every SCX_WATCH_POLL_MS, as
		 * the watch would tick (the exit record BPF writes is always
		 * read). */
		now = scx__now_ms();
		if (!s->user || s->watch.ep < 0 || s->gone_ms || watch_woke || scx__record_kind(s) ||
		    now - looked >= SCX_WATCH_POLL_MS) {
			looked = now;
			if (scx_sched__wait(s, 0) == 0)
				return 0;
		}
		scx__notify_watchdog(n, now);
		wd = scx__notify_wait_ms(n, now);
		if (wd >= 0 && wd < timeout)
			timeout = wd;
		if (next >= 0) {
			long long left = next - scx__now_ms();

			if (left <= 0) {
				if (stats_fn && stats_fn(s, ctx))
					return 1;
				next += interval;
				left = next - scx__now_ms();
				if (left < 0) {
					next = scx__now_ms() + interval;
					left = interval;
				}
			}
			if (left < timeout)
				timeout = left;
		}
		/* without the fd, look at sysfs as often as it would tick */
		if (s->watch.ep < 0 && timeout > SCX_WATCH_POLL_MS)
			timeout = s->gone_ms ? 10 : SCX_WATCH_POLL_MS;
		/* a policy holding tasks is called again soon */
		if (s->user && scx__user_pending(s->user))
			timeout = 1;
		if (s->user)
			scx__user_doze(s->user);
		/* when its fd is readable, and at least once a second (which
		 * drops clients that stopped reading); a server with a thread
		 * of its own refuses: leave it be */
		ready = poll(pfd, 4, timeout);
		/* a timeout is no reason to look: a policy holding tasks has
		 * 1 ms ones, and the look every SCX_WATCH_POLL_MS covers the rest */
		watch_woke = ready < 0 || pfd[0].revents || pfd[1].revents;
		if (s->user && ((pfd[3].revents & POLLIN) || scx__user_pending(s->user) ||
				pfd[3].fd < 0) &&
		    (err = scx__user_serve(s->user))) {
			/* a policy fails when the scheduler went away under it
			 * (its maps gone): that is an exit, not a failure */
			if (scx_sched__wait(s, 0) == 0)
				return 0;
			pr_warn("run %s: the user-space policy failed: %s\n", s->label,
				strerror(-err));
			return 1;
		}
		if (srv && (ready == 0 || (pfd[2].revents & POLLIN)) &&
		    scx_stats_server__process(srv, 0) == -EINVAL)
			srv = NULL;
	}
}

/* Read the machine afresh, from the sysfs the handle was opened against. */
static int read_topology(struct scx_sched *s, struct scx_topology **topo)
{
	SCX_OPTS(scx_topology_opts, to, .sysfs_root = s->opts.sysfs_root);
	int err;

	if (*topo) {
		err = scx_topology__refresh(*topo);
	} else {
		*topo = scx_topology__open(&to);
		err = *topo ? 0 : -errno;
	}
	if (err)
		pr_warn("run %s: cannot read the CPU topology: %s\n", s->label, strerror(-err));
	return err;
}

/* What run() was asked, resolved to its defaults. */
struct run_cfg {
	const struct scx_run_opts *o;
	int max_restarts;		/* per window; -1: never */
	long long window_ms;
	__u32 backoff_ms;
	struct scx_ratelimit limit;
	struct scx_topology *topo;	/* the machine as the hooks see it */
	bool hook_failed;		/* prepare_fn or loaded_fn: stop, do not retry */
	struct scx_notify notify;	/* systemd, when it started us */
};

/*
 * Bring the scheduler up: (re-read the topology for the hooks,) prepare_fn,
 * load (which fills the object's topology maps), loaded_fn, attach. The
 * hooks run only around a load that run() does itself: a caller who loaded
 * the scheduler prepared it already.
 */
static int start(struct scx_sched *s, struct run_cfg *c)
{
	int (*prepare_fn)(struct scx_sched *, const struct scx_topology *, void *) =
		SCX_OPT(c->o, prepare_fn, NULL);
	int (*loaded_fn)(struct scx_sched *, const struct scx_topology *, void *) =
		SCX_OPT(c->o, loaded_fn, NULL);
	void *ctx = SCX_OPT(c->o, ctx, NULL);
	int err = 0;

	if (!s->loaded) {
		if (prepare_fn || loaded_fn) {
			err = read_topology(s, &c->topo);
			if (err)
				return err;
		}
		if (prepare_fn && (err = prepare_fn(s, c->topo, ctx))) {
			pr_warn("run %s: prepare_fn failed: %s\n", s->label, strerror(-err));
			c->hook_failed = true;
			return err < 0 ? err : -ECANCELED;
		}
		if (s->stop)
			return 0;
		err = scx_sched__load(s);
		if (!err && loaded_fn && (err = loaded_fn(s, c->topo, ctx))) {
			pr_warn("run %s: loaded_fn failed: %s\n", s->label, strerror(-err));
			c->hook_failed = true;
			return err < 0 ? err : -ECANCELED;
		}
		if (err)
			return err;
	}
	/* a signal during the load must not switch every task over */
	if (s->stop)
		return 0;
	/* the channel is ready before the first task comes through it */
	if (s->user && (err = scx__user_bind(s->user)))
		return err;
	return scx_sched__attach(s);
}

/* Reopen, reload and reattach after the kernel asked for a restart, trying
 * again with a growing delay: hotplug often comes in bursts. Every try counts
 * against the restart budget of the current window. */
static int restart(struct scx_sched *s, struct run_cfg *c, const struct scx_exit_info *cause)
{
	__u32 backoff = c->backoff_ms;
	int err = 0;

	/* Let go of the exited scheduler's link at once: on kernels whose
	 * unregistration acts on whatever scheduler is current, a link closed
	 * late could take down one another loader attached meanwhile. */
	if (scx__can_reopen(s))
		scx_sched__detach(s);
	for (;;) {
		if (!scx__ratelimit_take(&c->limit, scx__now_ms())) {
			pr_warn("run %s: the kernel asked for a restart (%s), but %d tries in %lld ms "
				"is the limit; giving up\n", s->label, scx_exit_info__reason(cause),
				c->max_restarts, c->window_ms);
			/* -ECANCELED: run() reports the last exit */
			return err ? err : -ECANCELED;
		}
		/* the nap is at most MAX_BACKOFF_MS: a watchdog shorter than
		 * twice that would need pinging inside it */
		scx__notify_watchdog(&c->notify, scx__now_ms());
		nap(s, backoff);
		if (s->stop)
			return 0;
		/* Detach what is left of the last run (reopening closes the
		 * object under it); a handle without the object's bytes
		 * cannot be reopened and keeps it. */
		err = -EOPNOTSUPP;
		if (scx__can_reopen(s)) {
			scx_sched__detach(s);
			err = scx__reopen(s);
		}
		if (err == -EOPNOTSUPP) {
			pr_warn("run %s: cannot restart a scheduler wrapped with "
				"scx_sched__from_object()\n", s->label);
			return err;
		}
		if (!err) {
			/* from here on s->exited and s->ei describe this try
			 * only: an attach the kernel cancels fills them again */
			s->exited = false;
			scx__exit_info_reset(&s->ei);
			err = start(s, c);
		}
		if (!err) {
			s->restarts++;
			return 0;
		}
		if (c->hook_failed)
			return err;
		if (err == -ECANCELED && s->exited && scx_exit_code__restart(s->ei.code)) {
			/* another hotplug while it was enabled: try again */
			pr_info("run %s: restart interrupted: %s\n", s->label, s->ei.reason);
			err = 0;
		} else {
			pr_warn("run %s: restart failed: %s\n", s->label, strerror(-err));
		}
		backoff = backoff * 2 > MAX_BACKOFF_MS ? MAX_BACKOFF_MS : backoff * 2;
	}
}

/* Install our handler where the application left the default one: a signal
 * it ignores or handles itself stays its own. */
static void catch_signal(int sig, struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, NULL, old) || old->sa_handler != SIG_DFL)
		return;
	sigaction(sig, &sa, NULL);
}

SCX_API int scx_sched__run(struct scx_sched *s, const struct scx_run_opts *opts)
{
	void (*restart_fn)(struct scx_sched *, const struct scx_exit_info *, void *);
	struct sigaction old_int, old_term;
	struct run_cfg c = { .o = opts };
	bool signals, stopped = false;
	int err = 0;
	__u64 drain;

	if (!s || !SCX_OPTS_VALID(opts, scx_run_opts))
		return scx_err(-EINVAL);
	if (s->user && !scx__user_has_fn(s->user)) {
		pr_warn("run %s: its scx_user has no schedule_fn for run() to call\n", s->label);
		return scx_err(-EINVAL);
	}
	c.max_restarts = SCX_OPT(opts, max_restarts, 0);
	if (c.max_restarts == 0)
		c.max_restarts = DEFAULT_MAX_RESTARTS;
	c.window_ms = SCX_OPT(opts, restart_window_ms, 0);
	if (!c.window_ms)
		c.window_ms = DEFAULT_RESTART_WINDOW_MS;
	scx__ratelimit_init(&c.limit, c.max_restarts < 0 ? 0 : c.max_restarts, c.window_ms);
	c.backoff_ms = SCX_OPT(opts, restart_backoff_ms, 0);
	if (!c.backoff_ms)
		c.backoff_ms = DEFAULT_BACKOFF_MS;
	if (c.backoff_ms > MAX_BACKOFF_MS)
		c.backoff_ms = MAX_BACKOFF_MS;
	restart_fn = SCX_OPT(opts, restart_fn, NULL);
	signals = SCX_OPT(opts, handle_signals, false);

	/* a stop asked of an earlier run() does not carry over */
	if (s->stop_fd < 0)
		s->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	else
		while (read(s->stop_fd, &drain, sizeof(drain)) > 0)
			;
	s->stop = 0;
	if (signals) {
		signal_target = s;
		catch_signal(SIGINT, &old_int);
		catch_signal(SIGTERM, &old_term);
	}

	scx__notify_open(&c.notify);
	err = s->stop ? 0 : start(s, &c);
	/* A hotplug since load makes the kernel unload the scheduler while
	 * enabling it, asking for a restart: an exit like any other. */
	if (err == -ECANCELED && s->exited && scx_exit_code__restart(s->ei.code))
		err = 0;
	else if (!err && !s->stop)
		/* ready: systemd's Type=notify start is over */
		scx__notify(&c.notify, "READY=1\nSTATUS=Attached %s", s->name);
	while (!err && !s->stop) {
		const struct scx_exit_info *ei;
		struct scx_exit_info cause;

		if (supervise(s, opts, &c.notify))
			break;
		ei = scx_sched__exit_info(s);
		if (!scx_exit_code__restart(scx_exit_info__code(ei)))
			break;
		if (c.max_restarts < 0) {
			pr_warn("run %s: the kernel asked for a restart (%s), but restarts are off\n",
				s->label, scx_exit_info__reason(ei));
			break;
		}
		pr_info("run %s: restarting: %s%s%s\n", s->label, scx_exit_info__reason(ei),
			*scx_exit_info__msg(ei) ? ": " : "", scx_exit_info__msg(ei));
		/* a restart the kernel asked for is not a reload (RELOADING=1
		 * is for configuration): the status line says it */
		scx__notify(&c.notify, "STATUS=Restarting %s: %s", s->name,
			    scx_exit_info__reason(ei));
		/* the reattach resets s->ei; restart_fn wants the cause */
		cause = *ei;
		cause.dump = NULL;
		err = restart(s, &c, &cause);
		if (err == -ECANCELED && s->exited && scx_exit_code__restart(s->ei.code))
			break;	/* out of budget: report the last exit */
		if (!err && !s->stop)
			scx__notify(&c.notify, "STATUS=Attached %s (restarts: %u)", s->name,
				    s->restarts);
		if (!err && !s->stop && restart_fn)
			restart_fn(s, &cause, SCX_OPT(opts, ctx, NULL));
	}
	/* supervise() also ends on a stats_fn's non-zero return */
	stopped = s->stop || (!err && s->link && !s->exited);
	if (stopped) {
		scx__notify(&c.notify, "STOPPING=1\nSTATUS=Stopping: detaching %s", s->name);
		scx_sched__detach(s);
	} else if (s->exited) {
		/* the journal has the program's own report; this is the
		 * one-line answer to systemctl status */
		scx__notify(&c.notify, "STATUS=%s %s: %s%s%s", s->name,
			    scx_exit_kind__str(scx_exit_info__kind(&s->ei)),
			    scx_exit_info__reason(&s->ei), *scx_exit_info__msg(&s->ei) ? ": " : "",
			    scx_exit_info__msg(&s->ei));
	} else if (err) {
		scx__notify(&c.notify, "STATUS=Cannot start %s: %s", s->label, strerror(-err));
	}
	scx__notify_close(&c.notify);
	scx_topology__free(c.topo);

	if (signals) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		signal_target = NULL;
	}
	if (stopped)
		return SCX_EXIT_UNREG;
	if (err && !(err == -ECANCELED && s->exited))
		return scx_err(err);
	return scx_exit_info__kind(&s->ei);
}

SCX_API unsigned int scx_sched__restarts(const struct scx_sched *s)
{
	return s ? s->restarts : 0;
}
