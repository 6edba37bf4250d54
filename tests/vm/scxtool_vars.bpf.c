// SPDX-License-Identifier: GPL-2.0
/*
 * Not a scheduler: globals of every type `scxtool run --set` parses, for the
 * unit test of its parser (tests/unit/test_scxtool_set.c), which opens this
 * object without loading it. One syscall program reads them all so the
 * object is a valid, loadable BPF object.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char _license[] SEC("license") = "GPL";

enum scxtool_color { COLOR_RED, COLOR_GREEN = 5, COLOR_BLUE = 7 };
enum scxtool_signed { SIGNED_MINUS = -3, SIGNED_ZERO = 0, SIGNED_TWO = 2 };
enum scxtool_wide { WIDE_SMALL = 1, WIDE_BIG = 0x100000000ULL };
struct scxtool_pair { u32 a, b; };

const volatile u8 v_u8;
const volatile s8 v_s8;
const volatile u16 v_u16;
const volatile s16 v_s16;
const volatile u32 v_u32;
const volatile s32 v_s32;
const volatile u64 v_u64;
const volatile s64 v_s64;
const volatile bool v_bool;
const volatile char v_name[16];
const volatile enum scxtool_color v_color;
const volatile enum scxtool_signed v_signed;
const volatile enum scxtool_wide v_wide;
int v_data = 42;				/* .data */
u64 v_bss;					/* .bss */
const volatile u32 v_array[4];			/* not settable: not chars */
const volatile struct scxtool_pair v_pair;	/* not settable: a struct */

SEC("syscall")
int scxtool_vars_read(void *ctx)
{
	return v_u8 + v_s8 + v_u16 + v_s16 + v_u32 + v_s32 + v_u64 + v_s64 + v_bool +
	       v_name[0] + v_color + v_signed + v_wide + v_data + v_bss + v_array[0] + v_pair.a;
}
