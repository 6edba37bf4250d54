// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: an object with a map declared max_entries 0 (raw_sized.bpf.o,
 * sized by its own loader elsewhere): scx_sched__load() refuses it with
 * EINVAL before loading, naming the map and how to size it; the same handle
 * then loads once scx_sched__resize_map() sized it, runs with the map at that
 * size (both ends of it in use), and resize after load is EBUSY.
 */
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <scx/scx.h>
#include "testlib.h"

static struct scx_sched *s;

static void cleanup(void)
{
	scx_sched__destroy(s);
}

static unsigned long long slot(struct bpf_map *m, __u32 key)
{
	unsigned long long v = 0;

	T_ASSERT(!bpf_map__lookup_elem(m, &key, sizeof(key), &v, sizeof(v), 0), "lookup %u", key);
	return v;
}

int main(void)
{
	__u32 n = 64;
	struct bpf_map *m;
	long long deadline;
	pid_t spin[3];
	int err;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);

	s = scx_sched__open_file(t_path("raw_sized.bpf.o"), NULL);
	T_ASSERT(s, "open raw_sized");
	t_log_clear();
	err = scx_sched__load(s);
	T_ASSERT(err == -EINVAL, "load of an unsized map gave %d", err);
	T_ASSERT(t_log_has("map 'pair_slots' has max_entries 0"), "the map is not named");
	T_ASSERT(t_log_has("scx_sched__resize_map(s, \"pair_slots\", N)"), "no advice");
	T_ASSERT(t_log_has("--resize pair_slots=N"), "no scxtool advice");

	/* nothing was loaded: size it and load the same handle */
	T_ASSERT(!scx_sched__resize_map(s, "pair_slots", n), "resize");
	T_ASSERT(!scx_sched__set_global(s, "nr_slots", &n, sizeof(n)), "set nr_slots");
	err = scx_sched__load(s);
	T_ASSERT(!err, "load after resize: %d", err);
	T_ASSERT(scx_sched__resize_map(s, "pair_slots", 8) == -EBUSY, "resize after load");
	m = bpf_object__find_map_by_name(scx_sched__object(s), "pair_slots");
	T_ASSERT(m && bpf_map__max_entries(m) == n, "max_entries %u", m ? bpf_map__max_entries(m) : 0);
	T_ASSERT(!scx_sched__attach(s), "attach");
	/* busy CPUs: with idle ones the kernel's default CPU selection
	 * dispatches directly and ops.enqueue is not called */
	spin[0] = t_spawn_spinner(-1, 0);
	spin[1] = t_spawn_spinner(-1, 0);
	spin[2] = t_spawn_spinner(-1, 0);
	deadline = t_now_ms() + T_WAIT_MIN_MS;
	while ((!slot(m, 0) || !slot(m, n - 1)) && t_now_ms() < deadline)
		usleep(50000);
	t_kill(spin[0]);
	t_kill(spin[1]);
	t_kill(spin[2]);
	T_ASSERT(slot(m, 0) > 0 && slot(m, n - 1) > 0, "slots 0 and %u unused: %llu %llu", n - 1,
		 slot(m, 0), slot(m, n - 1));
	T_ASSERT(!scx_sched__detach(s), "detach");
	T_ASSERT(scx_exit_info__kind(scx_sched__exit_info(s)) == SCX_EXIT_UNREG, "kind");
	cleanup();
	return T_PASS;
}
