// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: `scxtool top` on a real sched_ext kernel, with the minimal
 * sample attached and serving its statistics (--stats-socket) under a CPU
 * load. With stdout a file it prints one plain frame naming the ops, state
 * enabled, the kernel's events, the sample's counters and the tasks on
 * sched_ext. Under a pseudo-terminal it redraws with rates, shows the
 * scheduler going away (state disabled, no stats server) and a new one
 * coming (ops minimal again) without exiting, and quits on `q` with exit 0
 * and the terminal's settings restored. Needs minimal and scxtool beside it.
 */
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "testlib.h"

#define SOCK "/tmp/scx-top/stats"

static pid_t sched_pid, top_pid, spin[2];

static void cleanup(void)
{
	if (top_pid > 0)
		t_kill(top_pid);
	if (sched_pid > 0) {
		kill(sched_pid, SIGINT);
		waitpid(sched_pid, NULL, 0);
	}
	t_kill(spin[0]);
	t_kill(spin[1]);
}

static pid_t start_minimal(void)
{
	long long seq = t_enable_seq();
	long long end;
	pid_t pid = fork();

	T_ASSERT(pid >= 0, "fork: %s", strerror(errno));
	if (!pid) {
		int fd = open("/tmp/top-minimal.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		execl(t_path("minimal"), "minimal", "--stats-socket=" SOCK, "-t", "30000",
		      (char *)NULL);
		_exit(127);
	}
	T_ASSERT(t_wait_enabled_after(seq, 60000), "minimal did not attach");
	for (end = t_now_ms() + T_WAIT_MIN_MS; access(SOCK, F_OK); usleep(20000))
		T_ASSERT(t_now_ms() < end, "no socket at " SOCK);
	return pid;
}

static void stop_minimal(void)
{
	int st;

	kill(sched_pid, SIGINT);
	T_ASSERT(waitpid(sched_pid, &st, 0) == sched_pid && WIFEXITED(st) && !WEXITSTATUS(st),
		 "minimal did not stop cleanly");
	sched_pid = 0;
	T_ASSERT(t_wait_state("disabled", 60000), "sched_ext still attached");
}

static char out[1 << 20];
static size_t out_len;

static void plain_frame(void)
{
	char cmd[256], line[256];
	bool counter_row = false, in_counters = false;
	FILE *f;
	size_t n;

	snprintf(cmd, sizeof(cmd), "%s top --socket %s > /tmp/top.plain 2>&1", t_path("scxtool"), SOCK);
	T_ASSERT(system(cmd) == 0, "scxtool top failed");
	f = fopen("/tmp/top.plain", "r");
	T_ASSERT(f, "no output");
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;
		char name[64];

		if (!strncmp(line, "scheduler counters", 18))
			in_counters = true;
		else if (in_counters && sscanf(line, " %63s %llu", name, &v) == 2)
			counter_row = true;
		else if (line[0] != ' ')
			in_counters = false;
	}
	fclose(f);
	printf("%s", out);
	T_EXPECT(!strchr(out, '\033'), "escapes in a plain frame");
	T_EXPECT(strstr(out, "\nstate enabled  ops minimal  "), "state or ops missing");
	T_EXPECT(strstr(out, "\nstats server " SOCK ": sched minimal"), "stats server missing");
	T_EXPECT(strstr(out, "\n  SCX_EV_"), "no kernel event");
	T_EXPECT(counter_row, "no counter served");
	T_EXPECT(strstr(out, "\ntasks on sched_ext\n"), "no tasks section");
	T_EXPECT(!strstr(out, "\n  0 of "), "no task on sched_ext");
	T_EXPECT(strstr(out, "\n  cpu0 "), "no per-CPU counts");
}

/* Read the terminal until needle is in what top wrote after offset from. */
static bool read_until(int master, size_t from, const char *needle)
{
	long long end = t_now_ms() + T_WAIT_MIN_MS;

	while (!strstr(out + from, needle)) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		long long left = end - t_now_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return false;
		n = read(master, out + out_len, sizeof(out) - 1 - out_len);
		if (n <= 0)
			return false;
		out_len += n;
		out[out_len] = '\0';
		if (out_len == sizeof(out) - 1)
			return false;
	}
	return true;
}

/* The rate column of the last row of the sample's "queued" counter, as
 * text, once a frame shows a number there. */
static bool rate_shown(int master)
{
	long long end = t_now_ms() + T_WAIT_MIN_MS;

	while (t_now_ms() < end) {
		const char *p = NULL, *q = out;
		char total[32], rate[32];

		while ((q = strstr(q, "\n  queued ")))
			p = q++;
		if (p && sscanf(p, " %*s %31s %31s", total, rate) == 2 && strchr(rate, '.'))
			return true;
		if (!read_until(master, out_len, "\033[H"))
			return false;
	}
	return false;
}

static void live(void)
{
	struct winsize ws = { .ws_col = 120, .ws_row = 50 };
	struct termios tio;
	long long end;
	size_t mark;
	int master, st;

	out_len = 0;
	out[0] = '\0';
	top_pid = forkpty(&master, NULL, NULL, &ws);
	T_ASSERT(top_pid >= 0, "forkpty: %s", strerror(errno));
	if (!top_pid) {
		execl(t_path("scxtool"), "scxtool", "top", "--interval", "0.5", "--socket", SOCK,
		      (char *)NULL);
		_exit(127);
	}
	T_ASSERT(read_until(master, 0, "ops minimal"), "no frame: %.300s", out);
	T_ASSERT(rate_shown(master), "no rate for the counters: %.2000s", out);
	T_ASSERT(!tcgetattr(master, &tio) && !(tio.c_lflag & (ICANON | ECHO)), "not in raw mode");

	/* the scheduler goes, another comes: top follows */
	stop_minimal();
	mark = out_len;
	T_ASSERT(read_until(master, mark, "state disabled  ops (none)"), "no disabled state shown");
	T_ASSERT(read_until(master, mark, "stats: "), "no stats note");
	sched_pid = start_minimal();
	mark = out_len;
	T_ASSERT(read_until(master, mark, "state enabled  ops minimal"), "new scheduler not shown");
	T_ASSERT(read_until(master, mark, "stats server " SOCK), "new stats server not shown");

	T_ASSERT(write(master, "q", 1) == 1, "write");
	for (end = t_now_ms() + T_WAIT_MIN_MS; waitpid(top_pid, &st, WNOHANG) == 0; usleep(20000)) {
		char buf[4096];

		T_ASSERT(t_now_ms() < end, "scxtool top did not quit on q");
		while (read(master, buf, sizeof(buf)) > 0)
			;
	}
	top_pid = 0;
	T_EXPECT(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exit status %#x", st);
	T_EXPECT(!tcgetattr(master, &tio) && (tio.c_lflag & ICANON) && (tio.c_lflag & ECHO),
		 "terminal not restored");
	close(master);
}

int main(void)
{
	t_require_sched_ext();
	if (access(t_path("minimal"), X_OK) || access(t_path("scxtool"), X_OK)) {
		printf("no minimal or scxtool next to this test\n");
		return T_SKIP;
	}
	t_on_fail(cleanup);
	spin[0] = t_spawn_spinner(-1, 0);
	spin[1] = t_spawn_spinner(-1, 0);
	sched_pid = start_minimal();
	plain_frame();
	live();
	stop_minimal();
	cleanup();
	return t_failures ? T_FAIL : T_PASS;
}
