#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
# Description: each built sample program (minimal, vtime, percpu, interactive) attaches,
# prints its counters, schedules a CPU-bound loop and, on SIGINT, detaches
# and reports UNREG with exit status 0. The same binaries run on every
# kernel of the suite. Needs the binaries beside this script (the build copies
# build/samples/NAME/NAME into build/tests/vm/); skips (77) without them or
# without sched_ext.
cd "$(dirname "$0")" || exit 1
[ -d /sys/kernel/sched_ext ] || { echo "no sched_ext in this kernel"; exit 77; }
found=0 fail=0
for s in minimal vtime percpu interactive; do
	[ -x "./$s" ] || continue
	found=$((found + 1))
	"./$s" -i 1 -t 8000 > "/tmp/$s.out" 2>&1 &
	pid=$!
	sleep 1
	( i=0; while [ $i -lt 200000 ]; do i=$((i + 1)); done ) &
	w=$!
	sleep 2
	ops=$(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)
	kill $w 2>/dev/null
	kill -INT $pid
	wait $pid
	rc=$?
	sed "s/^/$s: /" "/tmp/$s.out"
	if [ "$ops" != "$s" ] || [ $rc -ne 0 ] || ! grep -q "exited: UNREG" "/tmp/$s.out" ||
	   ! grep -q "^$s: .*=" "/tmp/$s.out"; then
		echo "$s: FAILED (root/ops '$ops', exit status $rc)"
		fail=$((fail + 1))
	fi
done
[ $found -gt 0 ] || { echo "no sample binaries next to this test"; exit 77; }
[ $fail -eq 0 ]
