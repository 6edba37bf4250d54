#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# bench.sh BUILDDIR: the "make bench" comparison of schedulers, run in one VM
# boot (KERNEL=newest|oldest|VERSION, default newest; BENCH_REPS rounds,
# default 5), on all (2) CPUs and then, unless BENCH_ONE_CPU=0, again on CPU 0
# alone with the other taken offline (tests/bench/guest.sh says why). Nothing runs on the host's scheduler: the guest runs
# tests/bench/guest.sh, whose "bench-" lines this script keeps in
# BUILDDIR/bench/guest.log and turns (scripts/bench_report.py) into
# BUILDDIR/bench/results.json, results.md and latency.svg. The host-side
# 4096-CPU topology load time (bench_topology) and the stats server's cost
# (bench_stats: requests per second, latency added to its loop) are added.
# Times come from an emulator (QEMU TCG): only ratios within one run mean
# anything.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: bench.sh BUILDDIR}
out=$build/bench
stage=$out/guest/bench
reps=${BENCH_REPS:-5}
[ -n "$reps" ] || reps=5

rm -rf "$out/guest"
mkdir -p "$stage"
for f in latprobe msgbench verifier_stats; do
	cp "$out/$f" "$stage/" || { echo "bench: $out/$f missing (make bench-build)"; exit 1; }
done
cp "$top/tests/bench/guest.sh" "$stage/"
for d in "$build"/samples/*/; do
	s=$(basename "$d")
	[ -x "$d/$s" ] && cp "$d/$s" "$d/$s.bpf.o" "$stage/"
done

echo "bench: [1/4] host: 4096-CPU topology load time"
topo=$("$build/tests/bench/bench_topology" "${BENCH_RUNS:-21}" 2>&1 | tee /dev/stderr |
	sed -n 's/^topology_load_4096 median_us=\([0-9.]*\).*/\1/p' | head -n 1)

echo "bench: [2/4] host: the stats server's requests per second and added loop latency"
"$build/tests/bench/bench_stats" "${BENCH_STATS_MS:-2000}" > "$out/stats.log" 2>&1 || {
	cat "$out/stats.log"
	echo "bench: bench_stats failed"
	exit 1
}
cat "$out/stats.log"

one_cpu=${BENCH_ONE_CPU:-1}
phases="2 CPUs"
[ "$one_cpu" = 1 ] && phases="2 CPUs, then CPU 0 alone"
echo "bench: [3/4] VM (kernel ${KERNEL:-newest}, $phases, $reps rounds): verifier counts, load times, then latency + throughput per scheduler"
"$top/tools/scx-vm" --kernel "${KERNEL:-newest}" --cpus 2 --mem 1G --timeout "${BENCH_TIMEOUT:-1500}" \
	--add "$stage" -- sh /bench/guest.sh "$reps" "$one_cpu" 2>&1 |
	tee "$out/guest.raw" | while IFS= read -r line; do
		case "$line" in
		"#"*|bench-error*|bench-meta*|bench-phase*|kernel\ *|scx-vm:*) echo "bench:   ${line#\# }" ;;
		esac
	done
rc=${PIPESTATUS[0]}
tr -d '\r' < "$out/guest.raw" | grep -E '^bench-|^kernel ' > "$out/guest.log"
if ! grep -q '^bench-end' "$out/guest.log"; then
	echo "bench: the VM run ended without a result (scx-vm exit $rc); see $out/guest.raw"
	exit 1
fi

echo "bench: [4/4] report"
python3 "$top/scripts/bench_report.py" "$out/guest.log" "$out" ${topo:+--topology-us "$topo"} \
	--stats-log "$out/stats.log" || exit 1
cat "$out/results.md"
echo "bench: $out/results.json, $out/results.md, $out/latency.svg"
