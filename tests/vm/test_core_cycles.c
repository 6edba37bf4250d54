// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: 1000 attach/detach cycles leave the process's fd count and RSS
 * flat. Every tenth cycle also destroys the handle and opens and loads the
 * object again, so the whole open/load/attach/detach/destroy path runs 100
 * times too (a load is a verifier run: 1000 of them would take too long
 * under emulation). (Kernel selftest parity: reload_loop.)
 */
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>
#include "parity_util.h"

#define CYCLES		1000
#define WARMUP		20
#define RELOAD_EVERY	10

static struct scx_sched *s;
static long long load_ms;	/* time spent in open + load */

static void cleanup(void)
{
	scx_sched__destroy(s);
}

static void cycle(int i)
{
	if (i % RELOAD_EVERY == 0) {
		long long t0 = t_now_ms();

		scx_sched__destroy(s);
		s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
		T_ASSERT(s, "open %d", i);
		T_ASSERT(!scx_sched__load(s), "load %d", i);
		load_ms += t_now_ms() - t0;
	}
	T_ASSERT(!scx_sched__attach(s), "attach %d: %s", i, strerror(errno));
	T_ASSERT(scx_sched__fd(s) >= 0, "fd %d", i);
	T_ASSERT(!scx_sched__detach(s), "detach %d", i);
	T_ASSERT(scx_exit_info__kind(scx_sched__exit_info(s)) == SCX_EXIT_UNREG, "kind %d", i);
}

int main(void)
{
	int fds0, fds1, i;
	long rss0, rss1;
	long long t0 = t_now_ms(), t1;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);
	/* warm up: libbpf and libc allocate caches once */
	for (i = 0; i < WARMUP; i++)
		cycle(i);
	scx_sched__destroy(s);
	s = NULL;
	fds0 = p_nr_fds();
	rss0 = p_rss_kb();
	t1 = t_now_ms();
	for (; i < CYCLES; i++) {
		cycle(i);
		/* the log buffer is fixed-size; keep the RSS about libscx */
		t_log_clear();
	}
	scx_sched__destroy(s);
	s = NULL;
	fds1 = p_nr_fds();
	rss1 = p_rss_kb();
	t_log("%d cycles in %lld ms (%lld ms after warm-up, %lld ms of it in open+load); "
	      "fds %d -> %d; RSS %ld -> %ld kB", CYCLES, t_now_ms() - t0, t_now_ms() - t1, load_ms,
	      fds0, fds1, rss0, rss1);
	T_ASSERT(fds1 == fds0, "fd leak: %d -> %d", fds0, fds1);
	/* 980 cycles: a leak of even 1 kB per cycle would show as ~1 MB */
	T_ASSERT(rss1 - rss0 < 1024, "RSS grew %ld kB", rss1 - rss0);
	return T_PASS;
}
