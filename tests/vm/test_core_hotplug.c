// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: CPU hotplug while scx_sched__run() supervises a scheduler
 * without hotplug callbacks: the kernel unloads it asking for a restart, and
 * the supervisor reopens it (with the globals that were set) and reattaches.
 * SIGINT then stops it cleanly.
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

static pid_t child;

static void cleanup(void)
{
	int fd = open("/sys/devices/system/cpu/cpu1/online", O_WRONLY);

	if (fd >= 0) {
		write(fd, "1", 1);
		close(fd);
	}
	t_kill(child);
}

static void set_online(int cpu, int on)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	fd = open(path, O_WRONLY);
	T_ASSERT(fd >= 0, "open %s", path);
	T_ASSERT(write(fd, on ? "1" : "0", 1) == 1, "write %s: %s", path, strerror(errno));
	close(fd);
}

static void on_restart(struct scx_sched *s, const struct scx_exit_info *ei, void *ctx)
{
	printf("  restarted after: %s (reason %u action %u) %s\n",
	       scx_exit_kind__str(scx_exit_info__kind(ei)),
	       scx_exit_code__reason(scx_exit_info__code(ei)),
	       scx_exit_code__action(scx_exit_info__code(ei)), scx_exit_info__msg(ei));
	fflush(stdout);
	/* the cause handed over must be the hotplug exit itself */
	if (scx_exit_info__kind(ei) != SCX_EXIT_UNREG_KERN || !scx_exit_code__restart(scx_exit_info__code(ei)) ||
	    scx_exit_code__reason(scx_exit_info__code(ei)) != 1)
		_exit(3);
}

int main(void)
{
	long long s0, s1;
	char buf[64];
	int status;

	t_require_sched_ext();
	if (access("/sys/devices/system/cpu/cpu1/online", W_OK)) {
		printf("cpu1 cannot be taken offline here\n");
		return T_SKIP;
	}
	t_on_fail(cleanup);
	setvbuf(stdout, NULL, _IOLBF, 0);
	child = fork();
	if (child == 0) {
		SCX_OPTS(scx_run_opts, ro, .restart_fn = on_restart, .handle_signals = true);
		struct scx_sched *s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
		int marker = 4242, kind;

		if (!s || scx_sched__set_global(s, "error_after", &(int){ 0 }, sizeof(int)))
			_exit(2);
		/* a global whose value must survive the restarts */
		scx_sched__set_global(s, "starve_pid", &marker, sizeof(marker));
		kind = scx_sched__run(s, &ro);
		printf("  run returned %d (%s) after %u restarts\n", kind,
		       kind >= 0 ? scx_exit_kind__str(kind) : strerror(-kind), scx_sched__restarts(s));
		marker = 0;
		scx_sched__get_global(s, "starve_pid", &marker, sizeof(marker));
		_exit(kind == SCX_EXIT_UNREG && scx_sched__restarts(s) >= 2 && marker == 4242 ? 0 : 1);
	}
	T_ASSERT(t_wait_state("enabled", 5000), "never enabled");
	s0 = t_enable_seq();
	set_online(1, 0);
	T_ASSERT(t_wait_enabled_after(s0, 0), "not re-enabled after cpu1 went offline");
	T_ASSERT(!strcmp(t_scx_read("root/ops", buf, sizeof(buf)), "raw_fifo"), "ops %s", buf);
	s1 = t_enable_seq();
	set_online(1, 1);
	T_ASSERT(t_wait_enabled_after(s1, 0), "not re-enabled after cpu1 came back");
	kill(child, SIGINT);
	T_ASSERT(waitpid(child, &status, 0) == child, "waitpid");
	child = 0;
	T_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "supervisor status %#x", status);
	T_ASSERT(t_wait_state("disabled", 3000), "not disabled after SIGINT");
	return T_PASS;
}
