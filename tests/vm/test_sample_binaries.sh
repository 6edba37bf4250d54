#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
# Description: each built sample program (minimal, vtime, percpu, interactive) attaches,
# prints its counters, schedules a CPU-bound loop and, on SIGINT, detaches
# and reports UNREG with exit status 0. The same binaries run on every
# kernel of the suite. Needs the binaries beside this script (the build copies
# build/samples/NAME/NAME into build/tests/vm/); skips (77) without them or
# without sched_ext. Waits poll for what they need (root/ops naming the
# sample, a counters line, the CPU-bound loop having run) until a deadline
# BUDGET seconds after the start (below the VM runner's 900 s per test, so
# that a failing wait still leaves time to stop the sample cleanly): a slow
# or loaded emulator only makes it slower.
cd "$(dirname "$0")" || exit 1
[ -d /sys/kernel/sched_ext ] || { echo "no sched_ext in this kernel"; exit 77; }
. ./wait.sh
found=0 fail=0
for s in minimal vtime percpu interactive; do
	[ -x "./$s" ] || continue
	found=$((found + 1))
	rm -f "/tmp/$s.loop"
	"./$s" -i 1 -t 30000 > "/tmp/$s.out" 2>&1 &
	pid=$!
	wait_for ops_is "$s"
	ops=$(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)
	( i=0; while [ $i -lt 20000 ]; do i=$((i + 1)); done; touch "/tmp/$s.loop" ) &
	w=$!
	# the loop finished under the sample, and the sample printed counters
	wait_for test -e "/tmp/$s.loop" || echo "$s: the CPU-bound loop did not finish"
	wait_for grep -q "=" "/tmp/$s.out" || echo "$s: no counters printed"
	ops_is "$s" || ops="$ops, then $(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)"
	kill $w 2>/dev/null
	kill -INT $pid
	wait $pid
	rc=$?
	sed "s/^/$s: /" "/tmp/$s.out"
	if [ "$ops" != "$s" ] || [ $rc -ne 0 ] || ! grep -q "exited: UNREG" "/tmp/$s.out" ||
	   [ ! -e "/tmp/$s.loop" ] ||
	   ! grep -q "^$s: .*=" "/tmp/$s.out"; then
		echo "$s: FAILED (root/ops '$ops', exit status $rc)"
		fail=$((fail + 1))
	fi
done
[ $found -gt 0 ] || { echo "no sample binaries next to this test"; exit 77; }
[ $fail -eq 0 ]
