// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* System-wide sched_ext state from sysfs and procfs. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scx/monitor.h>
#include "internal.h"

static int roots(const struct scx_monitor_opts *opts, const char **sys, const char **proc)
{
	if (!SCX_OPTS_VALID(opts, scx_monitor_opts))
		return -EINVAL;
	*sys = SCX_OPT(opts, sysfs_root, NULL) ?: "/sys";
	*proc = SCX_OPT(opts, procfs_root, NULL) ?: "/proc";
	return 0;
}

static int scx_dir(const struct scx_monitor_opts *opts, char *buf, size_t size)
{
	const char *sys, *proc;
	int err = roots(opts, &sys, &proc);

	if (err)
		return err;
	snprintf(buf, size, "%s/kernel/sched_ext", sys);
	if (access(buf, F_OK))
		return -EOPNOTSUPP;
	return 0;
}

/* A member of the caller's status struct exists when its sz covers it. */
#define HAS(st, field) ((st)->sz >= offsetofend(struct scx_system_status, field))

SCX_API int scx_system__status(struct scx_system_status *st, const struct scx_monitor_opts *opts)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	unsigned long long v;
	size_t n;
	int err;

	if (!st || st->sz < offsetofend(struct scx_system_status, state))
		return scx_err(-EINVAL);
	/* Every byte reported filled is written, a member only partly covered
	 * by an odd sz included; a newer caller's members read as zero. */
	n = st->sz < sizeof(*st) ? st->sz : sizeof(*st);
	memset((char *)st + sizeof(st->sz), 0, st->sz - sizeof(st->sz));
	err = scx_dir(opts, dir, sizeof(dir));
	if (err)
		return scx_err(err);
	snprintf(path, sizeof(path), "%s/state", dir);
	err = scx__read_file(path, st->state, sizeof(st->state));
	if (err < 0)	/* too long for any state the kernel has: not sched_ext's file */
		return scx_err(err == -EFBIG ? -EINVAL : err);
	if (HAS(st, ops)) {
		snprintf(path, sizeof(path), "%s/root/ops", dir);
		if (scx__read_file(path, st->ops, sizeof(st->ops)) < 0)
			st->ops[0] = '\0';
	}
#define NUM(field, file)							\
	if (HAS(st, field)) {							\
		snprintf(path, sizeof(path), "%s/" file, dir);			\
		st->field = scx__read_u64(path, &v) ? 0 : v;			\
	}
	NUM(switch_all, "switch_all")
	NUM(enable_seq, "enable_seq")
	NUM(nr_rejected, "nr_rejected")
	NUM(hotplug_seq, "hotplug_seq")
#undef NUM
	return (int)n;
}

SCX_API int scx_system__for_each_event(scx_event_fn fn, void *ctx, const struct scx_monitor_opts *opts)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], line[256];
	FILE *f;
	int err, ret = 0;

	if (!fn)
		return scx_err(-EINVAL);
	err = scx_dir(opts, dir, sizeof(dir));
	if (err)
		return scx_err(err);
	snprintf(path, sizeof(path), "%s/root/events", dir);
	f = fopen(path, "re");
	if (!f)
		return scx_err(-ENOENT);
	/* one "SCX_EV_NAME  value" per line */
	while (!ret && fgets(line, sizeof(line), f)) {
		char name[128];
		unsigned long long val;

		if (sscanf(line, "%127s %llu", name, &val) == 2)
			ret = fn(name, val, ctx);
	}
	fclose(f);
	return ret;
}

struct event_find {
	const char *name;
	__u64 *val;
	bool found;
};

static int match_event(const char *name, __u64 value, void *ctx)
{
	struct event_find *e = ctx;

	if (strcmp(name, e->name) && !(strncmp(name, "SCX_EV_", 7) == 0 && !strcmp(name + 7, e->name)))
		return 0;
	*e->val = value;
	e->found = true;
	return 1;
}

SCX_API int scx_system__event(const char *name, __u64 *val, const struct scx_monitor_opts *opts)
{
	struct event_find e = { .name = name, .val = val };
	int err;

	if (!name || !val)
		return scx_err(-EINVAL);
	err = scx_system__for_each_event(match_event, &e, opts);
	if (err < 0)
		return err;
	return e.found ? 0 : scx_err(-ENOENT);
}

SCX_API int scx_task__on_scx(pid_t pid, const struct scx_monitor_opts *opts)
{
	const char *sys, *proc;
	char path[PATH_MAX], line[256];
	int err, ret = -EOPNOTSUPP;
	FILE *f;

	err = roots(opts, &sys, &proc);
	if (err)
		return scx_err(err);
	snprintf(path, sizeof(path), "%s/%d/sched", proc, (int)pid);
	f = fopen(path, "re");
	if (!f)
		return scx_err(errno == ENOENT ? -ESRCH : -errno);
	while (fgets(line, sizeof(line), f)) {
		char *colon;

		if (strncmp(line, "ext.enabled", 11))
			continue;
		colon = strchr(line, ':');
		if (colon)
			ret = atoi(colon + 1) ? 1 : 0;
		break;
	}
	fclose(f);
	return ret < 0 ? scx_err(ret) : ret;
}
