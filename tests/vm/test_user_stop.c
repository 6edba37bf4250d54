// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the userland sample (its policy in its own process) stopped
 * with SIGSTOP for three times its watchdog timeout: the system keeps
 * running (a child sleeping and working 50 times completes while it is
 * stopped), the sample stays attached (root/ops, same enable_seq), BPF
 * takes over (bpf_mode 1, stalls and fallback rise); after SIGCONT the
 * policy decides again (applied rises, bpf_mode back to 0). Then SIGKILL:
 * the system is back on the fair class and the kernel reports the exit
 * (unregistered from user space, not a stall). The counters are read from
 * the runtime's BPF maps, since the process is stopped. VM only.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include "user_util.h"

#define WD_MS	4500
#define STOP_MS	(3 * WD_MS)

static pid_t sched_pid, worker;

static void cleanup(void)
{
	if (sched_pid > 0) {
		kill(sched_pid, SIGCONT);
		t_kill(sched_pid);
	}
	t_kill(worker);
}

static bool ops_is_userland(void)
{
	char buf[64];

	return !strcmp(t_scx_read("root/ops", buf, sizeof(buf)), "userland");
}

/* A fixed amount of work that needs the scheduler at every step: 50
 * wakeups, each followed by a little CPU work. */
static pid_t start_worker(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		volatile unsigned long n;
		int i;

		for (i = 0; i < 50; i++) {
			usleep(1000);
			for (n = 0; n < 10000; n++)
				;
		}
		_exit(0);
	}
	return pid;
}

int main(void)
{
	struct scx_user_bpf_counters b0, b1, b2;
	struct scx_user_shared sh;
	char wd[16], buf[64];
	long long seq0, seq, end, stopped_at, done_at = -1;
	int cnt_fd, sh_fd, kmsg, out, st;
	bool saw_bpf_mode = false;
	__u32 key = 0;

	t_require_sched_ext();
	t_on_fail(cleanup);
	if (access(t_path("userland"), X_OK)) {
		printf("no userland sample binary next to this test\n");
		return T_SKIP;
	}
	kmsg = t_kmsg_open();
	T_ASSERT(kmsg >= 0, "open /dev/kmsg");
	seq0 = t_enable_seq();
	snprintf(wd, sizeof(wd), "%d", WD_MS);
	sched_pid = fork();
	T_ASSERT(sched_pid >= 0, "fork");
	if (sched_pid == 0) {
		out = open("/tmp/test_user_stop.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (out >= 0) {
			dup2(out, 1);
			dup2(out, 2);
		}
		/* -a: every task to the policy, so that a stop leaves tasks parked */
		execl(t_path("userland"), "userland", "-a", "-t", wd, (char *)NULL);
		_exit(127);
	}
	T_ASSERT(t_wait_enabled_after(seq0, T_WAIT_MIN_MS) && ops_is_userland(),
		 "userland did not attach (root/ops '%s')", t_scx_read("root/ops", buf, sizeof(buf)));
	seq = t_enable_seq();
	cnt_fd = uu_map_by_name(SCX_USER_COUNTERS_MAP);
	sh_fd = uu_map_by_name(SCX_USER_SHARED_MAP);
	T_ASSERT(cnt_fd >= 0 && sh_fd >= 0, "the runtime's maps are not there");
	end = t_now_ms() + T_WAIT_MIN_MS;
	while (uu_bpf_counters(cnt_fd, &b0) && !b0.applied && t_now_ms() < end)
		usleep(10000);
	T_ASSERT(b0.applied > 0, "the policy applied no decision before the stop");

	T_ASSERT(!kill(sched_pid, SIGSTOP), "SIGSTOP");
	stopped_at = t_now_ms();
	worker = start_worker();
	T_ASSERT(worker > 0, "fork");
	/* the whole window, watching: attached all along, BPF in charge */
	while (t_now_ms() < stopped_at + STOP_MS) {
		if (done_at < 0 && waitpid(worker, &st, WNOHANG) == worker) {
			done_at = t_now_ms() - stopped_at;
			worker = 0;
		}
		if (!bpf_map_lookup_elem(sh_fd, &key, &sh) && sh.bpf_mode)
			saw_bpf_mode = true;
		T_ASSERT(ops_is_userland() && t_enable_seq() == seq,
			 "%lld ms into the stop: root/ops '%s', enable_seq %lld (was %lld)",
			 t_now_ms() - stopped_at, t_scx_read("root/ops", buf, sizeof(buf)),
			 t_enable_seq(), seq);
		usleep(20000);
	}
	T_ASSERT(uu_bpf_counters(cnt_fd, &b1), "read the counters");
	t_log("stopped %d ms: worker done %s%lld ms in; fallback %llu -> %llu, stalls %llu -> %llu, "
	      "applied %llu -> %llu, rescued %llu -> %llu", STOP_MS, done_at < 0 ? "never (" : "",
	      done_at, (unsigned long long)b0.fallback, (unsigned long long)b1.fallback,
	      (unsigned long long)b0.stalls, (unsigned long long)b1.stalls,
	      (unsigned long long)b0.applied, (unsigned long long)b1.applied,
	      (unsigned long long)b0.rescued, (unsigned long long)b1.rescued);
	T_EXPECT(done_at >= 0, "the worker did not finish while the policy was stopped");
	T_EXPECT(done_at < 0 || (WIFEXITED(st) && !WEXITSTATUS(st)), "worker status %#x", st);
	T_EXPECT(saw_bpf_mode, "bpf_mode never read 1 while the policy was stopped");
	T_EXPECT(b1.fallback > b0.fallback, "no task dispatched by BPF's fallback");
	T_EXPECT(b1.stalls > b0.stalls, "no takeover counted");
	T_ASSERT(!kill(sched_pid, 0), "the sample died while stopped");

	T_ASSERT(!kill(sched_pid, SIGCONT), "SIGCONT");
	end = t_now_ms() + T_WAIT_MIN_MS;
	do {
		usleep(10000);
		T_ASSERT(uu_bpf_counters(cnt_fd, &b2) && !bpf_map_lookup_elem(sh_fd, &key, &sh),
			 "read the maps");
	} while (!(b2.applied > b1.applied && !sh.bpf_mode) && t_now_ms() < end);
	t_log("resumed: applied %llu -> %llu, bpf_mode %u", (unsigned long long)b1.applied,
	      (unsigned long long)b2.applied, sh.bpf_mode);
	T_EXPECT(b2.applied > b1.applied, "the policy decided nothing after SIGCONT");
	T_EXPECT(!sh.bpf_mode, "BPF did not hand back after SIGCONT");
	T_ASSERT(ops_is_userland() && t_enable_seq() == seq, "not attached after SIGCONT");

	close(cnt_fd);
	close(sh_fd);
	kill(sched_pid, SIGKILL);
	waitpid(sched_pid, &st, 0);
	sched_pid = 0;
	T_ASSERT(t_wait_state("disabled", T_WAIT_MIN_MS), "sched_ext still %s after SIGKILL",
		 t_scx_read("state", buf, sizeof(buf)));
	T_EXPECT(t_kmsg_has(kmsg, "BPF scheduler \"userland\" disabled (unregistered from user space)"),
		 "the kernel did not report the exit as an unregistration");
	close(kmsg);
	return t_failures ? T_FAIL : T_PASS;
}
