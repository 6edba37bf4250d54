// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: kernel feature probing from BTF: bad files, the running
 * kernel (which here has BTF but no sched_ext), kfuncs told from other kernel
 * functions by their "bpf_kfunc" BTF tag, and recorded BTF of the
 * oldest and newest (>= 7.3) sched_ext test kernels. The oldest is whatever
 * Debian's oldest sched_ext kernel is: the answers that differ between
 * kernels are asserted from its release (by_release()), with the
 * versions checked with bpftool btf dump on 6.16 and 7.3 BTF. The recorded
 * BTF comes from SCX_TEST_BTF_DIR (tests/unit/prepare-btf.sh, which make
 * check-unit runs and which fails the layer when it cannot prepare it);
 * without it those cases skip, which the runner does not allow.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <bpf/btf.h>
#include <scx/features.h>

#include "unit_util.h"

#define SCX_DSQ_GLOBAL_VAL ((1ULL << 63) | 1)

static struct scx_features *open_btf(const char *min, const char *below, int newest)
{
	const char *path = u_btf(min, below, newest);
	struct scx_features *f;

	if (!path) {
		print_message("# needs recorded BTF of kernel %s%s%s; " U_BTF_HOWTO "\n",
			      min ? min : "(any)", below ? " below " : " or newer", below ? below : "");
		skip();
	}
	u_log_clear();
	f = scx_features__open(path);
	if (!f)
		fail_msg("scx_features__open(%s): %s\n%s", path, strerror(errno), u_log);
	return f;
}

/* The 6.16 series (oldest with sched_ext in Debian) and 7.3 or newer. */
/* The oldest recorded kernel, whichever release it is, and the newest. */
#define OPEN_OLD() open_btf(NULL, NULL, 0)
#define OPEN_NEW() open_btf("7.3", NULL, 1)

/* The release of the oldest recorded BTF ("6.16.3+deb13-amd64"). */
static const char *old_release(void)
{
	const char *path = u_btf(NULL, NULL, 0), *slash;

	assert_non_null(path);
	slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/*
 * The answer, for a kernel of release rel, about a feature that differs
 * between 6.16 and 7.3 (both checked with bpftool btf dump): in_6_16 before
 * 6.17, in_7_3 from 7.3 on, and -1 (not asserted) for a release between,
 * since the release where it changed was not checked here.
 */
static int by_release(const char *rel, int in_6_16, int in_7_3)
{
	if (u_vercmp(rel, "6.17") < 0)
		return in_6_16;
	return u_vercmp(rel, "7.3") >= 0 ? in_7_3 : -1;
}

static void open_missing(void **state)
{
	u_log_clear();
	errno = 0;
	assert_null(scx_features__open("/nonexistent/vmlinux"));
	assert_int_equal(errno, ENOENT);
	assert_true(u_log_has("/nonexistent/vmlinux"));
}

static void open_not_btf(void **state)
{
	char path[] = "/tmp/libscx-unit-btf-XXXXXX";
	static const char text[] = "this is not BTF, nor an ELF file\n";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	errno = 0;
	assert_null(scx_features__open(path));
	assert_int_equal(errno, EINVAL);
	unlink(path);

	/* an empty file */
	fd = mkstemp(strcpy(path, "/tmp/libscx-unit-btf-XXXXXX"));
	assert_true(fd >= 0);
	close(fd);
	errno = 0;
	assert_null(scx_features__open(path));
	assert_int_equal(errno, EINVAL);
	unlink(path);

	errno = 0;
	assert_null(scx_features__open(NULL));
	assert_int_equal(errno, EINVAL);
	scx_features__free(NULL);
}

/* An ELF with BTF that is not a kernel's: parses, has no sched_ext. */
static void open_bpf_object(void **state)
{
	struct scx_features *f = scx_features__open(u_obj("unit_noops.bpf.o"));

	assert_non_null(f);
	assert_false(scx_features__has_sched_ext(f));
	assert_false(scx_features__has_ops_field(f, "dispatch"));
	assert_int_equal(scx_features__ops_flags_mask(f), 0);
	scx_features__free(f);
}

static void running_kernel(void **state)
{
	const struct scx_features *f = scx_features__running(), *g;
	__s64 v;

	if (!f) {
		print_message("# the running kernel has no readable BTF (%s)\n", strerror(errno));
		skip();
	}
	g = scx_features__running();
	assert_ptr_equal(f, g);
	/* freeing the cached probe is a no-op */
	scx_features__free((struct scx_features *)f);
	assert_ptr_equal(scx_features__running(), f);
	if (scx_features__has_sched_ext(f)) {
		print_message("# this kernel has sched_ext; the no-sched_ext answers need one without\n");
		skip();
	}
	assert_false(scx_features__has_kfunc(f, "scx_bpf_dsq_insert"));
	assert_false(scx_features__has_ops_field(f, "dispatch"));
	assert_false(scx_features__has_ops_flag(f, "SWITCH_PARTIAL"));
	assert_int_equal(scx_features__ops_flags_mask(f), 0);
	assert_int_equal(scx_features__enum_value(f, "SCX_DSQ_GLOBAL", &v), -ENOENT);
	assert_int_equal(scx_features__kfunc_nr_args(f, "scx_bpf_kick_cpu"), -ENOENT);
	/* but the BTF itself is there: an enumerator every kernel has */
	assert_int_equal(scx_features__enum_value(f, "BPF_MAP_TYPE_HASH", &v), 0);
	assert_int_equal(v, 1);
}

static void null_features(void **state)
{
	__s64 v = 5;

	assert_false(scx_features__has_sched_ext(NULL));
	assert_false(scx_features__has_kfunc(NULL, "scx_bpf_dsq_insert"));
	assert_false(scx_features__has_ops_field(NULL, "dispatch"));
	assert_false(scx_features__has_ops_flag(NULL, "SWITCH_PARTIAL"));
	assert_int_equal(scx_features__ops_flags_mask(NULL), 0);
	assert_true(scx_features__kfunc_nr_args(NULL, "scx_bpf_kick_cpu") < 0);
	assert_true(scx_features__enum_value(NULL, "SCX_DSQ_GLOBAL", &v) < 0);
	assert_int_equal(v, 5);
}

/* Facts common to both recorded kernels. */
static void check_common(struct scx_features *f)
{
	__s64 v = 0;
	int nr;

	assert_true(scx_features__has_sched_ext(f));
	assert_true(scx_features__has_kfunc(f, "scx_bpf_dsq_insert"));
	assert_int_equal(scx_features__kfunc_nr_args(f, "scx_bpf_dsq_insert"), 4);
	assert_false(scx_features__has_kfunc(f, "scx_bpf_no_such_kfunc"));
	assert_false(scx_features__has_kfunc(f, NULL));
	errno = 0;
	assert_int_equal(scx_features__kfunc_nr_args(f, "scx_bpf_no_such_kfunc"), -ENOENT);
	assert_int_equal(errno, ENOENT);

	nr = scx_features__kfunc_nr_args(f, "scx_bpf_kick_cpu");
	print_message("# scx_bpf_kick_cpu has %d parameters in this BTF\n", nr);
	assert_true(nr >= 2);

	assert_true(scx_features__has_ops_field(f, "dispatch"));
	assert_true(scx_features__has_ops_field(f, "name"));
	assert_true(scx_features__has_ops_field(f, "timeout_ms"));
	assert_true(scx_features__has_ops_field(f, "hotplug_seq"));
	assert_false(scx_features__has_ops_field(f, "no_such_field"));
	assert_false(scx_features__has_ops_field(f, ""));
	assert_false(scx_features__has_ops_field(f, NULL));

	assert_true(scx_features__has_ops_flag(f, "SWITCH_PARTIAL"));
	assert_true(scx_features__has_ops_flag(f, "SCX_OPS_SWITCH_PARTIAL"));
	assert_true(scx_features__has_ops_flag(f, "ENQ_LAST"));
	assert_false(scx_features__has_ops_flag(f, "NO_SUCH_FLAG"));
	assert_false(scx_features__has_ops_flag(f, "SCX_OPS_NO_SUCH_FLAG"));
	assert_false(scx_features__has_ops_flag(f, "switch_partial"));
	assert_false(scx_features__has_ops_flag(f, NULL));

	assert_int_equal(scx_features__enum_value(f, "SCX_DSQ_GLOBAL", &v), 0);
	assert_int_equal((__u64)v, SCX_DSQ_GLOBAL_VAL);
	assert_int_equal(scx_features__enum_value(f, "SCX_EXIT_ERROR_STALL", &v), 0);
	assert_int_equal(v, 1026);
	assert_int_equal(scx_features__enum_value(f, "SCX_OPS_SWITCH_PARTIAL", &v), 0);
	assert_int_equal(v, 8);
	errno = 0;
	assert_int_equal(scx_features__enum_value(f, "SCX_NO_SUCH_ENUMERATOR", &v), -ENOENT);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(scx_features__enum_value(f, "SCX_DSQ_GLOBAL", NULL), -EINVAL);
	assert_int_equal(scx_features__enum_value(f, NULL, &v), -EINVAL);

	assert_true(scx_features__ops_flags_mask(f) & 8);	/* SWITCH_PARTIAL */
}

/* NAME is a FUNC in the BTF at path: a "no" from has_kfunc then means "not a
 * kfunc", not "not there". */
static void assert_btf_func(const char *path, const char *name)
{
	struct btf *btf = btf__parse(path, NULL);

	assert_non_null(btf);
	assert_true(btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) > 0);
	btf__free(btf);
}

/*
 * Kernel functions that are not kfuncs: schedule() on every kernel, the
 * deprecated scx_bpf_dispatch that 6.16 still builds but no longer registers
 * (no "bpf_kfunc" tag there), and 7.3's scx_bpf_*_impl bodies behind the
 * implicit-argument kfuncs. All checked with bpftool btf dump.
 */
static void kfunc_tag(void **state)
{
	struct scx_features *old = OPEN_OLD(), *new = OPEN_NEW();
	const char *rel = old_release();

	assert_btf_func(u_btf(NULL, NULL, 0), "schedule");
	assert_false(scx_features__has_kfunc(old, "schedule"));
	assert_int_equal(scx_features__kfunc_nr_args(old, "schedule"), -ENOENT);
	assert_btf_func(u_btf("7.3", NULL, 1), "schedule");
	assert_false(scx_features__has_kfunc(new, "schedule"));
	assert_true(scx_features__has_kfunc(old, "scx_bpf_dsq_insert"));
	assert_true(scx_features__has_kfunc(new, "scx_bpf_dsq_insert"));
	assert_true(scx_features__has_kfunc(new, "scx_bpf_kick_cpu"));
	if (!strncmp(rel, "6.16.", 5)) {
		assert_btf_func(u_btf(NULL, NULL, 0), "scx_bpf_dispatch");
		assert_false(scx_features__has_kfunc(old, "scx_bpf_dispatch"));
	}
	assert_btf_func(u_btf("7.3", NULL, 1), "scx_bpf_dsq_insert_impl");
	assert_false(scx_features__has_kfunc(new, "scx_bpf_dsq_insert_impl"));
	assert_false(scx_features__has_kfunc(new, "scx_bpf_dispatch"));
	scx_features__free(old);
	scx_features__free(new);
}

/* BTF with no "bpf_kfunc" tag at all (a BPF object's): any FUNC counts. */
static void kfunc_untagged_btf(void **state)
{
	struct scx_features *f = scx_features__open(u_obj("unit_noops.bpf.o"));

	assert_non_null(f);
	assert_true(scx_features__has_kfunc(f, "unit_noops_prog"));
	assert_int_equal(scx_features__kfunc_nr_args(f, "unit_noops_prog"), 1);
	assert_false(scx_features__has_kfunc(f, "schedule"));
	scx_features__free(f);
}

static void recorded_old(void **state)
{
	struct scx_features *f = OPEN_OLD();
	const char *rel = old_release();
	int peek = by_release(rel, 0, 1);	/* scx_bpf_dsq_peek, ops.cgroup_set_idle */
	int cgw = by_release(rel, 1, 0);	/* SCX_OPS_HAS_CGROUP_WEIGHT (1 << 16) */
	int immed = by_release(rel, 0, 1);	/* SCX_OPS_ALWAYS_ENQ_IMMED (1 << 7) */

	print_message("# oldest recorded kernel %s: dsq_peek %d, HAS_CGROUP_WEIGHT %d, "
		      "ALWAYS_ENQ_IMMED %d (-1: not asserted)\n", rel, peek, cgw, immed);
	check_common(f);
	if (peek >= 0) {
		assert_int_equal(scx_features__has_kfunc(f, "scx_bpf_dsq_peek"), peek);
		assert_int_equal(scx_features__has_ops_field(f, "cgroup_set_idle"), peek);
	}
	if (peek == 0)
		assert_int_equal(scx_features__kfunc_nr_args(f, "scx_bpf_dsq_peek"), -ENOENT);
	if (cgw >= 0) {
		assert_int_equal(scx_features__has_ops_flag(f, "HAS_CGROUP_WEIGHT"), cgw);
		assert_int_equal(!!(scx_features__ops_flags_mask(f) & (1ULL << 16)), cgw);
	}
	if (immed >= 0) {
		assert_int_equal(scx_features__has_ops_flag(f, "ALWAYS_ENQ_IMMED"), immed);
		assert_int_equal(!!(scx_features__ops_flags_mask(f) & (1ULL << 7)), immed);
	}
	scx_features__free(f);
}

static void recorded_new(void **state)
{
	struct scx_features *f = OPEN_NEW();

	check_common(f);
	assert_true(scx_features__has_kfunc(f, "scx_bpf_dsq_peek"));
	assert_true(scx_features__has_ops_field(f, "cgroup_set_idle"));
	assert_true(scx_features__has_ops_flag(f, "ALWAYS_ENQ_IMMED"));
	assert_true(scx_features__ops_flags_mask(f) & (1ULL << 7));
	scx_features__free(f);
}

/* Two probes of different kernels live side by side. */
static void recorded_both_open(void **state)
{
	struct scx_features *old = OPEN_OLD(), *new = OPEN_NEW();

	assert_ptr_not_equal(old, new);
	/* each answers for its own kernel, not the other's */
	if (by_release(old_release(), 0, 1) >= 0)
		assert_int_equal(scx_features__has_kfunc(old, "scx_bpf_dsq_peek"),
				 by_release(old_release(), 0, 1));
	assert_true(scx_features__has_kfunc(new, "scx_bpf_dsq_peek"));
	scx_features__free(old);
	assert_true(scx_features__has_ops_field(new, "cgroup_set_idle"));
	scx_features__free(new);
}

/*
 * ops_flags_mask() is "every flag bit of enum scx_ops_flags this kernel
 * accepts". The kernel accepts exactly SCX_OPS_ALL_FLAGS (bpf_scx_init_member()
 * refuses flags & ~SCX_OPS_ALL_FLAGS); the enum also holds internal bits
 * (__SCX_OPS_INTERNAL_MASK: SCX_OPS_HAS_CPU_PREEMPT = 1 << 56) that it refuses.
 */
static void check_mask(struct scx_features *f)
{
	__s64 all, internal;
	__u64 mask = scx_features__ops_flags_mask(f);

	assert_int_equal(scx_features__enum_value(f, "SCX_OPS_ALL_FLAGS", &all), 0);
	assert_int_equal(scx_features__enum_value(f, "__SCX_OPS_INTERNAL_MASK", &internal), 0);
	if (mask & (__u64)internal)
		fail_msg("ops_flags_mask 0x%llx has internal bits 0x%llx the kernel refuses",
			 (unsigned long long)mask, (unsigned long long)(mask & (__u64)internal));
	assert_int_equal(mask, (__u64)all);
}

static void ops_flags_mask_old(void **state)
{
	struct scx_features *f = OPEN_OLD();

	check_mask(f);
	scx_features__free(f);
}

static void ops_flags_mask_new(void **state)
{
	struct scx_features *f = OPEN_NEW();

	check_mask(f);
	scx_features__free(f);
}

/*
 * has_ops_flag() answers for enum scx_ops_flags only. SCX_OPS_NAME_LEN is an
 * enumerator of enum scx_public_consts (the length of ops.name), not a flag,
 * yet its name has the SCX_OPS_ prefix.
 */
static void ops_flag_only_from_ops_flags(void **state)
{
	struct scx_features *f = OPEN_NEW();
	__s64 v;

	assert_int_equal(scx_features__enum_value(f, "SCX_OPS_NAME_LEN", &v), 0);
	assert_int_equal(v, 128);
	if (scx_features__has_ops_flag(f, "NAME_LEN") || scx_features__has_ops_flag(f, "SCX_OPS_NAME_LEN")) {
		scx_features__free(f);
		fail_msg("has_ops_flag(\"NAME_LEN\") is true: SCX_OPS_NAME_LEN is in enum "
			 "scx_public_consts, not enum scx_ops_flags");
	}
	scx_features__free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_missing),
		cmocka_unit_test(open_not_btf),
		cmocka_unit_test(open_bpf_object),
		cmocka_unit_test(running_kernel),
		cmocka_unit_test(null_features),
		cmocka_unit_test(kfunc_tag),
		cmocka_unit_test(kfunc_untagged_btf),
		cmocka_unit_test(recorded_old),
		cmocka_unit_test(recorded_new),
		cmocka_unit_test(recorded_both_open),
		cmocka_unit_test(ops_flags_mask_old),
		cmocka_unit_test(ops_flags_mask_new),
		cmocka_unit_test(ops_flag_only_from_ops_flags),
	};

	return cmocka_run_group_tests_name("features", tests, u_setup_log, NULL);
}
