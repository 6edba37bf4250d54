#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Description: lintian, at every level it has (errors to pedantic and
# experimental tags), reports nothing on the built packages' .changes that
# debian/*.lintian-overrides does not override, no override has gone unused,
# and every override is explained by a comment above it.
# Usage: test_deb_lintian.sh BUILDDIR
. "$(dirname "$0")/lib.sh"

"$top/scripts/deb.sh" lintian "$build" || fail "lintian (above)"

for f in "$top"/debian/*.lintian-overrides; do
	[ -e "$f" ] || continue
	awk -v f="${f#"$top"/}" '
		/^#/ { explained = 1; next }
		/^[[:space:]]*$/ { explained = 0; next }
		!explained { printf "%s:%d: override without a comment saying why: %s\n", f, NR, $0; bad = 1 }
		END { exit bad }' "$f" || fail "unexplained overrides"
done
echo "ok: lintian clean; $(cat "$top"/debian/*.lintian-overrides 2>/dev/null | grep -vc '^#\|^$') override(s), each explained"
