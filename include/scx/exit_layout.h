/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * The exit-info record shared by BPF schedulers and user space. It has the
 * layout of the kernel samples' "struct user_exit_info" (tools/sched_ext), so
 * libscx reads the record of any scheduler that follows that convention: a
 * global variable named "uei" of this layout. libscx's own BPF exit header
 * adds a dump buffer, a global char array named "uei_dump".
 *
 * Included from both sides: it depends on neither libc nor vmlinux.h.
 */
#ifndef __SCX_EXIT_LAYOUT_H
#define __SCX_EXIT_LAYOUT_H

#define SCX_EXIT_REASON_LEN	128
#define SCX_EXIT_MSG_LEN	1024
#define SCX_EXIT_DUMP_DEFAULT_LEN 32768

/* Name of the global holding the record, and of its dump buffer. */
#define SCX_EXIT_RECORD_VAR	"uei"
#define SCX_EXIT_DUMP_VAR	"uei_dump"

struct scx_exit_record {
	int kind;			/* enum scx_exit_kind; 0 while running */
	long long exit_code;		/* user code | reason << 32 | action << 48 */
	char reason[SCX_EXIT_REASON_LEN];
	char msg[SCX_EXIT_MSG_LEN];
};

/* Exit code fields: bits 0-31 the scheduler's own code, 32-47 the kernel's
 * reason, 48-63 the action it asks of the loader. */
#define SCX_EXIT_CODE_USER_MASK		0xffffffffULL
#define SCX_EXIT_CODE_REASON_SHIFT	32
#define SCX_EXIT_CODE_REASON_MASK	(0xffffULL << 32)
#define SCX_EXIT_CODE_ACTION_SHIFT	48
#define SCX_EXIT_CODE_ACTION_MASK	(0xffffULL << 48)

#define SCX_EXIT_REASON_HOTPLUG		(1ULL << 32)	/* a CPU went on/offline */
#define SCX_EXIT_ACTION_RESTART		(1ULL << 48)	/* reload and reattach me */

#endif /* __SCX_EXIT_LAYOUT_H */
