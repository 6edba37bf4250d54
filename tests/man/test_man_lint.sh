#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Description: every manual page in man/ passes `mandoc -T lint -W style`
# with no message at all, except "referenced manual not found" (and mandoc's
# note about an outdated mandoc.db that goes with it): whether an .Xr target
# such as systemd.exec(5) is installed depends on the machine, not on the
# page. References to libscx's own pages are checked here instead: each one
# must name a page in man/. Style level, not warning: it also catches
# misordered SEE ALSO entries, misplaced delimiters and useless macros, and
# the pages are clean at it. Without mandoc the test fails (scripts/deps.sh
# installs it); it never skips.
# Usage: test_man_lint.sh [BUILDDIR]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: $*"; exit 1; }

command -v mandoc >/dev/null ||
	fail "mandoc is not installed (Debian package mandoc; scripts/deps.sh installs it)"
pages=$(ls "$top"/man/*.[138] 2>/dev/null)
[ -n "$pages" ] || fail "no pages in $top/man"

bad=0
for p in $pages; do
	out=$(mandoc -T lint -W style "$p" 2>&1 |
		grep -v -e 'STYLE: referenced manual not found' -e 'outdated mandoc.db')
	if [ -n "$out" ]; then
		echo "$out"
		bad=1
	fi
	# .Xr to our own pages: libscx, scx_*, scx-vm, scx.service, scxtool
	while read -r name sec; do
		[ -f "$top/man/$name.$sec" ] || { echo "$p: .Xr $name $sec: no man/$name.$sec"; bad=1; }
	done < <(sed -n 's/^\.Xr \(libscx\|scx[-_.a-z0-9]*\) \([0-9]\).*/\1 \2/p' "$p")
	echo "ok: $(basename "$p")"
done
[ $bad -eq 0 ] || fail "mandoc lint or a cross-reference failed (see above)"
