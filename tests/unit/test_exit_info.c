// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: exit information without a kernel: kind names and the error
 * test for every kind the kernel defines (and values it does not), decoding
 * of 64-bit exit codes into user code, reason and action, and the getters on
 * NULL and on a filled record (built through libscx's private header).
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

#include <scx/exit.h>
#include "exit_priv.h"

static const struct {
	enum scx_exit_kind kind;
	int value;
	const char *name;
	bool error;
} kinds[] = {
	{ SCX_EXIT_NONE,	0,	"NONE",		false },
	{ SCX_EXIT_DONE,	1,	"DONE",		false },
	{ SCX_EXIT_UNREG,	64,	"UNREG",	false },
	{ SCX_EXIT_UNREG_BPF,	65,	"UNREG_BPF",	false },
	{ SCX_EXIT_UNREG_KERN,	66,	"UNREG_KERN",	false },
	{ SCX_EXIT_SYSRQ,	67,	"SYSRQ",	false },
	{ SCX_EXIT_PARENT,	68,	"PARENT",	false },
	{ SCX_EXIT_ERROR,	1024,	"ERROR",	true },
	{ SCX_EXIT_ERROR_BPF,	1025,	"ERROR_BPF",	true },
	{ SCX_EXIT_ERROR_STALL,	1026,	"ERROR_STALL",	true },
};

/* The enum's values are the kernel's ABI: they must never move. */
static void kind_values(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		assert_int_equal(kinds[i].kind, kinds[i].value);
}

static void kind_str(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		assert_string_equal(scx_exit_kind__str(kinds[i].kind), kinds[i].name);
}

static void kind_str_unknown(void **state)
{
	static const int unknown[] = { 2, 63, 69, 100, 1023, 1027, 4096, -1, INT32_MAX, INT32_MIN };
	size_t i;

	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		const char *s = scx_exit_kind__str((enum scx_exit_kind)unknown[i]);

		assert_non_null(s);
		assert_string_equal(s, "UNKNOWN");
	}
}

static void kind_is_error(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (scx_exit_kind__is_error(kinds[i].kind) != kinds[i].error)
			fail_msg("is_error(%s) is %d", kinds[i].name, !kinds[i].error);
	/* "SCX_EXIT_ERROR and above", unknown ones included */
	assert_true(scx_exit_kind__is_error((enum scx_exit_kind)1027));
	assert_true(scx_exit_kind__is_error((enum scx_exit_kind)2048));
	assert_false(scx_exit_kind__is_error((enum scx_exit_kind)1023));
}

static void code_decode(void **state)
{
	/* restart | hotplug | user code 7: what the kernel gives on hotplug */
	__s64 c = (__s64)((1ULL << 48) | (1ULL << 32) | 7);

	assert_int_equal(scx_exit_code__user(c), 7);
	assert_int_equal(scx_exit_code__reason(c), 1);
	assert_int_equal(scx_exit_code__action(c), 1);
	assert_true(scx_exit_code__restart(c));
	assert_int_equal((__u64)c, SCX_EXIT_ACTION_RESTART | SCX_EXIT_REASON_HOTPLUG | 7);

	c = 0;
	assert_int_equal(scx_exit_code__user(c), 0);
	assert_int_equal(scx_exit_code__reason(c), 0);
	assert_int_equal(scx_exit_code__action(c), 0);
	assert_false(scx_exit_code__restart(c));

	/* a reason without the restart action */
	c = (__s64)SCX_EXIT_REASON_HOTPLUG;
	assert_int_equal(scx_exit_code__reason(c), 1);
	assert_false(scx_exit_code__restart(c));

	/* every field at its maximum: no bleeding between fields */
	c = (__s64)((0xabcdULL << 48) | (0x1234ULL << 32) | 0xdeadbeefULL);
	assert_int_equal(scx_exit_code__user(c), 0xdeadbeef);
	assert_int_equal(scx_exit_code__reason(c), 0x1234);
	assert_int_equal(scx_exit_code__action(c), 0xabcd);
	c = (__s64)(0xabccULL << 48);
	assert_false(scx_exit_code__restart(c));
	assert_int_equal(scx_exit_code__action(c), 0xabcc);
}

/* A scheduler that exits with a negative code (scx_bpf_exit(-22, ...)): the
 * kernel's exit_code is s64, so the sign extends into the reason and action
 * bits. The user part keeps its 32 bits. */
static void code_negative_user(void **state)
{
	__s64 c = -22;

	assert_int_equal(scx_exit_code__user(c), (__u32)-22);
	assert_int_equal((__s32)scx_exit_code__user(c), -22);
	assert_int_equal(scx_exit_code__reason(c), 0xffff);
	assert_int_equal(scx_exit_code__action(c), 0xffff);

	c = -1;
	assert_int_equal(scx_exit_code__user(c), UINT32_MAX);
	c = INT64_MIN;
	assert_int_equal(scx_exit_code__user(c), 0);
	assert_int_equal(scx_exit_code__reason(c), 0);
	assert_int_equal(scx_exit_code__action(c), 0x8000);
	assert_false(scx_exit_code__restart(c));
	/* a negative 32-bit user code carried without sign extension */
	c = (__s64)(__u32)-5;
	assert_int_equal((__s32)scx_exit_code__user(c), -5);
	assert_int_equal(scx_exit_code__reason(c), 0);
	assert_false(scx_exit_code__restart(c));
}

/*
 * Only an action field of exactly SCX_ECODE_ACT_RESTART (1) asks for a
 * restart: that is the kernel samples' UEI_ECODE_RESTART() (tools/sched_ext/
 * include/scx/user_exit_info*.h: (ecode & ACT_MASK) == SCX_ECODE_ACT_RESTART).
 * A negative user code sign-extends to action 0xffff and must not make
 * scx_sched__run() restart a scheduler that chose to exit.
 */
static void code_negative_user_not_restart(void **state)
{
	static const __s64 codes[] = { -1, -22, -(1LL << 31), (__s64)(0xffffULL << 48),
				       (__s64)(0x0003ULL << 48) };
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (scx_exit_code__restart(codes[i]))
			fail_msg("scx_exit_code__restart(%lld = 0x%llx) is true; action is 0x%x, not 1",
				 (long long)codes[i], (unsigned long long)codes[i],
				 scx_exit_code__action(codes[i]));
	assert_true(scx_exit_code__restart((__s64)SCX_EXIT_ACTION_RESTART));
}

static void getters_null(void **state)
{
	assert_int_equal(scx_exit_info__kind(NULL), SCX_EXIT_NONE);
	assert_int_equal(scx_exit_info__code(NULL), 0);
	assert_non_null(scx_exit_info__reason(NULL));
	assert_string_equal(scx_exit_info__reason(NULL), "");
	assert_string_equal(scx_exit_info__msg(NULL), "");
	assert_string_equal(scx_exit_info__dump(NULL), "");
	assert_false(scx_exit_info__from_record(NULL));
}

static void getters_filled(void **state)
{
	struct scx_exit_info ei = {
		.kind = SCX_EXIT_ERROR_BPF,
		.code = -3,
		.reason = "scx_bpf_error",
		.msg = "unit: deliberate error",
		.from_record = true,
	};

	assert_int_equal(scx_exit_info__kind(&ei), SCX_EXIT_ERROR_BPF);
	assert_int_equal(scx_exit_info__code(&ei), -3);
	assert_string_equal(scx_exit_info__reason(&ei), "scx_bpf_error");
	assert_string_equal(scx_exit_info__msg(&ei), "unit: deliberate error");
	assert_string_equal(scx_exit_info__dump(&ei), "");	/* no dump: "" */
	assert_true(scx_exit_info__from_record(&ei));

	ei.dump = strdup("CPU 0: curr=swapper\n");
	assert_non_null(ei.dump);
	assert_string_equal(scx_exit_info__dump(&ei), "CPU 0: curr=swapper\n");
	scx__exit_info_reset(&ei);	/* frees the dump and clears everything */
	assert_int_equal(scx_exit_info__kind(&ei), SCX_EXIT_NONE);
	assert_string_equal(scx_exit_info__dump(&ei), "");
	assert_string_equal(scx_exit_info__msg(&ei), "");
	assert_false(scx_exit_info__from_record(&ei));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kind_values),
		cmocka_unit_test(kind_str),
		cmocka_unit_test(kind_str_unknown),
		cmocka_unit_test(kind_is_error),
		cmocka_unit_test(code_decode),
		cmocka_unit_test(code_negative_user),
		cmocka_unit_test(code_negative_user_not_restart),
		cmocka_unit_test(getters_null),
		cmocka_unit_test(getters_filled),
	};

	return cmocka_run_group_tests_name("exit_info", tests, NULL, NULL);
}
