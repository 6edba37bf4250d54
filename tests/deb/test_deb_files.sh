#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Description: the packages hold exactly what `make install DESTDIR=stage
# PREFIX=/usr` installs, no file more or less, each symlink pointing at the
# same name. The packages' layout differs from a plain install in the places
# debian/rules sets, which are mapped before comparing:
#   usr/lib/X               -> usr/lib/MULTIARCH/X (libraries, pkgconfig)
#   usr/lib/libbpf.a        -> usr/lib/MULTIARCH/libscx/libbpf.a
#   usr/include/bpf/X       -> usr/include/libscx/bpf/X
# and debhelper's own way with man pages: each page is compressed (.gz), and
# a one-line page ".so manN/PAGE.N" (a function's page naming its header's)
# becomes a symlink to PAGE.N.gz. What debhelper adds (usr/share/doc, usr/share/lintian) is left out, and
# so are directories.
# Usage: test_deb_files.sh BUILDDIR
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make -C "$top" --no-print-directory -s O="$build" install DESTDIR="$tmp/stage" PREFIX=/usr \
	>"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "make install"; }

# "f PATH" for a file, "l PATH -> TARGET" for a symlink; man pages as
# debhelper ships them
(cd "$tmp/stage" && find . \( -type f -printf 'f %P\n' \) -o \( -type l -printf 'l %P -> %l\n' \)) |
	while read -r kind path rest; do
		case $kind:$path in
		f:usr/share/man/*)
			so=$(sed -n '1s|^\.so man[0-9]/\(.*\)$|\1|p' "$tmp/stage/$path")
			if [ -n "$so" ]; then
				echo "l $path.gz -> $so.gz"
			else
				echo "f $path.gz"
			fi ;;
		*) echo "$kind $path${rest:+ $rest}" ;;
		esac
	done |
	sed -e "s|^\(.\) usr/lib/libbpf\.a$|\1 usr/lib/$ma/libscx/libbpf.a|;t" \
	    -e "s|^\(.\) usr/lib/\([^/]*\)\(.*\)|\1 usr/lib/$ma/\2\3|" \
	    -e "s|^\(.\) usr/include/bpf/|\1 usr/include/libscx/bpf/|" | sort > "$tmp/install"
[ -s "$tmp/install" ] || fail "make install installed nothing"

for d in "${pkgs[@]}"; do
	dpkg-deb --fsys-tarfile "$d" | tar -tvf - | awk -v pkg="$(basename "$d")" '
		{ t = substr($1, 1, 1); p = $6; sub(/^\.\//, "", p) }
		t == "-" { print "f " p }
		t == "l" { print "l " p " -> " $8 }'
done | grep -v '^[fl] usr/share/doc/\|^[fl] usr/share/lintian/' | sort > "$tmp/packages"

if ! diff -u "$tmp/install" "$tmp/packages" > "$tmp/diff"; then
	echo "# --- make install (mapped)  +++ the packages"
	sed 's/^/# /' "$tmp/diff"
	fail "make install and the packages differ (lines above: - only in make install, + only in a package)"
fi
echo "ok: $(wc -l < "$tmp/packages") files and symlinks, the same in make install and in ${#pkgs[@]} packages"
