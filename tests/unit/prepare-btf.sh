#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# prepare-btf.sh BUILDDIR: make BUILDDIR/tests/btf/<release>.vmlinux (an ELF
# vmlinux with .BTF that btf__parse() reads) for the oldest and newest cached
# sched_ext test kernels, and print that directory. The unit tests read it
# through SCX_TEST_BTF_DIR:
#
#	SCX_TEST_BTF_DIR=$(tests/unit/prepare-btf.sh build) make check-unit
#
# Existing files are reused. Kernels come from scripts/kernels.sh (its cache,
# or a download when the Debian registry is reachable). Progress goes to
# stderr; stdout holds only the directory.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:?usage: prepare-btf.sh BUILDDIR}
mkdir -p "$build/tests/btf"
dir=$(cd "$build/tests/btf" && pwd)

for spec in oldest newest; do
	kdir=$(QUIET=1 "$top/scripts/kernels.sh" fetch "$spec") ||
		{ echo "prepare-btf: no $spec sched_ext kernel available" >&2; exit 1; }
	release=$(basename "$kdir")
	out=$dir/$release.vmlinux
	[ -s "$out" ] && continue
	echo "prepare-btf: extracting BTF of $release" >&2
	"$top/scripts/vmlinux-btf.sh" "$kdir/vmlinuz" "$out.tmp" ||
		{ rm -f "$out.tmp"; exit 1; }
	mv "$out.tmp" "$out"
done
echo "$dir"
