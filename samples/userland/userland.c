// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * userland: weighted fair sharing (vtime) decided in user space, the
 * tutorial of libscx's user-space scheduling runtime (scx/user.h).
 *
 * schedule() is the whole policy. Each task that wants a CPU arrives as a
 * record with the CPU time it used since its last turn and its weight; its
 * vtime advances by that time divided by its weight, and a task that slept
 * may bank at most one slice (scx_user_vclock__charge()). A task goes to
 * an idle CPU when the kernel has one, else to the queue every CPU takes
 * from, in vtime order: the task furthest behind runs first, so CPU time is
 * shared in proportion to weight. Light tasks run shorter slices and may
 * not get far ahead, so they are not starved. A wakeup that finds an idle
 * CPU runs there without asking (direct_idle; -a turns that off): there is
 * nothing to decide while CPUs are free, and the time it runs is charged
 * at its next turn here.
 */
#include <scx/scx.h>

#include "userland.skel.h"

#define BATCH 64

/* how far the queue has got: a light task gets 4 slices ahead at most */
static struct scx_user_vclock vclock;

static int schedule(struct scx_user *u, void *ctx)
{
	struct scx_user_task tasks[BATCH];
	bool idle_left = true;	/* stop asking once no CPU is idle */
	int i, n = scx_user__receive(u, tasks, BATCH, 0);

	vclock.slice_ns = scx_user__slice_ns(u);	/* -s sets it */
	for (i = 0; i < n; i++) {
		const struct scx_user_task *t = &tasks[i];
		struct scx_user_dispatch d = {
			.pid = t->pid, .seq = t->seq, .cpu = SCX_USER_CPU_ANY,
			.slice_ns = scx_user__weighted_slice(vclock.slice_ns, t->weight),
			.vtime = scx_user_vclock__charge(&vclock, t, t->vtime),
		};

		if (idle_left) {
			int cpu = scx_user__pick_idle_cpu(u, t);

			if (cpu >= 0)
				d.cpu = cpu;
			else
				idle_left = false;
		}
		/* a full ring empties as CPUs look for work: the task is
		 * still parked, and BPF takes it if the ring stays full */
		if (scx_user__dispatch(u, &d) == -EINVAL)
			return -EINVAL;
	}
	return n < 0 ? n : 0;
}

int main(int argc, char **argv)
{
	size_t size;
	const void *obj = userland__elf_bytes(&size);
	SCX_OPTS(scx_user_opts, user, .schedule_fn = schedule, .direct_idle = true);
	SCX_OPTS(scx_cli_opts, opts, .name = "userland", .obj_buf = obj, .obj_size = size,
		 .summary = "Run a weighted fair scheduler whose policy runs in this process.\n",
		 .user = &user);

	return scx_cli__main(argc, argv, &opts);
}
