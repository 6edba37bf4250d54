// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: a scheduler written without libscx (raw_fifo) goes through
 * open, load, attach, runs tasks on sched_ext, and detaches with kind UNREG;
 * the exit fd becomes readable, and detach/destroy are idempotent.
 */
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

static struct scx_sched *s;
static pid_t spinner;

static void cleanup(void)
{
	t_kill(spinner);
	scx_sched__destroy(s);
}

int main(void)
{
	char buf[256];
	struct pollfd pfd;
	const struct scx_exit_info *ei;
	int fd;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);

	s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
	T_ASSERT(s, "open: %s", strerror(errno));
	T_ASSERT(!strcmp(scx_sched__name(s), "raw_fifo"), "name %s", scx_sched__name(s));
	T_ASSERT(scx_sched__fd(s) < 0, "fd before attach must be an error");
	T_ASSERT(scx_sched__attach(s) == -EINVAL, "attach before load");
	T_ASSERT(scx_sched__load(s) == 0, "load: %s", strerror(errno));
	T_ASSERT(scx_sched__load(s) == -EBUSY, "second load");
	T_ASSERT(scx_sched__set_global(s, "error_after", &(int){ 1 }, sizeof(int)) == -EBUSY,
		 "set_global after load");
	T_ASSERT(scx_sched__attach(s) == 0, "attach: %s", strerror(errno));
	T_ASSERT(scx_sched__attach(s) == -EALREADY, "second attach");

	T_ASSERT(!strcmp(t_scx_read("state", buf, sizeof(buf)), "enabled"), "state %s", buf);
	T_ASSERT(!strcmp(t_scx_read("root/ops", buf, sizeof(buf)), "raw_fifo"), "root/ops %s", buf);
	spinner = t_spawn_spinner(-1, 0);
	T_ASSERT(t_wait_on_scx(spinner, 1, 0), "spinner not on sched_ext");
	T_ASSERT(t_task_on_scx(getpid()) == 1, "test itself not on sched_ext");

	fd = scx_sched__fd(s);
	T_ASSERT(fd >= 0, "fd: %d", fd);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	T_ASSERT(poll(&pfd, 1, 300) == 0, "fd readable while running");
	T_ASSERT(scx_sched__wait(s, 100) == -ETIMEDOUT, "wait while running");
	T_ASSERT(scx_sched__exit_info(s) == NULL && errno == EAGAIN, "exit info while running");

	T_ASSERT(scx_sched__detach(s) == 0, "detach");
	T_ASSERT(scx_sched__detach(s) == 0, "second detach");
	T_ASSERT(t_wait_state("disabled", 1000), "state after detach");
	T_ASSERT(t_task_on_scx(spinner) == 0, "spinner still on sched_ext");
	T_ASSERT(scx_sched__wait(s, 0) == 0, "wait after detach");
	ei = scx_sched__exit_info(s);
	T_ASSERT(ei, "no exit info");
	t_log("exit: kind %s reason '%s' from_record %d", scx_exit_kind__str(scx_exit_info__kind(ei)),
	      scx_exit_info__reason(ei), scx_exit_info__from_record(ei));
	T_ASSERT(scx_exit_info__kind(ei) == SCX_EXIT_UNREG, "kind %d", scx_exit_info__kind(ei));
	T_ASSERT(scx_exit_info__from_record(ei), "exit info not from the uei record");

	/* attached again, the handle must not report the old exit */
	T_ASSERT(scx_sched__attach(s) == 0, "re-attach: %s", strerror(errno));
	T_ASSERT(scx_sched__wait(s, 300) == -ETIMEDOUT, "stale exit after re-attach");
	T_ASSERT(!strcmp(t_scx_read("state", buf, sizeof(buf)), "enabled"), "state %s", buf);
	T_ASSERT(scx_sched__detach(s) == 0, "second detach");
	T_ASSERT(scx_exit_info__kind(scx_sched__exit_info(s)) == SCX_EXIT_UNREG, "second kind");

	t_kill(spinner);
	spinner = 0;
	scx_sched__destroy(s);
	scx_sched__destroy(NULL);
	s = NULL;
	return T_PASS;
}
