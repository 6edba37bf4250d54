/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
#ifndef __SCX_EXIT_PRIV_H
#define __SCX_EXIT_PRIV_H

#include <scx/exit.h>

struct scx_exit_info {
	enum scx_exit_kind kind;
	__s64 code;
	char reason[SCX_EXIT_REASON_LEN];
	char msg[SCX_EXIT_MSG_LEN];
	char *dump;
	bool from_record;
};

void scx__exit_info_reset(struct scx_exit_info *ei);

#endif
