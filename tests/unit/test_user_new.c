// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_user__new() refuses an object it cannot drive before it
 * touches the process's memory: an object without scx/user.bpf.h (ENOENT,
 * "does not include scx/user.bpf.h") and one built against another
 * scx/user_layout.h, whose shared page or BPF counters have another size
 * than this library's (EPROTO, "rebuild it against this libscx"). The
 * second is made from the userland sample's object by resizing one map
 * before the call, as an older or newer header would have sized it. The
 * refused scheduler stays open. Opened against recorded sched_ext BTF.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <bpf/libbpf.h>

#include <scx/sched.h>
#include <scx/user.h>

#include "unit_util.h"

static struct scx_sched *open_obj(const char *name)
{
	const char *btf;
	struct scx_sched *s;

	U_REQUIRE_BTF(btf);
	SCX_OPTS(scx_sched_opts, o, .btf_path = btf);
	s = scx_sched__open_file(u_obj(name), &o);
	if (!s)
		fail_msg("open %s against %s: %s\n%s", name, btf, strerror(errno), u_log);
	return s;
}

static void no_user_runtime(void **state)
{
	struct scx_sched *s = open_obj("sample_minimal.bpf.o");
	SCX_OPTS(scx_user_opts, uo);

	(void)state;
	u_log_clear();
	errno = 0;
	assert_null(scx_user__new(s, &uo));
	assert_int_equal(errno, ENOENT);
	assert_true(u_log_has("does not include scx/user.bpf.h"));
	scx_sched__destroy(s);
}

/* map resized by delta bytes: refused with EPROTO and the advice */
static void refused_when_resized(const char *map_name, int delta)
{
	struct scx_sched *s = open_obj("sample_userland.bpf.o");
	struct bpf_map *m = bpf_object__find_map_by_name(scx_sched__object(s), map_name);
	SCX_OPTS(scx_user_opts, uo);
	__u32 size;

	assert_non_null(m);
	size = bpf_map__value_size(m);
	assert_int_equal(bpf_map__set_value_size(m, size + delta), 0);
	u_log_clear();
	errno = 0;
	assert_null(scx_user__new(s, &uo));
	assert_int_equal(errno, EPROTO);
	assert_true(u_log_has("another version of scx/user_layout.h"));
	assert_true(u_log_has("rebuild it against this libscx"));
	/* nothing was taken from the scheduler: it is still open and named,
	 * and its map can be put back */
	assert_string_equal(scx_sched__name(s), "userland");
	assert_int_equal(bpf_map__set_value_size(m, size), 0);
	assert_int_equal(bpf_map__value_size(m), size);
	scx_sched__destroy(s);
}

static void counters_of_another_layout(void **state)
{
	(void)state;
	refused_when_resized(SCX_USER_COUNTERS_MAP, 8);
}

static void shared_page_of_another_layout(void **state)
{
	(void)state;
	refused_when_resized(SCX_USER_SHARED_MAP, -8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_user_runtime),
		cmocka_unit_test(counters_of_another_layout),
		cmocka_unit_test(shared_page_of_another_layout),
	};

	return cmocka_run_group_tests(tests, u_setup_log, NULL);
}
