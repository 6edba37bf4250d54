// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: an object without an exit record still reports its exit:
 * UNREG when we detach it, ERROR_BPF with the message from the kernel log when
 * it calls scx_bpf_error().
 */
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

static struct scx_sched *s;
static pid_t spin[3];

static void cleanup(void)
{
	for (int i = 0; i < 3; i++)
		t_kill(spin[i]);
	scx_sched__destroy(s);
}

int main(void)
{
	const struct scx_exit_info *ei;
	int v = 20;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);

	s = scx_sched__open_file(t_path("raw_norec.bpf.o"), NULL);
	T_ASSERT(s && !scx_sched__load(s) && !scx_sched__attach(s), "start: %s", strerror(errno));
	T_ASSERT(scx_sched__detach(s) == 0, "detach");
	ei = scx_sched__exit_info(s);
	t_log("detached: %s '%s' from_record=%d", scx_exit_kind__str(scx_exit_info__kind(ei)),
	      scx_exit_info__reason(ei), scx_exit_info__from_record(ei));
	T_ASSERT(scx_exit_info__kind(ei) == SCX_EXIT_UNREG, "kind");
	T_ASSERT(!scx_exit_info__from_record(ei), "claims a record");
	scx_sched__destroy(s);

	s = scx_sched__open_file(t_path("raw_norec.bpf.o"), NULL);
	T_ASSERT(s, "reopen");
	T_ASSERT(!scx_sched__set_global(s, "error_after", &v, sizeof(v)), "set");
	T_ASSERT(!scx_sched__load(s) && !scx_sched__attach(s), "start 2");
	for (int i = 0; i < 3; i++)
		spin[i] = t_spawn_spinner(-1, 0);
	T_ASSERT(scx_sched__wait(s, 20000) == 0, "no exit seen");
	ei = scx_sched__exit_info(s);
	t_log("ejected: %s '%s' msg '%s'", scx_exit_kind__str(scx_exit_info__kind(ei)),
	      scx_exit_info__reason(ei), scx_exit_info__msg(ei));
	T_ASSERT(scx_exit_info__kind(ei) == SCX_EXIT_ERROR_BPF, "kind");
	T_ASSERT(strstr(scx_exit_info__msg(ei), "giving up after 20"), "msg");
	cleanup();
	return T_PASS;
}
