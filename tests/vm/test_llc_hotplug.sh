#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
# Description: hotplug of a whole LLC and of one SMT core while a
# topology-aware sample runs on a guest shaped like a server (scx-vm --shape
# 2s2n-smt; tests/vm/guests gives it one). For vtime and interactive (per-LLC
# queues) and percpu (per-CPU queues): with 6 CPU hogs running, CPUs 4-7 (the
# second LLC) go offline, then come back, then core 10-11 does the same.
# The kernel unloads the scheduler at each change; the sample's supervisor
# restarts it with the topology read again (libscx fills the maps at every
# load, so its queues and idle masks match the CPUs online). After each step
# the test waits (polling) for the sample to be enabled with a larger
# enable_seq, checks that every hog is alive and on sched_ext and sits on an
# online CPU, and at the end that SIGINT stops the sample with status 0 and
# that it reported its restarts. A sample whose restart fails, is ejected,
# or leaves a task on an offline CPU fails the test.
cd "$(dirname "$0")" || exit 1
. ./wait.sh
[ -d /sys/kernel/sched_ext ] || { echo "no sched_ext in this kernel"; exit 77; }
[ "$(nproc)" -ge 16 ] && [ -w /sys/devices/system/cpu/cpu11/online ] ||
	{ echo "needs the 16-CPU 2s2n-smt guest with hotplug"; exit 77; }
fail=0
bad() { echo "FAIL: $*"; fail=1; }
cpus_online() { for c in "$@"; do echo 1 > /sys/devices/system/cpu/cpu$c/online 2>/dev/null; done; }
trap 'cpus_online 4 5 6 7 10 11' EXIT

seq() { cat /sys/kernel/sched_ext/enable_seq; }
enabled_as() { state_is enabled && ops_is "$1"; }
# reloaded NAME SEQ: enabled as NAME again with an enable_seq above SEQ
reloaded() { [ "$(seq)" -gt "$2" ] && enabled_as "$1"; }
# every hog alive, on sched_ext, and on an online CPU
hogs_ok() {
	for h in $hogs; do
		[ -d /proc/$h ] || { echo "hog $h is gone"; return 1; }
		grep -q '^ext\.enabled.*1' /proc/$h/sched || { echo "hog $h is not on sched_ext"; return 1; }
		c=$(awk '{ print $39 }' /proc/$h/stat)
		[ "$(cat /sys/devices/system/cpu/cpu$c/online 2>/dev/null || echo 1)" = 1 ] ||
			{ echo "hog $h is on offline CPU $c"; return 1; }
	done
}
# step NAME LABEL VALUE CPU...: write VALUE to each CPU's online file and
# wait for the sample to be back
step() {
	name=$1 label=$2 value=$3
	shift 3
	s0=$(seq)
	for c in "$@"; do echo "$value" > /sys/devices/system/cpu/cpu$c/online || bad "$label: cpu$c"; done
	wait_for reloaded "$name" "$s0" || bad "$name: not reloaded after $label"
	wait_for hogs_ok > /dev/null || { hogs_ok; bad "$name: hogs after $label"; }
	echo "$name: $label: enable_seq $s0 -> $(seq), CPUs online $(cat /sys/devices/system/cpu/online)"
}

for name in vtime interactive percpu; do
	[ -x "./$name" ] || { bad "no ./$name"; continue; }
	# each sample has the whole budget: under make check-loaded the three
	# together took longer than one, and the last one's waits failed at once
	new_budget
	t0=$(uptime_s)
	"./$name" > /tmp/lh.$name 2>&1 &
	pid=$!
	wait_for enabled_as "$name" || bad "$name did not attach"
	hogs=
	for i in 1 2 3 4 5 6; do
		( while :; do :; done ) &
		hogs="$hogs $!"
	done
	step "$name" "LLC 4-7 offline" 0 4 5 6 7
	step "$name" "LLC 4-7 online" 1 4 5 6 7
	step "$name" "core 10-11 offline" 0 10 11
	step "$name" "core 10-11 online" 1 10 11
	kill $hogs 2>/dev/null
	kill -INT $pid
	wait $pid
	rc=$?
	tail -n 5 /tmp/lh.$name | sed "s/^/$name: /"
	echo "$name: $(($(uptime_s) - t0)) s"
	[ $rc -eq 0 ] || bad "$name: exit status $rc after SIGINT"
	grep -q 'restart' /tmp/lh.$name || bad "$name: no restart reported"
	wait_for state_is disabled || bad "$name: sched_ext still $(cat /sys/kernel/sched_ext/state)"
done
exit $fail
