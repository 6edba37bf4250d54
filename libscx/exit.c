// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Exit information: getters, kind names and exit-code decoding. */
#include <stdlib.h>

#include <scx/exit.h>
#include "internal.h"
#include "exit_priv.h"

SCX_API enum scx_exit_kind scx_exit_info__kind(const struct scx_exit_info *ei)
{
	return ei ? ei->kind : SCX_EXIT_NONE;
}

SCX_API __s64 scx_exit_info__code(const struct scx_exit_info *ei)
{
	return ei ? ei->code : 0;
}

SCX_API const char *scx_exit_info__reason(const struct scx_exit_info *ei)
{
	return ei ? ei->reason : "";
}

SCX_API const char *scx_exit_info__msg(const struct scx_exit_info *ei)
{
	return ei ? ei->msg : "";
}

SCX_API const char *scx_exit_info__dump(const struct scx_exit_info *ei)
{
	return ei && ei->dump ? ei->dump : "";
}

SCX_API bool scx_exit_info__from_record(const struct scx_exit_info *ei)
{
	return ei && ei->from_record;
}

SCX_API const char *scx_exit_kind__str(enum scx_exit_kind kind)
{
	switch (kind) {
	case SCX_EXIT_NONE:		return "NONE";
	case SCX_EXIT_DONE:		return "DONE";
	case SCX_EXIT_UNREG:		return "UNREG";
	case SCX_EXIT_UNREG_BPF:	return "UNREG_BPF";
	case SCX_EXIT_UNREG_KERN:	return "UNREG_KERN";
	case SCX_EXIT_SYSRQ:		return "SYSRQ";
	case SCX_EXIT_PARENT:		return "PARENT";
	case SCX_EXIT_ERROR:		return "ERROR";
	case SCX_EXIT_ERROR_BPF:	return "ERROR_BPF";
	case SCX_EXIT_ERROR_STALL:	return "ERROR_STALL";
	}
	return "UNKNOWN";
}

SCX_API bool scx_exit_kind__is_error(enum scx_exit_kind kind)
{
	return kind >= SCX_EXIT_ERROR;
}

SCX_API __u32 scx_exit_code__user(__s64 code)
{
	return (__u64)code & SCX_EXIT_CODE_USER_MASK;
}

SCX_API __u16 scx_exit_code__reason(__s64 code)
{
	return ((__u64)code & SCX_EXIT_CODE_REASON_MASK) >> SCX_EXIT_CODE_REASON_SHIFT;
}

SCX_API __u16 scx_exit_code__action(__s64 code)
{
	return ((__u64)code & SCX_EXIT_CODE_ACTION_MASK) >> SCX_EXIT_CODE_ACTION_SHIFT;
}

SCX_API bool scx_exit_code__restart(__s64 code)
{
	/* the action is a 16-bit value, not a bit set: a negative user code
	 * sign-extends into it and must not read as a restart */
	return ((__u64)code & SCX_EXIT_CODE_ACTION_MASK) == SCX_EXIT_ACTION_RESTART;
}

void scx__exit_info_reset(struct scx_exit_info *ei)
{
	free(ei->dump);
	*ei = (struct scx_exit_info){};
}
