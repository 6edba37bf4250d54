// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Filling in why a scheduler exited. The object's exit record is the best
 * source; for objects without one, the kernel's own log line ("sched_ext: BPF
 * scheduler "X" disabled (REASON)") names the reason, and failing that we at
 * least know whether we detached it ourselves.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "sched_priv.h"

/* ---- the exit record ----------------------------------------------------- */

static struct scx_exit_record *record_of(const struct scx_sched *s)
{
	struct scx_exit_record *rec;
	struct var_loc loc;

	if (!s->has_record || scx__find_var(s, SCX_EXIT_RECORD_VAR, &loc) ||
	    loc.size < sizeof(*rec) || !(rec = scx__var_data(&loc)) ||
	    (uintptr_t)rec % _Alignof(struct scx_exit_record))	/* an object's BTF can say so */
		return NULL;
	return rec;
}

/* The kind in the object's exit record: non-zero once ops.exit() wrote it. */
int scx__record_kind(const struct scx_sched *s)
{
	struct scx_exit_record *rec = record_of(s);

	return rec ? __atomic_load_n(&rec->kind, __ATOMIC_ACQUIRE) : 0;
}

/* Read the object's exit record, if it has one, into s->ei. */
bool scx__read_record(struct scx_sched *s)
{
	struct scx_exit_record *rec = record_of(s);
	struct var_loc loc;
	int kind = scx__record_kind(s);

	if (!kind)
		return false;
	s->ei.kind = kind;
	s->ei.code = rec->exit_code;
	snprintf(s->ei.reason, sizeof(s->ei.reason), "%.*s", (int)sizeof(rec->reason), rec->reason);
	snprintf(s->ei.msg, sizeof(s->ei.msg), "%.*s", (int)sizeof(rec->msg), rec->msg);
	s->ei.from_record = true;
	if (!scx__find_var(s, SCX_EXIT_DUMP_VAR, &loc)) {
		const char *dump = scx__var_data(&loc);

		if (dump && *dump && !s->ei.dump)
			s->ei.dump = strndup(dump, loc.size);
	}
	return true;
}

/* A handle attached again after a detach still holds the previous exit in
 * its record; the scheduler's exit recorder keeps the first exit only. */
void scx__clear_record(struct scx_sched *s)
{
	struct var_loc loc;
	char *p;

	if (s->has_record && !scx__find_var(s, SCX_EXIT_RECORD_VAR, &loc) && (p = scx__var_data_rw(&loc)))
		memset(p, 0, loc.size);
	/* a read-only dump is one the scheduler never writes either */
	if (!scx__find_var(s, SCX_EXIT_DUMP_VAR, &loc) && !loc.readonly && (p = scx__var_data_rw(&loc)))
		memset(p, 0, loc.size);
}

/* ---- the kernel log ------------------------------------------------------ */

void scx__kmsg_open(struct scx_sched *s)
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

/*
 * Does a kernel log line name this scheduler? The kernel writes
 * 'BPF scheduler "NAME" disabled (REASON)' and then 'NAME: MESSAGE'; another
 * scheduler's lines (one that ran before ours was attached, or replaced it)
 * must not be taken for ours. An unnamed handle takes any.
 */
static bool names_us(const struct scx_sched *s, const char *text, const char *name_end)
{
	size_t len = strlen(s->name);

	return !len || ((size_t)(name_end - text) == len && !strncmp(text, s->name, len));
}

/* Scan new kernel log records for this scheduler's "disabled" line and the
 * message line that follows it. */
static bool read_kmsg(struct scx_sched *s)
{
	char rec[8192];		/* a /dev/kmsg record can be this long */
	bool found = false, want_msg = false;

	if (s->kmsg_fd < 0)
		return false;
	for (;;) {
		ssize_t n = read(s->kmsg_fd, rec, sizeof(rec) - 1);
		char *text, *p, *q;

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
		if (!strncmp(text, "BPF scheduler \"", 15) && (p = strstr(text, "\" disabled ("))) {
			char *end = strrchr(p, ')');

			want_msg = false;
			if (!names_us(s, text + 15, p))
				continue;
			p += strlen("\" disabled (");
			if (end && end > p)
				*end = '\0';
			snprintf(s->ei.reason, sizeof(s->ei.reason), "%s", p);
			s->ei.kind = kind_of_reason(p);
			found = want_msg = true;
			s->ei.msg[0] = '\0';
			continue;
		}
		if (want_msg) {
			/* "NAME: message" follows the disabled line, maybe
			 * after another CPU's sched_ext lines */
			q = strstr(text, ": ");
			if (q && names_us(s, text, q)) {
				snprintf(s->ei.msg, sizeof(s->ei.msg), "%s", q + 2);
				want_msg = false;
			}
		}
	}
	return found;
}

/*
 * Without a record, is the reason known yet? Never waits: the caller gives
 * the kernel's log line its time (see complete_exit() in attach.c).
 */
bool scx__exit_reason_known(struct scx_sched *s)
{
	if (s->detached_by_us || s->kmsg_found || s->kmsg_fd < 0 || scx__record_kind(s))
		return true;
	s->kmsg_found = read_kmsg(s);
	return s->kmsg_found;
}

/*
 * The kernel logs no message for its own unregistrations, so an object
 * without a record cannot tell a CPU hotplug (which asks for a restart) from
 * the log alone. The kernel's hotplug_seq tells it: it moves on every CPU
 * going on- or offline, and the baseline is the value the scheduler was
 * opened with (ops.hotplug_seq), which the kernel itself checks at enable.
 */
static bool hotplug_moved(struct scx_sched *s, unsigned long long *seq)
{
	return s->have_hotplug_seq && !scx__read_sysfs_u64(s, "hotplug_seq", seq) &&
	       *seq != s->hotplug_seq;
}

static void infer_hotplug(struct scx_sched *s)
{
	unsigned long long seq;

	if (s->ei.kind != SCX_EXIT_UNREG_KERN || !hotplug_moved(s, &seq))
		return;
	s->ei.code = (__s64)(SCX_EXIT_ACTION_RESTART | SCX_EXIT_REASON_HOTPLUG);
	if (!s->ei.msg[0])
		snprintf(s->ei.msg, sizeof(s->ei.msg),
			 "CPU hotplug while it ran (hotplug_seq %llu -> %llu)", s->hotplug_seq, seq);
}

/* Fill s->ei from the best source there is now; never waits. */
void scx__collect_exit(struct scx_sched *s, char *why, size_t why_size)
{
	bool have = scx__read_record(s);

	if (!have) {
		have = s->kmsg_found || (s->kmsg_found = read_kmsg(s));
		if (have)
			infer_hotplug(s);
	}
	if (!have && s->detached_by_us) {
		s->ei.kind = SCX_EXIT_UNREG;
		snprintf(s->ei.reason, sizeof(s->ei.reason), "unregistered from user space");
		have = true;
	}
	/* no log to read (no /dev/kmsg, or the line was overwritten), but
	 * CPUs went on- or offline: what the kernel does then */
	if (!have && (have = hotplug_moved(s, &(unsigned long long){ 0 }))) {
		s->ei.kind = SCX_EXIT_UNREG_KERN;
		snprintf(s->ei.reason, sizeof(s->ei.reason), "unregistered from the main kernel");
		infer_hotplug(s);
	}
	if (!have) {
		s->ei.kind = SCX_EXIT_NONE;
		snprintf(s->ei.reason, sizeof(s->ei.reason),
			 "exited; the object has no exit record and the kernel logged no reason");
	}
	if (why && why_size)
		snprintf(why, why_size, "%s%s%s", s->ei.reason, *s->ei.msg ? ": " : "", s->ei.msg);
}
