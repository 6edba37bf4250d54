// SPDX-License-Identifier: GPL-2.0
/* The userland sample, built again here so the VM suite (which only gets
 * build/tests/vm/) has its object as /vm/sample_userland.bpf.o for the
 * test_user_* tests, which drive scx/user.h with policies of their own. */
#include "../../samples/userland/userland.bpf.c"
