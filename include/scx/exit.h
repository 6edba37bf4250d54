/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * Why a scheduler exited: the kind, exit code, reason, message and dump that
 * the kernel gave it, decoded from the scheduler's exit record ("uei") or, for
 * objects without one, from what libscx saw itself.
 */
#ifndef __SCX_EXIT_H
#define __SCX_EXIT_H

#include <stdbool.h>
#include <linux/types.h>

#include <scx/common.h>
#include <scx/exit_layout.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The kernel's exit kinds (enum scx_exit_kind in kernel/sched/ext*.c). The
 * values are ABI of the kernel's sched_ext interface and have not changed
 * since 6.12; SCX_EXIT_PARENT appeared in 7.1.
 */
enum scx_exit_kind {
	SCX_EXIT_NONE		= 0,	/* still running (or never ran) */
	SCX_EXIT_DONE		= 1,
	SCX_EXIT_UNREG		= 64,	/* user space detached it */
	SCX_EXIT_UNREG_BPF	= 65,	/* the BPF program asked to exit */
	SCX_EXIT_UNREG_KERN	= 66,	/* the kernel unloaded it (e.g. CPU hotplug) */
	SCX_EXIT_SYSRQ		= 67,	/* SysRq-S */
	SCX_EXIT_PARENT		= 68,	/* its parent scheduler went away (7.1+) */
	SCX_EXIT_ERROR		= 1024,	/* a runtime error */
	SCX_EXIT_ERROR_BPF	= 1025,	/* scx_bpf_error() */
	SCX_EXIT_ERROR_STALL	= 1026,	/* the watchdog found a stalled task */
};

struct scx_exit_info;

/** @brief The exit kind; SCX_EXIT_NONE for NULL or a scheduler still running. */
SCX_API enum scx_exit_kind scx_exit_info__kind(const struct scx_exit_info *ei);
/** @brief The full 64-bit exit code (see the SCX_EXIT_CODE_* masks); 0 for NULL. */
SCX_API __s64 scx_exit_info__code(const struct scx_exit_info *ei);
/** @brief The kernel's one-line reason ("runtime error", ...); "" when none, never NULL. */
SCX_API const char *scx_exit_info__reason(const struct scx_exit_info *ei);
/** @brief The scheduler's message (scx_bpf_error() text, stall details); "" when none. */
SCX_API const char *scx_exit_info__msg(const struct scx_exit_info *ei);
/** @brief The kernel's debug dump when the scheduler has a dump buffer; "" otherwise. */
SCX_API const char *scx_exit_info__dump(const struct scx_exit_info *ei);
/**
 * @brief True when the exit came from the scheduler's own exit record ("uei");
 * false when libscx inferred it (an object without one).
 */
SCX_API bool scx_exit_info__from_record(const struct scx_exit_info *ei);

/** @brief "UNREG", "ERROR_STALL", ...; "UNKNOWN" for values the library does not know. */
SCX_API const char *scx_exit_kind__str(enum scx_exit_kind kind);
/** @brief True for the error kinds (SCX_EXIT_ERROR and above). */
SCX_API bool scx_exit_kind__is_error(enum scx_exit_kind kind);

/** @brief Bits 0-31 of an exit code: the scheduler's own code. */
SCX_API __u32 scx_exit_code__user(__s64 code);
/** @brief Bits 32-47, shifted down: the kernel's reason (1 = CPU hotplug). */
SCX_API __u16 scx_exit_code__reason(__s64 code);
/** @brief Bits 48-63, shifted down: the action asked of the loader (1 = restart). */
SCX_API __u16 scx_exit_code__action(__s64 code);
/** @brief True when the exit asks the loader to reopen and reattach the scheduler. */
SCX_API bool scx_exit_code__restart(__s64 code);

#ifdef __cplusplus
}
#endif

#endif /* __SCX_EXIT_H */
