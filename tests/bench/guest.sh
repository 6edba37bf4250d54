#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# The benchmark inside the VM guest (busybox sh), started by scripts/bench.sh
# as "sh /bench/guest.sh REPS". Machine-readable lines start with "bench-";
# "#" lines are progress. For each round, each scheduler in turn: the kernel's
# default ("eevdf"), then every sample binary in /bench; a sample is started
# in the background, used once /sys/kernel/sched_ext/state says enabled, and
# stopped with SIGINT.
cd /bench || exit 1
reps=${1:-3}
samples="minimal vtime percpu interactive"
ncpu=$(nproc)
hogs=$((2 * ncpu))
LAT="./latprobe -p ${BENCH_PERIOD_US:-5000} -n ${BENCH_SAMPLES:-400} -H $hogs"
TPUT="./msgbench -g 2 -f 4 -l ${BENCH_LOOPS:-600}"

echo "bench-meta kernel=$(uname -r) cpus=$ncpu reps=$reps hogs=$hogs"
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
	./verifier_stats -n "${BENCH_LOAD_RUNS:-5}" "$s.bpf.o" | sed 's/^/bench-/'
done

workloads() {	# NAME ROUND
	l=$($LAT) || { echo "bench-error sched=$1 round=$2 latprobe failed"; return; }
	echo "bench-lat sched=$1 round=$2 ${l#latprobe }"
	t=$($TPUT) || { echo "bench-error sched=$1 round=$2 msgbench failed"; return; }
	echo "bench-tput sched=$1 round=$2 ${t#msgbench }"
	echo "# round $2/$reps $1: $(echo "$l" | cut -d' ' -f3-5) ${t#msgbench }"
}

r=1
while [ $r -le "$reps" ]; do
	workloads eevdf $r
	for s in $samples; do
		[ -x "./$s" ] || continue
		"./$s" -t 20000 > "/tmp/$s.log" 2>&1 &
		pid=$!
		if ! wait_state enabled 100; then
			echo "bench-error sched=$s round=$r did not attach: $(tail -n 3 /tmp/$s.log | tr '\n' ' ')"
			kill -INT $pid 2>/dev/null; wait $pid
			continue
		fi
		workloads "$s" $r
		kill -INT $pid
		wait $pid
		rc=$?
		wait_state disabled 100 || echo "bench-error sched=$s round=$r still $(state) after SIGINT"
		[ $rc -eq 0 ] || echo "bench-error sched=$s round=$r exit status $rc: $(tail -n 2 /tmp/$s.log | tr '\n' ' ')"
		[ $r -eq 1 ] && grep -h '^cpufreq:' "/tmp/$s.log" | sed "s/^/# $s: /"
	done
	r=$((r + 1))
done
echo "bench-end"
