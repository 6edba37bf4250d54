/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Feature-probe internals the loader needs: the kernel's BTF itself. */
#ifndef __SCX_FEATURES_PRIV_H
#define __SCX_FEATURES_PRIV_H

#include <bpf/btf.h>
#include <scx/features.h>

const struct btf *scx__features_btf(const struct scx_features *f);
const struct btf_member *scx__features_ops_member(const struct scx_features *f, const char *name);

#endif
