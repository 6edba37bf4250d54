#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Description: tools/scx-vm as a user runs it: the oldest kernel boots with
# sched_ext disabled, COMMAND's exit status comes back, --timeout ends a hung
# command, and an --add executable runs in the guest with its shared
# libraries; a guest that fails before COMMAND starts is booted again with
# --boot-retries, and only then. Usage: test_scx_vm.sh BUILDDIR
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
vm=$top/tools/scx-vm
fail() { echo "FAIL: $*"; exit 1; }
# scx-vm's messages, in a file of this run's own: two suites may run at once
err=$(mktemp)
trap 'rm -f "$err"' EXIT

out=$("$vm" --kernel oldest -- cat /sys/kernel/sched_ext/state 2>"$err")
rc=$?
grep -q '^kernel [0-9]' "$err" || fail "no 'kernel X.Y.Z' line: $(cat "$err")"
[ $rc -eq 0 ] && [ "$out" = disabled ] || fail "state: rc=$rc out='$out': $(tail -n 8 "$err")"
echo "ok: $(head -n 1 "$err") reports '$out'"

"$vm" --kernel newest -- false 2>/dev/null
rc=$?
[ $rc -eq 1 ] || fail "false gave $rc"
"$vm" --kernel newest -- sh -c 'exit 42' 2>/dev/null
rc=$?
[ $rc -eq 42 ] || fail "exit 42 gave $rc"
echo "ok: exit statuses come back"

start=$SECONDS
"$vm" --kernel newest --timeout 20 -- sleep 1000 2>"$err"
rc=$?
[ $rc -eq 124 ] || fail "timeout gave $rc"
grep -q 'timed out' "$err" || fail "no timeout message"
# far below the 1000 s the command would sleep; boots take long on a loaded host
[ $((SECONDS - start)) -lt 600 ] || fail "the timeout took $((SECONDS - start)) s"
echo "ok: --timeout ends a hung command"

# A dynamically linked program (libelf, libz, libc) runs from --add.
bin=$build/tools/scxtool/scxtool
[ -x "$bin" ] || fail "$bin is not built"
ldd "$bin" | grep -q libelf || fail "scxtool is not dynamically linked to libelf: the test proves nothing"
out=$("$vm" --kernel newest --add "$bin" -- /scxtool --help 2>&1)
rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'usage: scxtool' || fail "--add scxtool: rc=$rc: $out"
echo "ok: an --add executable runs with its libraries"

# --add of a missing file is refused before booting
"$vm" --add /nonexistent -- true 2>"$err"
rc=$?
[ $rc -eq 125 ] && grep -q 'no such file' "$err" || fail "missing --add: rc=$rc"
echo "ok: a missing --add file is named"

# --boot-retries: a guest whose kernel finds no init (rdinit= names nothing)
# panics before COMMAND starts: booted twice with --boot-retries 1, then 125
"$vm" --kernel newest --boot-retries 1 --append rdinit=/nonexistent -- true 2>"$err"
rc=$?
n=$(grep -c 'booting it again' "$err")
[ $rc -eq 125 ] && [ "$n" -eq 1 ] && grep -q 'panicked' "$err" ||
	fail "--boot-retries 1 with no init: rc=$rc, $n new boots: $(tail -n 5 "$err")"
# ... while a failure of COMMAND itself is never retried
"$vm" --kernel newest --boot-retries 1 -- false 2>"$err"
rc=$?
[ $rc -eq 1 ] && ! grep -q 'booting it again' "$err" || fail "a failing COMMAND was retried (rc=$rc)"
echo "ok: --boot-retries boots again only a guest that failed before COMMAND"
