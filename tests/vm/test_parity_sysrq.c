// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: SysRq-S (echo S > /proc/sysrq-trigger) while a scheduler runs:
 * the exit fd becomes readable, scx_sched__wait() returns, and the exit kind
 * is SYSRQ with the kernel's reason; the system is back on the fair class.
 */
#include <fcntl.h>
#include <poll.h>

#include "parity_util.h"

int main(void)
{
	const struct scx_exit_info *ei;
	struct pollfd pfd = { .events = POLLIN };
	int fd, n;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(p_cleanup);
	setvbuf(stdout, NULL, _IOLBF, 0);

	p_sched = p_open_load(P_NONE);
	T_ASSERT(!scx_sched__attach(p_sched), "attach: %s", strerror(errno));
	pfd.fd = scx_sched__fd(p_sched);
	T_ASSERT(pfd.fd >= 0, "fd: %s", strerror(errno));
	T_ASSERT(scx_sched__wait(p_sched, 200) == -ETIMEDOUT, "exited before SysRq-S");

	fd = open("/proc/sysrq-trigger", O_WRONLY);
	T_ASSERT(fd >= 0, "open /proc/sysrq-trigger: %s", strerror(errno));
	T_ASSERT(write(fd, "S", 1) == 1, "write S: %s", strerror(errno));
	close(fd);

	n = poll(&pfd, 1, P_EXIT_DEADLINE_MS);
	T_ASSERT(n == 1 && (pfd.revents & POLLIN), "the exit fd did not become readable (n %d)", n);
	T_ASSERT(scx_sched__wait(p_sched, 10000) == 0, "wait");
	ei = scx_sched__exit_info(p_sched);
	T_ASSERT(ei, "no exit info");
	p_print_exit(ei);
	T_ASSERT(scx_exit_info__kind(ei) == SCX_EXIT_SYSRQ, "kind %s, expected SYSRQ",
		 scx_exit_kind__str(scx_exit_info__kind(ei)));
	T_ASSERT(strstr(scx_exit_info__reason(ei), "sysrq"), "reason '%s'", scx_exit_info__reason(ei));
	p_assert_back_on_fair(p_sched);
	scx_sched__destroy(p_sched);
	return T_PASS;
}
