// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the weighted-fairness arithmetic of scx/user.h that the user
 * samples share: scx_user_vclock__charge() moves the clock to a returning
 * task's vtime (a slice, or that run's charge when more, at most per task;
 * not for a task that used no time), floors a sleeper a slice behind the clock, charges CPU time over
 * weight and holds a light task's vtime (its weighted slice at the floor)
 * to lag_max slices ahead (4 when 0), so that a nice-19 task's turn comes
 * within a few slices, while heavier ones are charged exactly; and
 * scx_user__weighted_slice() scales the slice for light tasks only, down to
 * an eighth. NULL arguments leave the vtime as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <scx/user.h>

#define MS 1000000ULL

static struct scx_user_task task(__u64 vtime, __u64 runtime_ns, __u32 weight)
{
	return (struct scx_user_task){ .pid = 1, .vtime = vtime, .runtime_ns = runtime_ns,
				       .weight = weight };
}

static void charge_by_weight(void **state)
{
	struct scx_user_vclock c = { .slice_ns = 5 * MS };
	struct scx_user_task nice0 = task(0, 2 * MS, 100), heavy = task(0, 2 * MS, 400);

	(void)state;
	assert_int_equal(scx_user_vclock__charge(&c, &nice0, 0), 2 * MS);
	assert_int_equal(scx_user_vclock__charge(&c, &heavy, 0), MS / 2);
	/* weight 0 is read as 1, never a division by zero */
	nice0.weight = 0;
	assert_int_equal(scx_user_vclock__charge(&c, &nice0, 0), 4 * 5 * MS);
}

static void clock_moves_a_slice_at_most(void **state)
{
	struct scx_user_vclock c = { .now = 10 * MS, .slice_ns = 5 * MS };
	struct scx_user_task far = task(100 * MS, MS, 100), near = task(12 * MS, MS, 100);
	struct scx_user_task idle = task(200 * MS, 0, 100);

	(void)state;
	scx_user_vclock__charge(&c, &near, near.vtime);
	assert_int_equal(c.now, 12 * MS);
	scx_user_vclock__charge(&c, &far, far.vtime);
	assert_int_equal(c.now, 17 * MS);
	/* a task that used no CPU time did not have a turn: no move */
	scx_user_vclock__charge(&c, &idle, idle.vtime);
	assert_int_equal(c.now, 17 * MS);
	/* the clock never goes back */
	near.vtime = MS;
	scx_user_vclock__charge(&c, &near, near.vtime);
	assert_int_equal(c.now, 17 * MS);
}

static void sleeper_banks_one_slice(void **state)
{
	struct scx_user_vclock c = { .now = 100 * MS, .slice_ns = 5 * MS };
	struct scx_user_task sleeper = task(3 * MS, 0, 100);

	(void)state;
	assert_int_equal(scx_user_vclock__charge(&c, &sleeper, sleeper.vtime), 95 * MS);
	/* near the start of time the floor is 0, not a wrapped value */
	c.now = 2 * MS;
	assert_int_equal(scx_user_vclock__charge(&c, &sleeper, 0), 0);
}

static void light_task_lag_bounded(void **state)
{
	struct scx_user_vclock c = { .now = 100 * MS, .slice_ns = 5 * MS };
	struct scx_user_task nice19 = task(100 * MS, 5 * MS, 1);

	(void)state;
	/* charged 500 ms for 5 ms at weight 1, held to 4 slices ahead */
	assert_int_equal(scx_user_vclock__charge(&c, &nice19, 100 * MS), 120 * MS);
	c.lag_max = 2;
	assert_int_equal(scx_user_vclock__charge(&c, &nice19, 100 * MS), 110 * MS);
}

/* Only light tasks are bounded: nice 5 after a run four times its slice
 * (a late tick) is charged all of it, or its share would drift to nice 0's. */
static void heavier_task_charged_exactly(void **state)
{
	struct scx_user_vclock c = { .now = 100 * MS, .slice_ns = 5 * MS };
	struct scx_user_task nice5 = task(100 * MS, 20 * MS, 33);
	struct scx_user_task nice9 = task(100 * MS, 20 * MS, 12);

	(void)state;
	assert_int_equal(scx_user_vclock__charge(&c, &nice5, 100 * MS), 100 * MS + 20 * MS * 100 / 33);
	/* weight 12: a slice of 0.6 ms, below the 5/8 ms floor: light */
	assert_int_equal(scx_user_vclock__charge(&c, &nice9, 100 * MS), 120 * MS);
}

/* A lone nice-5 task whose runs last 13 ms against 5 ms slices: the clock
 * keeps up with it (one run's charge behind at most), so a task that wakes
 * beside it gets no more than a slice of credit. With the clock moving a
 * slice per record it fell 34 ms further behind at every run. */
static void clock_keeps_up_with_long_runs(void **state)
{
	struct scx_user_vclock c = { .slice_ns = 5 * MS };
	struct scx_user_task nice5 = task(0, 13 * MS, 33);
	__u64 vtime = 0;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		nice5.vtime = vtime;
		vtime = scx_user_vclock__charge(&c, &nice5, vtime);
	}
	assert_true(vtime > 1000 * 39 * MS);
	assert_true(vtime - c.now <= 13 * MS * 100 / 33);
}

static void weighted_slice(void **state)
{
	(void)state;
	assert_int_equal(scx_user__weighted_slice(5 * MS, 100), 5 * MS);
	assert_int_equal(scx_user__weighted_slice(5 * MS, 10000), 5 * MS);
	assert_int_equal(scx_user__weighted_slice(5 * MS, 50), 5 * MS / 2);
	assert_int_equal(scx_user__weighted_slice(5 * MS, 1), 5 * MS / 8);
	assert_int_equal(scx_user__weighted_slice(5 * MS, 0), 5 * MS / 8);
}

static void null_arguments(void **state)
{
	struct scx_user_vclock c = { .slice_ns = 5 * MS };
	struct scx_user_task t = task(0, MS, 100);

	(void)state;
	assert_int_equal(scx_user_vclock__charge(NULL, &t, 7), 7);
	assert_int_equal(scx_user_vclock__charge(&c, NULL, 7), 7);
	assert_int_equal(c.now, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(charge_by_weight),
		cmocka_unit_test(clock_moves_a_slice_at_most),
		cmocka_unit_test(sleeper_banks_one_slice),
		cmocka_unit_test(light_task_lag_bounded),
		cmocka_unit_test(heavier_task_charged_exactly),
		cmocka_unit_test(clock_keeps_up_with_long_runs),
		cmocka_unit_test(weighted_slice),
		cmocka_unit_test(null_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
