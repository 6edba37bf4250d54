// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* scxtool: the /proc task walk of task_walk.h. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "task_walk.h"

static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* /proc/TID/stat: the state (field 3) and the CPU last run on (field 39).
 * The name in parentheses may hold anything, so fields count from its ')'. */
static void read_cpu(const char *proc, struct scxtool_task *t)
{
	char path[PATH_MAX], line[1024], *p;
	int field = 3;
	FILE *f;

	t->cpu = -1;
	t->running = false;
	snprintf(path, sizeof(path), "%s/%d/stat", proc, t->tid);
	f = fopen(path, "re");
	if (!f)
		return;
	p = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
	fclose(f);
	if (!p)
		return;
	for (p = strtok(p + 1, " \n"); p; p = strtok(NULL, " \n"), field++) {
		if (field == 3)
			t->running = *p == 'R';
		if (field == 39) {
			t->cpu = atoi(p);
			break;
		}
	}
}

int scxtool_for_each_task(const struct scx_monitor_opts *opts, bool want_cpu,
			  scxtool_task_fn fn, void *ctx)
{
	const char *proc = opts && opts->procfs_root ? opts->procfs_root : "/proc";
	struct dirent *pd;
	int ret = 0;
	DIR *pdir;

	pdir = opendir(proc);
	if (!pdir)
		return -errno;
	while (!ret && (pd = readdir(pdir))) {
		char path[PATH_MAX];
		struct dirent *td;
		DIR *tdir;
		int tgid;

		if (!is_number(pd->d_name))
			continue;
		tgid = atoi(pd->d_name);
		snprintf(path, sizeof(path), "%s/%d/task", proc, tgid);
		tdir = opendir(path);
		if (!tdir)
			continue;	/* it exited */
		while (!ret && (td = readdir(tdir))) {
			struct scxtool_task t = { .tgid = tgid, .cpu = -1 };
			int on;

			if (!is_number(td->d_name))
				continue;
			t.tid = atoi(td->d_name);
			/* /proc/TID works for any thread, listed or not */
			on = scx_task__on_scx(t.tid, opts);
			if (on < 0)
				continue;	/* it exited */
			t.on_scx = on;
			if (on && want_cpu)
				read_cpu(proc, &t);
			ret = fn(&t, ctx);
		}
		closedir(tdir);
	}
	closedir(pdir);
	return ret;
}
