// SPDX-License-Identifier: GPL-2.0
/* The interactive sample with every compat.bpf.h wrapper forced onto its
 * older path (test_compat_fallbacks.c): the fallbacks run for real. */
#define SCX_COMPAT_FALLBACKS 1
#include "../../samples/interactive/interactive.bpf.c"
