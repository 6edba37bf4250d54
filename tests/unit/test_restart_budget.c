// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the restart budget of scx_sched__run() is a rate limit over
 * time (libscx's scx_ratelimit, systemd's StartLimitBurst= within
 * StartLimitIntervalSec=), not a count over the life of the process: a
 * burst beyond the limit inside one window is refused, and a daemon that
 * sees a hotplug now and then (many more than the burst over its life)
 * never runs out. Times are passed in, so nothing here depends on a clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "internal.h"

static void burst_in_one_window(void **state)
{
	struct scx_ratelimit rl;
	int i;

	(void)state;
	scx__ratelimit_init(&rl, 3, 1000);
	for (i = 0; i < 3; i++)
		assert_true(scx__ratelimit_take(&rl, 5000 + i * 100));
	assert_false(scx__ratelimit_take(&rl, 5300));
	assert_false(scx__ratelimit_take(&rl, 5999));
	/* the window that began at 5000 is over: a new one begins */
	assert_true(scx__ratelimit_take(&rl, 6000));
}

static void trickle_never_runs_out(void **state)
{
	struct scx_ratelimit rl;
	long long t = 1000;
	int i;

	(void)state;
	scx__ratelimit_init(&rl, 16, 60000);
	/* 200 hotplug restarts, one every 5 s: 12 per minute at most */
	for (i = 0; i < 200; i++, t += 5000)
		assert_true(scx__ratelimit_take(&rl, t));
}

static void zero_burst_refuses(void **state)
{
	struct scx_ratelimit rl;

	(void)state;
	scx__ratelimit_init(&rl, 0, 60000);
	assert_false(scx__ratelimit_take(&rl, 0));
	assert_false(scx__ratelimit_take(&rl, 1000000));
}

static void clock_moves(void **state)
{
	long long a = scx__now_ms(), b = scx__now_ms();

	(void)state;
	assert_true(a > 0);
	assert_true(b >= a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(burst_in_one_window),
		cmocka_unit_test(trickle_never_runs_out),
		cmocka_unit_test(zero_burst_refuses),
		cmocka_unit_test(clock_moves),
	};

	return cmocka_run_group_tests_name("restart_budget", tests, NULL, NULL);
}
