// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * scxtool top: a live view of the attached scheduler, redrawn every
 * interval: sched_ext's state, the kernel's event counters, the counters a
 * stats server serves, and the tasks on sched_ext per CPU. The frame is drawn
 * by top_frame.c; this file collects the samples and owns the terminal: raw
 * keys, the alternate screen, and putting both back however it ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <scx/monitor.h>
#include <scx/stats_server.h>

#include "scxtool.h"
#include "stats_client.h"
#include "task_walk.h"
#include "top_frame.h"

/* a server that does not answer within this stalls one frame, not more */
#define STATS_TIMEOUT_S	2
#define FRAME_BYTES	(1 << 20)

static void top_usage(FILE *f)
{
	fprintf(f,
		"usage: scxtool top [--socket PATH] [--interval S] [--once]\n\n"
		"A live view of the attached sched_ext scheduler, redrawn every interval:\n"
		"sched_ext's state, the scheduler's name and sequence counters; the kernel's\n"
		"event counters (SCX_EV_*); the counters the scheduler's scx_stats server\n"
		"serves (its summed per-CPU counters, uptime and restarts), when one answers\n"
		"at the socket; and the tasks on sched_ext, per CPU they last ran on. Counters\n"
		"show their total and their increase per second since the previous frame.\n"
		"Keys: q quits (so do SIGINT and SIGTERM). When stdout is not a terminal, or\n"
		"with --once, one frame is printed as plain text (no rates: they need two).\n\n"
		"  --socket PATH     the stats server's socket (default " SCX_STATS_DEFAULT_PATH ")\n"
		"  --interval S      seconds between frames (default 1, e.g. 0.5)\n"
		"  --once            print one frame and exit\n"
		"  --sysfs-root DIR  read DIR/kernel/sched_ext instead of /sys (tests)\n"
		"  --proc-root DIR   read tasks from DIR instead of /proc (tests)\n"
		"  -h, --help        this text\n");
}

struct top {
	const char *socket;
	struct scx_monitor_opts mopts;
	double interval_s;
	int fd;				/* the stats connection, -1 none */
	char *req, *reply;
	size_t reply_cap;
};

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int add_event(const char *name, __u64 value, void *ctx)
{
	return top_list_add(ctx, name, NULL, true, value);
}

/* Flatten v into l as name.sub[i] = value; counters are numbers that are
 * whole and not negative. */
static void flatten(struct top_list *l, const struct jv *v, const char *name)
{
	char sub[128], *end;
	size_t i;

	if (v->type == JV_OBJ || v->type == JV_ARR) {
		for (i = 0; i < v->n; i++) {
			if (v->type == JV_OBJ)
				snprintf(sub, sizeof(sub), "%s%s%s", name, *name ? "." : "", v->keys[i]);
			else
				snprintf(sub, sizeof(sub), "%s[%zu]", name, i);
			flatten(l, &v->items[i], sub);
		}
		return;
	}
	if (v->type == JV_NUM && v->text[0] != '-') {
		unsigned long long u;

		errno = 0;
		u = strtoull(v->text, &end, 10);
		if (!*end && !errno) {
			top_list_add(l, name, v->text, true, u);
			return;
		}
	}
	top_list_add(l, name, v->type == JV_NULL ? "null" : v->text, false, 0);
}

/* The server's top struct into s: its name, uptime and restarts for the
 * header, its counters, and the rest. Its "events" are the kernel's, which
 * the frame has from sysfs already. */
static void take_reply(struct top_sample *s, const struct jv *resp)
{
	size_t i;

	if (resp->type != JV_OBJ) {
		flatten(&s->other, resp, "");
		return;
	}
	for (i = 0; i < resp->n; i++) {
		const struct jv *v = &resp->items[i];
		const char *k = resp->keys[i];

		if (!strcmp(k, "sched") && v->type == JV_STR) {
			snprintf(s->sched, sizeof(s->sched), "%s", v->text);
		} else if (!strcmp(k, "uptime_ms") && v->type == JV_NUM) {
			s->have_uptime = true;
			s->uptime_ms = strtoull(v->text, NULL, 10);
		} else if (!strcmp(k, "restarts") && v->type == JV_NUM) {
			s->have_restarts = true;
			s->restarts = strtoull(v->text, NULL, 10);
		} else if (!strcmp(k, "counters") && v->type == JV_OBJ) {
			flatten(&s->counters, v, "");
		} else if (strcmp(k, "events")) {
			flatten(&s->other, v, k);
		}
	}
}

/* Ask the server; a connection that broke (the scheduler was replaced) is
 * made again once in the same frame. */
static void collect_stats(struct top *t, struct top_sample *s)
{
	char err[256] = "";
	int tries;

	for (tries = 0; tries < 2; tries++) {
		const struct jv *resp;
		struct jv *tree;
		bool fresh = t->fd < 0;

		if (fresh)
			t->fd = scxtool_stats_connect(t->socket, STATS_TIMEOUT_S, err, sizeof(err));
		if (t->fd < 0)
			break;
		if (scxtool_stats_exchange(t->fd, t->socket, t->req, NULL, &t->reply, &t->reply_cap,
					   err, sizeof(err))) {
			close(t->fd);
			t->fd = -1;
			if (fresh)
				break;
			continue;
		}
		resp = scxtool_stats_resp(t->reply, t->socket, &tree, err, sizeof(err));
		if (resp) {
			s->have_stats = true;
			take_reply(s, resp);
		}
		jv_free(tree);
		if (!resp) {
			close(t->fd);
			t->fd = -1;
		}
		break;
	}
	if (!s->have_stats)
		snprintf(s->stats_note, sizeof(s->stats_note), "%s", err);
}

/* Room in s's per-CPU counts for CPUs 0 to n - 1; false without memory. */
static bool grow_cpus(struct top_sample *s, int n)
{
	unsigned int *a, *b;

	if (n <= s->nr_cpus)
		return true;
	a = realloc(s->cpu_scx, n * sizeof(*a));
	if (!a)
		return false;
	s->cpu_scx = a;
	b = realloc(s->cpu_running, n * sizeof(*b));
	if (!b)
		return false;
	s->cpu_running = b;
	memset(a + s->nr_cpus, 0, (n - s->nr_cpus) * sizeof(*a));
	memset(b + s->nr_cpus, 0, (n - s->nr_cpus) * sizeof(*b));
	s->nr_cpus = n;
	return true;
}

static int count_task(const struct scxtool_task *task, void *ctx)
{
	struct top_sample *s = ctx;

	s->nr_tasks++;
	if (!task->on_scx)
		return 0;
	s->nr_scx++;
	s->nr_running += task->running;
	if (task->cpu < 0 || task->cpu >= 65536 || !grow_cpus(s, task->cpu + 1))
		return 0;	/* left out of the per-CPU counts */
	s->cpu_scx[task->cpu]++;
	s->cpu_running[task->cpu] += task->running;
	return 0;
}

static void collect(struct top *t, struct top_sample *s)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	struct utsname u;

	memset(s, 0, sizeof(*s));
	s->mono_s = mono_s();
	s->wall = time(NULL);
	if (!uname(&u))
		snprintf(s->release, sizeof(s->release), "%s", u.release);
	s->st.sz = sizeof(s->st);
	s->have_scx = scx_system__status(&s->st, &t->mopts) >= 0;
	if (s->have_scx)
		/* -ENOENT: nothing attached, or no event counters before 6.15 */
		scx_system__for_each_event(add_event, &s->events, &t->mopts);
	collect_stats(t, s);
	/* every CPU gets a cell, also those no sched_ext task ran on */
	if (ncpu > 0 && ncpu < 65536)
		grow_cpus(s, ncpu);
	scxtool_for_each_task(&t->mopts, true, count_task, s);
	/* the class of no task was known: the kernel does not report it */
	s->have_tasks = s->nr_tasks > 0;
}

/* ---- the terminal ---- */

#define ALT_SCREEN_ON	"\033[?1049h\033[?25l"	/* alternate screen, cursor hidden */
#define ALT_SCREEN_OFF	"\033[?25h\033[?1049l"

static struct termios saved_tio;
static volatile sig_atomic_t raw_on, alt_on;
static volatile sig_atomic_t quit, resized, suspend;

static void write_all(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(STDOUT_FILENO, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= w;
	}
}

/* Async-signal-safe: called from atexit and from the fatal-signal handler. */
static void restore_terminal(void)
{
	if (alt_on) {
		alt_on = 0;
		write_all(ALT_SCREEN_OFF, strlen(ALT_SCREEN_OFF));
	}
	if (raw_on) {
		raw_on = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	}
}

static int enter_terminal(bool keys)
{
	struct termios tio = saved_tio;

	if (keys) {
		/* keys one at a time, not echoed; ^C still sends SIGINT */
		tio.c_lflag &= ~(ICANON | ECHO);
		tio.c_cc[VMIN] = 1;
		tio.c_cc[VTIME] = 0;
		if (tcsetattr(STDIN_FILENO, TCSANOW, &tio))
			return -errno;
		raw_on = 1;
	}
	write_all(ALT_SCREEN_ON, strlen(ALT_SCREEN_ON));
	alt_on = 1;
	return 0;
}

static void on_signal(int sig)
{
	if (sig == SIGWINCH)
		resized = 1;
	else if (sig == SIGTSTP)
		suspend = 1;
	else
		quit = 1;
}

/* A crash must not leave the shell in raw mode either. */
static void on_fatal(int sig)
{
	restore_terminal();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void term_size(int *w, int *h)
{
	struct winsize ws;

	*w = 80;
	*h = 24;
	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col && ws.ws_row) {
		*w = ws.ws_col;
		*h = ws.ws_row;
	}
}

static void draw(const struct top_sample *cur, const struct top_sample *prev,
		 const struct top_view *view, char *frame)
{
	write_all(frame, top_render(cur, prev, view, frame, FRAME_BYTES));
}

/*
 * Wait until the next frame is due (deadline, CLOCK_MONOTONIC seconds),
 * drawing again on a resize. Returns true to go on, false to quit. The
 * signals are blocked except in ppoll(), so none is missed between the
 * checks and the wait.
 */
static bool wait_frame(double deadline, bool *keys, const sigset_t *waitmask,
		       const struct top_sample *cur, const struct top_sample *prev,
		       struct top_view *view, char *frame)
{
	for (;;) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		double left = deadline - mono_s();
		struct timespec ts;
		char c[64];
		ssize_t n, i;

		if (quit)
			return false;
		if (resized) {
			resized = 0;
			term_size(&view->width, &view->height);
			draw(cur, prev, view, frame);
		}
		if (suspend) {
			/* give the shell its terminal back while stopped */
			suspend = 0;
			restore_terminal();
			kill(getpid(), SIGSTOP);
			enter_terminal(*keys);
			term_size(&view->width, &view->height);
			draw(cur, prev, view, frame);
		}
		if (left <= 0)
			return true;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		if (ppoll(&pfd, *keys ? 1 : 0, &ts, waitmask) <= 0)
			continue;	/* a signal, or the time */
		n = read(STDIN_FILENO, c, sizeof(c));
		if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
			*keys = false;	/* stdin closed: signals only */
			continue;
		}
		for (i = 0; i < n; i++)
			if (c[i] == 'q' || c[i] == 'Q')
				return false;
	}
}

static int run_live(struct top *t, struct top_view *view)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP };
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
	struct sigaction sa = { .sa_handler = on_signal };
	struct top_sample s[2] = {};
	sigset_t block, waitmask;
	bool keys = isatty(STDIN_FILENO);
	char *frame = malloc(FRAME_BYTES);
	int cur = 0, err;
	size_t i;

	if (!frame) {
		fprintf(stderr, "scxtool top: out of memory\n");
		return SCXTOOL_EXIT_FAIL;
	}
	sigemptyset(&block);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaddset(&block, sigs[i]);
		sigaction(sigs[i], &sa, NULL);
	}
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigdelset(&waitmask, sigs[i]);
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		signal(fatal[i], on_fatal);

	if (keys && tcgetattr(STDIN_FILENO, &saved_tio))
		keys = false;
	atexit(restore_terminal);
	err = enter_terminal(keys);
	if (err) {
		restore_terminal();
		fprintf(stderr, "scxtool top: cannot set the terminal's mode: %s\n", strerror(-err));
		free(frame);
		return SCXTOOL_EXIT_FAIL;
	}
	view->ansi = true;
	view->keys = keys;
	term_size(&view->width, &view->height);
	collect(t, &s[cur]);
	for (;;) {
		draw(&s[cur], s[!cur].mono_s ? &s[!cur] : NULL, view, frame);
		if (!wait_frame(s[cur].mono_s + t->interval_s, &keys, &waitmask, &s[cur],
				s[!cur].mono_s ? &s[!cur] : NULL, view, frame))
			break;
		view->keys = keys;
		cur = !cur;
		top_sample_free(&s[cur]);
		collect(t, &s[cur]);
	}
	restore_terminal();
	top_sample_free(&s[0]);
	top_sample_free(&s[1]);
	free(frame);
	return 0;
}

int cmd_top(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "interval", required_argument, NULL, 'i' },
		{ "once", no_argument, NULL, '1' },
		{ "sysfs-root", required_argument, NULL, 'S' },
		{ "proc-root", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct top t = { .socket = SCX_STATS_DEFAULT_PATH, .interval_s = 1, .fd = -1,
			 .mopts = { .sz = sizeof(t.mopts) } };
	struct top_view view = { .socket = t.socket };
	struct scx_system_status st = { .sz = sizeof(st) };
	bool once = false;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			t.socket = optarg;
			break;
		case 'i':
			if (!scxtool_parse_seconds(optarg, &t.interval_s)) {
				fprintf(stderr, "scxtool top: --interval takes seconds above 0, not '%s'\n",
					optarg);
				top_usage(stderr);
				return SCXTOOL_EXIT_USAGE;
			}
			break;
		case '1':
			once = true;
			break;
		case 'S':
			t.mopts.sysfs_root = optarg;
			break;
		case 'P':
			t.mopts.procfs_root = optarg;
			break;
		case 'h':
			top_usage(stdout);
			return 0;
		default:
			top_usage(stderr);
			return SCXTOOL_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "scxtool top: unexpected argument '%s'\n", argv[optind]);
		top_usage(stderr);
		return SCXTOOL_EXIT_USAGE;
	}
	scxtool_set_verbose(false);
	if (scx_system__status(&st, &t.mopts) == -EOPNOTSUPP && !t.mopts.sysfs_root) {
		scxtool_need_sched_ext("top");
		return SCXTOOL_EXIT_FAIL;
	}
	t.req = scxtool_stats_request_line("top");
	if (!t.req) {
		fprintf(stderr, "scxtool top: out of memory\n");
		return SCXTOOL_EXIT_FAIL;
	}
	view.socket = t.socket;
	view.interval_s = t.interval_s;
	if (once || !isatty(STDOUT_FILENO)) {
		struct top_sample s;
		char *frame = malloc(FRAME_BYTES);

		ret = SCXTOOL_EXIT_FAIL;
		if (frame) {
			collect(&t, &s);
			top_render(&s, NULL, &view, frame, FRAME_BYTES);
			fputs(frame, stdout);
			ret = fflush(stdout) ? SCXTOOL_EXIT_FAIL : 0;
			top_sample_free(&s);
			free(frame);
		}
	} else {
		ret = run_live(&t, &view);
	}
	if (t.fd >= 0)
		close(t.fd);
	free(t.reply);
	free(t.req);
	return ret;
}
