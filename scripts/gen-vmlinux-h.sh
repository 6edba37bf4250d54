#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# gen-vmlinux-h.sh [SPEC]: regenerate bpf-headers/vmlinux/vmlinux.h from the
# BTF of a Debian sched_ext kernel (default: newest). The header names the
# kernel it came from; BPF code adapts to other kernels through CO-RE and
# bpf-headers/scx/compat.bpf.h, not by regenerating this file.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(dirname "$here")
spec=${1:-newest}
kdir=$("$here/kernels.sh" fetch "$spec")
release=$(cat "$kdir/release")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$here/vmlinux-btf.sh" "$kdir/vmlinuz" "$tmp/vmlinux"
out=$top/bpf-headers/vmlinux/vmlinux.h
mkdir -p "$(dirname "$out")"
{
	echo "/* SPDX-License-Identifier: GPL-2.0 */"
	echo "/*"
	echo " * Kernel types generated from the BTF of Debian's linux $release"
	echo " * ($(cat "$kdir/suite")) by scripts/gen-vmlinux-h.sh with $(bpftool version | head -n 1)."
	echo " * Do not edit; run the script again to regenerate."
	echo " */"
	bpftool btf dump file "$tmp/vmlinux" format c
} > "$out.new"
mv "$out.new" "$out"
echo "wrote $out from $release"
