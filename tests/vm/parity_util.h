/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Helpers for the VM tests that put a libscx loader through what the kernel's
 * own sched_ext selftests provoke (tests/vm/test_parity_*.c), driving
 * parity.bpf.o. Everything goes through the public libscx API, as a loader
 * would.
 */
#ifndef __TESTS_VM_PARITY_UTIL_H
#define __TESTS_VM_PARITY_UTIL_H

#include <dirent.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <scx/scx.h>
#include "testlib.h"
#include "parity.h"

/* Generous: TCG on a loaded 2-core host can be very slow. */
#define P_EXIT_DEADLINE_MS	60000

static struct scx_sched *p_sched;
static pid_t p_load[4];

static inline int p_nr_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

static inline long p_rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

/* Take cpu1 offline (0) or online (1); false where it cannot be. */
static inline bool p_set_cpu1(int on)
{
	FILE *f = fopen("/sys/devices/system/cpu/cpu1/online", "w");
	bool ok;

	if (!f)
		return false;
	ok = fputs(on ? "1" : "0", f) >= 0;
	return fclose(f) == 0 && ok;
}

/* The live control block: the mmap of the object's .data.ctl section. */
static inline struct parity_ctl *p_ctl(struct scx_sched *s)
{
	struct bpf_object *obj = scx_sched__object(s);
	struct bpf_map *map;
	size_t sz = 0;

	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map);
		size_t n = strlen(name);

		if (n >= 9 && !strcmp(name + n - 9, ".data.ctl")) {
			void *p = bpf_map__initial_value(map, &sz);

			return p && sz >= sizeof(struct parity_ctl) ? p : NULL;
		}
	}
	return NULL;
}

/* Open and load parity.bpf.o set to fail at point. */
static inline struct scx_sched *p_open_load(enum parity_point point)
{
	struct scx_sched *s = scx_sched__open_file(t_path("parity.bpf.o"), NULL);
	__u32 v = point;

	T_ASSERT(s, "open parity.bpf.o: %s", strerror(errno));
	T_ASSERT(!scx_sched__set_global(s, "fail_at", &v, sizeof(v)), "set fail_at");
	T_ASSERT(!scx_sched__load(s), "load: %s", strerror(errno));
	return s;
}

/* A child that keeps waking up (select_cpu, enqueue) and one that keeps
 * forking short-lived children (init_task, exit_task); spinners keep the
 * CPUs busy (dispatch, running, stopping, tick). */
static inline void p_load_start(void)
{
	pid_t pid;

	p_load[0] = t_spawn_spinner(-1, 0);
	p_load[1] = t_spawn_spinner(-1, 0);
	pid = fork();
	if (pid == 0)
		for (;;)
			usleep(1000);
	p_load[2] = pid;
	pid = fork();
	if (pid == 0) {
		for (;;) {
			pid_t c = fork();

			if (c == 0)
				_exit(0);
			if (c > 0)
				waitpid(c, NULL, 0);
			usleep(5000);
		}
	}
	p_load[3] = pid;
}

static inline void p_load_stop(void)
{
	for (int i = 0; i < 4; i++) {
		t_kill(p_load[i]);
		p_load[i] = 0;
	}
}

static void p_cleanup(void)
{
	p_load_stop();
	scx_sched__destroy(p_sched);
	p_sched = NULL;
}

static inline void p_print_exit(const struct scx_exit_info *ei)
{
	t_log("exit: kind %s (%d) reason '%s' msg '%s'", scx_exit_kind__str(scx_exit_info__kind(ei)),
	      scx_exit_info__kind(ei), scx_exit_info__reason(ei), scx_exit_info__msg(ei));
}

/*
 * The scheduler is gone and the system is back where it was: sched_ext
 * disabled, this process on the fair class, and the handle says it exited.
 */
static inline void p_assert_back_on_fair(struct scx_sched *s)
{
	T_ASSERT(t_wait_state("disabled", 10000), "sched_ext still enabled");
	T_ASSERT(t_wait_on_scx(getpid(), 0, 10000), "this process is not back on the fair class");
	T_ASSERT(scx_sched__exited(s), "the handle does not know it exited");
	T_ASSERT(!scx_sched__detach(s), "detach after the exit");
}

/* The exit message names the deliberate error's place: "parity.bpf.c:LINE:
 * deliberate error in ops.NAME". */
static inline void p_assert_msg_names(struct scx_sched *s, const char *name)
{
	const char *msg = scx_exit_info__msg(scx_sched__exit_info(s));
	struct parity_ctl ctl = {};
	char want[128];

	T_ASSERT(!scx_sched__get_global(s, "ctl", &ctl, sizeof(ctl)), "read ctl");
	T_ASSERT(ctl.line > 0, "the error never fired");
	snprintf(want, sizeof(want), "parity.bpf.c:%u: deliberate error in ops.%s on cpu ", ctl.line, name);
	T_ASSERT(strstr(msg, want), "message '%s' lacks '%s'", msg, want);
}

/*
 * scx_bpf_error() from one callback. Errors in ops.init and ops.init_task
 * (called while the kernel enables the scheduler) must fail the attach
 * itself; the others come after a successful attach and end a running
 * scheduler, which scx_sched__wait() and the exit fd report.
 */
/* Open and load parity.bpf.o set to fail at point, and start the load. */
static inline struct parity_ctl *p_start(enum parity_point point)
{
	struct parity_ctl *ctl;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(p_cleanup);
	setvbuf(stdout, NULL, _IOLBF, 0);
	p_sched = p_open_load(point);
	ctl = p_ctl(p_sched);
	T_ASSERT(ctl, "no .data.ctl map");
	p_load_start();
	return ctl;
}

/* Attach (the scheduler must then run), arm the failure, wait for the exit. */
static inline void p_run_armed(enum parity_point point)
{
	struct parity_ctl *ctl = p_start(point);
	long long t0;
	int err;

	err = scx_sched__attach(p_sched);
	T_ASSERT(err == 0, "attach: %s", strerror(-err));
	T_ASSERT(scx_sched__wait(p_sched, 0) == -ETIMEDOUT, "exited before the error was armed");
	__atomic_store_n(&ctl->armed, 1, __ATOMIC_RELEASE);
	t0 = t_now_ms();
	err = scx_sched__wait(p_sched, P_EXIT_DEADLINE_MS);
	t_log("exited %lld ms after arming", t_now_ms() - t0);
	T_ASSERT(err == 0, "still running %d s after arming", P_EXIT_DEADLINE_MS / 1000);
}

/* Stop the load; the exit info, printed. */
static inline const struct scx_exit_info *p_finish_exit(void)
{
	const struct scx_exit_info *ei;

	p_load_stop();
	ei = scx_sched__exit_info(p_sched);
	T_ASSERT(ei, "no exit info");
	p_print_exit(ei);
	return ei;
}

static inline int p_callback_error(enum parity_point point, const char *name)
{
	const struct scx_exit_info *ei;
	int err;

	if (point == P_INIT || point == P_INIT_TASK) {
		p_start(point);
		err = scx_sched__attach(p_sched);
		T_ASSERT(err < 0 && errno == -err, "attach with a failing ops.%s gave %d", name, err);
		T_ASSERT(t_log_has(name), "the attach error does not name ops.%s", name);
	} else {
		p_run_armed(point);
	}
	ei = p_finish_exit();
	T_ASSERT(scx_exit_info__kind(ei) == SCX_EXIT_ERROR_BPF, "kind %s, expected ERROR_BPF",
		 scx_exit_kind__str(scx_exit_info__kind(ei)));
	T_ASSERT(scx_exit_info__from_record(ei), "exit info not from the exit record");
	p_assert_msg_names(p_sched, name);
	p_assert_back_on_fair(p_sched);
	scx_sched__destroy(p_sched);
	p_sched = NULL;
	return T_PASS;
}

/*
 * An error the kernel itself detects in what the scheduler asked for:
 * kind ERROR ("runtime error") with the kernel's own words in the message.
 */
static inline int p_kernel_error(enum parity_point point, const char *want_msg)
{
	const struct scx_exit_info *ei;

	p_run_armed(point);
	ei = p_finish_exit();
	T_ASSERT(scx_exit_info__kind(ei) == SCX_EXIT_ERROR, "kind %s, expected ERROR",
		 scx_exit_kind__str(scx_exit_info__kind(ei)));
	T_ASSERT(!strcmp(scx_exit_info__reason(ei), "runtime error"), "reason '%s'",
		 scx_exit_info__reason(ei));
	T_ASSERT(strstr(scx_exit_info__msg(ei), want_msg), "message lacks '%s'", want_msg);
	p_assert_back_on_fair(p_sched);
	scx_sched__destroy(p_sched);
	p_sched = NULL;
	return T_PASS;
}

/*
 * ops.init() or ops.init_task() returning an error while the kernel enables
 * the scheduler. The kernel ends the scheduler and yet reports success to
 * the attach call; the loader must turn that into an attach error that
 * names the cause, leave nothing attached, and have the exit info ready.
 */
static inline int p_enable_fail(enum parity_point point, const char *want_msg)
{
	const struct scx_exit_info *ei;
	struct scx_sched *other;
	char buf[64];
	int err;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(p_cleanup);
	setvbuf(stdout, NULL, _IOLBF, 0);

	p_sched = p_open_load(point);
	t_log_clear();
	err = scx_sched__attach(p_sched);
	t_log("attach gave %d (%s)", err, strerror(-err));
	T_ASSERT(err < 0 && errno == -err, "attach succeeded although the enable failed");
	T_ASSERT(t_log_has(want_msg), "the attach error does not say '%s'", want_msg);
	ei = scx_sched__exit_info(p_sched);
	T_ASSERT(ei, "no exit info after the failed attach");
	p_print_exit(ei);
	T_ASSERT(scx_exit_info__kind(ei) == SCX_EXIT_ERROR, "kind %s, expected ERROR",
		 scx_exit_kind__str(scx_exit_info__kind(ei)));
	T_ASSERT(strstr(scx_exit_info__msg(ei), want_msg), "message lacks '%s'", want_msg);
	T_ASSERT(scx_sched__wait(p_sched, 0) == 0, "wait after the failed attach");
	/* nothing left attached: sysfs is clear and another scheduler fits */
	T_ASSERT(t_wait_state("disabled", 10000), "sched_ext not disabled");
	T_ASSERT(!*t_scx_read("root/ops", buf, sizeof(buf)), "root/ops still says '%s'", buf);
	T_ASSERT(t_wait_on_scx(getpid(), 0, 10000), "this process is not on the fair class");
	other = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
	T_ASSERT(other && !scx_sched__load(other), "load raw_fifo");
	T_ASSERT(!scx_sched__attach(other), "another scheduler cannot attach afterwards: %s",
		 strerror(errno));
	T_ASSERT(!scx_sched__detach(other), "detach raw_fifo");
	scx_sched__destroy(other);
	scx_sched__destroy(p_sched);
	p_sched = NULL;
	return T_PASS;
}

#endif
