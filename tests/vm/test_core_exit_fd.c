// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: when the kernel ejects a scheduler (scx_bpf_error), the exit fd
 * becomes readable for poll and epoll, wait returns 0, and the exit info has
 * kind ERROR_BPF with the scheduler's message.
 */
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

static struct scx_sched *s;

static void cleanup(void)
{
	scx_sched__destroy(s);
}

int main(void)
{
	const struct scx_exit_info *ei;
	struct epoll_event ev = { .events = EPOLLIN }, out;
	int v = 20, ep, n;
	pid_t spin[3];
	long long t0;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);

	s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
	T_ASSERT(s, "open: %s", strerror(errno));
	T_ASSERT(scx_sched__set_global(s, "error_after", &v, sizeof(v)) == 0, "set_global");
	T_ASSERT(scx_sched__load(s) == 0, "load");
	T_ASSERT(scx_sched__attach(s) == 0, "attach");

	/* busy CPUs make the kernel call ops.enqueue (idle ones get tasks
	 * dispatched directly), so the error comes soon */
	for (n = 0; n < 3; n++)
		spin[n] = t_spawn_spinner(-1, 0);
	ep = epoll_create1(0);
	T_ASSERT(epoll_ctl(ep, EPOLL_CTL_ADD, scx_sched__fd(s), &ev) == 0, "epoll_ctl");
	t0 = t_now_ms();
	n = epoll_wait(ep, &out, 1, 20000);
	t_log("epoll woke after %lld ms (n=%d)", t_now_ms() - t0, n);
	for (int i = 0; i < 3; i++)
		t_kill(spin[i]);
	T_ASSERT(n == 1, "exit fd never became readable");
	T_ASSERT(scx_sched__wait(s, 5000) == 0, "wait");
	ei = scx_sched__exit_info(s);
	t_log("exit: kind %s reason '%s' msg '%s'", scx_exit_kind__str(scx_exit_info__kind(ei)),
	      scx_exit_info__reason(ei), scx_exit_info__msg(ei));
	T_ASSERT(scx_exit_info__kind(ei) == SCX_EXIT_ERROR_BPF, "kind");
	T_ASSERT(strstr(scx_exit_info__msg(ei), "deliberate error after 20"), "msg");
	T_ASSERT(t_wait_state("disabled", 2000), "not disabled");
	scx_sched__destroy(s);
	return T_PASS;
}
