// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: ops.init_task() returns -ENOMEM for the tasks that exist while the kernel enables the scheduler.
 * The kernel's attach call succeeds anyway; scx_sched__attach() must fail
 * with a message giving the kernel's reason ("ops.init_task() failed (-12)"), leave nothing
 * attached (another scheduler attaches at once), and have the exit info (kind
 * ERROR) ready. (Kernel selftest parity: init_enable_count, exit.)
 */
#include "parity_util.h"

int main(void)
{
	return p_enable_fail(P_INIT_TASK_RET, "ops.init_task() failed (-12)");
}
