// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: in a network namespace that no uevent reaches the exit fd
 * still works. The kernel sends uevents only to network namespaces owned by
 * the initial user namespace; this test (root in the initial user
 * namespace, so still able to load BPF) joins a network namespace that a
 * child created together with its own user namespace, then polls the fd of
 * a scheduler the kernel ejects (scx_bpf_error), calling
 * scx_sched__wait(s, 0) on each wake. Before, the fd never became readable
 * there.
 */
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

static struct scx_sched *s;
static pid_t spin[3], owner;

static void cleanup(void)
{
	for (int i = 0; i < 3; i++)
		t_kill(spin[i]);
	t_kill(owner);
	scx_sched__destroy(s);
}

/* Join a network namespace owned by a new user namespace (a child makes
 * both and waits). */
static void join_foreign_netns(void)
{
	char path[64], c;
	int ready[2], fd;

	T_ASSERT(!pipe(ready), "pipe");
	owner = fork();
	if (owner == 0) {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
			_exit(1);
		(void)!write(ready[1], "r", 1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	T_ASSERT(read(ready[0], &c, 1) == 1, "the child could not unshare its user+net namespaces");
	close(ready[0]);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", owner);
	fd = open(path, O_RDONLY);
	T_ASSERT(fd >= 0 && !setns(fd, CLONE_NEWNET), "setns %s: %s", path, strerror(errno));
	close(fd);
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
	join_foreign_netns();

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
