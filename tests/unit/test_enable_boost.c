// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_sched__attach() raises its thread to SCHED_FIFO for the
 * kernel's enable (boost.c) and then gives back exactly what it had: the
 * policy, the nice value and reset-on-fork. A thread already above the fair
 * class is left alone; without CAP_SYS_NICE nothing changes at all.
 */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmocka.h>

#include "internal.h"

static struct scx__sched_attr now(void)
{
	struct scx__sched_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	assert_int_equal(syscall(SYS_sched_getattr, 0, &a, sizeof(a), 0), 0);
	return a;
}

static void set(__u32 policy, __u32 prio, int nice, __u64 flags)
{
	struct scx__sched_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.sched_policy = policy;
	a.sched_priority = prio;
	a.sched_nice = nice;
	a.sched_flags = flags;
	assert_int_equal(syscall(SYS_sched_setattr, 0, &a, 0), 0);
}

static void raise_and_give_back(void **state)
{
	struct scx__sched_attr saved, a;
	int r;

	(void)state;
	if (geteuid() != 0) {
		/* no CAP_SYS_NICE: an error, and the thread as it was */
		a = now();
		assert_int_equal(scx__enable_boost(&saved), -EPERM);
		assert_int_equal(now().sched_policy, a.sched_policy);
		return;
	}
	set(SCHED_BATCH, 0, 7, SCX__SCHED_FLAG_RESET_ON_FORK);
	r = scx__enable_boost(&saved);
	assert_int_equal(r, 1);
	a = now();
	assert_int_equal(a.sched_policy, SCHED_FIFO);
	assert_int_equal(a.sched_priority, 1);
	assert_true(a.sched_flags & SCX__SCHED_FLAG_RESET_ON_FORK);
	scx__enable_unboost(&saved);
	a = now();
	assert_int_equal(a.sched_policy, SCHED_BATCH);
	assert_int_equal(a.sched_nice, 7);
	assert_int_equal(a.sched_priority, 0);
	assert_true(a.sched_flags & SCX__SCHED_FLAG_RESET_ON_FORK);
	assert_int_equal(getpriority(PRIO_PROCESS, 0), 7);
	set(SCHED_OTHER, 0, 0, 0);
}

static void rt_left_alone(void **state)
{
	struct scx__sched_attr saved, a;

	(void)state;
	if (geteuid() != 0)
		skip();	/* cannot become RT to begin with */
	set(SCHED_RR, 5, 0, 0);
	assert_int_equal(scx__enable_boost(&saved), 0);
	a = now();
	assert_int_equal(a.sched_policy, SCHED_RR);
	assert_int_equal(a.sched_priority, 5);
	set(SCHED_OTHER, 0, 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(raise_and_give_back),
		cmocka_unit_test(rt_left_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
