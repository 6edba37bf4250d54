// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: `scxtool run --set NAME=VALUE` parsing against the BTF types of
 * build/tests/vm/scxtool_vars.bpf.o (opened, never loaded, so it runs on any
 * kernel): integers of every width and sign at their limits, booleans, char
 * arrays, enums by name and number (signed, 64-bit), and every error (no
 * '=', unknown name, bad number, out of range, too long, unsupported type).
 * Compiles tools/scxtool/set.c in. Skips when the object is not built.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../tools/scxtool/set.c"
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

/* Parse arg, expect success, return the value as an unsigned integer. */
static uint64_t ok(const char *arg, size_t size)
{
	struct scxtool_set set;
	uint64_t v = 0;
	int ret;

	ret = scxtool_parse_set(obj, arg, &set, err, sizeof(err));
	if (ret)
		print_message("# %s: %s\n", arg, err);
	assert_int_equal(ret, 0);
	assert_int_equal(set.size, size);
	assert_true(size <= sizeof(v));
	memcpy(&v, set.val, size);	/* little-endian host and target */
	scxtool_set__free(&set);
	return v;
}

/* Parse arg, expect error code and a message containing needle. */
static void bad(const char *arg, int code, const char *needle)
{
	struct scxtool_set set;
	int ret;

	err[0] = '\0';
	ret = scxtool_parse_set(obj, arg, &set, err, sizeof(err));
	if (ret != code || !strstr(err, needle))
		print_message("# %s: got %d '%s', want %d '%s'\n", arg, ret, err, code, needle);
	assert_int_equal(ret, code);
	assert_non_null(strstr(err, needle));
	assert_null(set.val);
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
	struct scxtool_set set;

	REQUIRE_OBJ();
	assert_int_equal(scxtool_parse_set(obj, "v_name=hello", &set, err, sizeof(err)), 0);
	assert_int_equal(set.size, 16);
	assert_memory_equal(set.val, "hello\0\0\0\0\0\0\0\0\0\0\0", 16);
	scxtool_set__free(&set);
	/* '=' after the first belongs to the value; empty is allowed */
	assert_int_equal(scxtool_parse_set(obj, "v_name=a=b", &set, err, sizeof(err)), 0);
	assert_string_equal((char *)set.val, "a=b");
	scxtool_set__free(&set);
	assert_int_equal(scxtool_parse_set(obj, "v_name=", &set, err, sizeof(err)), 0);
	assert_int_equal(set.val[0], 0);
	scxtool_set__free(&set);
	assert_int_equal(scxtool_parse_set(obj, "v_name=123456789012345", &set, err, sizeof(err)), 0);
	scxtool_set__free(&set);
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
	bad("v_u8", -EINVAL, "'v_u8' is not NAME=VALUE");
	bad("=1", -EINVAL, "is not NAME=VALUE");
	bad("nope=1", -ENOENT, "no global variable 'nope' in the object (it has: ");
	bad("nope=1", -ENOENT, "v_u8");
	/* the license and other non-data sections are not variables */
	bad("_license=x", -ENOENT, "no global variable '_license'");
	bad("v_array=1", -EOPNOTSUPP, "'v_array' has a type --set cannot write");
	bad("v_pair=1", -EOPNOTSUPP, "'v_pair' has a type --set cannot write");
	{
		char arg[300];

		memset(arg, 'x', 200);
		strcpy(arg + 200, "=1");
		bad(arg, -ENOENT, "no global variable");
	}
}

/* An object that is not ours: raw_fifo, written without libscx. */
static void test_raw_fifo(void **state)
{
	struct bpf_object *raw;
	struct scxtool_set set;

	raw = bpf_object__open_file(u_obj("raw_fifo.bpf.o"), NULL);
	if (!raw)
		skip();
	assert_int_equal(scxtool_parse_set(raw, "error_after=20", &set, err, sizeof(err)), 0);
	assert_int_equal(set.size, 4);
	assert_int_equal(*(int32_t *)set.val, 20);
	scxtool_set__free(&set);
	assert_int_equal(scxtool_parse_set(raw, "nr_enqueued=5", &set, err, sizeof(err)), 0);
	assert_int_equal(set.size, 8);
	scxtool_set__free(&set);
	assert_int_equal(scxtool_parse_set(raw, "uei=1", &set, err, sizeof(err)), -EOPNOTSUPP);
	assert_int_equal(scxtool_parse_set(raw, "starve_pid=x", &set, err, sizeof(err)), -EINVAL);
	bpf_object__close(raw);
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
		cmocka_unit_test(test_raw_fifo),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
