#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# vmlinux-btf.sh VMLINUZ OUT: unpack the ELF vmlinux (with its .BTF section)
# from a Debian x86 bzImage. The compressed payload starts at
# (setup_sects + 1) * 512 + payload_offset, where setup_sects is the byte at
# 0x1f1 and payload_offset/payload_length are little-endian u32s at 0x248/0x24c
# (Documentation/arch/x86/boot.rst). Debian compresses it with zstd.
set -euo pipefail
in=${1:?usage: vmlinux-btf.sh VMLINUZ OUT}
out=${2:?usage: vmlinux-btf.sh VMLINUZ OUT}

u8() { od -An -tu1 -j "$1" -N1 "$in" | tr -d ' '; }
u32() { od -An -tu4 -j "$1" -N4 "$in" | tr -d ' '; }

[ "$(od -An -c -j 0x202 -N4 "$in" | tr -d ' ')" = HdrS ] ||
	{ echo "vmlinux-btf: $in is not a bzImage (no HdrS signature)" >&2; exit 1; }
setup=$(u8 $((0x1f1)))
[ "$setup" -ne 0 ] || setup=4
off=$(( (setup + 1) * 512 + $(u32 $((0x248))) ))
len=$(u32 $((0x24c)))
magic=$(od -An -tx1 -j "$off" -N4 "$in" | tr -d ' ')
[ "$magic" = 28b52ffd ] ||
	{ echo "vmlinux-btf: $in: payload is not zstd (magic $magic); unsupported compression" >&2; exit 1; }
command -v zstd >/dev/null || { echo "vmlinux-btf: zstd is not installed (apt-get install zstd)" >&2; exit 1; }
# zstd complains about the size trailer after the frame and exits non-zero
# (with -o it would then delete its output, hence -c); the ELF it wrote is
# complete, which the check below confirms.
tail -c +$((off + 1)) "$in" | head -c "$len" | zstd -d -q -c --memory=2048MB >"$out" 2>/dev/null || true
[ "$(head -c 4 "$out" | od -An -c | tr -d ' ')" = 177ELF ] ||
	{ echo "vmlinux-btf: decompressing $in gave no ELF" >&2; exit 1; }
