// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_sched_opts and globals before load: the options struct's
 * size rules (older and newer callers), the watchdog cap, name and ops flags
 * checked against the kernel's BTF, SCX_OPTS() zero-filling, and
 * scx_sched__set_global/get_global. Everything that needs a sched_ext
 * kernel's BTF reads a recorded one from SCX_TEST_BTF_DIR (see
 * tests/unit/prepare-btf.sh) and is skipped without it.
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
#include <scx/features.h>

#include "unit_util.h"

#define RAW_FIFO u_obj("raw_fifo.bpf.o")

static bool host_has_sched_ext(void)
{
	const struct scx_features *f = scx_features__running();

	return f && scx_features__has_sched_ext(f);
}

/* Open raw_fifo with opts (btf_path set to BTF); fail the test on error. */
static struct scx_sched *open_ok(struct scx_sched_opts *o, const char *btf)
{
	struct scx_sched *s;

	o->btf_path = btf;
	u_log_clear();
	s = scx_sched__open_file(RAW_FIFO, o);
	if (!s)
		fail_msg("open %s with %s: %s\n%s", RAW_FIFO, btf, strerror(errno), u_log);
	return s;
}

/* Open raw_fifo with opts; expect failure with errno WANT. */
static void open_fails(const struct scx_sched_opts *o, int want)
{
	struct scx_sched *s;

	u_log_clear();
	errno = 0;
	s = scx_sched__open_file(RAW_FIFO, o);
	if (s) {
		scx_sched__destroy(s);
		fail_msg("open succeeded; expected %s", strerror(want));
	}
	if (errno != want)
		fail_msg("open failed with %s; expected %s\n%s", strerror(errno), strerror(want), u_log);
}

/* ---- the options struct's size --------------------------------------------- */

static void opts_sz_too_small(void **state)
{
	struct scx_sched_opts o;

	memset(&o, 0, sizeof(o));
	o.sz = 4;
	open_fails(&o, EINVAL);
	assert_true(u_log_has("scx_sched_opts"));
	o.sz = 0;
	open_fails(&o, EINVAL);
	/* open_mem validates too */
	errno = 0;
	assert_null(scx_sched__open_mem("\177ELF", 4, &o));
	assert_int_equal(errno, EINVAL);
}

/* A caller built against a newer header, with an option we do not know set. */
struct newer_opts {
	struct scx_sched_opts o;
	__u64 future_field;
	char future_bytes[8];
};

static void opts_larger_nonzero_tail(void **state)
{
	struct newer_opts n;

	memset(&n, 0, sizeof(n));
	n.o.sz = sizeof(n);
	n.future_bytes[5] = 1;
	open_fails(&n.o, EINVAL);
	assert_true(u_log_has("non-zero"));
	n.future_bytes[5] = 0;
	n.future_field = 1;
	open_fails(&n.o, EINVAL);
}

/* Larger with zeroes past what we know: accepted, so open goes on to the
 * kernel probe (EOPNOTSUPP here; success against a sched_ext BTF). */
static void opts_larger_zero_tail(void **state)
{
	struct newer_opts n;
	const char *btf;
	struct scx_sched *s;

	memset(&n, 0, sizeof(n));
	n.o.sz = sizeof(n);
	if (!host_has_sched_ext()) {
		open_fails(&n.o, EOPNOTSUPP);
		assert_true(u_log_has("CONFIG_SCHED_CLASS_EXT"));
	}
	U_REQUIRE_BTF(btf);
	s = open_ok(&n.o, btf);
	assert_string_equal(scx_sched__name(s), "raw_fifo");
	scx_sched__destroy(s);
}

/* A caller built against an older header: members past its sz are not read,
 * whatever the bytes there hold. */
static void opts_older_caller(void **state)
{
	struct scx_sched_opts o;

	memset(&o, 0, sizeof(o));
	o.sz = offsetof(struct scx_sched_opts, timeout_ms);
	o.timeout_ms = 99999;		/* would be E2BIG if read */
	o.ops_flags = 1ULL << 40;	/* would be EINVAL if read */
	if (host_has_sched_ext()) {
		print_message("# this kernel has sched_ext: the check relies on EOPNOTSUPP\n");
		skip();
	}
	open_fails(&o, EOPNOTSUPP);
	/* the smallest valid struct: just sz */
	o.sz = sizeof(size_t);
	open_fails(&o, EOPNOTSUPP);
}

/* SCX_OPTS(): sz set, named members set, every other byte zero (padding
 * included), even over a dirty stack. */
static void __attribute__((noinline)) dirty_stack(void)
{
	volatile unsigned char junk[4096];
	size_t i;

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = 0xa5;
}

static void __attribute__((noinline)) check_opts_macro(void)
{
	SCX_OPTS(scx_sched_opts, o, .timeout_ms = 5);
	struct scx_sched_opts want;
	const unsigned char *p = (const unsigned char *)&o;
	size_t i;

	assert_int_equal(o.sz, sizeof(struct scx_sched_opts));
	assert_int_equal(o.timeout_ms, 5);
	assert_null(o.ops_map);
	assert_null(o.name);
	assert_int_equal(o.exit_dump_len, 0);
	assert_int_equal(o.ops_flags, 0);
	assert_false(o.partial);
	assert_null(o.btf_path);
	assert_null(o.sysfs_root);
	memset(&want, 0, sizeof(want));
	want.sz = sizeof(want);
	want.timeout_ms = 5;
	for (i = 0; i < sizeof(o); i++)
		if (p[i] != ((unsigned char *)&want)[i])
			fail_msg("byte %zu of SCX_OPTS(scx_sched_opts, o, .timeout_ms = 5) is 0x%02x", i, p[i]);
}

static void opts_macro(void **state)
{
	dirty_stack();
	check_opts_macro();
	{
		SCX_OPTS(scx_run_opts, r, .max_restarts = -1);

		assert_int_equal(r.sz, sizeof(struct scx_run_opts));
		assert_int_equal(r.max_restarts, -1);
		assert_false(r.handle_signals);
		assert_null(r.stats_fn);
		assert_null(r.ctx);
	}
}

/* ---- options checked against a recorded sched_ext kernel ---------------- */

static void timeout_cap(void **state)
{
	SCX_OPTS(scx_sched_opts, o, .timeout_ms = 30001);
	const char *btf;
	struct scx_sched *s;

	U_REQUIRE_BTF(btf);
	o.btf_path = btf;
	open_fails(&o, E2BIG);
	assert_true(u_log_has("30001"));
	o.timeout_ms = UINT32_MAX;
	open_fails(&o, E2BIG);
	o.timeout_ms = 30000;
	s = open_ok(&o, btf);
	scx_sched__destroy(s);
	o.timeout_ms = 1;
	s = open_ok(&o, btf);
	scx_sched__destroy(s);
}

static void name_override(void **state)
{
	SCX_OPTS(scx_sched_opts, o);
	char name[200];
	const char *btf;
	struct scx_sched *s;

	U_REQUIRE_BTF(btf);
	s = open_ok(&o, btf);
	assert_string_equal(scx_sched__name(s), "raw_fifo");
	scx_sched__destroy(s);

	o.name = "unit_renamed";
	s = open_ok(&o, btf);
	assert_string_equal(scx_sched__name(s), "unit_renamed");
	scx_sched__destroy(s);

	/* ops.name is char[SCX_OPS_NAME_LEN = 128]: 127 characters fit */
	memset(name, 'n', sizeof(name));
	name[127] = '\0';
	o.name = name;
	s = open_ok(&o, btf);
	assert_string_equal(scx_sched__name(s), name);
	scx_sched__destroy(s);

	name[127] = 'n';
	name[128] = '\0';
	o.btf_path = btf;
	open_fails(&o, ENAMETOOLONG);
	assert_true(u_log_has("127"));
	name[199] = '\0';
	open_fails(&o, ENAMETOOLONG);
}

static void ops_flags_unknown_bits(void **state)
{
	SCX_OPTS(scx_sched_opts, o, .ops_flags = 1ULL << 40);
	const char *btf;

	U_REQUIRE_BTF(btf);
	o.btf_path = btf;
	open_fails(&o, EINVAL);
	assert_true(u_log_has("0x10000000000"));
	o.ops_flags = 1ULL << 63;
	open_fails(&o, EINVAL);
}

static void ops_flags_known_bits(void **state)
{
	SCX_OPTS(scx_sched_opts, o);
	const char *btf;
	struct scx_sched *s;
	struct scx_features *f;
	__s64 v;

	U_REQUIRE_BTF(btf);
	f = scx_features__open(btf);
	assert_non_null(f);
	assert_int_equal(scx_features__enum_value(f, "SCX_OPS_ENQ_LAST", &v), 0);
	o.ops_flags = v;
	assert_int_equal(scx_features__enum_value(f, "SCX_OPS_KEEP_BUILTIN_IDLE", &v), 0);
	o.ops_flags |= v;
	scx_features__free(f);
	s = open_ok(&o, btf);
	scx_sched__destroy(s);
}

/*
 * Flags differ between kernels (SCX_OPS_HAS_CGROUP_WEIGHT, 1 << 16, is in
 * 6.16 and gone by 7.3; SCX_OPS_ALWAYS_ENQ_IMMED, 1 << 7, is new in 7.3): a
 * flag is checked against the BTF the scheduler is opened for. The bits come
 * from each kernel's own mask, so this holds whichever release the oldest
 * recorded kernel is; it needs one flag that only one of the two accepts.
 */
static void ops_flags_per_kernel(void **state)
{
	const char *old = u_btf(NULL, NULL, 0), *new = u_btf(NULL, NULL, 1);
	struct scx_features *fo, *fn;
	SCX_OPTS(scx_sched_opts, o);
	__u64 only_old, only_new;
	struct scx_sched *s;

	if (!old || !new) {
		print_message("# needs recorded BTF; " U_BTF_HOWTO "\n");
		skip();
	}
	fo = scx_features__open(old);
	fn = scx_features__open(new);
	assert_non_null(fo);
	assert_non_null(fn);
	only_old = scx_features__ops_flags_mask(fo) & ~scx_features__ops_flags_mask(fn);
	only_new = scx_features__ops_flags_mask(fn) & ~scx_features__ops_flags_mask(fo);
	scx_features__free(fo);
	scx_features__free(fn);
	print_message("# flags only the oldest accepts 0x%llx, only the newest 0x%llx\n",
		      (unsigned long long)only_old, (unsigned long long)only_new);
	if (!only_old && !only_new)
		fail_msg("%s and %s accept the same ops flags: nothing to tell them apart", old, new);
	if (only_old) {
		o.ops_flags = only_old & -only_old;	/* its lowest such bit */
		s = open_ok(&o, old);
		scx_sched__destroy(s);
		o.btf_path = new;
		open_fails(&o, EINVAL);
	}
	if (only_new) {
		o.ops_flags = only_new & -only_new;
		s = open_ok(&o, new);
		scx_sched__destroy(s);
		o.btf_path = old;
		open_fails(&o, EINVAL);
	}
}

/*
 * The kernel refuses ops.flags with any bit outside SCX_OPS_ALL_FLAGS
 * (bpf_scx_init_member() in kernel/sched/ext.c returns -EINVAL), but enum
 * scx_ops_flags also holds internal bits (__SCX_OPS_INTERNAL_MASK, e.g.
 * SCX_OPS_HAS_CPU_PREEMPT = 1 << 56) that a caller must not set. Open should
 * refuse them as unknown, like any other bit the kernel does not accept.
 */
static void ops_flags_internal_bits(void **state)
{
	SCX_OPTS(scx_sched_opts, o);
	const char *btf;
	struct scx_features *f;
	struct scx_sched *s;
	__s64 internal;

	U_REQUIRE_BTF(btf);
	f = scx_features__open(btf);
	assert_non_null(f);
	assert_int_equal(scx_features__enum_value(f, "SCX_OPS_HAS_CPU_PREEMPT", &internal), 0);
	scx_features__free(f);
	o.ops_flags = internal;
	o.btf_path = btf;
	u_log_clear();
	s = scx_sched__open_file(RAW_FIFO, &o);
	if (s) {
		scx_sched__destroy(s);
		fail_msg("open accepted ops_flags 0x%llx (SCX_OPS_HAS_CPU_PREEMPT, an internal flag "
			 "outside SCX_OPS_ALL_FLAGS that the kernel refuses when the struct_ops map is updated at attach)",
			 (unsigned long long)internal);
	}
	assert_int_equal(errno, EINVAL);
}

static void partial(void **state)
{
	SCX_OPTS(scx_sched_opts, o, .partial = true);
	const char *btf;
	struct scx_sched *s;

	U_REQUIRE_BTF(btf);
	s = open_ok(&o, btf);
	scx_sched__destroy(s);
	/* partial together with the same flag given explicitly */
	o.ops_flags = 8;	/* SCX_OPS_SWITCH_PARTIAL */
	s = open_ok(&o, btf);
	scx_sched__destroy(s);
}

static void btf_path_bad(void **state)
{
	SCX_OPTS(scx_sched_opts, o, .btf_path = "/nonexistent/vmlinux");

	open_fails(&o, ENOENT);
	/* an ELF file with BTF, but no struct sched_ext_ops in it */
	o.btf_path = u_obj("unit_noops.bpf.o");
	open_fails(&o, EOPNOTSUPP);
	/* no BTF at all */
	o.btf_path = "/proc/self/status";
	open_fails(&o, EINVAL);
}

/* ---- globals ------------------------------------------------------------ */

static void globals(void **state)
{
	SCX_OPTS(scx_sched_opts, o);
	const char *btf;
	struct scx_sched *s;
	int v = 0, w = 0;
	__u64 big = 7, u = 1;

	U_REQUIRE_BTF(btf);
	s = open_ok(&o, btf);

	/* .rodata: const volatile int error_after */
	assert_int_equal(scx_sched__get_global(s, "error_after", &v, sizeof(v)), 0);
	assert_int_equal(v, 0);
	v = 42;
	assert_int_equal(scx_sched__set_global(s, "error_after", &v, sizeof(v)), 0);
	assert_int_equal(scx_sched__get_global(s, "error_after", &w, sizeof(w)), 0);
	assert_int_equal(w, 42);
	v = 43;	/* a second set replaces the first */
	assert_int_equal(scx_sched__set_global(s, "error_after", &v, sizeof(v)), 0);
	assert_int_equal(scx_sched__get_global(s, "error_after", &w, sizeof(w)), 0);
	assert_int_equal(w, 43);

	/* .bss: u64 nr_enqueued */
	assert_int_equal(scx_sched__get_global(s, "nr_enqueued", &u, sizeof(u)), 0);
	assert_int_equal(u, 0);
	assert_int_equal(scx_sched__set_global(s, "nr_enqueued", &big, sizeof(big)), 0);
	assert_int_equal(scx_sched__get_global(s, "nr_enqueued", &u, sizeof(u)), 0);
	assert_int_equal(u, 7);

	/* errors */
	u_log_clear();
	errno = 0;
	assert_int_equal(scx_sched__set_global(s, "no_such_var", &v, sizeof(v)), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_true(u_log_has("no_such_var"));
	errno = 0;
	assert_int_equal(scx_sched__set_global(s, "error_after", &big, sizeof(big)), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(scx_sched__set_global(s, "error_after", NULL, sizeof(v)), -EINVAL);
	assert_int_equal(scx_sched__set_global(s, "error_after", &v, 0), -EINVAL);
	assert_int_equal(scx_sched__set_global(s, NULL, &v, sizeof(v)), -EINVAL);
	assert_int_equal(scx_sched__get_global(s, "no_such_var", &v, sizeof(v)), -ENOENT);
	assert_int_equal(scx_sched__get_global(s, "error_after", &big, sizeof(big)), -EINVAL);
	assert_int_equal(scx_sched__get_global(s, NULL, &v, sizeof(v)), -EINVAL);
	/* the failed sets left the value alone */
	assert_int_equal(scx_sched__get_global(s, "error_after", &w, sizeof(w)), 0);
	assert_int_equal(w, 43);
	/* functions and maps are not globals */
	assert_int_equal(scx_sched__get_global(s, "raw_enqueue", &v, sizeof(v)), -ENOENT);
	assert_int_equal(scx_sched__get_global(s, "raw_fifo_ops", &v, sizeof(v)), -ENOENT);
	scx_sched__destroy(s);
}

/* set_global after load must give -EBUSY; loading needs a sched_ext kernel. */
/* ---- scx_sched__from_object -------------------------------------------- */

static void from_object(void **state)
{
	SCX_OPTS(scx_sched_opts, o);
	struct bpf_object *obj;
	struct scx_sched *s;
	const char *btf;

	U_REQUIRE_BTF(btf);
	o.btf_path = btf;
	o.name = "wrapped";
	obj = bpf_object__open_file(RAW_FIFO, NULL);
	assert_non_null(obj);
	s = scx_sched__from_object(obj, &o);
	if (!s)
		fail_msg("from_object: %s\n%s", strerror(errno), u_log);
	assert_ptr_equal(scx_sched__object(s), obj);
	assert_string_equal(scx_sched__name(s), "wrapped");
	scx_sched__destroy(s);
	/* the caller still owns obj */
	assert_non_null(bpf_object__find_map_by_name(obj, "raw_fifo_ops"));
	bpf_object__close(obj);

	/* a failed wrap leaves obj to the caller as well */
	obj = bpf_object__open_file(u_obj("unit_twoops.bpf.o"), NULL);
	assert_non_null(obj);
	errno = 0;
	assert_null(scx_sched__from_object(obj, &o));
	assert_int_equal(errno, ENOTUNIQ);
	assert_non_null(bpf_object__find_map_by_name(obj, "first_ops"));
	bpf_object__close(obj);
}

/* An object already loaded (its maps created) is refused with EBUSY. The
 * no-ops object loads on any BPF kernel. */
static void from_object_loaded(void **state)
{
	struct bpf_object *obj;
	int err;

	obj = bpf_object__open_file(u_obj("unit_noops.bpf.o"), NULL);
	assert_non_null(obj);
	err = bpf_object__load(obj);
	if (err) {
		bpf_object__close(obj);
		print_message("# cannot load a BPF object here (%s); needs root and BPF\n",
			      strerror(-err));
		skip();
	}
	u_log_clear();
	errno = 0;
	assert_null(scx_sched__from_object(obj, NULL));
	assert_int_equal(errno, EBUSY);
	assert_true(u_log_has("loaded"));
	bpf_object__close(obj);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(opts_sz_too_small),
		cmocka_unit_test(opts_larger_nonzero_tail),
		cmocka_unit_test(opts_larger_zero_tail),
		cmocka_unit_test(opts_older_caller),
		cmocka_unit_test(opts_macro),
		cmocka_unit_test(timeout_cap),
		cmocka_unit_test(name_override),
		cmocka_unit_test(ops_flags_unknown_bits),
		cmocka_unit_test(ops_flags_known_bits),
		cmocka_unit_test(ops_flags_per_kernel),
		cmocka_unit_test(ops_flags_internal_bits),
		cmocka_unit_test(partial),
		cmocka_unit_test(btf_path_bad),
		cmocka_unit_test(globals),
		cmocka_unit_test(from_object),
		cmocka_unit_test(from_object_loaded),
	};

	return cmocka_run_group_tests_name("core_opts", tests, u_setup_log, NULL);
}
