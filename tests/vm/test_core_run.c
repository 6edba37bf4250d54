// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_sched__run() calls the stats callback on its interval and
 * stops when it returns non-zero; SIGTERM stops it cleanly; a scheduler
 * ejected by the kernel makes it return the error kind; a skeleton-style
 * object wrapped with scx_sched__from_object() runs and stays the caller's.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <scx/scx.h>
#include "testlib.h"

static int calls;
static long long t0, at[4];

static int stats(struct scx_sched *s, void *ctx)
{
	__u64 n = 0;

	at[calls] = t_now_ms();
	scx_sched__read_counter(s, "nr_enqueued", &n);
	t_log("stats call %d: nr_enqueued=%llu", calls, (unsigned long long)n);
	return ++calls == 4;
}

int main(void)
{
	struct bpf_object *obj;
	struct scx_sched *s;
	int kind, status, v = 20;
	pid_t child;

	t_require_sched_ext();
	t_capture_log();

	/* stats callback and its interval */
	{
		SCX_OPTS(scx_run_opts, ro, .stats_interval_ms = 300, .stats_fn = stats);

		s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
		T_ASSERT(s, "open");
		t0 = t_now_ms();
		kind = scx_sched__run(s, &ro);
		T_ASSERT(kind == SCX_EXIT_UNREG, "run returned %d", kind);
		T_ASSERT(calls == 4, "%d calls", calls);
		t_log("4 calls over %lld ms", at[3] - at[0]);
		/*
		 * Call i is due (i + 1) intervals after run() started: a loaded
		 * VM may call later, never sooner (10 ms of slack for clock
		 * granularity). The upper bound only catches a wrong unit
		 * (seconds for ms: 1200 s).
		 */
		for (int i = 0; i < 4; i++)
			T_ASSERT(at[i] - t0 >= (i + 1) * 300 - 10, "call %d after %lld ms, due at %d",
				 i, at[i] - t0, (i + 1) * 300);
		T_ASSERT(at[3] - t0 < 60000, "4 intervals of 300 ms took %lld ms", at[3] - t0);
		T_ASSERT(t_wait_state("disabled", 2000), "still enabled");
		scx_sched__destroy(s);
	}

	/* SIGTERM */
	child = fork();
	if (child == 0) {
		SCX_OPTS(scx_run_opts, ro, .handle_signals = true);

		s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
		kind = s ? scx_sched__run(s, &ro) : -1;
		_exit(kind == SCX_EXIT_UNREG ? 0 : 1);
	}
	T_ASSERT(t_wait_state("enabled", 5000), "child never attached");
	kill(child, SIGTERM);
	T_ASSERT(waitpid(child, &status, 0) == child, "waitpid");
	T_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %#x", status);
	T_ASSERT(t_wait_state("disabled", 2000), "enabled after SIGTERM");

	/* an ejection ends run() with the error kind */
	{
		pid_t spin[3];

		s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
		T_ASSERT(s && !scx_sched__set_global(s, "error_after", &v, sizeof(v)), "open 3");
		for (int i = 0; i < 3; i++)
			spin[i] = t_spawn_spinner(-1, 0);
		kind = scx_sched__run(s, NULL);
		for (int i = 0; i < 3; i++)
			t_kill(spin[i]);
		T_ASSERT(kind == SCX_EXIT_ERROR_BPF, "run returned %d", kind);
		scx_sched__destroy(s);
	}

	/* from_object: the caller's bpf_object */
	obj = bpf_object__open_file(t_path("raw_fifo.bpf.o"), NULL);
	T_ASSERT(obj, "bpf_object__open_file");
	s = scx_sched__from_object(obj, NULL);
	T_ASSERT(s, "from_object: %s", strerror(errno));
	T_ASSERT(scx_sched__object(s) == obj, "object differs");
	T_ASSERT(!scx_sched__load(s) && !scx_sched__attach(s), "start");
	T_ASSERT(!scx_sched__detach(s), "detach");
	scx_sched__destroy(s);
	/* still ours: the maps are alive until we close it */
	T_ASSERT(bpf_map__fd(bpf_object__find_map_by_name(obj, "raw_fifo_ops")) >= 0, "closed by libscx");
	T_ASSERT(scx_sched__from_object(obj, NULL) == NULL && errno == EBUSY, "loaded object accepted");
	bpf_object__close(obj);
	return T_PASS;
}
