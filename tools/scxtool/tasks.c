// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* scxtool tasks: the tasks (threads) on the sched_ext class now, from /proc. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scx/monitor.h>

#include "json.h"
#include "scxtool.h"

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

static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
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

int cmd_tasks(int argc, char **argv)
{
	unsigned long nr_tasks = 0, nr_scx = 0;
	bool json = false, header = false;
	struct dirent *pd;
	struct json j;
	DIR *proc;
	int opt;

	opt = scxtool_json_only_opts("tasks", argc, argv, tasks_usage, &json);
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
	proc = opendir("/proc");
	if (!proc) {
		fprintf(stderr, "scxtool tasks: cannot read /proc: %s\n", strerror(errno));
		return SCXTOOL_EXIT_FAIL;
	}
	if (json) {
		json_init(&j, stdout);
		json_begin_object(&j);
		json_key(&j, "tasks");
		json_begin_array(&j);
	}
	while ((pd = readdir(proc))) {
		struct dirent *td;
		char path[64];
		DIR *task;
		int tgid;

		if (!is_number(pd->d_name))
			continue;
		tgid = atoi(pd->d_name);
		snprintf(path, sizeof(path), "/proc/%d/task", tgid);
		task = opendir(path);
		if (!task)
			continue;	/* it exited */
		while ((td = readdir(task))) {
			char comm[64];
			int tid;

			if (!is_number(td->d_name))
				continue;
			tid = atoi(td->d_name);
			/* /proc/TID works for any thread, listed or not */
			switch (scx_task__on_scx(tid, NULL)) {
			case 1:
				break;
			case 0:
				nr_tasks++;
				continue;
			default:
				continue;	/* it exited */
			}
			nr_tasks++;
			nr_scx++;
			read_comm(tgid, tid, comm, sizeof(comm));
			if (json) {
				json_begin_object(&j);
				json_member_s64(&j, "pid", tid);
				json_member_s64(&j, "tgid", tgid);
				json_member_string(&j, "comm", comm);
				json_end_object(&j);
				continue;
			}
			if (!header) {
				printf("%8s %8s  %s\n", "PID", "TGID", "COMM");
				header = true;
			}
			printf("%8d %8d  %s\n", tid, tgid, comm);
		}
		closedir(task);
	}
	closedir(proc);
	if (json) {
		json_end_array(&j);
		json_member_u64(&j, "nr_scx", nr_scx);
		json_member_u64(&j, "nr_tasks", nr_tasks);
		json_end_object(&j);
		putchar('\n');
	} else {
		printf("%lu of %lu tasks on sched_ext\n", nr_scx, nr_tasks);
	}
	return 0;
}
