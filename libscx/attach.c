// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * A loaded scheduler in the kernel: attach, the exit fd, noticing and
 * completing an exit, detach, and destroy, which ends the handle. Why it
 * exited is exit_collect.c's; opening and loading are open.c's and load.c's,
 * which never call up into this file.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include <scx/sched.h>
#include "internal.h"
#include "exit_priv.h"
#include "sched_priv.h"
#include "watch.h"

static void mark_exited(struct scx_sched *s);

static bool state_is(const struct scx_sched *s, const char *want)
{
	char state[32];

	return scx__read_sysfs(s, "state", state, sizeof(state)) >= 0 && !strcmp(state, want);
}

SCX_API int scx_sched__attach(struct scx_sched *s)
{
	char other[160] = "", state[32];
	unsigned long long seq = 0, seq0 = 0;
	struct scx__sched_attr prio;
	bool have_seq0, have_seq;
	int err, boosted;

	if (!s)
		return scx_err(-EINVAL);
	if (!s->loaded) {
		pr_warn("attach %s: load the scheduler first\n", s->label);
		return scx_err(-EINVAL);
	}
	if (s->link)
		return scx_err(-EALREADY);
	err = scx__read_sysfs(s, "state", state, sizeof(state));
	if (err < 0) {
		pr_warn("attach %s: cannot read %s/kernel/sched_ext/state: %s\n", s->label,
			s->sysfs_root, strerror(-err));
		return scx_err(err);
	}
	if (!strcmp(state, "disabling")) {
		pr_warn("attach %s: the kernel is still disabling the previous scheduler; "
			"try again once %s/kernel/sched_ext/state is \"disabled\"\n", s->label,
			s->sysfs_root);
		return scx_err(-EBUSY);
	}
	if (strcmp(state, "disabled")) {
		scx__read_sysfs(s, "root/ops", other, sizeof(other));
		pr_warn("attach %s: another sched_ext scheduler%s%s%s is attached; stop it first\n",
			s->label, *other ? " '" : "", other, *other ? "'" : "");
		return scx_err(-EBUSY);
	}
	/* Listen before attaching: an error during enable must not be missed. */
	if (s->watch.ep < 0) {
		err = scx__watch_init(&s->watch);
		if (err)
			pr_warn("attach %s: exit notification unavailable (%s); "
				"scx_sched__wait() looks at sysfs instead\n", s->label, strerror(-err));
	}
	scx__watch_rearm(&s->watch);
	scx__kmsg_open(s);
	scx__exit_info_reset(&s->ei);
	scx__clear_record(s);
	s->exited = false;
	s->gone_ms = 0;
	s->detached_by_us = false;
	s->kmsg_found = false;
	have_seq0 = !scx__read_sysfs_u64(s, "enable_seq", &seq0);

	/* the kernel enables it in this thread: out of the fair class's reach */
	boosted = scx__enable_boost(&prio);
	if (boosted < 0)
		pr_debug("attach %s: enabling at the caller's own priority, not SCHED_FIFO (%s): "
			 "before Linux 7.0 CPUs busy with fair-class tasks can stall the enable\n",
			 s->label, strerror(-boosted));
	s->link = bpf_map__attach_struct_ops(s->ops);
	err = libbpf_get_error(s->link);
	if (boosted > 0)
		scx__enable_unboost(&prio);
	if (err) {
		s->link = NULL;
		/* nothing attached: the fd must not tick */
		scx__watch_tick(&s->watch, 0);
		if (err == -EBUSY) {
			scx__read_sysfs(s, "root/ops", other, sizeof(other));
			pr_warn("attach %s: another sched_ext scheduler%s%s%s got attached first\n",
				s->label, *other ? " '" : "", other, *other ? "'" : "");
		} else {
			char why[SCX_EXIT_MSG_LEN] = "";

			/* ops.init() failures and hotplug races leave their
			 * reason in the exit record or the kernel log */
			scx__collect_exit(s, why, sizeof(why));
			pr_warn("attach %s: the kernel refused it (%s)%s%s\n", s->label,
				strerror(-err), *why ? ": " : "", why);
		}
		return scx_err(err);
	}
	have_seq = !scx__read_sysfs_u64(s, "enable_seq", &seq);
	s->enable_seq = seq;
	/*
	 * When enabling fails after ops.init() was called (ops.init() or
	 * ops.init_task() returned an error, or called scx_bpf_error()), the
	 * kernel unloads the scheduler and still reports success, so that the
	 * reason travels through the exit info. enable_seq only counts enables
	 * that completed, and it is bumped before the kernel returns.
	 */
	if (have_seq0 && have_seq && seq == seq0) {
		mark_exited(s);
		bpf_link__destroy(s->link);
		s->link = NULL;
		pr_warn("attach %s: the kernel unloaded it while enabling it: %s%s%s\n", s->label,
			s->ei.reason, *s->ei.msg ? ": " : "", s->ei.msg);
		return scx_err(-ECANCELED);
	}
	return 0;
}

SCX_API int scx_sched__fd(const struct scx_sched *s)
{
	if (!s || (!s->link && !s->exited))
		return scx_err(-EINVAL);
	if (s->watch.ep < 0)
		return scx_err(-EOPNOTSUPP);
	return s->watch.ep;
}

/* Has our scheduler gone? The exit record (written last by ops.exit), the
 * state file and enable_seq each tell it; any one is enough. */
static bool gone(struct scx_sched *s)
{
	unsigned long long seq;

	if (scx__record_kind(s))
		return true;
	/* The uevent comes while the kernel is still "disabling": that
	 * counts, or a poll-driven caller would wait for an event that was
	 * already consumed. */
	if (!state_is(s, "enabled"))
		return true;
	return !scx__read_sysfs_u64(s, "enable_seq", &seq) && seq != s->enable_seq;
}

/*
 * How long the kernel may stay "disabling" before we stop waiting for it to
 * finish, and how long an exit we cannot explain yet waits for the kernel's
 * log line (which can come after the state change that told us; seen under
 * load on 7.3.4).
 */
#define DISABLING_MAX_MS	5000
#define EXIT_REASON_GRACE_MS	500

/*
 * Complete an exit that gone() saw, without sleeping: it is complete once
 * the kernel has finished moving tasks back to the fair class (a caller who
 * reattaches at once would otherwise get -EBUSY) and we know why it exited,
 * or once each has had its time. Until then the exit fd ticks so that a
 * caller polling it comes back.
 */
static bool complete_exit(struct scx_sched *s)
{
	long long waited;

	if (s->exited)
		return true;
	if (!s->gone_ms) {
		s->gone_ms = scx__now_ms();
		scx__watch_tick(&s->watch, 10);
	}
	waited = scx__now_ms() - s->gone_ms;
	if (state_is(s, "disabling") && waited < DISABLING_MAX_MS)
		return false;
	if (!scx__exit_reason_known(s) && waited < EXIT_REASON_GRACE_MS)
		return false;
	scx__collect_exit(s, NULL, 0);
	s->exited = true;
	/* the fd stays readable from now on */
	scx__watch_signal(&s->watch);
	return true;
}

/* Complete an exit, waiting as long as that takes (bounded above). */
static void mark_exited(struct scx_sched *s)
{
	while (!complete_exit(s))
		scx__sleep_ms(5);
}

SCX_API int scx_sched__wait(struct scx_sched *s, int timeout_ms)
{
	long long deadline;

	if (!s)
		return scx_err(-EINVAL);
	if (s->exited)
		return 0;
	if (!s->link)
		return scx_err(-EINVAL);
	deadline = timeout_ms < 0 ? -1 : scx__now_ms() + timeout_ms;
	for (;;) {
		struct pollfd pfd = { .fd = s->watch.ep, .events = POLLIN };
		long long left;
		int slice;

		scx__watch_consume(&s->watch);
		if ((s->gone_ms || gone(s)) && complete_exit(s))
			return 0;
		left = deadline < 0 ? 1000 : deadline - scx__now_ms();
		if (left <= 0)
			return scx_err(-ETIMEDOUT);
		/* The fd ticks while an exit completes and where uevents
		 * cannot be trusted; still look each second in case an event
		 * was lost. Without an fd, look every 10 or 100 ms. */
		slice = s->watch.ep >= 0 ? 1000 : s->gone_ms ? 10 : SCX_WATCH_POLL_MS;
		if (left < slice)
			slice = left;
		if (poll(&pfd, s->watch.ep >= 0 ? 1 : 0, slice) < 0 && errno == EINTR)
			return scx_err(-EINTR);
	}
}

SCX_API bool scx_sched__exited(struct scx_sched *s)
{
	return s && scx_sched__wait(s, 0) == 0;
}

SCX_API const struct scx_exit_info *scx_sched__exit_info(const struct scx_sched *s)
{
	if (!s)
		return scx_err_ptr(-EINVAL);
	if (!s->exited)
		return scx_err_ptr(-EAGAIN);
	return &s->ei;
}

SCX_API int scx_sched__detach(struct scx_sched *s)
{
	int err;

	if (!s || !s->link)
		return 0;
	/* Tell ourselves apart from a kernel ejection that raced with us. */
	if (!s->exited && gone(s))
		mark_exited(s);
	/*
	 * Closing the link fd alone is not enough: the kernel may hold its own
	 * reference to the link while the scheduler runs, so the scheduler
	 * would only go when that is dropped. BPF_LINK_DETACH unregisters now,
	 * and returns once the kernel is back on the fair class. -EINVAL and
	 * -ENOLINK say the kernel already let go of the link (it ejected the
	 * scheduler); any other error while the scheduler still runs means it
	 * is still attached, and the handle stays as it was.
	 */
	err = bpf_link__detach(s->link);
	if (err && err != -EINVAL && err != -ENOLINK && !s->exited && !gone(s)) {
		pr_warn("detach %s: the kernel refused to detach it (%s); it is still attached\n",
			s->label, strerror(-err));
		return scx_err(err);
	}
	err = bpf_link__destroy(s->link);
	s->link = NULL;
	if (err)
		pr_warn("detach %s: closing the link: %s\n", s->label, strerror(-err));
	if (!s->exited) {
		s->detached_by_us = true;
		mark_exited(s);
	}
	return err ? scx_err(err) : 0;
}

SCX_API void scx_sched__destroy(struct scx_sched *s)
{
	if (!s)
		return;
	/* a detach the kernel refused leaves the link: closing it is all
	 * that is left to do (the scheduler goes with the last reference) */
	if (scx_sched__detach(s) && s->link) {
		bpf_link__destroy(s->link);
		s->link = NULL;
	}
	scx__watch_close(&s->watch);
	if (s->kmsg_fd >= 0)
		close(s->kmsg_fd);
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	scx__exit_info_reset(&s->ei);
	/* the object, the options and the handle */
	scx__sched_free(s);
}
