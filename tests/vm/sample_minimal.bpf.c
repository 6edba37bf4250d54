// SPDX-License-Identifier: GPL-2.0
/* The minimal sample, built again here so the VM suite (which only gets
 * build/tests/vm/) has its object as /vm/sample_minimal.bpf.o. */
#include "../../samples/minimal/minimal.bpf.c"
