// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: scx_bpf_error() from ops.exit_task, when a task exits while the scheduler runs. The exit kind is
 * ERROR_BPF, the message carries "parity.bpf.c:LINE: " of the call, and the
 * system is back on the fair class. (Kernel selftest parity: exit.)
 */
#include "parity_util.h"

int main(void)
{
	return p_callback_error(P_EXIT_TASK, "exit_task");
}
