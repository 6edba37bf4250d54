// SPDX-License-Identifier: GPL-2.0
/* The percpu sample, built again here so the VM suite (which only gets
 * build/tests/vm/) has its object as /vm/sample_percpu.bpf.o. */
#include "../../samples/percpu/percpu.bpf.c"
