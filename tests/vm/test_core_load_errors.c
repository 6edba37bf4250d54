// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: load-time behaviour on a real kernel: a verifier rejection
 * brings the verifier's own words to the log callback; set_global after load
 * is -EBUSY; a callback the kernel does not know is dropped with a warning
 * naming it (on kernels before 6.19) and the scheduler still runs. An object
 * with the maps of scx/topology.bpf.h gets them trimmed to the machine's CPU
 * ids and filled by the load; when the topology cannot be read (a sysfs with
 * no CPUs), the load fails saying so, before anything reaches the kernel.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <scx/scx.h>
#include <scx/topology.h>
#include "testlib.h"

static struct scx_sched *s;

static void cleanup(void)
{
	scx_sched__destroy(s);
	s = NULL;
}

int main(void)
{
	const struct scx_features *f;
	int err, v = 1;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);

	/* verifier rejection */
	s = scx_sched__open_file(t_path("raw_reject.bpf.o"), NULL);
	T_ASSERT(s, "open");
	t_log_clear();
	err = scx_sched__load(s);
	T_ASSERT(err < 0 && errno == -err, "load gave %d", err);
	T_ASSERT(t_log_has("the kernel refused the scheduler"), "no summary line");
	T_ASSERT(t_log_has("verifier log"), "no verifier log");
	T_ASSERT(t_log_has("invalid access to map value") || t_log_has("invalid access to memory") ||
		 t_log_has("unbounded") || t_log_has("min value is negative") ||
		 t_log_has("value is outside of the allowed"),
		 "the verifier's reason did not reach the log");
	T_ASSERT(t_log_has("processed "), "no instruction count");
	cleanup();

	/* set_global after load */
	s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
	T_ASSERT(s && !scx_sched__load(s), "load raw_fifo");
	T_ASSERT(scx_sched__set_global(s, "error_after", &v, sizeof(v)) == -EBUSY, "set after load");
	cleanup();

	/* a callback from a newer kernel */
	f = scx_features__running();
	T_ASSERT(f, "features");
	t_log_clear();
	s = scx_sched__open_file(t_path("raw_newops.bpf.o"), NULL);
	T_ASSERT(s, "open newops");
	if (!scx_features__has_ops_field(f, "cgroup_set_idle"))
		T_ASSERT(t_log_has("no 'cgroup_set_idle'"), "no warning naming the dropped callback");
	else
		T_ASSERT(!t_log_has("cgroup_set_idle"), "warned on a kernel that has it");
	T_ASSERT(!scx_sched__load(s), "load newops: %s", strerror(errno));
	T_ASSERT(!scx_sched__attach(s), "attach newops");
	usleep(200000);
	T_ASSERT(!scx_sched__detach(s), "detach");
	T_ASSERT(scx_exit_info__kind(scx_sched__exit_info(s)) == SCX_EXIT_UNREG, "kind");
	cleanup();

	/* the topology maps: trimmed and filled at load */
	{
		struct scx_topology *t = scx_topology__open(NULL);
		struct scx_topo_info info = {};
		struct bpf_map *map;
		__u32 zero = 0;

		T_ASSERT(t, "topology: %s", strerror(errno));
		s = scx_sched__open_file(t_path("idle_pick.bpf.o"), NULL);
		T_ASSERT(s && !scx_sched__load(s), "load idle_pick: %s", strerror(errno));
		map = bpf_object__find_map_by_name(scx_sched__object(s), "scx_topo_llc_masks");
		T_ASSERT(map && bpf_map__max_entries(map) == (__u32)scx_topology__nr_cpu_ids(t),
			 "scx_topo_llc_masks has %u entries, want the %d CPU ids",
			 map ? bpf_map__max_entries(map) : 0, scx_topology__nr_cpu_ids(t));
		map = bpf_object__find_map_by_name(scx_sched__object(s), "scx_topo_info");
		T_ASSERT(map && !bpf_map_lookup_elem(bpf_map__fd(map), &zero, &info), "read scx_topo_info");
		T_ASSERT(info.layout_version == SCX_TOPO_LAYOUT_VERSION &&
			 info.nr_online == (unsigned int)scx_topology__nr_online(t),
			 "scx_topo_info not filled at load: layout %u, %u online (want %d)",
			 info.layout_version, info.nr_online, scx_topology__nr_online(t));
		scx_topology__free(t);
		cleanup();
	}

	/* ... and a topology that cannot be read fails the load */
	{
		char root[] = "/tmp/scx-notopo-XXXXXX";
		SCX_OPTS(scx_sched_opts, o, .sysfs_root = root);

		T_ASSERT(mkdtemp(root), "mkdtemp");
		t_log_clear();
		s = scx_sched__open_file(t_path("idle_pick.bpf.o"), &o);
		T_ASSERT(s, "open idle_pick: %s", strerror(errno));
		err = scx_sched__load(s);
		T_ASSERT(err < 0 && errno == -err, "load without a topology gave %d", err);
		T_ASSERT(t_log_has("CPU topology"), "the log does not say the topology could not be read");
		/* nothing reached the kernel: trying again fails the same way,
		 * not as a retry of a failed load (-EINVAL) */
		T_ASSERT(scx_sched__load(s) == err, "a second load did not fail the same way");
		cleanup();
		rmdir(root);
	}
	return T_PASS;
}
