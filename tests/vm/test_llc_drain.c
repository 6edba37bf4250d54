// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: a backlog in one LLC is drained by the others, and tasks
 * restricted to a CPU or a node stay where they may run. On a guest with
 * several LLCs and nodes (tools/scx-vm --shape 2s2n-smt; tests/vm/guests
 * gives it one), for the samples that queue per LLC (vtime, interactive) and
 * per CPU (percpu), each loaded through libscx (which fills the topology maps):
 * twice as many CPU hogs as CPU 1's LLC has CPUs start pinned to that LLC,
 * so they queue there, then are allowed everywhere. A hog that is queued
 * only runs elsewhere if an idle CPU of another LLC takes it from that LLC's
 * queue, which an idle CPU does only when something wakes it: the test
 * waits (polling, deadline 60 s) until every hog sits on a CPU of its own
 * (the CPU /proc/PID/stat names: where it runs or is queued). Meanwhile a
 * hog pinned to CPU 0 and one restricted to the last node are checked at
 * every poll to be on a CPU they may use, and the scheduler must not exit.
 * Queues that other LLCs do not steal from keep the backlog on the first
 * LLC, and the test fails at the deadline (checked with interactive taking
 * only from its own LLC's queue). How fast the backlog drains is not
 * measured here: an idle CPU also looks at the queues whenever something
 * else wakes it, so even a scheduler that never wakes one drains it in the
 * end (interactive's earlier single queue passed in 14 s against 6 s).
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>
#include <scx/topology.h>
#include "testlib.h"

#define MAX_HOGS 64

static struct scx_sched *s;
static struct scx_topology *topo;
static pid_t hogs[MAX_HOGS], pinned = -1, in_node = -1;
static int nr_hogs;

static void stop_all(void)
{
	while (nr_hogs > 0)
		t_kill(hogs[--nr_hogs]);
	if (pinned > 0)
		t_kill(pinned);
	if (in_node > 0)
		t_kill(in_node);
	pinned = in_node = -1;
}

static void cleanup(void)
{
	stop_all();
	scx_sched__destroy(s);
	s = NULL;
}

static void domain_of(int cpu, enum scx_topo_level level, cpu_set_t *set)
{
	t_domain_of(topo, cpu, level, set);
}

/* A hog allowed on set, waited for until it runs on sched_ext. */
static pid_t hog_on(const cpu_set_t *set)
{
	pid_t pid = t_spawn_spinner(-1, 0);

	T_ASSERT(pid > 0, "fork");
	T_ASSERT(!sched_setaffinity(pid, sizeof(*set), set), "setaffinity: %s", strerror(errno));
	T_ASSERT(t_wait_on_scx(pid, 1, 10000), "hog %d not on sched_ext", pid);
	return pid;
}

static void run(const char *obj)
{
	cpu_set_t llc, node, all, zero, seen;
	int last_node_cpu, c, i, on_own = 0, outside = 0, bad = 0, ncpu;
	long long end;

	printf("# %s\n", obj);
	s = t_attach_file(obj);

	ncpu = scx_topology__nr_cpu_ids(topo);
	domain_of(1, SCX_TOPO_LLC, &llc);
	CPU_ZERO(&all);
	for (c = 0; c < ncpu; c++)
		CPU_SET(c, &all);
	CPU_ZERO(&zero);
	CPU_SET(0, &zero);
	last_node_cpu = ncpu - 1;
	domain_of(last_node_cpu, SCX_TOPO_NODE, &node);

	/* the backlog: 2 hogs per CPU of the LLC, queued there */
	for (i = 0; i < 2 * CPU_COUNT(&llc) && nr_hogs < MAX_HOGS; i++)
		hogs[nr_hogs++] = hog_on(&llc);
	pinned = hog_on(&zero);
	in_node = hog_on(&node);
	for (i = 0; i < nr_hogs; i++)
		T_ASSERT(!sched_setaffinity(hogs[i], sizeof(all), &all), "widen: %s", strerror(errno));

	end = t_now_ms() + T_WAIT_MIN_MS;
	do {
		CPU_ZERO(&seen);
		on_own = outside = 0;
		c = t_task_cpu(pinned);
		if (c != 0) {
			printf("# the hog pinned to CPU 0 is on CPU %d\n", c);
			bad++;
		}
		c = t_task_cpu(in_node);
		if (c < 0 || !CPU_ISSET(c, &node)) {
			printf("# the hog restricted to node of CPU %d is on CPU %d\n", last_node_cpu, c);
			bad++;
		}
		CPU_SET(0, &seen);
		CPU_SET(t_task_cpu(in_node) >= 0 ? t_task_cpu(in_node) : 0, &seen);
		for (i = 0; i < nr_hogs; i++) {
			c = t_task_cpu(hogs[i]);
			if (c < 0)
				continue;
			if (!CPU_ISSET(c, &seen))
				on_own++;
			CPU_SET(c, &seen);
			if (!CPU_ISSET(c, &llc))
				outside++;
		}
		if (on_own == nr_hogs || bad || scx_sched__exited(s))
			break;
		usleep(20000);
	} while (t_now_ms() < end);
	printf("# %d hogs from an LLC of %d CPUs: %d on a CPU of their own, %d outside that LLC\n",
	       nr_hogs, CPU_COUNT(&llc), on_own, outside);
	T_EXPECT(!bad, "a restricted hog ran where it may not");
	T_EXPECT(on_own == nr_hogs, "%d of %d hogs share a CPU after %d s: the backlog was not drained",
		 nr_hogs - on_own, nr_hogs, T_WAIT_MIN_MS / 1000);
	T_ASSERT(!scx_sched__exited(s), "the scheduler exited");
	stop_all();
	scx_sched__destroy(s);
	s = NULL;
	T_ASSERT(t_wait_state("disabled", 10000), "not disabled");
}

int main(void)
{
	cpu_set_t llc;

	t_require_sched_ext();
	t_on_fail(cleanup);
	topo = scx_topology__open(NULL);
	T_ASSERT(topo, "topology: %s", strerror(errno));
	domain_of(1, SCX_TOPO_LLC, &llc);
	if (scx_topology__nr_llcs(topo) < 2 || scx_topology__nr_nodes(topo) < 2 ||
	    CPU_COUNT(&llc) * 4 > scx_topology__nr_cpu_ids(topo)) {
		printf("needs 2+ nodes and an LLC holding at most a quarter of the CPUs "
		       "(scx-vm --shape 2s2n-smt)\n");
		return T_SKIP;
	}
	run("sample_vtime.bpf.o");
	run("sample_interactive.bpf.o");
	run("sample_percpu.bpf.o");
	scx_topology__free(topo);
	if (t_failures) {
		printf("FAIL: %d check(s) failed\n", t_failures);
		return T_FAIL;
	}
	return T_PASS;
}
