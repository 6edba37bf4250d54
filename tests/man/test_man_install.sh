#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Description: `make install DESTDIR=... PREFIX=/usr` puts every page of man/
# in /usr/share/man/manN with the version on its .Os line, and one .so page
# per function named in a section 3 page that mandoc resolves to that page
# (so `man scx_sched__attach` works).
# Usage: test_man_install.sh BUILDDIR
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: $*"; exit 1; }
build=${1:?usage: test_man_install.sh BUILDDIR}
command -v mandoc >/dev/null ||
	fail "mandoc is not installed (Debian package mandoc; scripts/deps.sh installs it)"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# the make that runs this test must not pass its own flags and variables on
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$top" --no-print-directory -s O="$build" \
	install DESTDIR="$stage" PREFIX=/usr >"$stage.log" 2>&1 ||
	{ tail -n 20 "$stage.log"; rm -f "$stage.log"; fail "make install failed"; }
rm -f "$stage.log"
man=$stage/usr/share/man
version=$(sed -n 's/^#define LIBSCX_\(MAJOR\|MINOR\|PATCH\)_VERSION[[:space:]]*//p' \
	"$top/include/scx/common.h" | paste -sd.)

n=0
for src in "$top"/man/*.[138]; do
	page=$(basename "$src") sec=${src##*.}
	f=$man/man$sec/$page
	[ -f "$f" ] || fail "$page is not installed as ${f#"$stage"}"
	grep -qx "\.Os libscx $version" "$f" || fail "${f#"$stage"} has no '.Os libscx $version'"
	n=$((n + 1))
	[ "$sec" = 3 ] || continue
	for fn in $(sed -n '/^\.Sh NAME/,/^\.Sh/s/^\.Nm \([A-Za-z0-9_]*\).*/\1/p' "$src"); do
		[ "$fn" = "${page%.3}" ] && continue
		l=$man/man3/$fn.3
		[ "$(cat "$l" 2>/dev/null)" = ".so man3/$page" ] ||
			fail "${l#"$stage"} is not '.so man3/$page'"
		# mandoc resolves .so from the manual's root
		(cd "$man" && mandoc -T ascii "man3/$fn.3" 2>&1 | sed $'s/.\b//g' | grep -q "^ *$fn(") ||
			fail "man3/$fn.3 does not render $page"
		n=$((n + 1))
	done
done
extra=$(find "$man" -type f | while read -r f; do
	b=$(basename "$f"); [ -f "$top/man/$b" ] || head -n 1 "$f" | grep -q '^\.so man3/' || echo "$f"; done)
[ -z "$extra" ] || fail "installed but not from man/: $extra"
echo "ok: $n pages and links under ${man#"$stage"}"
