#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
# Description: libscx's command line (scx/cli.h) in a sample binary on a real
# kernel: `minimal --set slice_ns=... -s US --stats 0.5` attaches with the
# globals set, prints counter lines and reports UNREG with status 0 on SIGINT; `--monitor 1` run beside it names
# the attached scheduler and loads nothing; a refused --set (unknown name,
# bad value) exits 2 naming why and leaves sched_ext disabled; the
# scheduler's own option -s keeps working. Needs the minimal binary beside
# this script; skips (77) without it or without sched_ext.
cd "$(dirname "$0")" || exit 1
[ -d /sys/kernel/sched_ext ] || { echo "no sched_ext in this kernel"; exit 77; }
[ -x ./minimal ] || { echo "no minimal binary next to this test"; exit 77; }
. ./wait.sh
# (a function, so that wait_for counts again on every try)
two_counter_lines() { [ "$(grep -c '^minimal: .*=' /tmp/cli.out)" -ge 2 ]; }
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# refused before anything is loaded, exit 2, with the reason
./minimal --set no_such_var=1 > /tmp/cli.out 2>&1
rc=$?
cat /tmp/cli.out
[ $rc -eq 2 ] && grep -q "no global variable 'no_such_var'" /tmp/cli.out ||
	bad "--set no_such_var=1: exit $rc"
./minimal --set slice_ns=abc > /tmp/cli.out 2>&1
rc=$?
cat /tmp/cli.out
[ $rc -eq 2 ] && grep -q "'abc' is not a number, as 'slice_ns' (u64) needs" /tmp/cli.out ||
	bad "--set slice_ns=abc: exit $rc"
./minimal --stats 0 > /tmp/cli.out 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "out of range" /tmp/cli.out || bad "--stats 0: exit $rc"
state_is disabled || bad "a refused command line left sched_ext $(cat /sys/kernel/sched_ext/state)"

# --set, --stats and an own option on a running scheduler
./minimal --set slice_ns=5000000 -s 3000 --stats 0.5 -t 30000 > /tmp/cli.out 2>&1 &
pid=$!
wait_for ops_is minimal || bad "minimal did not attach"
wait_for two_counter_lines || bad "fewer than two counter lines"
# --monitor beside it: names it and loads nothing
./minimal --monitor 0.2 > /tmp/cli.mon 2>&1 &
mon=$!
wait_for grep -q "^minimal: monitor: state=enabled ops=minimal" /tmp/cli.mon ||
	bad "--monitor did not report the running minimal"
kill $mon
wait $mon 2>/dev/null
cat /tmp/cli.mon | head -3
kill -INT $pid
wait $pid
rc=$?
cat /tmp/cli.out
[ $rc -eq 0 ] && grep -q "^minimal: exited: UNREG" /tmp/cli.out || bad "minimal --set --stats: exit $rc"
wait_for state_is disabled || bad "sched_ext is $(cat /sys/kernel/sched_ext/state) after the stop"

# --monitor with nothing attached
./minimal --monitor 0.2 > /tmp/cli.mon 2>&1 &
mon=$!
wait_for grep -q "^minimal: monitor: state=disabled ops=-" /tmp/cli.mon ||
	bad "--monitor without a scheduler: $(head -1 /tmp/cli.mon)"
kill $mon
wait $mon 2>/dev/null
[ $fail -eq 0 ]
