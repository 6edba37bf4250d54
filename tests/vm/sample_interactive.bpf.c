// SPDX-License-Identifier: GPL-2.0
/* The interactive sample, built again here so the VM suite (which only gets
 * build/tests/vm/) has its object as /vm/sample_interactive.bpf.o. */
#include "../../samples/interactive/interactive.bpf.c"
