// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: the library's globals from strings (libscx/globals_str.c),
 * which `--set NAME=VALUE` of scxtool and of every scheduler's command line
 * use, against the BTF types of build/tests/vm/scxtool_vars.bpf.o (opened,
 * never loaded, so it runs on any kernel): integers of every width and sign
 * at their limits, booleans, char arrays, enums by name and number (signed,
 * 64-bit), and every error (unknown name, bad number, out of range, too
 * long, unsupported type); then scx_sched__set_global_str() on a scheduler
 * handle (raw_fifo, opened with recorded BTF): the value reaches the global,
 * a refusal is logged, and each documented errno. Skips when the object is
 * not built or no recorded BTF is available.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>
#include <scx/scx.h>

#include "globals_str.h"
#include "unit_util.h"

static struct bpf_object *obj;

static int setup(void **state)
{
	const char *path = u_obj("scxtool_vars.bpf.o");

	libbpf_set_print(NULL);
	if (access(path, R_OK))
		return 0;
	obj = bpf_object__open_file(path, NULL);
	return obj ? 0 : -1;
}

static int teardown(void **state)
{
	bpf_object__close(obj);
	return 0;
}

#define REQUIRE_OBJ()								\
	do {									\
		if (!obj) {							\
			print_message("# %s not built (make)\n", u_obj("scxtool_vars.bpf.o")); \
			skip();							\
		}								\
	} while (0)

static char err[1024];

/* "NAME=VALUE" split as --set splits it, then parsed against o's BTF. */
static int parse(struct bpf_object *o, const char *arg, void **buf, size_t *size)
{
	char name[512];
	const char *eq = strchr(arg, '=');

	assert_non_null(eq);
	assert_true((size_t)(eq - arg) < sizeof(name));
	memcpy(name, arg, eq - arg);
	name[eq - arg] = '\0';
	err[0] = '\0';
	return scx__global_parse_str(bpf_object__btf(o), name, eq + 1, buf, size, err, sizeof(err));
}

/* Parse arg, expect success, return the value as an unsigned integer. */
static uint64_t ok(const char *arg, size_t size)
{
	size_t got = 0;
	void *buf = NULL;
	uint64_t v = 0;
	int ret;

	ret = parse(obj, arg, &buf, &got);
	if (ret)
		print_message("# %s: %s\n", arg, err);
	assert_int_equal(ret, 0);
	assert_int_equal(got, size);
	assert_true(size <= sizeof(v));
	memcpy(&v, buf, size);	/* little-endian host and target */
	free(buf);
	return v;
}

/* Parse arg, expect error code and a message containing needle. */
static void bad(const char *arg, int code, const char *needle)
{
	void *buf = (void *)1;
	size_t size = 1;
	int ret;

	ret = parse(obj, arg, &buf, &size);
	if (ret != code || !strstr(err, needle))
		print_message("# %s: got %d '%s', want %d '%s'\n", arg, ret, err, code, needle);
	assert_int_equal(ret, code);
	assert_non_null(strstr(err, needle));
	assert_null(buf);
	assert_int_equal(size, 0);
}

static void test_unsigned(void **state)
{
	REQUIRE_OBJ();
	assert_int_equal(ok("v_u8=0", 1), 0);
	assert_int_equal(ok("v_u8=255", 1), 255);
	assert_int_equal(ok("v_u8=0xff", 1), 255);
	assert_int_equal(ok("v_u8=010", 1), 8);
	bad("v_u8=256", -ERANGE, "out of range for 'v_u8' (u8: 0..255)");
	bad("v_u8=-1", -ERANGE, "(u8: 0..255)");
	assert_int_equal(ok("v_u16=65535", 2), 65535);
	bad("v_u16=65536", -ERANGE, "u16: 0..65535");
	assert_int_equal(ok("v_u32=4294967295", 4), 4294967295u);
	bad("v_u32=4294967296", -ERANGE, "u32: 0..4294967295");
	assert_true(ok("v_u64=18446744073709551615", 8) == UINT64_MAX);
	bad("v_u64=18446744073709551616", -ERANGE, "u64: 0..18446744073709551615");
	assert_int_equal(ok("v_bss=7", 8), 7);
}

static void test_signed(void **state)
{
	REQUIRE_OBJ();
	assert_int_equal((int8_t)ok("v_s8=-128", 1), -128);
	assert_int_equal((int8_t)ok("v_s8=127", 1), 127);
	bad("v_s8=128", -ERANGE, "s8: -128..127");
	bad("v_s8=-129", -ERANGE, "s8: -128..127");
	assert_int_equal((int16_t)ok("v_s16=-32768", 2), -32768);
	bad("v_s16=32768", -ERANGE, "s16: -32768..32767");
	assert_int_equal((int32_t)ok("v_s32=-2147483648", 4), INT32_MIN);
	assert_int_equal((int32_t)ok("v_s32=-0x10", 4), -16);
	bad("v_s32=2147483648", -ERANGE, "s32: -2147483648..2147483647");
	assert_true((int64_t)ok("v_s64=-9223372036854775808", 8) == INT64_MIN);
	assert_true((int64_t)ok("v_s64=9223372036854775807", 8) == INT64_MAX);
	bad("v_s64=9223372036854775808", -ERANGE, "s64:");
	bad("v_s64=-9223372036854775809", -ERANGE, "s64:");
	assert_int_equal(ok("v_data=-5", 4), (uint32_t)-5);
}

static void test_numbers_malformed(void **state)
{
	REQUIRE_OBJ();
	bad("v_u32=abc", -EINVAL, "'abc' is not a number, as 'v_u32' (u32) needs");
	bad("v_u32=", -EINVAL, "is not a number");
	bad("v_u32=12x", -EINVAL, "is not a number");
	bad("v_u32= 1", -EINVAL, "is not a number");
	bad("v_u32=+1", -EINVAL, "is not a number");
	bad("v_u32=1.5", -EINVAL, "is not a number");
	bad("v_s32=--1", -EINVAL, "is not a number");
	bad("v_u8=0x", -EINVAL, "is not a number");
}

static void test_bool(void **state)
{
	REQUIRE_OBJ();
	assert_int_equal(ok("v_bool=true", 1), 1);
	assert_int_equal(ok("v_bool=false", 1), 0);
	assert_int_equal(ok("v_bool=1", 1), 1);
	assert_int_equal(ok("v_bool=0", 1), 0);
	assert_int_equal(ok("v_bool=TRUE", 1), 1);
	bad("v_bool=2", -EINVAL, "is not a boolean, as 'v_bool' needs (true, false, 1 or 0)");
	bad("v_bool=yes", -EINVAL, "not a boolean");
	bad("v_bool=", -EINVAL, "not a boolean");
}

static void test_string(void **state)
{
	size_t size;
	void *buf;

	REQUIRE_OBJ();
	assert_int_equal(parse(obj, "v_name=hello", &buf, &size), 0);
	assert_int_equal(size, 16);
	assert_memory_equal(buf, "hello\0\0\0\0\0\0\0\0\0\0\0", 16);
	free(buf);
	/* '=' after the first belongs to the value; empty is allowed */
	assert_int_equal(parse(obj, "v_name=a=b", &buf, &size), 0);
	assert_string_equal((char *)buf, "a=b");
	free(buf);
	assert_int_equal(parse(obj, "v_name=", &buf, &size), 0);
	assert_int_equal(((char *)buf)[0], 0);
	free(buf);
	assert_int_equal(parse(obj, "v_name=123456789012345", &buf, &size), 0);
	free(buf);
	bad("v_name=1234567890123456", -ERANGE, "too long for 'v_name' (char[16]: at most 15 characters)");
}

static void test_enum(void **state)
{
	REQUIRE_OBJ();
	assert_int_equal(ok("v_color=COLOR_RED", 4), 0);
	assert_int_equal(ok("v_color=COLOR_GREEN", 4), 5);
	assert_int_equal(ok("v_color=COLOR_BLUE", 4), 7);
	assert_int_equal(ok("v_color=3", 4), 3);	/* any number fits */
	bad("v_color=COLOR_PINK", -EINVAL,
	    "'COLOR_PINK' is not a value of enum scxtool_color for 'v_color' "
	    "(COLOR_RED, COLOR_GREEN, COLOR_BLUE, or a number)");
	bad("v_color=color_red", -EINVAL, "not a value of enum scxtool_color");
	bad("v_color=-1", -ERANGE, "out of range");
	bad("v_color=4294967296", -ERANGE, "out of range");
	assert_int_equal((int32_t)ok("v_signed=SIGNED_MINUS", 4), -3);
	assert_int_equal((int32_t)ok("v_signed=-7", 4), -7);
	assert_int_equal(ok("v_signed=SIGNED_TWO", 4), 2);
	bad("v_signed=2147483648", -ERANGE, "-2147483648..2147483647");
	assert_true(ok("v_wide=WIDE_BIG", 8) == 0x100000000ULL);
	assert_int_equal(ok("v_wide=WIDE_SMALL", 8), 1);
	assert_true(ok("v_wide=0xffffffffffffffff", 8) == UINT64_MAX);
}

static void test_errors(void **state)
{
	REQUIRE_OBJ();
	/* "NAME=VALUE" syntax is the command lines' (test_cli.c, test_scxtool_cli.c) */
	bad("nope=1", -ENOENT, "no global variable 'nope' in the object (it has: ");
	bad("nope=1", -ENOENT, "v_u8");
	/* the license and other non-data sections are not variables */
	bad("_license=x", -ENOENT, "no global variable '_license'");
	bad("v_array=1", -EOPNOTSUPP, "'v_array' has a type that cannot be set from a string");
	bad("v_pair=1", -EOPNOTSUPP, "'v_pair' has a type that cannot be set from a string");
	{
		char arg[300];

		memset(arg, 'x', 200);
		strcpy(arg + 200, "=1");
		bad(arg, -ENOENT, "no global variable");
	}
}

/*
 * An object that is not ours (raw_fifo, written without libscx) through the
 * public function: the value reaches the global, refusals are logged with
 * their reason and leave it alone, and each documented errno.
 */
static void test_sched_set_global_str(void **state)
{
	SCX_OPTS(scx_sched_opts, o);
	struct scx_sched *s;
	int32_t v32 = 0;
	uint64_t v64 = 0;

	U_REQUIRE_BTF(o.btf_path);
	u_setup_log(NULL);
	s = scx_sched__open_file(u_obj("raw_fifo.bpf.o"), &o);
	if (!s)
		fail_msg("open raw_fifo.bpf.o: %s\n%s", strerror(errno), u_log);
	assert_int_equal(scx_sched__set_global_str(s, "error_after", "20"), 0);
	assert_int_equal(scx_sched__get_global(s, "error_after", &v32, sizeof(v32)), 0);
	assert_int_equal(v32, 20);
	assert_int_equal(scx_sched__set_global_str(s, "nr_enqueued", "0x10"), 0);
	assert_int_equal(scx_sched__get_global(s, "nr_enqueued", &v64, sizeof(v64)), 0);
	assert_int_equal(v64, 16);

	u_log_clear();
	errno = 0;
	assert_int_equal(scx_sched__set_global_str(s, "error_after", "abc"), -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_true(u_log_has("set error_after=abc: 'abc' is not a number, as 'error_after' (s32) needs"));
	assert_int_equal(scx_sched__get_global(s, "error_after", &v32, sizeof(v32)), 0);
	assert_int_equal(v32, 20);
	assert_int_equal(scx_sched__set_global_str(s, "error_after", "2147483648"), -ERANGE);
	assert_true(u_log_has("out of range for 'error_after'"));
	assert_int_equal(scx_sched__set_global_str(s, "nope", "1"), -ENOENT);
	assert_true(u_log_has("no global variable 'nope' in the object (it has: "));
	assert_int_equal(scx_sched__set_global_str(s, "uei", "1"), -EOPNOTSUPP);
	assert_int_equal(scx_sched__set_global_str(s, "", "1"), -EINVAL);
	assert_int_equal(scx_sched__set_global_str(s, "error_after", NULL), -EINVAL);
	assert_int_equal(scx_sched__set_global_str(NULL, "error_after", "1"), -EINVAL);
	scx_sched__destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unsigned),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_numbers_malformed),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_string),
		cmocka_unit_test(test_enum),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_sched_set_global_str),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
