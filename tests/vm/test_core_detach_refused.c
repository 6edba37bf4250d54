// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: when the kernel refuses BPF_LINK_DETACH while the scheduler
 * runs, scx_sched__detach() returns the error and the handle stays attached:
 * no exit, no UNREG exit info, the scheduler still the kernel's. The refusal
 * comes from a seccomp filter (EPERM for BPF_LINK_DETACH) in a forked copy
 * of the process; before, detach logged it, closed the link and reported
 * UNREG while the scheduler kept running. A later detach works.
 */
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

static struct scx_sched *s;

static void cleanup(void)
{
	scx_sched__destroy(s);
}

/* bpf(BPF_LINK_DETACH, ...) fails with EPERM; everything else is allowed. */
static int refuse_link_detach(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_bpf, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BPF_LINK_DETACH, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

int main(void)
{
	const struct scx_exit_info *ei;
	char ops[64];
	int status;
	pid_t pid;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);

	s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
	T_ASSERT(s && !scx_sched__load(s) && !scx_sched__attach(s), "start: %s", strerror(errno));

	pid = fork();
	if (pid == 0) {
		int rc;

		if (refuse_link_detach())
			_exit(2);
		rc = scx_sched__detach(s);
		printf("  refused detach returned %d, exited %d\n", rc, scx_sched__exited(s));
		fflush(stdout);
		_exit(rc == -EPERM && !scx_sched__exited(s) && !scx_sched__exit_info(s) ? 0 : 1);
	}
	T_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid");
	T_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);

	/* the kernel still runs it, and this handle still owns it */
	T_ASSERT(!strcmp(t_scx_read("state", ops, sizeof(ops)), "enabled"), "state '%s'", ops);
	T_ASSERT(!strcmp(t_scx_read("root/ops", ops, sizeof(ops)), "raw_fifo"), "ops '%s'", ops);
	T_ASSERT(!scx_sched__exited(s), "the handle saw an exit");
	T_ASSERT(scx_sched__detach(s) == 0, "detach: %s", strerror(errno));
	ei = scx_sched__exit_info(s);
	T_ASSERT(ei && scx_exit_info__kind(ei) == SCX_EXIT_UNREG, "exit after detach");
	T_ASSERT(t_wait_state("disabled", 10000), "not disabled");
	scx_sched__destroy(s);
	return T_PASS;
}
