// SPDX-License-Identifier: GPL-2.0
/* The vtime sample, built again here so the VM suite (which only gets
 * build/tests/vm/) has its object as /vm/sample_vtime.bpf.o. */
#include "../../samples/vtime/vtime.bpf.c"
