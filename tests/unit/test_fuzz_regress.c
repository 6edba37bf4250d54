// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: regressions for what the sanitizers (make check-unit-asan) and
 * the fuzzers (tests/fuzz) found, each as the smallest input that showed it.
 * In the normal build these check behaviour; under ASan/UBSan they also
 * check that the undefined behaviour or the bad access is gone.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <scx/features.h>
#include <scx/sched.h>

#include <bpf/libbpf.h>

#include "globals_str.h"
#include "unit_util.h"

/* BTF without a single enumerator (a BPF object's): the enum index stays
 * empty, and sorting or searching it passed a NULL array to qsort() and
 * bsearch() (UBSan: "null pointer passed as argument 1"). */
static void features_without_enums(void **state)
{
	struct scx_features *f = scx_features__open(u_obj("unit_noops.bpf.o"));
	__s64 v = 7;

	assert_non_null(f);
	assert_int_equal(scx_features__enum_value(f, "SCX_DSQ_GLOBAL", &v), -ENOENT);
	assert_int_equal(v, 7);
	scx_features__free(f);
}

/* --set (libscx/globals_str.c, once scxtool's) naming a variable the object lacks lists the ones it has;
 * a first name too long for the list made it look 3 bytes before the list
 * for a "..." already written (ASan: stack-buffer-underflow). */
static void set_unknown_var_after_long_name(void **state)
{
	struct bpf_object *obj = bpf_object__open_file(u_obj("scxtool_longvar.bpf.o"), NULL);
	char err[1024];
	size_t size;
	void *buf;

	assert_false(libbpf_get_error(obj));
	assert_int_equal(scx__global_parse_str(bpf_object__btf(obj), "nosuch", "1", &buf, &size, err,
					      sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no global variable 'nosuch'"));
	assert_non_null(strstr(err, "..."));
	bpf_object__close(obj);
}

/* Open a recorded fuzz_open input for every recorded kernel, the oldest
 * first: it must fail or succeed, nothing else. */
static void open_regress_input(const char *name)
{
	const char *btfs[] = { u_btf(NULL, NULL, 0), u_btf(NULL, NULL, 1) };
	char path[4096];
	struct scx_sched *s;
	FILE *f;
	char *buf = malloc(1 << 20);
	size_t n;

	if (!btfs[0]) {
		print_message("# no recorded sched_ext BTF; " U_BTF_HOWTO "\n");
		free(buf);
		skip();
	}
	snprintf(path, sizeof(path), "%s/fuzz/corpus/open/%s", TEST_SRCDIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, 1 << 20, f);
	fclose(f);
	assert_true(n > 0);
	for (int i = 0; i < 2; i++) {
		SCX_OPTS(scx_sched_opts, o, .btf_path = btfs[i], .sysfs_root = "/nonexistent");

		s = scx_sched__open_mem(buf, n, &o);
		scx_sched__destroy(s);
	}
	free(buf);
}

/* A mutated object whose BTF puts sched_ext_ops members past the end of the
 * ops map's data: dropping the members an older kernel lacks read past it
 * (ASan: heap-buffer-overflow in drop_unknown_ops_members). */
static void open_ops_members_past_data(void **state)
{
	(void)state;
	open_regress_input("regress_ops_member_offset");
}

/* A mutated object whose exit dump length variable sits at an odd offset:
 * writing it through a __u32 pointer was a misaligned store (UBSan, found
 * by fuzz_open in session 5's loaded run). */
static void open_exit_dump_len_misaligned(void **state)
{
	(void)state;
	open_regress_input("regress_exit_dump_len_misaligned");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(features_without_enums),
		cmocka_unit_test(set_unknown_var_after_long_name),
		cmocka_unit_test(open_ops_members_past_data),
		cmocka_unit_test(open_exit_dump_len_misaligned),
	};

	return cmocka_run_group_tests_name("fuzz_regress", tests, u_setup_log, NULL);
}
