#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# The VM suite's runner, executed inside the guest (busybox sh) by
# tests/vm/host.sh. Runs every /vm/test_* serially (only one scheduler can be
# attached at a time) with a timeout, prints TAP, and after each test checks
# that the system is back on the fair class and that the kernel logged no
# BUG/WARNING. Nothing may skip here: these kernels always have sched_ext
# and the guest two CPUs (or the shape its test asked for, tests/vm/guests),
# so a test exiting 77 fails (VM_ALLOW_SKIP=1, for running the suite by hand
# elsewhere, counts it as a skip again).
# Usage: run.sh [--except NAME]... [FILTER]   every test whose name contains
#                                             FILTER, but those NAMEs
#        run.sh --only NAME [--only NAME]...  those tests alone (in a guest of
#                                             their own shape)
cd "$(dirname "$0")" || exit 1
only= except=" "
while [ $# -gt 0 ]; do
	case "$1" in
	--only) only="${only:- }$2 "; shift 2 ;;
	--except) except="$except$2 "; shift 2 ;;
	*) break ;;
	esac
done
filter=${1:-}
# a guard against hangs, not a measure: under TCG on a loaded host a test
# runs several times slower than on an idle one
T=${VM_TEST_TIMEOUT:-900}
pass=0 fail=0 skip=0 n=0
dmesg -c > /dev/null 2>&1
echo "# kernel $(uname -r), $(nproc) CPUs"
for t in test_*; do
	[ -x "$t" ] || continue
	case "$t" in *.bpf.o) continue ;; esac
	[ -z "$only" ] || case "$only" in *" $t "*) ;; *) continue ;; esac
	case "$except" in *" $t "*) continue ;; esac
	[ -z "$filter" ] || case "$t" in *"$filter"*) ;; *) continue ;; esac
	n=$((n + 1))
	start=$(cut -d' ' -f1 /proc/uptime)
	timeout -s KILL "$T" "./$t" > /tmp/out 2>&1
	rc=$?
	end=$(cut -d' ' -f1 /proc/uptime)
	sed 's/^/# /' /tmp/out
	why=
	# the system must be back on the fair class
	i=0
	while [ -f /sys/kernel/sched_ext/state ] && [ "$(cat /sys/kernel/sched_ext/state)" != disabled ] && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	if [ -f /sys/kernel/sched_ext/state ] && [ "$(cat /sys/kernel/sched_ext/state)" != disabled ]; then
		why="sched_ext still $(cat /sys/kernel/sched_ext/state) after the test"
		# leave the next test a clean system: SysRq-S ejects any scheduler
		echo S > /proc/sysrq-trigger 2>/dev/null
		sleep 1
	fi
	if dmesg -c 2>/dev/null | grep -E 'BUG:|WARNING:|Oops|Call Trace' > /tmp/klog; then
		why="${why:+$why; }kernel logged: $(head -n 1 /tmp/klog)"
		sed 's/^/# kernel: /' /tmp/klog | head -n 20
	fi
	secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
	if [ $rc -eq 77 ] && [ -z "$why" ] && [ "${VM_ALLOW_SKIP:-0}" = 1 ]; then
		skip=$((skip + 1)); echo "ok $n - $t # SKIP $(tail -n 1 /tmp/out)"
	elif [ $rc -eq 77 ]; then
		why="${why:+$why; }skipped ($(tail -n 1 /tmp/out)), and nothing may skip in the VM"
		fail=$((fail + 1)); echo "not ok $n - $t ($why)"
	elif [ $rc -eq 0 ] && [ -z "$why" ]; then
		pass=$((pass + 1)); echo "ok $n - $t (${secs}s)"
	else
		[ $rc -eq 137 ] && why="${why:+$why; }timed out after ${T}s"
		[ $rc -ne 0 ] && [ $rc -ne 137 ] && why="${why:+$why; }exit $rc"
		fail=$((fail + 1)); echo "not ok $n - $t ($why)"
	fi
done
echo "1..$n"
echo "vm-summary: $pass passed, $fail failed, $skip skipped"
