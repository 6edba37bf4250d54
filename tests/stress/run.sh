#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# The stress layer's runner, executed inside the guest (busybox sh) by
# tests/stress/host.sh. For every scheduler under test and every workload of
# ./stress: start the scheduler with a short watchdog (STRESS_WD ms, default
# 4500: shorter than the samples' default is more adversarial, not less; 7.3
# warns about any watchdog at or below its 4096 ms rescue threshold),
# wait until it is enabled, run the workload for twice the watchdog (times
# STRESS_SCALE), then stop it with SIGINT. One test =
# one scheduler x one workload; it passes only if
#   - the scheduler is still attached at the end: no ejection of any kind
#     (a restart after CPU hotplug, which the supervisor does, is allowed),
#   - ./stress's starvation bound and, for weighted schedulers, share checks
#     hold,
#   - after SIGINT the scheduler exits 0 and the system is back on the fair
#     class (state disabled), and the kernel logged no BUG/WARNING.
# Prints TAP and "stress-summary: P passed, F failed, S skipped".
# Usage: run.sh [FILTER]   (FILTER matches "scheduler/workload")
cd "$(dirname "$0")" || exit 1
vm=$(pwd)	# the samples, scxtool and BPF objects are copied beside us
filter=${1:-}
WD=${STRESS_WD:-4500}
SCALE=${STRESS_SCALE:-1}
DUR=$(((2 * WD * SCALE + 999) / 1000))
SCHEDS=${STRESS_SCHEDS:-minimal vtime percpu interactive userland history raw_fifo}
WORKLOADS=${STRESS_WORKLOADS:-nice renice policy pinned sleepers cgroup hotplug churn}
# raw_fifo (a FIFO scheduler written without libscx) adds to what minimal
# covers only where its own code paths differ: policy switches, the
# supervisor's restart after hotplug, task creation and exit; the budget of
# ~7 min per kernel does not fit all eight workloads for it
RAW_FIFO_WORKLOADS=${STRESS_RAW_FIFO_WORKLOADS:-policy hotplug churn}
pass=0 fail=0 skip=0 n=0

state() { cat /sys/kernel/sched_ext/state 2>/dev/null; }
ops() { cat /sys/kernel/sched_ext/root/ops 2>/dev/null; }
up() { cut -d' ' -f1 /proc/uptime; }

# wait_for COND TENTHS: poll COND every 0.1 s, at most TENTHS times
wait_for() {
	i=0
	while ! eval "$1" && [ "$i" -lt "$2" ]; do sleep 0.1; i=$((i + 1)); done
	eval "$1"
}

# The command that runs scheduler $1, empty when it was not built.
sched_cmd() {
	case $1 in
	# counters every second: the last line is printed with the result
	# (for userland and history: how often BPF decided instead)
	minimal|vtime|percpu|userland|history)
		[ -x "$vm/$1" ] && echo "$vm/$1 -t $WD -i 1" ;;
	interactive)
		# its cpufreq module forced on: the guest has no cpufreq driver,
		# but the kfunc and its runqueue-lock rule are live without one
		if [ -x "$vm/interactive" ] && "$vm/interactive" -h 2>&1 | grep -q -- '-C[, ]'; then
			echo "$vm/interactive -C -t $WD -i 1"
		elif [ -x "$vm/scxtool" ] && [ -f "$vm/sample_interactive.bpf.o" ]; then
			echo "$vm/scxtool run $vm/sample_interactive.bpf.o --set scx_cpufreq_enabled=true --timeout-ms $WD"
		fi ;;
	raw_fifo)
		[ -x "$vm/scxtool" ] && [ -f "$vm/raw_fifo.bpf.o" ] &&
			echo "$vm/scxtool run $vm/raw_fifo.bpf.o --timeout-ms $WD" ;;
	esac
}

# weighted schedulers get the share check; FIFO ones are exempt
share_flag() { case $1 in vtime|interactive|userland) echo -S ;; esac; }

run_one() {
	s=$1 w=$2
	n=$((n + 1))
	cmd=$(sched_cmd "$s")
	if [ -z "$cmd" ]; then
		skip=$((skip + 1)); echo "ok $n - $s/$w # SKIP $s was not built"; return
	fi
	case "$cmd" in *scxtool*interactive*) note=" [interactive via scxtool --set scx_cpufreq_enabled=true: no -C yet]" ;; *) note= ;; esac
	dmesg -c > /dev/null 2>&1
	start=$(up) attached= loaded=
	$cmd > /tmp/sched.out 2>&1 &
	spid=$!
	why= drc=0
	if ! wait_for '[ "$(state)" = enabled ] && [ -n "$(ops)" ] || ! kill -0 $spid 2>/dev/null' 600 ||
	   [ "$(state)" != enabled ]; then
		why="did not attach (state $(state))"
	else
		name=$(ops)
		attached=$(up)
		./stress "$w" -d "$DUR" -w "$WD" $(share_flag "$s") > /tmp/drv.out 2>&1
		drc=$?
		loaded=$(up)
		# after hotplug the supervisor reattaches, with a back-off
		wait_for '[ "$(state)" = enabled ] || ! kill -0 $spid 2>/dev/null' 300
		dmesg -c > /tmp/wlog 2>/dev/null
		grep 'sched_ext: ' /tmp/wlog | grep -v ' enabled$' > /tmp/scxlog
		# a hotplug restart is "unregistered from the main kernel"; any
		# other disable during the workload is an ejection, and the
		# kernel's next line is the scheduler's exit message
		awk '/BPF scheduler ".*" disabled \(/ && !/main kernel/ { print; getline; print; exit }' \
			/tmp/scxlog > /tmp/eject
		if [ -s /tmp/eject ]; then
			why="ejected ($(sed -n '1s/.* disabled (\(.*\))$/\1/p' /tmp/eject)):"
			why="$why $(sed -n '2s/^\[[^]]*\] sched_ext: [^:]*: //p' /tmp/eject)"
		elif ! kill -0 $spid 2>/dev/null; then
			why="the scheduler exited during the workload"
		elif [ "$(state)" != enabled ] || [ "$(ops)" != "$name" ]; then
			why="not attached at the end (state $(state), ops '$(ops)')"
		fi
		if [ $drc -eq 1 ]; then
			why="${why:+$why; }$(grep -c -E '^(starvation|shares).*: FAIL' /tmp/drv.out) bound(s) failed"
		elif [ $drc -ne 0 ] && [ $drc -ne 77 ]; then
			why="${why:+$why; }stress exit $drc"
		fi
	fi
	kill -INT $spid 2>/dev/null
	wait_for '! kill -0 $spid 2>/dev/null' 300 || kill -KILL $spid 2>/dev/null
	wait $spid
	rc=$?
	if ! wait_for '[ "$(state)" = disabled ]' 100; then
		why="${why:+$why; }sched_ext still $(state) after SIGINT"
		echo S > /proc/sysrq-trigger 2>/dev/null
		sleep 1
	fi
	# an ejected scheduler exits 1 by itself: that is already reported
	[ $rc -ne 0 ] && [ -z "$why" ] && why="scheduler exit status $rc after SIGINT"
	if { cat /tmp/wlog; dmesg -c; } 2>/dev/null | grep -E 'BUG:|WARNING:|Oops|Call Trace' > /tmp/klog; then
		why="${why:+$why; }kernel logged: $(head -n 1 /tmp/klog)"
		sed 's/^/# kernel: /' /tmp/klog | head -n 20
	fi
	end=$(up)
	secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
	[ -n "$loaded" ] && awk -v a="$start" -v b="$attached" -v c="$loaded" -v d="$end" \
		'BEGIN { printf "# time: attach %.1f s, workload %.1f s, stop and checks %.1f s\n", b - a, c - b, d - c }'
	sed 's/^/# /' /tmp/drv.out 2>/dev/null
	sed 's/^/# kernel: /' /tmp/scxlog 2>/dev/null
	counters="^$s:( user:)? [a-z_0-9]+="	# print_stats' lines
	grep -Ev "$counters" /tmp/sched.out | grep -E 'exited|restart|error|Invalid|stall' | head -n 8 |
		sed "s/^/# $s: /"
	grep -E "$counters" /tmp/sched.out | tail -n 1 | sed "s/^/# last counters: /"
	if [ $drc -eq 77 ] && [ -z "$why" ]; then
		skip=$((skip + 1)); echo "ok $n - $s/$w # SKIP $(tail -n 1 /tmp/drv.out)"
	elif [ -z "$why" ]; then
		pass=$((pass + 1)); echo "ok $n - $s/$w (${secs}s)$note"
	else
		fail=$((fail + 1)); echo "not ok $n - $s/$w (${secs}s: $why)$note"
	fi
	rm -f /tmp/eject /tmp/scxlog /tmp/wlog /tmp/drv.out
}

echo "# kernel $(uname -r), $(nproc) CPUs; watchdog ${WD} ms, each workload ${DUR} s," \
	"starvation bound $((WD / 2)) ms"
if [ ! -d /sys/kernel/sched_ext ]; then
	echo "1..0 # SKIP no sched_ext in this kernel"
	echo "stress-summary: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
for s in $SCHEDS; do
	wl=$WORKLOADS
	[ "$s" = raw_fifo ] && wl=$RAW_FIFO_WORKLOADS
	for w in $wl; do
		[ -z "$filter" ] || case "$s/$w" in *"$filter"*) ;; *) continue ;; esac
		run_one "$s" "$w"
	done
done
echo "1..$n"
echo "stress-summary: $pass passed, $fail failed, $skip skipped"
