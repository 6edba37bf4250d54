#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Description: a scheduler builds from libscx-dev and libscx0 alone: the
# minimal sample's own Makefile, run outside the tree against the unpacked
# packages with pkg-config (PKG_CONFIG_SYSROOT_DIR), compiles its BPF program
# with the packaged BPF include directory, its skeleton with the packaged
# private libbpf headers, and links the shared libscx.so.0 and the static
# libbpf; the program then runs against the packaged library.
# Usage: test_deb_dev.sh BUILDDIR
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
for p in libscx0 libscx-dev; do dpkg-deb -x "$debs/${p}"_*_*.deb "$root"; done
cp -r "$top/samples/minimal" "$tmp/minimal"

export PKG_CONFIG_SYSROOT_DIR=$root PKG_CONFIG_LIBDIR=$root/usr/lib/$ma/pkgconfig PKG_CONFIG_PATH=
cflags=$(pkg-config --cflags libscx) || fail "pkg-config --cflags libscx"
[[ " $cflags " == *" -I$root/usr/include/libscx "* ]] ||
	fail "pkg-config --cflags does not name the private libbpf headers: $cflags"
make -C "$tmp/minimal" >"$tmp/make.log" 2>&1 || { sed 's/^/# /' "$tmp/make.log"; fail "building samples/minimal against the packages"; }

needed=$(readelf -d "$tmp/minimal/minimal" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
[[ " $needed " == *" libscx.so.0 "* ]] || fail "minimal does not link libscx.so.0 (NEEDED: $needed)"
[[ " $needed " != *" libbpf.so"* ]] || fail "minimal links a shared libbpf (NEEDED: $needed), not the packaged static one"
out=$(LD_LIBRARY_PATH=$root/usr/lib/$ma "$tmp/minimal/minimal" --version 2>&1) || fail "minimal --version: $out"
lib=$(LD_LIBRARY_PATH=$root/usr/lib/$ma ldd "$tmp/minimal/minimal" | awk '$1 == "libscx.so.0" { print $3 }')
[ "$lib" = "$root/usr/lib/$ma/libscx.so.0" ] || fail "minimal runs with libscx.so.0 from '$lib', not the package's"
echo "ok: built with $(pkg-config --libs libscx); minimal --version: $out"
