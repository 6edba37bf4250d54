// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: attaching a second scheduler fails with -EBUSY and a message
 * naming the one that runs, which stays enabled and untouched.
 */
#include <string.h>
#include <unistd.h>

#include <scx/scx.h>
#include "testlib.h"

static struct scx_sched *a, *b;

static void cleanup(void)
{
	scx_sched__destroy(b);
	scx_sched__destroy(a);
}

int main(void)
{
	char buf[128], seq[32];
	int err;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);

	a = scx_sched__open_file(t_path("raw_fifo.bpf.o"), NULL);
	T_ASSERT(a && !scx_sched__load(a) && !scx_sched__attach(a), "first");
	t_scx_read("enable_seq", seq, sizeof(seq));

	b = scx_sched__open_file(t_path("raw_norec.bpf.o"), NULL);
	T_ASSERT(b && !scx_sched__load(b), "second load");
	t_log_clear();
	err = scx_sched__attach(b);
	T_ASSERT(err == -EBUSY && errno == EBUSY, "second attach gave %d", err);
	T_ASSERT(t_log_has("'raw_fifo'"), "message does not name the running scheduler");
	T_ASSERT(!strcmp(t_scx_read("root/ops", buf, sizeof(buf)), "raw_fifo"), "ops %s", buf);
	T_ASSERT(!strcmp(t_scx_read("state", buf, sizeof(buf)), "enabled"), "state %s", buf);
	T_ASSERT(!strcmp(t_scx_read("enable_seq", buf, sizeof(buf)), seq), "re-enabled");
	T_ASSERT(scx_sched__wait(a, 300) == -ETIMEDOUT, "the first one exited");
	scx_sched__destroy(b);	/* never attached: must not touch a */
	b = NULL;
	T_ASSERT(!strcmp(t_scx_read("state", buf, sizeof(buf)), "enabled"), "destroy(b) hurt a");
	cleanup();
	return T_PASS;
}
