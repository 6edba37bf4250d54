// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the supervisor's restart limit: with max_restarts = 1, the
 * first CPU hotplug restarts the scheduler and the second ends scx_sched__run()
 * with the hotplug exit (UNREG_KERN); with max_restarts < 0 the first hotplug
 * already ends it.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

static pid_t child;

static void set_cpu1(int on)
{
	int fd = open("/sys/devices/system/cpu/cpu1/online", O_WRONLY);

	if (fd >= 0) {
		(void)!write(fd, on ? "1" : "0", 1);
		close(fd);
	}
}

static void cleanup(void)
{
	set_cpu1(1);
	t_kill(child);
}

/* Run the supervisor in a child; its exit status says what run() returned. */
static pid_t supervise(int max_restarts)
{
	pid_t pid = fork();

	if (pid == 0) {
		SCX_OPTS(scx_run_opts, ro, .max_restarts = max_restarts, .no_signals = true);
		struct scx_sched *s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
		int kind = s ? scx_sched__run(s, &ro) : -1;

		printf("  max_restarts %d: run returned %d after %u restarts\n", max_restarts, kind,
		       scx_sched__restarts(s));
		fflush(stdout);
		_exit(kind == SCX_EXIT_UNREG_KERN ? (int)scx_sched__restarts(s) : 100);
	}
	return pid;
}

static int finish(void)
{
	int status;

	T_ASSERT(waitpid(child, &status, 0) == child, "waitpid");
	child = 0;
	T_ASSERT(WIFEXITED(status), "status %#x", status);
	return WEXITSTATUS(status);
}

int main(void)
{
	long long seq;

	t_require_sched_ext();
	if (access("/sys/devices/system/cpu/cpu1/online", W_OK)) {
		printf("cpu1 cannot be taken offline here\n");
		return T_SKIP;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	t_on_fail(cleanup);

	child = supervise(1);
	T_ASSERT(t_wait_state("enabled", 5000), "never enabled");
	seq = t_enable_seq();
	T_ASSERT(seq >= 0, "no enable_seq");
	set_cpu1(0);		/* restart 1 of 1 */
	/* "enabled" alone could still be the first instance: the restarted
	 * one is the next enable */
	T_ASSERT(t_wait_enabled_after(seq, 0), "not restarted (enable_seq still %lld)", seq);
	set_cpu1(1);		/* over the limit: run() returns */
	T_ASSERT(finish() == 1, "max_restarts 1 did not end after exactly one restart");
	T_ASSERT(t_wait_state("disabled", 3000), "still enabled");

	child = supervise(-1);
	T_ASSERT(t_wait_state("enabled", 5000), "never enabled (2)");
	set_cpu1(0);
	T_ASSERT(finish() == 0, "max_restarts -1 restarted");
	set_cpu1(1);
	T_ASSERT(t_wait_state("disabled", 3000), "still enabled (2)");
	return T_PASS;
}
