// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: opening a scheduler on the host: bad paths (FIFOs, devices,
 * directories, files above the 256 MiB cap), buffers and files
 * (each refused with its documented errno, never a crash), objects with no or
 * two sched_ext_ops maps, a real scheduler on this kernel without sched_ext
 * (EOPNOTSUPP with advice), and every scx_sched__* method given NULL.
 * Objects come from the tests/vm BPF sources, built under TEST_BUILDDIR/tests/vm.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cmocka.h>

#include <scx/sched.h>
#include <scx/features.h>

#include "unit_util.h"

/* A scratch file holding LEN bytes of DATA; returns its path. */
static const char *scratch_file(const void *data, size_t len)
{
	static char path[] = "/tmp/libscx-unit-XXXXXX";
	int fd;

	strcpy(path, "/tmp/libscx-unit-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

/* Expect open to fail with errno WANT. */
#define assert_open_fails(expr, want)						\
	do {									\
		struct scx_sched *s_;						\
		errno = 0;							\
		s_ = (expr);							\
		if (s_)								\
			scx_sched__destroy(s_);					\
		assert_null(s_);						\
		assert_int_equal(errno, (want));				\
	} while (0)

static bool host_has_sched_ext(void)
{
	const struct scx_features *f = scx_features__running();

	return f && scx_features__has_sched_ext(f);
}

static void open_file_missing(void **state)
{
	u_log_clear();
	assert_open_fails(scx_sched__open_file("/nonexistent/libscx/x.bpf.o", NULL), ENOENT);
	assert_true(u_log_has("x.bpf.o"));
}

static void open_file_directory(void **state)
{
	struct scx_sched *s;

	u_log_clear();
	errno = 0;
	s = scx_sched__open_file("/tmp", NULL);
	assert_null(s);
	assert_int_equal(errno, EISDIR);
	assert_true(u_log_has("/tmp: is a directory"));
}

/* Paths that are not regular files: refused before any read, so that a
 * FIFO or an endless device cannot hang the caller or fill its memory. */
static void open_file_fifo(void **state)
{
	char path[64] = "/tmp/libscx-unit-fifo-XXXXXX";

	assert_non_null(mkdtemp(path));
	strcat(path, "/obj");
	assert_int_equal(mkfifo(path, 0600), 0);
	u_log_clear();
	/* without a writer, a blocking open of the FIFO would never return */
	assert_open_fails(scx_sched__open_file(path, NULL), EINVAL);
	assert_true(u_log_has(path));
	assert_true(u_log_has("a FIFO"));
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
}

static void open_file_dev_zero(void **state)
{
	u_log_clear();
	assert_open_fails(scx_sched__open_file("/dev/zero", NULL), EINVAL);
	assert_true(u_log_has("/dev/zero"));
	assert_true(u_log_has("a character device"));
}

/* A sparse file beyond the documented 256 MiB cap: EFBIG, nothing read. */
static void open_file_too_big(void **state)
{
	const char *p = scratch_file("\177ELF", 4);

	assert_int_equal(truncate(p, (256LL << 20) + 1), 0);
	u_log_clear();
	assert_open_fails(scx_sched__open_file(p, NULL), EFBIG);
	assert_true(u_log_has(p));
	assert_true(u_log_has("256 MiB"));
	unlink(p);
}

static void open_file_empty(void **state)
{
	const char *p = scratch_file("", 0);

	u_log_clear();
	assert_open_fails(scx_sched__open_file(p, NULL), EINVAL);
	assert_true(u_log_has("not an ELF"));
	unlink(p);
}

static void open_file_not_elf(void **state)
{
	static const char text[] = "#!/bin/sh\necho this is not a BPF object\n";
	const char *p = scratch_file(text, sizeof(text) - 1);

	u_log_clear();
	assert_open_fails(scx_sched__open_file(p, NULL), EINVAL);
	assert_true(u_log_has("not an ELF"));
	unlink(p);
}

/* An ELF header and nothing else: past the magic check, refused by libbpf. */
static void open_file_truncated_elf(void **state)
{
	char buf[64] = "\177ELF\2\1\1";
	const char *p = scratch_file(buf, sizeof(buf));

	assert_open_fails(scx_sched__open_file(p, NULL), EINVAL);
	unlink(p);
}

static void open_file_null_or_empty_path(void **state)
{
	assert_open_fails(scx_sched__open_file(NULL, NULL), EINVAL);
	assert_open_fails(scx_sched__open_file("", NULL), EINVAL);
}

static void open_mem_null_or_zero(void **state)
{
	char byte = 0;

	assert_open_fails(scx_sched__open_mem(NULL, 0, NULL), EINVAL);
	assert_open_fails(scx_sched__open_mem(NULL, 100, NULL), EINVAL);
	assert_open_fails(scx_sched__open_mem(&byte, 0, NULL), EINVAL);
}

static void open_mem_garbage(void **state)
{
	unsigned char junk[4096];
	size_t i;

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 131 + 7);
	assert_open_fails(scx_sched__open_mem(junk, sizeof(junk), NULL), EINVAL);
	/* garbage after a valid ELF magic */
	memcpy(junk, "\177ELF", 4);
	assert_open_fails(scx_sched__open_mem(junk, sizeof(junk), NULL), EINVAL);
}

static void open_mem_from_file_bytes(void **state)
{
	FILE *f = fopen(u_obj("unit_noops.bpf.o"), "rb");
	static char buf[1 << 20];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_true(n > 0 && n < sizeof(buf));
	/* the buffer path reaches the same checks as the file path */
	assert_open_fails(scx_sched__open_mem(buf, n, NULL), ESRCH);
}

static void no_ops_map(void **state)
{
	u_log_clear();
	assert_open_fails(scx_sched__open_file(u_obj("unit_noops.bpf.o"), NULL), ESRCH);
	assert_true(u_log_has("sched_ext_ops"));
	assert_true(u_log_has("unit_noops.bpf.o"));
}

static void two_ops_maps(void **state)
{
	u_log_clear();
	assert_open_fails(scx_sched__open_file(u_obj("unit_twoops.bpf.o"), NULL), ENOTUNIQ);
	assert_true(u_log_has("ops_map"));
}

static void ops_map_names_a_missing_map(void **state)
{
	SCX_OPTS(scx_sched_opts, o, .ops_map = "no_such_ops");

	u_log_clear();
	assert_open_fails(scx_sched__open_file(u_obj("unit_twoops.bpf.o"), &o), ESRCH);
	assert_true(u_log_has("no_such_ops"));
	/* a single-ops object: ops_map must still match */
	assert_open_fails(scx_sched__open_file(u_obj("raw_fifo.bpf.o"), &o), ESRCH);
}

/* Naming one of the two maps gets past the uniqueness check: what follows is
 * the kernel probe, which fails here and succeeds against recorded BTF. */
static void two_ops_maps_pick_one(void **state)
{
	SCX_OPTS(scx_sched_opts, o, .ops_map = "second_ops");
	const char *btf = u_btf(NULL, NULL, 1);
	struct scx_sched *s;

	if (!host_has_sched_ext())
		assert_open_fails(scx_sched__open_file(u_obj("unit_twoops.bpf.o"), &o), EOPNOTSUPP);
	if (!btf) {
		print_message("# second half needs recorded BTF; " U_BTF_HOWTO "\n");
		skip();
	}
	o.btf_path = btf;
	s = scx_sched__open_file(u_obj("unit_twoops.bpf.o"), &o);
	if (!s)
		fail_msg("open with ops_map and %s: %s\n%s", btf, strerror(errno), u_log);
	assert_string_equal(scx_sched__name(s), "unit_second");
	scx_sched__destroy(s);

	o.ops_map = "first_ops";
	s = scx_sched__open_file(u_obj("unit_twoops.bpf.o"), &o);
	assert_non_null(s);
	assert_string_equal(scx_sched__name(s), "unit_first");
	scx_sched__destroy(s);
}

static void no_sched_ext_on_host(void **state)
{
	if (host_has_sched_ext()) {
		print_message("# this kernel has sched_ext; the EOPNOTSUPP path needs one without\n");
		skip();
	}
	u_log_clear();
	assert_open_fails(scx_sched__open_file(u_obj("raw_fifo.bpf.o"), NULL), EOPNOTSUPP);
	assert_true(u_log_has("CONFIG_SCHED_CLASS_EXT"));
	assert_true(u_log_has("tools/scx-vm"));
}

/* Every message starts with "libscx: " and ends with a newline. */
static void messages_are_prefixed(void **state)
{
	const char *p;

	u_log_clear();
	assert_open_fails(scx_sched__open_file(u_obj("unit_noops.bpf.o"), NULL), ESRCH);
	assert_true(u_log_len > 0);
	assert_int_equal(strncmp(u_log, "libscx: ", 8), 0);
	assert_int_equal(u_log[u_log_len - 1], '\n');
	for (p = u_log; (p = strchr(p, '\n')) && p[1]; p++)
		assert_int_equal(strncmp(p + 1, "libscx: ", 8), 0);
}

/* A NULL print callback silences the library; scx_set_print returns the old one. */
static void print_callback_null(void **state)
{
	scx_print_fn_t old = scx_set_print(NULL);

	u_log_clear();
	assert_open_fails(scx_sched__open_file(u_obj("unit_noops.bpf.o"), NULL), ESRCH);
	assert_int_equal(u_log_len, 0);
	assert_null(scx_set_print(old));
	assert_open_fails(scx_sched__open_file(u_obj("unit_noops.bpf.o"), NULL), ESRCH);
	assert_true(u_log_len > 0);
}

static void null_handle(void **state)
{
	__u64 v = 0;

	scx_sched__destroy(NULL);
	assert_int_equal(scx_sched__detach(NULL), 0);
	errno = 0;
	assert_int_equal(scx_sched__wait(NULL, 0), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(scx_sched__wait(NULL, -1), -EINVAL);
	assert_true(scx_sched__fd(NULL) < 0);
	assert_null(scx_sched__exit_info(NULL));
	assert_string_equal(scx_sched__name(NULL), "");
	assert_null(scx_sched__object(NULL));
	assert_false(scx_sched__exited(NULL));
	assert_int_equal(scx_sched__load(NULL), -EINVAL);
	assert_int_equal(scx_sched__attach(NULL), -EINVAL);
	assert_int_equal(scx_sched__set_global(NULL, "x", &v, sizeof(v)), -EINVAL);
	assert_int_equal(scx_sched__get_global(NULL, "x", &v, sizeof(v)), -EINVAL);
	assert_int_equal(scx_sched__restarts(NULL), 0);
	assert_null(scx_sched__from_object(NULL, NULL));
	assert_int_equal(errno, EINVAL);
}

/* On a handle that was opened but never loaded or attached. */
static void unattached_handle(void **state)
{
	const char *btf;
	struct scx_sched *s;
	SCX_OPTS(scx_sched_opts, o);

	U_REQUIRE_BTF(btf);
	o.btf_path = btf;
	s = scx_sched__open_file(u_obj("raw_fifo.bpf.o"), &o);
	assert_non_null(s);
	assert_non_null(scx_sched__object(s));
	assert_int_equal(scx_sched__fd(s), -EINVAL);
	assert_int_equal(scx_sched__wait(s, 0), -EINVAL);
	assert_false(scx_sched__exited(s));
	errno = 0;
	assert_null(scx_sched__exit_info(s));
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(scx_sched__detach(s), 0);
	assert_int_equal(scx_sched__detach(s), 0);
	u_log_clear();
	assert_int_equal(scx_sched__attach(s), -EINVAL);
	assert_true(u_log_has("load"));
	assert_int_equal(scx_sched__restarts(s), 0);
	scx_sched__destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_file_missing),
		cmocka_unit_test(open_file_directory),
		cmocka_unit_test(open_file_fifo),
		cmocka_unit_test(open_file_dev_zero),
		cmocka_unit_test(open_file_too_big),
		cmocka_unit_test(open_file_empty),
		cmocka_unit_test(open_file_not_elf),
		cmocka_unit_test(open_file_truncated_elf),
		cmocka_unit_test(open_file_null_or_empty_path),
		cmocka_unit_test(open_mem_null_or_zero),
		cmocka_unit_test(open_mem_garbage),
		cmocka_unit_test(open_mem_from_file_bytes),
		cmocka_unit_test(no_ops_map),
		cmocka_unit_test(two_ops_maps),
		cmocka_unit_test(ops_map_names_a_missing_map),
		cmocka_unit_test(two_ops_maps_pick_one),
		cmocka_unit_test(no_sched_ext_on_host),
		cmocka_unit_test(messages_are_prefixed),
		cmocka_unit_test(print_callback_null),
		cmocka_unit_test(null_handle),
		cmocka_unit_test(unattached_handle),
	};

	return cmocka_run_group_tests_name("core_open", tests, u_setup_log, NULL);
}
