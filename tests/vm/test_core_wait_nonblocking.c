// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_sched__wait(s, 0) and scx_sched__exited() never block
 * while an exit is being completed. The handle reads a sysfs tree of the
 * test's (opts.sysfs_root) that says "disabling" for as long as the test
 * wants: wait(s, 0) must answer -ETIMEDOUT at once each time (it used to
 * sleep up to 5 s and then claim the exit was complete), the exit fd must
 * keep waking a poller meanwhile, and once the tree says "disabled" the exit
 * completes and the fd stays readable.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

static struct scx_sched *s;
static char root[] = "/tmp/scx-wait-XXXXXX";

static void put(const char *file, const char *text)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/kernel/sched_ext/%s", root, file);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	T_ASSERT(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text), "write %s", path);
	close(fd);
}

static void cleanup(void)
{
	scx_sched__destroy(s);
}

int main(void)
{
	char dir[256];
	struct pollfd pfd = { .events = POLLIN };
	int i;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);
	T_ASSERT(mkdtemp(root), "mkdtemp");
	snprintf(dir, sizeof(dir), "%s/kernel", root);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/kernel/sched_ext", root);
	mkdir(dir, 0755);
	/* no enable_seq: the handle relies on the state file alone */
	put("state", "disabled\n");

	{
		SCX_OPTS(scx_sched_opts, o, .sysfs_root = root);

		s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), &o);
	}
	T_ASSERT(s && !scx_sched__load(s), "open/load: %s", strerror(errno));
	T_ASSERT(!scx_sched__attach(s), "attach: %s", strerror(errno));
	T_ASSERT(t_wait_state("enabled", 10000), "the real scheduler is not enabled");
	put("state", "enabled\n");
	T_ASSERT(scx_sched__wait(s, 0) == -ETIMEDOUT, "exited while enabled");

	/* the kernel (as far as the handle can tell) is moving tasks back */
	put("state", "disabling\n");
	pfd.fd = scx_sched__fd(s);
	T_ASSERT(pfd.fd >= 0, "fd");
	for (i = 0; i < 5; i++) {
		long long t0 = t_now_ms();
		int rc = scx_sched__wait(s, 0);

		T_ASSERT(rc == -ETIMEDOUT, "wait(s, 0) returned %d while disabling (after %lld ms)",
			 rc, t_now_ms() - t0);
		T_ASSERT(!scx_sched__exited(s), "exited() while disabling");
		/* the fd ticks while the exit completes: a poller comes back */
		T_ASSERT(poll(&pfd, 1, 20000) == 1, "the exit fd did not wake a poller while disabling");
	}
	T_ASSERT(!scx_sched__exit_info(s) && errno == EAGAIN, "exit info before the exit completed");

	put("state", "disabled\n");
	T_ASSERT(scx_sched__wait(s, 20000) == 0, "the exit did not complete once disabled");
	T_ASSERT(scx_sched__exited(s), "exited()");
	T_ASSERT(poll(&pfd, 1, 0) == 1, "the exit fd is not readable after the exit");
	T_ASSERT(scx_sched__wait(s, 0) == 0 && poll(&pfd, 1, 0) == 1, "not readable after a wait");

	/* the real scheduler is still attached: its link goes with the handle */
	scx_sched__destroy(s);
	s = NULL;
	T_ASSERT(t_wait_state("disabled", 10000), "the real scheduler did not go");
	return T_PASS;
}
