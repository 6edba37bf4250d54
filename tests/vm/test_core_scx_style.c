// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: an object in the sched-ext/scx project's style runs through
 * scx_sched__open_file() unchanged: its __SCX_* enum globals are filled from
 * kernel BTF, its exit dump is sized, and the dump arrives with the exit.
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
	SCX_OPTS(scx_sched_opts, opts, .exit_dump_len = 8192);
	const struct scx_exit_info *ei;
	__u64 dsq = 0, none = 1;
	__u32 len = 0;
	int v = 30;

	t_require_sched_ext();
	t_capture_log();
	t_on_fail(cleanup);

	s = scx_sched__open_file(t_path("scx_style.bpf.o"), &opts);
	T_ASSERT(s, "open: %s", strerror(errno));
	T_ASSERT(!scx_sched__get_global(s, "__SCX_DSQ_GLOBAL", &dsq, sizeof(dsq)), "get");
	T_ASSERT(dsq == ((1ULL << 63) | 1), "__SCX_DSQ_GLOBAL = %#llx", (unsigned long long)dsq);
	T_ASSERT(!scx_sched__get_global(s, "__SCX_NO_SUCH_ENUM", &none, sizeof(none)) && none == 0,
		 "unknown enum touched");
	T_ASSERT(!scx_sched__get_global(s, "uei_dump_len", &len, sizeof(len)), "get len");
	T_ASSERT(len == 8192, "uei_dump_len %u", len);
	T_ASSERT(!scx_sched__set_global(s, "error_after", &v, sizeof(v)), "set");
	T_ASSERT(!scx_sched__load(s), "load");
	T_ASSERT(!scx_sched__attach(s), "attach");
	for (int i = 0; i < 3; i++)
		spin[i] = t_spawn_spinner(-1, 0);
	T_ASSERT(scx_sched__wait(s, 20000) == 0, "no exit");
	ei = scx_sched__exit_info(s);
	t_log("exit %s msg '%s', dump %zu bytes", scx_exit_kind__str(scx_exit_info__kind(ei)),
	      scx_exit_info__msg(ei), strlen(scx_exit_info__dump(ei)));
	T_ASSERT(scx_exit_info__kind(ei) == SCX_EXIT_ERROR_BPF, "kind");
	T_ASSERT(strlen(scx_exit_info__dump(ei)) > 0, "empty dump");
	cleanup();
	return T_PASS;
}
