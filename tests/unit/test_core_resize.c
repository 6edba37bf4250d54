// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_sched__resize_map() before load, on the host: each
 * documented errno (no such map, zero entries, maps not sized by entries,
 * NULL arguments), the size reaching the libbpf map, a later call replacing
 * an earlier one, and the sizes set again when the library reopens the
 * object for a restart (scx__reopen(), as scx_sched__run() does). Opening
 * needs a sched_ext kernel's BTF: a recorded one from SCX_TEST_BTF_DIR (see
 * tests/unit/prepare-btf.sh). Loading, which needs the kernel, is in
 * tests/vm/test_load_resize.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <bpf/libbpf.h>
#include <scx/sched.h>

#include "sched_priv.h"
#include "unit_util.h"

static struct scx_sched *open_sized(void)
{
	SCX_OPTS(scx_sched_opts, o);
	struct scx_sched *s;

	o.btf_path = u_btf(NULL, NULL, 1);
	if (!o.btf_path) {
		print_message("# needs recorded BTF; " U_BTF_HOWTO "\n");
		skip();
	}
	u_log_clear();
	s = scx_sched__open_file(u_obj("raw_sized.bpf.o"), &o);
	if (!s)
		fail_msg("open raw_sized.bpf.o: %s\n%s", strerror(errno), u_log);
	return s;
}

static __u32 max_entries(struct scx_sched *s, const char *map)
{
	struct bpf_map *m = bpf_object__find_map_by_name(scx_sched__object(s), map);

	assert_non_null(m);
	return bpf_map__max_entries(m);
}

static void resize_errors(void **state)
{
	struct scx_sched *s = open_sized();
	struct bpf_map *m;

	assert_int_equal(max_entries(s, "pair_slots"), 0);
	u_log_clear();
	errno = 0;
	assert_int_equal(scx_sched__resize_map(s, "no_such_map", 4), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_true(u_log_has("no map 'no_such_map'"));
	assert_int_equal(scx_sched__resize_map(s, "pair_slots", 0), -EINVAL);
	assert_int_equal(max_entries(s, "pair_slots"), 0);
	/* a global-variable section and the ops map are not sized by entries */
	bpf_object__for_each_map(m, scx_sched__object(s))
		if (bpf_map__is_internal(m))
			break;
	assert_non_null(m);
	assert_int_equal(scx_sched__resize_map(s, bpf_map__name(m), 4), -EINVAL);
	assert_true(u_log_has("global-variable section"));
	assert_int_equal(scx_sched__resize_map(s, "raw_sized_ops", 4), -EINVAL);
	assert_int_equal(scx_sched__resize_map(s, NULL, 4), -EINVAL);
	assert_int_equal(scx_sched__resize_map(NULL, "pair_slots", 4), -EINVAL);
	scx_sched__destroy(s);
}

static void resize_and_reopen(void **state)
{
	struct scx_sched *s = open_sized();
	__u32 n = 64;

	assert_int_equal(scx_sched__resize_map(s, "pair_slots", 8), 0);
	assert_int_equal(max_entries(s, "pair_slots"), 8);
	/* the later size wins, and only it is replayed */
	assert_int_equal(scx_sched__resize_map(s, "pair_slots", 64), 0);
	assert_int_equal(scx_sched__set_global(s, "nr_slots", &n, sizeof(n)), 0);
	assert_int_equal(max_entries(s, "pair_slots"), 64);

	/* a restart reopens from the saved bytes: a fresh libbpf object */
	assert_int_equal(scx__reopen(s), 0);
	assert_int_equal(max_entries(s, "pair_slots"), 64);
	n = 0;
	assert_int_equal(scx_sched__get_global(s, "nr_slots", &n, sizeof(n)), 0);
	assert_int_equal(n, 64);
	scx_sched__destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(resize_errors),
		cmocka_unit_test(resize_and_reopen),
	};

	return cmocka_run_group_tests_name("core_resize", tests, u_setup_log, NULL);
}
