#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Description: the main job (scripts/demo.sh, what `make demo` runs after
# building) shows the scheduler enabled, its counters moving, and the system
# back on the default scheduler. Usage: test_demo.sh BUILDDIR
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
fail() { echo "FAIL: $*"; echo "$out" | tail -n 30; exit 1; }

out=$("$top/scripts/demo.sh" "$build" 2>&1)
rc=$?
[ $rc -eq 0 ] || fail "demo exited $rc"
echo "$out" | grep -q 'state=enabled ops=vtime' || fail "scheduler never shown enabled"
echo "$out" | grep -q 'hog ext.enabled=1' || fail "hog not shown on sched_ext"
# the counters must move: the first and last "queued=" values differ
first=$(echo "$out" | sed -n 's/.*queued=\([0-9]*\).*/\1/p' | head -n 1)
last=$(echo "$out" | sed -n 's/.*queued=\([0-9]*\).*/\1/p' | tail -n 1)
[ -n "$first" ] && [ "$last" -gt "$first" ] || fail "counters did not move ($first -> $last)"
echo "$out" | grep -q 'exited: UNREG' || fail "no exit reason printed"
echo "$out" | grep -q 'the system is back on the default scheduler' || fail "not back on the default scheduler"
echo "ok: demo enabled vtime, counters $first -> $last, back on the default scheduler"
