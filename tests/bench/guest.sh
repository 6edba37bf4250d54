#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# The benchmark inside the VM guest (busybox sh), started by scripts/bench.sh
# as "sh /bench/guest.sh REPS ONE_CPU MODE PAT_MS". Machine-readable lines
# start with "bench-"; "#" lines are progress. For each round, each scheduler
# in turn: the kernel's default ("eevdf"), then every sample binary in
# /bench; a sample is started in the background, used once
# /sys/kernel/sched_ext/state says enabled, and stopped with SIGINT. Each
# round also measures the latency probe as a SCHED_FIFO task under the
# default scheduler ("fifo-probe"): it preempts whatever runs the moment it
# wakes, so its latency is what the machine itself adds, a floor no
# scheduler goes below.
#
# Each scheduler runs latprobe (wakeup latency next to CPU hogs), msgbench
# (streaming hackbench, 3 times) and msgpat's patterns (pingpong, futex, fanout,
# fanin, forkexec), each pattern for PAT_MS milliseconds: one workload is not
# a benchmark, and a scheduler's target holds per pattern.
#
# MODE "small" (the 2-CPU guest): phase "all" uses every CPU. With ONE_CPU=1
# (the default) and more than one CPU, phase "cpu0" then takes the other
# CPUs offline and runs the rounds again on CPU 0 alone: under QEMU's
# single-threaded TCG one host thread runs the vCPUs in turn, so an
# interrupt for a vCPU that is not running waits for its turn, and
# fifo-probe shows how much of phase "all"'s latency that is.
# MODE "llc" (the shaped 2-socket, 4-LLC guest): one phase, "llc", which also
# runs onedsq, the bench's single-queue baseline (onedsq.bpf.c, through
# scxtool run), for the per-LLC queues to be compared against.
cd /bench || exit 1
reps=${1:-3}
one_cpu=${2:-1}
mode=${3:-small}
pat_ms=${4:-500}
samples="minimal vtime percpu interactive userland history"
load_runs=5
# the shaped guest compares the topology-aware samples with one queue
[ "$mode" = llc ] && samples="minimal vtime percpu interactive onedsq" && load_runs=1 && one_cpu=0
# BENCH_SCHEDS: only these (eevdf and the floor always run)
[ -n "${5:-}" ] && samples=$5
patterns="pingpong futex fanout fanin forkexec"
TPUT_RUNS=3
ncpu=$(nproc)
phase=all

set_phase() {	# NAME CPUS
	phase=$1
	hogs=$((2 * $2))
	LAT="./latprobe -p 5000 -n 400 -H $hogs"
	# msgbench's shape on 2 CPUs is what earlier runs measured; a bigger
	# guest gets a group per 4 CPUs (fewer loops, so it ends in seconds).
	if [ "$2" -gt 8 ]; then
		TPUT="./msgbench -g $(($2 / 4)) -f 4 -l 300"
	else
		TPUT="./msgbench -g 2 -f 4 -l 600"
	fi
	# pairs and job slots: one per CPU; ring and fan: two per CPU, so
	# that some wakeups find no idle CPU (the futex ring needs 2)
	w1=$2
	w2=$((2 * $2))
	echo "bench-phase phase=$1 cpus=$2 hogs=$hogs pat_ms=$pat_ms"
}

if [ "$mode" = llc ]; then
	echo "bench-llcmeta kernel=$(uname -r) cpus=$ncpu reps=$reps hogs=$((2 * ncpu)) $(tr ' ' '\n' < /proc/cmdline | grep '^scxvm.shape=' | sed 's/^scxvm.shape=/shape=/')"
else
	echo "bench-meta kernel=$(uname -r) cpus=$ncpu reps=$reps hogs=$((2 * ncpu))"
fi
[ -d /sys/kernel/sched_ext ] || { echo "bench-error no sched_ext in this kernel"; exit 1; }

state() { cat /sys/kernel/sched_ext/state 2>/dev/null; }
wait_state() {	# STATE TENTHS
	i=0
	while [ "$(state)" != "$1" ] && [ $i -lt "$2" ]; do sleep 0.1; i=$((i + 1)); done
	[ "$(state)" = "$1" ]
}

# Verifier instruction counts and load+attach times, nothing attached yet.
echo "# verifier counts and load times"
for s in $samples; do
	[ -f "$s.bpf.o" ] || continue
	./verifier_stats -n "$load_runs" "$s.bpf.o" | sed "s/^/bench-/; s/\$/ phase=$mode/"
done

workloads() {	# NAME ROUND
	l=$($LAT) || { echo "bench-error sched=$1 round=$2 phase=$phase latprobe failed"; return; }
	echo "bench-lat sched=$1 round=$2 phase=$phase ${l#latprobe }"
	# msgbench ends in a fraction of a second, where one hiccup of the
	# emulator moves the result by a third: TPUT_RUNS runs a round
	k=1
	while [ $k -le $TPUT_RUNS ]; do
		t=$($TPUT) || { echo "bench-error sched=$1 round=$2 phase=$phase msgbench failed"; return; }
		echo "bench-tput sched=$1 round=$2 phase=$phase run=$k ${t#msgbench }"
		k=$((k + 1))
	done
	summary=
	for p in $patterns; do
		case $p in pingpong|forkexec) w=$w1 ;; *) w=$w2 ;; esac
		m=$(./msgpat -t "$pat_ms" -w "$w" "$p") ||
			{ echo "bench-error sched=$1 round=$2 phase=$phase msgpat $p failed"; continue; }
		echo "bench-pat sched=$1 round=$2 phase=$phase ${m#msgpat }"
		summary="$summary $p=$(echo "$m" | sed 's/.*ops_per_s=//')"
	done
	echo "# $phase round $2/$reps $1: $(echo "$l" | cut -d' ' -f3-5) ${t#msgbench }$summary"
}

# Started in the background: exec, so that $! is the scheduler's own pid and
# SIGINT reaches it (a background subshell ignores SIGINT, and busybox sh
# would wait in it rather than pass the signal on).
start_sched() {	# NAME: a sample binary, or onedsq's object through scxtool
	if [ "$1" = onedsq ]; then
		exec ./scxtool run onedsq.bpf.o
	fi
	case $1 in
	userland|history) exec "./$1" -t 20000 -i 1 ;;	# its counters each second
	esac
	exec "./$1" -t 20000
}

# A user-space sample's last counters line, as one bench-user line.
user_line() {	# NAME ROUND
	u=$(grep ' user: ' "/tmp/$1.log" | tail -n 1 | sed 's/.* user: //')
	[ -n "$u" ] && echo "bench-user sched=$1 round=$2 phase=$phase $u"
}

floor() {	# ROUND
	l=$($LAT -F 50) || { echo "bench-error sched=fifo-probe round=$1 phase=$phase latprobe failed"; return; }
	echo "bench-lat sched=fifo-probe round=$1 phase=$phase ${l#latprobe }"
	echo "# $phase round $1/$reps fifo-probe: $(echo "$l" | cut -d' ' -f3-5)"
}

rounds() {
	r=1
	while [ $r -le "$reps" ]; do
		workloads eevdf $r
		floor $r
		for s in $samples; do
			[ -x "./$s" ] || [ -f "./$s.bpf.o" ] || continue
			start_sched "$s" > "/tmp/$s.log" 2>&1 &
			pid=$!
			if ! wait_state enabled 100; then
				echo "bench-error sched=$s round=$r phase=$phase did not attach: $(tail -n 3 /tmp/$s.log | tr '\n' ' ')"
				kill -INT $pid 2>/dev/null; wait $pid
				continue
			fi
			workloads "$s" $r
			kill -INT $pid
			wait $pid
			rc=$?
			wait_state disabled 100 || echo "bench-error sched=$s round=$r phase=$phase still $(state) after SIGINT"
			[ $rc -eq 0 ] || echo "bench-error sched=$s round=$r phase=$phase exit status $rc: $(tail -n 2 /tmp/$s.log | tr '\n' ' ')"
			[ $r -eq 1 ] && [ $phase = all ] && grep -h '^cpufreq:' "/tmp/$s.log" | sed "s/^/# $s: /"
			user_line "$s" $r
		done
		r=$((r + 1))
	done
}

if [ "$mode" = llc ]; then
	set_phase llc "$ncpu"
else
	set_phase all "$ncpu"
fi
rounds
if [ "$one_cpu" = 1 ] && [ "$ncpu" -gt 1 ]; then
	for c in /sys/devices/system/cpu/cpu[1-9]*/online; do echo 0 > "$c"; done
	if [ "$(nproc)" = 1 ]; then
		set_phase cpu0 1
		rounds
	else
		echo "bench-error phase=cpu0 could not take the other CPUs offline"
	fi
	for c in /sys/devices/system/cpu/cpu[1-9]*/online; do echo 1 > "$c"; done
fi
echo "bench-end"
