#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# libbpf.sh BUILDDIR: decide which libbpf libscx builds against and write
# BUILDDIR/libbpf.mk for the Makefile.
#
# The system's libbpf is used when pkg-config finds one >= 1.5 (bpftool 7.5
# skeletons need it). Otherwise a pinned libbpf is built statically from
# Debian's source package (trixie), fetched through a private apt
# configuration, into BUILDDIR/libbpf, the way the kernel's own sched_ext
# tools link a pinned libbpf. Set LIBSCX_LIBBPF=bundled to force that.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:?usage: libbpf.sh BUILDDIR}
mkdir -p "$build"
build=$(cd "$build" && pwd)
out=$build/libbpf.mk

MIN=1.5.0
PIN=1.5.0-3          # Debian trixie's libbpf source package
PIN_SUITE=trixie

ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]; }

if [ "${LIBSCX_LIBBPF:-auto}" != bundled ] &&
   v=$(pkg-config --modversion libbpf 2>/dev/null) && ge "$v" "$MIN"; then
	cat > "$out.new" <<EOF
# written by scripts/libbpf.sh
LIBBPF_SOURCE := system libbpf $v
LIBBPF_CFLAGS := $(pkg-config --cflags libbpf)
LIBBPF_LIBS := $(pkg-config --libs libbpf)
LIBBPF_BPF_INCLUDE := $(pkg-config --variable=includedir libbpf)
LIBBPF_PC_REQUIRES := libbpf
LIBBPF_A :=
EOF
	cmp -s "$out.new" "$out" 2>/dev/null && rm "$out.new" || mv "$out.new" "$out"
	exit 0
fi

dest=$build/libbpf
if [ ! -f "$dest/usr/lib64/libbpf.a" ] && [ ! -f "$dest/usr/lib/libbpf.a" ] ||
   [ "$(cat "$dest/VERSION" 2>/dev/null)" != "$PIN+pic" ]; then
	echo "libbpf: building libbpf $PIN (Debian $PIN_SUITE source) into $dest" >&2
	# shellcheck source=privapt.sh
	. "$here/privapt.sh"
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/libscx
	src=$cache/libbpf-src-$PIN
	if [ ! -f "$src/done" ]; then
		privapt_init "$cache/apt-src" "$PIN_SUITE" deb-src
		rm -rf "$src" && mkdir -p "$src"
		if ! (cd "$src" && privapt apt-get source --download-only -q "libbpf=$PIN" >log 2>&1); then
			# The pin left the archive: take what the suite has now, loudly.
			echo "libbpf: libbpf $PIN is gone from $PIN_SUITE; using its current version" >&2
			(cd "$src" && privapt apt-get source --download-only -q libbpf >log 2>&1) || {
				cat "$src/log" >&2
				echo "libbpf: cannot fetch Debian's libbpf source package" >&2
				exit 1
			}
		fi
		touch "$src/done"
	fi
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	tar -xzf "$src"/libbpf_*.orig.tar.* -C "$tmp"
	tree=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	rm -rf "$dest"
	# -fPIC: the static libbpf also goes into libscx.so.
	make -s -C "$tree/src" BUILD_STATIC_ONLY=1 EXTRA_CFLAGS="-g -O2 -fPIC" OBJDIR="$tmp/obj" DESTDIR="$dest" \
		PREFIX=/usr LIBDIR=/usr/lib install >"$tmp/build.log" 2>&1 || {
		tail -n 30 "$tmp/build.log" >&2
		echo "libbpf: building libbpf failed (needs libelf-dev and zlib1g-dev)" >&2
		exit 1
	}
	echo "$PIN+pic" > "$dest/VERSION"
fi
lib=$dest/usr/lib
cat > "$out.new" <<EOF
# written by scripts/libbpf.sh
LIBBPF_SOURCE := bundled libbpf $PIN (static, Debian $PIN_SUITE source)
LIBBPF_CFLAGS := -I$dest/usr/include
LIBBPF_LIBS := $lib/libbpf.a -lelf -lz
LIBBPF_BPF_INCLUDE := $dest/usr/include
LIBBPF_PC_REQUIRES :=
LIBBPF_A := $lib/libbpf.a
EOF
cmp -s "$out.new" "$out" 2>/dev/null && rm "$out.new" || mv "$out.new" "$out"
