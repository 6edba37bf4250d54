// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* scxtool tasks: the tasks (threads) on the sched_ext class now, from /proc. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scx/monitor.h>

#include "json.h"
#include "scxtool.h"
#include "task_walk.h"

static void tasks_usage(FILE *f)
{
	fprintf(f,
		"usage: scxtool tasks [--json]\n\n"
		"List the tasks (every thread of every process) that are on the sched_ext\n"
		"class now, with their thread id (pid), process id (tgid) and name (comm), read\n"
		"from /proc/PID/task/TID/sched (ext.enabled) and comm. Tasks come and go while\n"
		"the list is read, so it is a snapshot, not an atomic one.\n\n"
		"  --json      one JSON object: \"tasks\" (a list of {pid, tgid, comm}),\n"
		"              \"nr_scx\" and \"nr_tasks\" (all tasks seen)\n"
		"  -h, --help  this text\n");
}

static void read_comm(int tgid, int tid, char *buf, size_t size)
{
	char path[96];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", tgid, tid);
	buf[0] = '\0';
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, size, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

struct tasks_out {
	bool json, header;
	struct json j;
	unsigned long nr_tasks, nr_scx;
};

static int list_task(const struct scxtool_task *t, void *ctx)
{
	struct tasks_out *o = ctx;
	char comm[64];

	o->nr_tasks++;
	if (!t->on_scx)
		return 0;
	o->nr_scx++;
	read_comm(t->tgid, t->tid, comm, sizeof(comm));
	if (o->json) {
		json_begin_object(&o->j);
		json_member_s64(&o->j, "pid", t->tid);
		json_member_s64(&o->j, "tgid", t->tgid);
		json_member_string(&o->j, "comm", comm);
		json_end_object(&o->j);
		return 0;
	}
	if (!o->header) {
		printf("%8s %8s  %s\n", "PID", "TGID", "COMM");
		o->header = true;
	}
	printf("%8d %8d  %s\n", t->tid, t->tgid, comm);
	return 0;
}

int cmd_tasks(int argc, char **argv)
{
	struct tasks_out o = {};
	int opt, ret;

	opt = scxtool_json_only_opts("tasks", argc, argv, tasks_usage, &o.json);
	if (opt >= 0)
		return opt;
	scxtool_set_verbose(false);
	if (!scxtool_need_sched_ext("tasks"))
		return SCXTOOL_EXIT_FAIL;
	/* Our own task must be readable: if not, the kernel does not report
	 * the class (no CONFIG_SCHED_DEBUG, so no /proc/PID/sched). */
	if (scx_task__on_scx(getpid(), NULL) == -EOPNOTSUPP) {
		fprintf(stderr, "scxtool tasks: this kernel does not report a task's class "
			"(/proc/PID/sched has no ext.enabled; it needs CONFIG_SCHED_DEBUG)\n");
		return SCXTOOL_EXIT_FAIL;
	}
	if (o.json) {
		json_init(&o.j, stdout);
		json_begin_object(&o.j);
		json_key(&o.j, "tasks");
		json_begin_array(&o.j);
	}
	ret = scxtool_for_each_task(NULL, false, list_task, &o);
	if (ret < 0) {
		fprintf(stderr, "scxtool tasks: cannot read /proc: %s\n", strerror(-ret));
		return SCXTOOL_EXIT_FAIL;
	}
	if (o.json) {
		json_end_array(&o.j);
		json_member_u64(&o.j, "nr_scx", o.nr_scx);
		json_member_u64(&o.j, "nr_tasks", o.nr_tasks);
		json_end_object(&o.j);
		putchar('\n');
	} else {
		printf("%lu of %lu tasks on sched_ext\n", o.nr_scx, o.nr_tasks);
	}
	return 0;
}
