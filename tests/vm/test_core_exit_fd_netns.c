// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: outside the initial network namespace (where no uevent
 * arrives) the exit fd still works: a process that unshared its network
 * namespace polls the fd of a scheduler the kernel ejects (scx_bpf_error)
 * and learns of the exit through it, calling scx_sched__wait(s, 0) on each
 * wake. Before, the fd never became readable there.
 */
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

static struct scx_sched *s;
static pid_t spin[3];

static void cleanup(void)
{
	for (int i = 0; i < 3; i++)
		t_kill(spin[i]);
	scx_sched__destroy(s);
}

int main(void)
{
	struct pollfd pfd = { .events = POLLIN };
	const struct scx_exit_info *ei;
	long long end;
	int v = 20, wakes = 0;
	bool exited = false;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);
	T_ASSERT(!unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET): %s", strerror(errno));

	s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
	T_ASSERT(s && !scx_sched__set_global(s, "error_after", &v, sizeof(v)), "open");
	T_ASSERT(!scx_sched__load(s) && !scx_sched__attach(s), "start: %s", strerror(errno));
	pfd.fd = scx_sched__fd(s);
	T_ASSERT(pfd.fd >= 0, "fd: %s", strerror(errno));
	for (int i = 0; i < 3; i++)
		spin[i] = t_spawn_spinner(-1, 0);

	end = t_now_ms() + 60000;
	while (!exited && t_now_ms() < end) {
		T_ASSERT(poll(&pfd, 1, 60000) == 1, "the exit fd stayed silent outside the init netns");
		wakes++;
		exited = scx_sched__wait(s, 0) == 0;
	}
	t_log("exit seen after %d wakes", wakes);
	T_ASSERT(exited, "no exit within 60 s");
	ei = scx_sched__exit_info(s);
	T_ASSERT(scx_exit_info__kind(ei) == SCX_EXIT_ERROR_BPF, "kind %s",
		 scx_exit_kind__str(scx_exit_info__kind(ei)));
	cleanup();
	s = NULL;
	return T_PASS;
}
