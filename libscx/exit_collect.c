// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Filling in why a scheduler exited. The object's exit record is the best
 * source; for objects without one, the kernel's own log line ("sched_ext: BPF
 * scheduler "X" disabled (REASON)") names the reason, and failing that we at
 * least know whether we detached it ourselves.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "sched_priv.h"

void scx_kmsg__open(struct scx_sched *s)
{
	if (s->kmsg_fd < 0)
		s->kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	/* only what the kernel logs from now on concerns this attach */
	if (s->kmsg_fd >= 0)
		lseek(s->kmsg_fd, 0, SEEK_END);
}

static const struct {
	const char *reason;
	enum scx_exit_kind kind;
} reasons[] = {
	/* the kernel's scx_exit_reason() strings */
	{ "unregistered from user space", SCX_EXIT_UNREG },
	{ "unregistered from BPF", SCX_EXIT_UNREG_BPF },
	{ "unregistered from the main kernel", SCX_EXIT_UNREG_KERN },
	{ "disabled by sysrq-S", SCX_EXIT_SYSRQ },
	{ "runnable task stall", SCX_EXIT_ERROR_STALL },
	{ "scx_bpf_error", SCX_EXIT_ERROR_BPF },
	{ "runtime error", SCX_EXIT_ERROR },
};

static enum scx_exit_kind kind_of_reason(const char *reason)
{
	size_t i;

	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strstr(reason, reasons[i].reason))
			return reasons[i].kind;
	return SCX_EXIT_ERROR;
}

/* Scan new kernel log records for the scheduler's "disabled" line and the
 * message line that follows it. */
static bool read_kmsg(struct scx_sched *s)
{
	char rec[8192];		/* a /dev/kmsg record can be this long */
	bool found = false, want_msg = false;

	if (s->kmsg_fd < 0)
		return false;
	for (;;) {
		ssize_t n = read(s->kmsg_fd, rec, sizeof(rec) - 1);
		char *text, *p;

		if (n < 0 && errno == EPIPE)	/* overwritten records: go on */
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		if ((p = strchr(text, '\n')))
			*p = '\0';
		if (strncmp(text, "sched_ext: ", 11))
			continue;
		text += 11;
		if ((p = strstr(text, "disabled (")) && strstr(text, "BPF scheduler")) {
			char *end = strrchr(p, ')');

			p += strlen("disabled (");
			if (end && end > p)
				*end = '\0';
			snprintf(s->ei.reason, sizeof(s->ei.reason), "%s", p);
			s->ei.kind = kind_of_reason(p);
			found = want_msg = true;
			s->ei.msg[0] = '\0';
			continue;
		}
		if (want_msg) {
			/* "NAME: message" follows the disabled line */
			p = strstr(text, ": ");
			snprintf(s->ei.msg, sizeof(s->ei.msg), "%s", p ? p + 2 : text);
			want_msg = false;
		}
	}
	return found;
}

/*
 * The kernel logs its "disabled" line from the work that takes the scheduler
 * down, and that line can come after the state change we noticed (seen under
 * load on 7.3.4). An ejected object without an exit record gets this long for
 * the line to appear before we conclude the kernel logged no reason.
 */
#define KMSG_GRACE_MS	500

void scx_sched__collect_exit(struct scx_sched *s, char *why, size_t why_size)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	bool have = scx_sched__read_record(s);

	if (!have)
		have = read_kmsg(s);
	for (int i = 0; !have && !s->detached_by_us && s->kmsg_fd >= 0 &&
			i < KMSG_GRACE_MS / 10; i++) {
		nanosleep(&tick, NULL);
		have = read_kmsg(s);
	}
	if (!have && s->detached_by_us) {
		s->ei.kind = SCX_EXIT_UNREG;
		snprintf(s->ei.reason, sizeof(s->ei.reason), "unregistered from user space");
		have = true;
	}
	if (!have) {
		s->ei.kind = SCX_EXIT_NONE;
		snprintf(s->ei.reason, sizeof(s->ei.reason),
			 "exited; the object has no exit record and the kernel logged no reason");
	}
	if (why && why_size)
		snprintf(why, why_size, "%s%s%s", s->ei.reason, *s->ei.msg ? ": " : "", s->ei.msg);
}
