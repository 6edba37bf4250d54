// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * history: CPU time shared among processes, not threads, with processes
 * that have been interactive served first. A policy that needs memory
 * of its own, which is where user space is comfortable.
 *
 * Each process (tgid) has an entry in a hash table: a vtime that advances
 * by the CPU time any of its threads uses, divided by the thread's weight,
 * so a process with 64 threads gets no more than one with a single thread;
 * and its typical burst, a moving average of how long its threads run
 * between sleeps. A task's turn (the vtime order of the shared queue) is its
 * process's vtime plus that typical burst: a process whose threads run a
 * few hundred microseconds and sleep (a shell, an editor, a compositor)
 * goes ahead of one that computes for whole slices, from its first new
 * thread on, because the history belongs to the process.
 *
 * The table is preallocated: nothing is allocated once the scheduler runs
 * (scx/user.h's rules). An entry not seen for a while is reused. A wakeup
 * that finds an idle CPU runs there without asking (direct_idle; -a turns
 * that off); the CPU time it uses reaches the table at its next turn.
 */
#include <string.h>
#include <scx/scx.h>

#include "history.skel.h"

#define BATCH		64
#define TABLE_SIZE	8192		/* a power of 2: processes remembered */
#define PROBES		16

struct proc {
	int tgid;			/* 0: free */
	__u64 vtime;
	__u64 burst_ns;			/* typical CPU time between sleeps */
	__u64 seen_ns;
};

static struct proc table[TABLE_SIZE];
/* how far the queue has got (scx/user.h: lag and banking bounded) */
static struct scx_user_vclock vclock;

/* tgid's entry; if new, the probe's least recently seen slot is taken */
static struct proc *lookup(int tgid, __u64 now)
{
	unsigned int h = (unsigned int)tgid * 2654435761u, i;
	struct proc *oldest = NULL;

	for (i = 0; i < PROBES; i++) {
		struct proc *p = &table[(h + i) & (TABLE_SIZE - 1)];

		if (p->tgid == tgid)
			return p;
		if (!oldest || p->seen_ns < oldest->seen_ns)
			oldest = p;
	}
	*oldest = (struct proc){ .tgid = tgid, .vtime = vclock.now, .burst_ns = vclock.slice_ns / 2 };
	oldest->seen_ns = now;
	return oldest;
}

static int schedule(struct scx_user *u, void *ctx)
{
	struct scx_user_task tasks[BATCH];
	bool idle_left = true;
	int i, n = scx_user__receive(u, tasks, BATCH, 0);

	vclock.slice_ns = scx_user__slice_ns(u);	/* -s sets it */
	for (i = 0; i < n; i++) {
		const struct scx_user_task *t = &tasks[i];
		struct proc *p = lookup(t->tgid, t->enq_ns);
		struct scx_user_dispatch d = {
			.pid = t->pid, .seq = t->seq, .cpu = SCX_USER_CPU_ANY,
			.slice_ns = scx_user__weighted_slice(vclock.slice_ns, t->weight),
		};

		p->seen_ns = t->enq_ns;
		/* the thread's CPU time is charged to its process */
		p->vtime = scx_user_vclock__charge(&vclock, t, p->vtime);
		/* a wakeup ends a burst: fold it into the process's average */
		if (t->enq_flags & SCX_USER_ENQ_WAKEUP)
			p->burst_ns = (3 * p->burst_ns + t->burst_ns) / 4;
		d.vtime = p->vtime + (p->burst_ns < vclock.slice_ns ? p->burst_ns : vclock.slice_ns);
		if (idle_left) {
			int cpu = scx_user__pick_idle_cpu(u, t);

			if (cpu >= 0)
				d.cpu = cpu;
			else
				idle_left = false;
		}
		if (scx_user__dispatch(u, &d) == -EINVAL)
			return -EINVAL;
	}
	return n < 0 ? n : 0;
}

int main(int argc, char **argv)
{
	size_t size;
	const void *obj = history__elf_bytes(&size);
	SCX_OPTS(scx_user_opts, user, .schedule_fn = schedule, .direct_idle = true);
	SCX_OPTS(scx_cli_opts, opts, .name = "history", .obj_buf = obj, .obj_size = size,
		 .summary = "Share the CPUs among processes, interactive ones first, "
			    "decided in this process.\n",
		 .user = &user);

	return scx_cli__main(argc, argv, &opts);
}
