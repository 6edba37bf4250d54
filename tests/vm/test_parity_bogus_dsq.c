// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Description: ops.enqueue inserts tasks into a DSQ id that was never created. The kernel detects it and ends the scheduler
 * with exit kind ERROR, reason "runtime error" and its own message ("non-existent DSQ
 * ..."), and the system is back on the fair class. (Kernel selftest parity:
 * ddsp_bogus_dsq_fail, dsp_local_on.)
 */
#include "parity_util.h"

int main(void)
{
	return p_kernel_error(P_BOGUS_DSQ, "non-existent DSQ");
}
