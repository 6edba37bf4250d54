// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: a loader killed with SIGKILL leaves the system on the fair
 * class: the kernel drops the scheduler with the last reference to its link.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

int main(void)
{
	int pfd[2];
	char c;
	pid_t child;

	t_require_sched_ext();
	T_ASSERT(!pipe(pfd), "pipe");
	child = fork();
	if (child == 0) {
		struct scx_sched *s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);

		if (!s || scx_sched__load(s) || scx_sched__attach(s))
			_exit(1);
		write(pfd[1], "x", 1);
		pause();
		_exit(0);
	}
	close(pfd[1]);
	T_ASSERT(read(pfd[0], &c, 1) == 1, "child failed to attach");
	T_ASSERT(t_wait_state("enabled", 1000), "not enabled");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	T_ASSERT(t_wait_state("disabled", 10000), "sched_ext still enabled after the loader died");
	return T_PASS;
}
