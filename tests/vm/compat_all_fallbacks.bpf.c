// SPDX-License-Identifier: GPL-2.0
/* compat_all.bpf.c with every wrapper forced onto its older path. */
#define SCX_COMPAT_FALLBACKS 1
#include "compat_all.bpf.c"
