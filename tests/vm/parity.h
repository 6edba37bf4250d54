/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * What parity.bpf.c and its tests (tests/vm/test_parity_*.c) share: where the
 * scheduler is told to go wrong (the read-only global fail_at) and the
 * control block in its own data section.
 */
#ifndef __TESTS_VM_PARITY_H
#define __TESTS_VM_PARITY_H

enum parity_point {
	P_NONE,
	P_INIT,
	P_INIT_TASK,
	P_SELECT_CPU,
	P_ENQUEUE,
	P_DISPATCH,
	P_RUNNING,
	P_STOPPING,
	P_TICK,
	P_EXIT_TASK,
	P_INIT_RET,		/* ops.init() returns -ENOMEM */
	P_INIT_TASK_RET,	/* ops.init_task() returns -ENOMEM */
	P_BOGUS_DSQ,		/* insert into a DSQ id never created */
	P_LOCAL_ON_BAD,		/* dispatch to SCX_DSQ_LOCAL_ON | a CPU that does not exist */
};

/*
 * In the section ".data.ctl" of its own, so that user space can write armed
 * through the section's mmap after load. line is the source line of the
 * first deliberate error, to check the "file:line: " prefix of the exit
 * message; held counts tasks held back for the LOCAL_ON dispatch.
 */
struct parity_ctl {
	__u32 armed;
	__u32 line;
	__u32 held;
};

#endif
