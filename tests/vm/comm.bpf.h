/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* For the VM tests' BPF objects: pick out a task by its name (comm). */
#ifndef __TESTS_VM_COMM_BPF_H
#define __TESTS_VM_COMM_BPF_H

/* Is p's comm exactly name? name: a string literal shorter than comm. */
#define test_comm_is(p, name)							\
	({									\
		static const char __want[] = name;				\
		bool __same = true;						\
										\
		_Static_assert(sizeof(__want) <= sizeof((p)->comm), "comm is 16 bytes"); \
		for (int __i = 0; __i < sizeof(__want); __i++)			\
			if ((p)->comm[__i] != __want[__i]) {			\
				__same = false;					\
				break;						\
			}							\
		__same;								\
	})

#endif /* __TESTS_VM_COMM_BPF_H */
