// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_sched__run() leaves signals alone unless asked
 * (handle_signals). Without it, SIGINT and SIGTERM keep the application's
 * dispositions while it runs; with it, SIGINT stops the scheduler, but a
 * signal the application ignores stays ignored and one it handles stays its
 * own; every disposition is as before once run() returns.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

static struct scx_sched *s;
static volatile sig_atomic_t app_got;

static void app_handler(int sig)
{
	app_got = sig;
}

static void cleanup(void)
{
	scx_sched__destroy(s);
}

static void (*disposition(int sig))(int)
{
	struct sigaction sa;

	sigaction(sig, NULL, &sa);
	return sa.sa_handler;
}

/* Checked from inside run(); a non-zero return stops the scheduler. */
static int during(struct scx_sched *sched, void *ctx)
{
	int *phase = ctx;

	(void)sched;
	switch (*phase) {
	case 0:	/* not asked: both as the application left them */
		if (disposition(SIGINT) != SIG_DFL || disposition(SIGTERM) != app_handler)
			_exit(10);
		return 1;
	case 1:	/* asked: ours for SIGINT, SIGTERM (ignored) untouched */
		if (disposition(SIGINT) == SIG_DFL || disposition(SIGTERM) != SIG_IGN)
			_exit(11);
		raise(SIGTERM);		/* ignored: must not stop it */
		*phase = 2;
		return 0;
	case 2:
		raise(SIGINT);		/* stops it */
		*phase = 3;
		return 0;
	case 4:	/* asked, but SIGINT is the application's: left alone */
		if (disposition(SIGINT) != app_handler)
			_exit(12);
		return 1;
	}
	return 0;
}

static int run_once(int *phase, bool handle)
{
	SCX_OPTS(scx_run_opts, ro, .stats_fn = during, .stats_interval_ms = 50, .ctx = phase,
		 .handle_signals = handle);
	int kind;

	s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
	T_ASSERT(s, "open");
	kind = scx_sched__run(s, &ro);
	scx_sched__destroy(s);
	s = NULL;
	return kind;
}

int main(void)
{
	int phase = 0, kind;

	t_require_sched_ext();
	t_on_fail(cleanup);

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, app_handler);
	kind = run_once(&phase, false);
	T_ASSERT(kind == SCX_EXIT_UNREG, "run (not asked) returned %d", kind);
	T_ASSERT(disposition(SIGINT) == SIG_DFL && disposition(SIGTERM) == app_handler,
		 "dispositions changed by run() without handle_signals");

	signal(SIGTERM, SIG_IGN);
	phase = 1;
	kind = run_once(&phase, true);
	T_ASSERT(phase == 3, "stopped in phase %d (the ignored SIGTERM stopped it?)", phase);
	T_ASSERT(kind == SCX_EXIT_UNREG, "run (asked) returned %d", kind);
	T_ASSERT(disposition(SIGINT) == SIG_DFL && disposition(SIGTERM) == SIG_IGN,
		 "dispositions not restored");
	T_ASSERT(!app_got, "the application's handler ran");

	signal(SIGINT, app_handler);
	phase = 4;
	kind = run_once(&phase, true);
	T_ASSERT(kind == SCX_EXIT_UNREG, "run (own SIGINT handler) returned %d", kind);
	T_ASSERT(disposition(SIGINT) == app_handler, "the application's SIGINT handler was replaced");
	signal(SIGINT, SIG_DFL);
	T_ASSERT(t_wait_state("disabled", 10000), "not disabled");
	return T_PASS;
}
