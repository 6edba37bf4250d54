// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: for an object without an exit record, the reason comes from
 * the kernel log, and only from lines that name this scheduler. After
 * raw_norec is ejected by SysRq-S and the kernel has logged that, a line
 * about another scheduler ("other" disabled by a runtime error, with its
 * message) is written to the log before libscx reads it: the exit must still
 * be SYSRQ with no message (before, the last "disabled" line won).
 */
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

static struct scx_sched *s;

static void cleanup(void)
{
	scx_sched__destroy(s);
}

static void kmsg_write(const char *line)
{
	int fd = open("/dev/kmsg", O_WRONLY);

	T_ASSERT(fd >= 0 && write(fd, line, strlen(line)) == (ssize_t)strlen(line),
		 "write /dev/kmsg: %s", strerror(errno));
	close(fd);
}

int main(void)
{
	const struct scx_exit_info *ei;
	int kmsg, fd;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);

	s = scx_sched__open_file(t_path("raw_norec.bpf.o"), NULL);
	T_ASSERT(s && !scx_sched__load(s) && !scx_sched__attach(s), "start: %s", strerror(errno));
	T_ASSERT(!strcmp(scx_sched__name(s), "raw_norec"), "name '%s'", scx_sched__name(s));
	kmsg = t_kmsg_open();
	T_ASSERT(kmsg >= 0, "open /dev/kmsg");

	fd = open("/proc/sysrq-trigger", O_WRONLY);
	T_ASSERT(fd >= 0 && write(fd, "S", 1) == 1, "SysRq-S: %s", strerror(errno));
	close(fd);
	T_ASSERT(t_kmsg_has(kmsg, "BPF scheduler \"raw_norec\" disabled"),
		 "the kernel never logged raw_norec's exit");
	kmsg_write("sched_ext: BPF scheduler \"other\" disabled (runtime error)\n");
	kmsg_write("sched_ext: other: not raw_norec's message\n");
	close(kmsg);

	T_ASSERT(scx_sched__wait(s, 20000) == 0, "no exit seen");
	ei = scx_sched__exit_info(s);
	t_log("exit: %s '%s' msg '%s'", scx_exit_kind__str(scx_exit_info__kind(ei)),
	      scx_exit_info__reason(ei), scx_exit_info__msg(ei));
	T_ASSERT(scx_exit_info__kind(ei) == SCX_EXIT_SYSRQ, "kind %s, want SYSRQ",
		 scx_exit_kind__str(scx_exit_info__kind(ei)));
	T_ASSERT(!strstr(scx_exit_info__msg(ei), "not raw_norec"), "took another scheduler's message");
	scx_sched__destroy(s);
	s = NULL;
	T_ASSERT(t_wait_state("disabled", 10000), "not disabled");
	return T_PASS;
}
