// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_sched__run()'s prepare_fn (after open) and loaded_fn
 * (after load) run on the first start and again on every restart, each time
 * with the machine as it is then, and ops.init() sees what they set: after
 * cpu1 goes offline the restarted scheduler's init sees one CPU fewer in the
 * global prepare_fn set, in the topology maps libscx filled by itself, and in
 * the map loaded_fn filled. (Before, a restart replayed the globals recorded
 * before the hotplug and left the topology maps empty.)
 */
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <scx/scx.h>
#include "testlib.h"

static pid_t child;

static void cleanup(void)
{
	t_set_online_quiet(1, true);
	t_kill(child);
}

struct seen {
	int prepares, loadeds;
	__u32 online;
};

static int prepare(struct scx_sched *s, const struct scx_topology *topo, void *ctx)
{
	struct seen *seen = ctx;

	seen->prepares++;
	seen->online = scx_topology__nr_online(topo);
	printf("  prepare %d: %u CPUs online\n", seen->prepares, seen->online);
	return scx_sched__set_global(s, "online_at_prepare", &seen->online, sizeof(seen->online));
}

static int loaded(struct scx_sched *s, const struct scx_topology *topo, void *ctx)
{
	struct seen *seen = ctx;
	struct bpf_map *map = bpf_object__find_map_by_name(scx_sched__object(s), "loaded_value");
	__u32 zero = 0, v = scx_topology__nr_online(topo) * 10;

	seen->loadeds++;
	if (!map || bpf_map_update_elem(bpf_map__fd(map), &zero, &v, 0))
		return -ENOENT;
	return 0;
}

/* What ops.init() saw, from the running scheduler's .bss. */
static bool init_saw(struct scx_sched *s, __u32 online)
{
	__u32 p = 0, t = 0, l = 0;

	scx_sched__get_global(s, "init_saw_prepare", &p, sizeof(p));
	scx_sched__get_global(s, "init_saw_topo_online", &t, sizeof(t));
	scx_sched__get_global(s, "init_saw_loaded", &l, sizeof(l));
	printf("  init saw: prepare %u, topology %u, loaded %u (want %u, %u, %u)\n", p, t, l,
	       online, online, online * 10);
	return p == online && t == online && l == online * 10;
}

static int restarted;
static int report[2];	/* the supervisor writes a byte per start checked */

static void on_restart(struct scx_sched *s, const struct scx_exit_info *ei, void *ctx)
{
	(void)s;
	(void)ei;
	(void)ctx;
	restarted++;
}

static int stats(struct scx_sched *s, void *ctx)
{
	struct seen *seen = ctx;
	static int checked = -1;

	/* check each start once, from the supervisor's own loop */
	if (checked != restarted) {
		checked = restarted;
		if (!init_saw(s, seen->online))
			_exit(4);
		printf("  start %d checked\n", restarted);
		fflush(stdout);
		(void)!write(report[1], "c", 1);
	}
	return 0;
}

/* Wait for the supervisor to have checked one more start. */
static bool checked_one(void)
{
	struct pollfd pfd = { .fd = report[0], .events = POLLIN };
	char c;

	return poll(&pfd, 1, 120000) == 1 && read(report[0], &c, 1) == 1;
}

int main(void)
{
	long long seq;
	int status;

	t_require_sched_ext();
	t_on_fail(cleanup);
	setvbuf(stdout, NULL, _IOLBF, 0);
	T_ASSERT(!pipe(report), "pipe");
	child = fork();
	if (child == 0) {
		static struct seen seen;
		SCX_OPTS(scx_run_opts, ro, .prepare_fn = prepare, .loaded_fn = loaded,
			 .restart_fn = on_restart, .stats_fn = stats, .stats_interval_ms = 100,
			 .ctx = &seen, .handle_signals = true);
		struct scx_sched *s = scx_sched__open_file(t_path("prepare_hooks.bpf.o"), NULL);
		int kind = s ? scx_sched__run(s, &ro) : -1;

		printf("  run returned %d after %u restarts; %d prepares, %d loaded\n", kind,
		       scx_sched__restarts(s), seen.prepares, seen.loadeds);
		_exit(kind == SCX_EXIT_UNREG && scx_sched__restarts(s) == 1 && seen.prepares == 2 &&
		      seen.loadeds == 2 ? 0 : 1);
	}
	close(report[1]);
	T_ASSERT(t_wait_state("enabled", 20000), "never enabled");
	T_ASSERT(checked_one(), "the first start was not checked");
	seq = t_enable_seq();
	t_set_online(1, false);
	T_ASSERT(t_wait_enabled_after(seq, 0), "no restart after cpu1 went offline");
	T_ASSERT(checked_one(), "the restarted scheduler was not checked");
	kill(child, SIGINT);
	T_ASSERT(waitpid(child, &status, 0) == child, "waitpid");
	child = 0;
	cleanup();
	T_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "supervisor status %#x", status);
	T_ASSERT(t_wait_state("disabled", 10000), "not disabled after SIGINT");
	return T_PASS;
}
