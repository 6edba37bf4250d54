// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: ops.dispatch inserts a task into SCX_DSQ_LOCAL_ON | 4095, a CPU
 * that does not exist. The kernel detects it and ends the scheduler
 * with exit kind ERROR, reason "runtime error" and its own message ("invalid CPU 4095
 * ..."), and the system is back on the fair class. (Kernel selftest parity:
 * ddsp_bogus_dsq_fail, dsp_local_on.)
 */
#include "parity_util.h"

int main(void)
{
	return p_kernel_error(P_LOCAL_ON_BAD, "invalid CPU 4095");
}
