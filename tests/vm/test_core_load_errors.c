// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: load-time behaviour on a real kernel: a verifier rejection
 * brings the verifier's own words to the log callback; set_global after load
 * is -EBUSY; a callback the kernel does not know is dropped with a warning
 * naming it (on kernels before 6.19) and the scheduler still runs.
 */
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

static struct scx_sched *s;

static void cleanup(void)
{
	scx_sched__destroy(s);
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
	scx_sched__destroy(s);

	/* set_global after load */
	s = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
	T_ASSERT(s && !scx_sched__load(s), "load raw_fifo");
	T_ASSERT(scx_sched__set_global(s, "error_after", &v, sizeof(v)) == -EBUSY, "set after load");
	scx_sched__destroy(s);

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
	return T_PASS;
}
