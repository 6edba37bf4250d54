// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: an object whose "uei" and "uei_dump" are read-only globals
 * (raw_rodata_uei.bpf.o): libscx does not take them for an exit record, so
 * attach (which clears a writable record and dump) no longer writes into the
 * read-only mapping of a loaded .rodata, which faulted; the globals still
 * read after load; the exit is still reported (UNREG after detach), and the
 * handle attaches and detaches a second time.
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
	const struct scx_exit_info *ei;
	struct {			/* raw_rodata_uei.bpf.c's layout */
		int kind;
		long long exit_code;
		char reason[128];
		char msg[1024];
	} uei;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);

	s = scx_sched__open_file(t_path("raw_rodata_uei.bpf.o"), NULL);
	T_ASSERT(s, "open");
	T_ASSERT(!scx_sched__load(s), "load");
	T_ASSERT(!scx_sched__attach(s), "attach");
	T_ASSERT(!scx_sched__get_global(s, "uei", &uei, sizeof(uei)), "read uei");
	T_ASSERT(uei.kind == 0, "uei.kind %d", uei.kind);
	usleep(200000);
	T_ASSERT(!scx_sched__exited(s), "exited early");
	T_ASSERT(!scx_sched__detach(s), "detach");
	ei = scx_sched__exit_info(s);
	T_ASSERT(ei && scx_exit_info__kind(ei) == SCX_EXIT_UNREG, "kind %d",
		 ei ? (int)scx_exit_info__kind(ei) : -1);

	/* attach again: the handle clears its records a second time */
	T_ASSERT(!scx_sched__attach(s), "attach again");
	usleep(100000);
	T_ASSERT(!scx_sched__detach(s), "detach again");
	cleanup();
	return T_PASS;
}
