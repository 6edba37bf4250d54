// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: uevents that have nothing to do with sched_ext ("add",
 * "change" and "remove" written to the uevent files of a CPU, of /dev/null's
 * device and of a loop device where there is one) neither make the exit fd
 * readable nor make scx_sched__wait() return while the scheduler runs; its
 * real exit afterwards still does.
 */
#include <fcntl.h>
#include <poll.h>

#include "parity_util.h"

static const char *const files[] = {
	"/sys/devices/system/cpu/cpu0/uevent",
	"/sys/devices/system/cpu/cpu1/uevent",
	"/sys/devices/virtual/mem/null/uevent",
	"/sys/devices/virtual/block/loop0/uevent",
};
static const char *const actions[] = { "add", "change", "remove" };

/* Write action to path; true when the kernel took it. */
static bool trigger(const char *path, const char *action)
{
	int fd = open(path, O_WRONLY);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, action, strlen(action)) == (ssize_t)strlen(action);
	close(fd);
	return ok;
}

int main(void)
{
	struct pollfd pfd = { .events = POLLIN };
	int sent = 0, n;
	size_t i, j;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(p_cleanup);
	setvbuf(stdout, NULL, _IOLBF, 0);

	p_sched = p_open_load(P_NONE);
	T_ASSERT(!scx_sched__attach(p_sched), "attach: %s", strerror(errno));
	pfd.fd = scx_sched__fd(p_sched);
	T_ASSERT(pfd.fd >= 0, "fd: %s", strerror(errno));

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		for (j = 0; j < sizeof(actions) / sizeof(actions[0]); j++)
			sent += trigger(files[i], actions[j]);
	t_log("%d unrelated uevents sent", sent);
	T_ASSERT(sent >= 6, "could not send unrelated uevents");

	/* Events reach the socket synchronously with the write; a second
	 * is plenty for a stray one to show. */
	n = poll(&pfd, 1, 1000);
	T_ASSERT(n == 0, "the exit fd became readable (n %d revents %#x)", n, pfd.revents);
	T_ASSERT(scx_sched__wait(p_sched, 1000) == -ETIMEDOUT, "wait returned while the scheduler runs");
	T_ASSERT(!scx_sched__exited(p_sched), "exited() says it exited");
	T_ASSERT(t_wait_state("enabled", 100), "the scheduler is not running any more");

	/* and the real exit still gets through */
	T_ASSERT(trigger("/proc/sysrq-trigger", "S"), "SysRq-S");
	n = poll(&pfd, 1, P_EXIT_DEADLINE_MS);
	T_ASSERT(n == 1, "the exit fd missed the real exit");
	T_ASSERT(scx_sched__wait(p_sched, 10000) == 0, "wait after the real exit");
	T_ASSERT(scx_exit_info__kind(scx_sched__exit_info(p_sched)) == SCX_EXIT_SYSRQ, "kind");
	p_assert_back_on_fair(p_sched);
	scx_sched__destroy(p_sched);
	return T_PASS;
}
