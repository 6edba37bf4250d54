// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The attaching thread at SCHED_FIFO while the kernel enables a scheduler.
 *
 * The kernel switches every task to sched_ext from the thread that attaches,
 * that thread included. Kernels before upstream b06ccbabe (7.0 fixes, March
 * 2026; 6.16.x is one) run that loop in the attaching thread itself: once it
 * is on sched_ext, which ranks below the fair class, a fair task runnable on
 * its CPU keeps it off the CPU, and only it could switch that task. With
 * every CPU busy with fair work the loop stops until the kernel's watchdog
 * ejects the scheduler ("watchdog failed to check in"). A thread of the RT
 * class is never switched and outranks both, which is what later kernels do
 * with a kthread of their own; here the caller's thread is raised for the
 * length of the attach and then given back everything it had.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

static int get_attr(struct scx__sched_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	return syscall(SYS_sched_getattr, 0, a, sizeof(*a), 0) ? -errno : 0;
}

static int set_attr(struct scx__sched_attr *a)
{
	a->size = sizeof(*a);
	return syscall(SYS_sched_setattr, 0, a, 0) ? -errno : 0;
}

int scx__enable_boost(struct scx__sched_attr *saved)
{
	struct scx__sched_attr rt;
	int err;

	err = get_attr(saved);
	if (err)
		return err;
	switch (saved->sched_policy) {
	case SCHED_OTHER:
	case SCHED_BATCH:
	case SCHED_IDLE:
	case 7:		/* SCHED_EXT */
		break;
	default:	/* FIFO, RR, DEADLINE: already above the fair class */
		return 0;
	}
	rt = *saved;
	rt.sched_policy = SCHED_FIFO;
	rt.sched_priority = 1;
	rt.sched_nice = 0;
	/* keep reset-on-fork as it was; leave the utilization clamps alone */
	rt.sched_flags &= SCX__SCHED_FLAG_RESET_ON_FORK;
	err = set_attr(&rt);
	return err ? err : 1;
}

void scx__enable_unboost(struct scx__sched_attr *saved)
{
	struct scx__sched_attr back = *saved;
	int err;

	back.sched_flags &= SCX__SCHED_FLAG_RESET_ON_FORK;
	err = set_attr(&back);
	if (err)
		pr_warn("attach: cannot give this thread its scheduling policy %u (nice %d) back: %s\n",
			saved->sched_policy, saved->sched_nice, strerror(-err));
}
