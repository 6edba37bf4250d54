// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_sched__load() leaves libbpf's print callback alone. The
 * application's own callback, installed before the load, receives libbpf's
 * messages while a load runs, both for a load that succeeds and for one the
 * verifier refuses; libscx still reports the refused program's verifier log
 * through its own callback, naming the program, and libbpf does not print
 * that log a second time.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <scx/scx.h>
#include "testlib.h"

static struct scx_sched *s;
static char bpf_log[1 << 16];
static size_t bpf_len;
static int bpf_msgs;

static int app_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int n = vsnprintf(bpf_log + bpf_len, sizeof(bpf_log) - bpf_len, fmt, ap);

	bpf_msgs++;
	if (n > 0)
		bpf_len += (size_t)n < sizeof(bpf_log) - bpf_len ? (size_t)n : sizeof(bpf_log) - 1 - bpf_len;
	return n;
}

static void bpf_clear(void)
{
	bpf_log[0] = '\0';
	bpf_len = 0;
	bpf_msgs = 0;
}

static void cleanup(void)
{
	scx_sched__destroy(s);
}

int main(void)
{
	int err;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);
	libbpf_set_print(app_libbpf_print);

	/* a load that succeeds: libbpf's debug messages reach the app */
	s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
	T_ASSERT(s, "open raw_fifo");
	bpf_clear();
	err = scx_sched__load(s);
	T_ASSERT(!err, "load raw_fifo: %d", err);
	T_ASSERT(bpf_msgs > 0 && strstr(bpf_log, "created successfully"),
		 "the application's libbpf callback got %d messages during a successful load", bpf_msgs);
	T_ASSERT(libbpf_set_print(app_libbpf_print) == app_libbpf_print, "callback replaced");
	scx_sched__destroy(s);

	/* a verifier rejection */
	s = scx_sched__open_file(t_path("raw_reject.bpf.o"), NULL);
	T_ASSERT(s, "open raw_reject");
	bpf_clear();
	t_log_clear();
	err = scx_sched__load(s);
	T_ASSERT(err < 0 && errno == -err, "load gave %d", err);
	t_log("libbpf said (%d messages): %.300s", bpf_msgs, bpf_log);
	T_ASSERT(strstr(bpf_log, "reject_enqueue") && strstr(bpf_log, "failed to load"),
		 "libbpf's own warnings did not reach the application's callback");
	T_ASSERT(!strstr(bpf_log, "BEGIN PROG LOAD LOG"), "libbpf printed the verifier log too");
	T_ASSERT(t_log_has("the kernel refused the scheduler"), "no summary line");
	T_ASSERT(t_log_has("verifier log of program 'reject_enqueue'"), "program not named");
	T_ASSERT(t_log_has("processed ") || t_log_has("R"), "no verifier lines in libscx's log");
	T_ASSERT(libbpf_set_print(NULL) == app_libbpf_print, "callback replaced");
	cleanup();
	return T_PASS;
}
