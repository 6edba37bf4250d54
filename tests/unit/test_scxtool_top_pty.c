// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: `scxtool top` as a user runs it, on a fake
 * /sys/kernel/sched_ext and /proc (--sysfs-root, --proc-root) with a stats
 * server run by this test: under a pseudo-terminal it switches the terminal
 * to raw keys and the alternate screen, redraws with rates, follows a
 * resize, and quits on `q`, on SIGINT and on SIGTERM with exit 0 and the
 * terminal as it was; with stdout not a terminal (or --once) it prints one
 * plain frame; without a stats server it says so and shows the rest. Every
 * wait ends as soon as what it waits for is seen; the deadline only stops a
 * broken run. Skips when scxtool is not built.
 */
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <termios.h>

#include <cmocka.h>

#include <scx/stats_server.h>

#include "faketree.h"
#include "stats_client.h"
#include "scxtool_run.h"

static struct faketree sys, proc;
static struct scx_stats_server *srv;
static __u64 ticks;

struct rec {
	__u64 nr_ticks;
};

/* moves by 7 at each request: top shows a rate */
static int fill(void *r, void *ctx)
{
	ticks += 7;
	((struct rec *)r)->nr_ticks = ticks;
	return 0;
}

static const struct scx_stats_field fields[] = {
	SCX_STATS_FIELD(struct rec, nr_ticks, SCX_STATS_U64, 0, "ticks"),
};

/* /proc/PID/stat's fields between the state and the CPU, all 0 */
static const char *stat_fields_4_to_38(void)
{
	static char f[128];
	int i;

	for (f[0] = '\0', i = 4; i <= 38; i++)
		strcat(f, " 0");
	return f;
}

static int setup(void **state)
{
	SCX_OPTS(scx_stats_server_opts, o, .thread = true);

	if (sc_setup_dir(state) || ft_init(&sys) || ft_init(&proc) ||
	    ft_write(&sys, "kernel/sched_ext/state", "enabled\n") ||
	    ft_write(&sys, "kernel/sched_ext/root/ops", "minimal\n") ||
	    ft_write(&sys, "kernel/sched_ext/switch_all", "1\n") ||
	    ft_write(&sys, "kernel/sched_ext/enable_seq", "2\n") ||
	    ft_write(&sys, "kernel/sched_ext/nr_rejected", "0\n") ||
	    ft_write(&sys, "kernel/sched_ext/hotplug_seq", "0\n") ||
	    ft_write(&sys, "kernel/sched_ext/root/events", "SCX_EV_SELECT_CPU_FALLBACK 5\n"))
		return -1;
	/* process 10 with threads 10 (on sched_ext, runnable, last on CPU 1)
	 * and 11 (not on sched_ext); a name with ')' and blanks in it */
	if (ft_write(&proc, "10/task/10/comm", "a) b\n") ||
	    ft_write(&proc, "10/task/11/comm", "c\n") ||
	    ft_write(&proc, "10/sched", "a) b (10, #threads: 2)\next.enabled : 1\n") ||
	    ft_write(&proc, "11/sched", "c (11, #threads: 2)\next.enabled : 0\n") ||
	    ft_write(&proc, "10/stat", "10 (a) b) R%s 1\n", stat_fields_4_to_38()) ||
	    ft_write(&proc, "11/stat", "11 (c) S%s 0\n", stat_fields_4_to_38()))
		return -1;
	srv = scx_stats_server__new(sc_sock, &o);
	if (!srv || scx_stats_server__add_struct(srv, "counters", NULL, fields, 1, sizeof(struct rec),
						 fill, NULL))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	scx_stats_server__destroy(srv);
	ft_cleanup(&sys);
	ft_cleanup(&proc);
	return sc_teardown_dir(state);
}

/* everything the child wrote to the terminal */
static char screen[1 << 20];
static size_t screen_len;

static pid_t spawn(int *master, const char *socket)
{
	struct winsize ws = { .ws_col = 100, .ws_row = 40 };
	pid_t pid;

	screen_len = 0;
	screen[0] = '\0';
	pid = forkpty(master, NULL, NULL, &ws);
	assert_true(pid >= 0);
	if (!pid) {
		execl(SCXTOOL, "scxtool", "top", "--interval", "0.1", "--sysfs-root", sys.root,
		      "--proc-root", proc.root, "--socket", socket, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Append what the child wrote within timeout_ms to screen; the bytes read, 0
 * when there was nothing, -1 once the terminal is closed (EIO). */
static ssize_t screen_read(int master, int timeout_ms)
{
	struct pollfd p = { .fd = master, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, timeout_ms) <= 0)
		return 0;
	n = read(master, screen + screen_len, sizeof(screen) - 1 - screen_len);
	if (n <= 0)
		return -1;
	screen_len += n;
	screen[screen_len] = '\0';
	if (screen_len == sizeof(screen) - 1)
		screen_len = 0;	/* keep only the recent output */
	return n;
}

/* Read what the child wrote until cond(ctx) holds; false at the deadline
 * or when the terminal closed first. */
static bool read_until(int master, bool (*cond)(const void *ctx), const void *ctx)
{
	long long end = sc_now_ms() + SC_GIVE_UP_MS;

	while (!cond(ctx)) {
		long long left = end - sc_now_ms();

		if (left <= 0 || screen_read(master, (int)left) <= 0)
			return false;
	}
	return true;
}

static bool seen(const void *s)
{
	return strstr(screen, s);
}

/* The latest frame shows a rate for the server's counter. */
static bool rate_shown(const void *unused)
{
	const char *p = NULL, *q = screen;
	char total[32], rate[32];

	while ((q = strstr(q, "nr_ticks ")))
		p = q++;
	return p && sscanf(p, "%*s %31s %31s", total, rate) == 2 && rate[0] >= '0' &&
	       rate[0] <= '9' && strchr(rate, '.');
}

/* Wait for the child's exit, reading its output meanwhile; its status. */
static int wait_exit(pid_t pid, int master)
{
	long long end = sc_now_ms() + SC_GIVE_UP_MS;
	int st;

	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (sc_now_ms() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			fail_msg("scxtool top did not exit; it wrote: %.300s", screen);
		}
		screen_read(master, 10);
	}
	/* what it wrote just before exiting (the terminal's restore) can still
	 * be in the pty once waitpid() sees the exit: read it all */
	while (screen_read(master, 0) > 0)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void check_raw(int master, bool raw)
{
	struct termios tio;

	/* a pty master reads its slave's settings */
	assert_int_equal(tcgetattr(master, &tio), 0);
	assert_int_equal(!(tio.c_lflag & ICANON), raw);
	assert_int_equal(!(tio.c_lflag & ECHO), raw);
}

/* Run, see two frames with a rate, end it by how; exit 0, terminal back. */
static void run_and_end(const char *how)
{
	int master;
	pid_t pid;

	REQUIRE_SCXTOOL();
	pid = spawn(&master, sc_sock);
	assert_true(read_until(master, seen, "\033[?1049h"));
	assert_true(read_until(master, rate_shown, NULL));
	check_raw(master, true);
	assert_non_null(strstr(screen, "ops minimal"));
	assert_non_null(strstr(screen, "SCX_EV_SELECT_CPU_FALLBACK"));
	assert_non_null(strstr(screen, "stats server"));
	assert_non_null(strstr(screen, "1 of 2 tasks, 1 running"));
	assert_non_null(strstr(screen, "cpu1      1/1"));
	if (!strcmp(how, "q"))
		assert_int_equal(write(master, "q", 1), 1);
	else
		kill(pid, !strcmp(how, "SIGINT") ? SIGINT : SIGTERM);
	assert_int_equal(wait_exit(pid, master), 0);
	/* the alternate screen left and the cursor shown, the keys cooked again */
	assert_non_null(strstr(screen, "\033[?25h\033[?1049l"));
	check_raw(master, false);
	close(master);
}

static void quit_on_q(void **state)
{
	run_and_end("q");
}

static void quit_on_sigint(void **state)
{
	run_and_end("SIGINT");
}

static void quit_on_sigterm(void **state)
{
	run_and_end("SIGTERM");
}

static void follows_resize(void **state)
{
	struct winsize ws = { .ws_col = 40, .ws_row = 6 };
	int master;
	pid_t pid;

	REQUIRE_SCXTOOL();
	pid = spawn(&master, sc_sock);
	assert_true(read_until(master, seen, "kernel events"));
	assert_null(strstr(screen, "more lines"));
	/* the kernel sends SIGWINCH to the terminal's foreground process */
	assert_int_equal(ioctl(master, TIOCSWINSZ, &ws), 0);
	assert_true(read_until(master, seen, "more lines"));
	assert_int_equal(write(master, "q", 1), 1);
	assert_int_equal(wait_exit(pid, master), 0);
	close(master);
}

static char out[65536], err[65536];

static int run_plain(const char *args)
{
	char cmd[2048];

	/* the roots are short mkdtemp() names */
	snprintf(cmd, sizeof(cmd), "top --sysfs-root %.200s --proc-root %.200s %.1000s", sys.root,
		 proc.root, args);
	return scxtool_run("", cmd, out, sizeof(out), err, sizeof(err));
}

static void one_plain_frame(void **state)
{
	char args[256];
	const char *p;

	REQUIRE_SCXTOOL();
	snprintf(args, sizeof(args), "--socket %s", sc_sock);
	assert_int_equal(run_plain(args), 0);
	assert_string_equal(err, "");
	assert_null(strchr(out, '\033'));
	p = strstr(out, "scxtool top  ");
	assert_true(p == out);
	assert_null(strstr(p + 1, "scxtool top  "));	/* one frame */
	assert_non_null(strstr(out, "\nstate enabled  ops minimal  switch_all yes  enable_seq 2"));
	assert_non_null(strstr(out, "\n  SCX_EV_SELECT_CPU_FALLBACK                5            -\n"));
	assert_non_null(strstr(out, "\nscheduler counters"));
	assert_non_null(strstr(out, "\n  nr_ticks "));
	assert_non_null(strstr(out, "\n  1 of 2 tasks, 1 running or runnable\n"));
}

static void no_server(void **state)
{
	char args[256];

	REQUIRE_SCXTOOL();
	snprintf(args, sizeof(args), "--once --socket %s/none", sc_dir);
	assert_int_equal(run_plain(args), 0);
	assert_null(strchr(out, '\033'));
	assert_non_null(strstr(out, "\nstats: no scx_stats server at "));
	assert_non_null(strstr(out, "SCX_EV_SELECT_CPU_FALLBACK"));
	assert_null(strstr(out, "scheduler counters"));
	assert_non_null(strstr(out, "\ntasks on sched_ext\n"));
}

static void usage_errors(void **state)
{
	REQUIRE_SCXTOOL();
	assert_int_equal(run_plain("--interval 0"), 2);
	assert_non_null(strstr(err, "--interval takes seconds"));
	assert_int_equal(run_plain("extra"), 2);
	assert_non_null(strstr(err, "unexpected argument 'extra'"));
	assert_int_equal(run_plain("--help"), 0);
	assert_non_null(strstr(out, "usage: scxtool top"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quit_on_q),
		cmocka_unit_test(quit_on_sigint),
		cmocka_unit_test(quit_on_sigterm),
		cmocka_unit_test(follows_resize),
		cmocka_unit_test(one_plain_frame),
		cmocka_unit_test(no_server),
		cmocka_unit_test(usage_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
