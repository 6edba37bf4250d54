#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Description: every public function (SCX_API in include/scx/*.h) is a name in
# the NAME section of one section 3 page in man/, with its .Fn or .Fo in that
# page's SYNOPSIS, and every such name is a public function: a new function
# without documentation, or a page naming one that is gone, fails here.
# Usage: test_man_api.sh [BUILDDIR]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: $*"; exit 1; }

api=$(sed -n 's/^SCX_API[^(]*[ *]\([A-Za-z_][A-Za-z0-9_]*\)(.*/\1/p' "$top"/include/scx/*.h | sort -u)
[ "$(echo "$api" | grep -c .)" -ge 50 ] || fail "found only $(echo "$api" | grep -c .) SCX_API functions"

bad=0
names=
for p in "$top"/man/*.3; do
	page=$(basename "$p" .3)
	for n in $(sed -n '/^\.Sh NAME/,/^\.Sh/s/^\.Nm \([A-Za-z0-9_]*\).*/\1/p' "$p"); do
		[ "$n" = "$page" ] && [ "$n" = libscx ] && continue
		names="$names$n $page"$'\n'
		synopsis=$(sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' "$p")
		echo "$synopsis" | grep -qE "^\.(Fn|Fo) $n( |\$)" ||
			{ echo "$page(3): $n is in NAME but not in SYNOPSIS"; bad=1; }
		echo "$api" | grep -qx "$n" ||
			{ echo "$page(3): $n is not an SCX_API function of include/scx/*.h"; bad=1; }
	done
done
for f in $api; do
	n=$(echo "$names" | awk -v f="$f" '$1 == f' | wc -l)
	case $n in
	1) ;;
	0) echo "$f: no page in man/ names it (add it to the page of its header)"; bad=1 ;;
	*) echo "$f: named by $n pages"; bad=1 ;;
	esac
done
[ $bad -eq 0 ] || fail "the manual pages and the public API disagree (see above)"
echo "ok: $(echo "$api" | wc -l) functions, each on one page"
