// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_system__status() on a fake /sys/kernel/sched_ext: it
 * reports how much of the caller's struct it filled, fills no more than the
 * caller's sz (a caller built against an older header) and zeroes what it
 * does not know (a caller built against a newer one).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <scx/monitor.h>

#include "faketree.h"

static struct faketree ft;

static int setup(void **state)
{
	if (ft_init(&ft) ||
	    ft_write(&ft, "kernel/sched_ext/state", "enabled\n") ||
	    ft_write(&ft, "kernel/sched_ext/root/ops", "simple\n") ||
	    ft_write(&ft, "kernel/sched_ext/switch_all", "1\n") ||
	    ft_write(&ft, "kernel/sched_ext/enable_seq", "3\n") ||
	    ft_write(&ft, "kernel/sched_ext/nr_rejected", "0\n") ||
	    ft_write(&ft, "kernel/sched_ext/hotplug_seq", "5\n"))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	ft_cleanup(&ft);
	return 0;
}

static void test_status_full(void **state)
{
	SCX_OPTS(scx_monitor_opts, opts, .sysfs_root = ft.root);
	struct scx_system_status st = { .sz = sizeof(st) };

	assert_int_equal(scx_system__status(&st, &opts), (int)sizeof(st));
	assert_string_equal(st.state, "enabled");
	assert_string_equal(st.ops, "simple");
	assert_true(st.switch_all);
	assert_int_equal(st.enable_seq, 3);
	assert_int_equal(st.hotplug_seq, 5);
}

/* An older caller's struct ends after ops: nothing beyond it is written. */
static void test_status_older_caller(void **state)
{
	SCX_OPTS(scx_monitor_opts, opts, .sysfs_root = ft.root);
	struct scx_system_status st;
	size_t old_sz = offsetof(struct scx_system_status, switch_all);
	unsigned char *p = (unsigned char *)&st;
	size_t i;

	memset(&st, 0xa5, sizeof(st));
	st.sz = old_sz;
	assert_int_equal(scx_system__status(&st, &opts), (int)old_sz);
	assert_string_equal(st.ops, "simple");
	for (i = old_sz; i < sizeof(st); i++)
		assert_int_equal(p[i], 0xa5);
}

/* A newer caller's members after today's struct read as zero. */
static void test_status_newer_caller(void **state)
{
	SCX_OPTS(scx_monitor_opts, opts, .sysfs_root = ft.root);
	struct {
		struct scx_system_status st;
		unsigned char newer[24];
	} big;
	size_t i;

	memset(&big, 0xa5, sizeof(big));
	big.st.sz = sizeof(big);
	assert_int_equal(scx_system__status(&big.st, &opts), (int)sizeof(big.st));
	assert_int_equal(big.st.sz, sizeof(big));
	assert_int_equal(big.st.nr_rejected, 0);
	for (i = 0; i < sizeof(big.newer); i++)
		assert_int_equal(big.newer[i], 0);

	big.st.sz = offsetof(struct scx_system_status, state);
	assert_int_equal(scx_system__status(&big.st, &opts), -EINVAL);
	assert_int_equal(errno, EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_full),
		cmocka_unit_test(test_status_older_caller),
		cmocka_unit_test(test_status_newer_caller),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
