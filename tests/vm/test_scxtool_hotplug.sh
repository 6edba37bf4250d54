#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
# Description: CPU hotplug (cpu1 off, then on) while `scxtool run` supervises
# a scheduler: the kernel unloads it, scxtool reloads it, and afterwards it is
# enabled again with a larger enable_seq; SIGINT then stops it with exit 0.
# Needs scxtool in /vm or / and a second CPU (skips, 77, otherwise).
cd "$(dirname "$0")" || exit 1
[ -d /sys/kernel/sched_ext ] || { echo "no sched_ext in this kernel"; exit 77; }
[ -w /sys/devices/system/cpu/cpu1/online ] || { echo "cpu1 cannot be taken offline"; exit 77; }
X=
for p in ./scxtool /vm/scxtool /scxtool; do [ -x "$p" ] && { X=$p; break; }; done
[ -n "$X" ] || { echo "no scxtool binary in $(pwd), /vm or /"; exit 77; }
o=
for d in . /vm /; do [ -f "$d/sample_minimal.bpf.o" ] && { o=$d/sample_minimal.bpf.o; break; }; done
[ -n "$o" ] || { echo "sample_minimal.bpf.o not found"; exit 1; }
trap 'echo 1 > /sys/devices/system/cpu/cpu1/online 2>/dev/null' EXIT

field() { $X status --json | sed -n 's/.*"'"$1"'":\([0-9]*\).*/\1/p'; }
# up to 60 s: the VM may run slowly on a loaded host
wait_enabled() {
	i=0
	while [ $i -lt 600 ]; do
		$X status --json | grep -q '"state":"enabled","ops":"minimal"' && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

$X run "$o" > /tmp/sx.out 2> /tmp/sx.err &
pid=$!
fail=0
wait_enabled || { echo "FAIL: never enabled"; fail=1; }
seq0=$(field enable_seq)
hp0=$(field hotplug_seq)
# reenabled_after SEQ: wait (up to 60 s) until the supervisor reloaded the
# scheduler after the unload: enabled with an enable_seq above SEQ
reenabled_after() {
	i=0
	while [ $i -lt 600 ]; do
		s=$(field enable_seq)
		[ -n "$s" ] && [ "$s" -gt "$1" ] && wait_enabled && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
echo 0 > /sys/devices/system/cpu/cpu1/online
reenabled_after "$seq0" || { echo "FAIL: not reloaded after cpu1 went offline"; fail=1; }
seqm=$(field enable_seq)
echo 1 > /sys/devices/system/cpu/cpu1/online
reenabled_after "$seqm" || { echo "FAIL: not reloaded after cpu1 came back"; fail=1; }
$X status | sed 's/^/status: /'
seq1=$(field enable_seq)
hp1=$(field hotplug_seq)
echo "enable_seq $seq0 -> $seq1, hotplug_seq $hp0 -> $hp1"
kill -0 $pid 2>/dev/null || { echo "FAIL: scxtool run ended on hotplug"; fail=1; }
wait_enabled || { echo "FAIL: not enabled after hotplug"; fail=1; }
[ "$seq1" -gt "$seq0" ] || { echo "FAIL: enable_seq did not grow"; fail=1; }
[ "$hp1" -gt "$hp0" ] || { echo "FAIL: hotplug_seq did not grow"; fail=1; }
kill -INT $pid
wait $pid
rc=$?
sed 's/^/out: /' /tmp/sx.out
sed 's/^/err: /' /tmp/sx.err
[ $rc -eq 0 ] || { echo "FAIL: exit status $rc after SIGINT"; fail=1; }
grep -q 'restarted' /tmp/sx.err || { echo "FAIL: no restart reported"; fail=1; }
exit $fail
