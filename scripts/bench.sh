#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# bench.sh BUILDDIR: the "make bench" comparison of schedulers, run in two VM
# boots (KERNEL=newest|oldest|VERSION, default newest). First a 2-CPU guest
# (BENCH_REPS rounds, default 5), on both CPUs and then, unless
# BENCH_ONE_CPU=0, again on CPU 0 alone with the other taken offline
# (tests/bench/guest.sh says why). Then, unless BENCH_LLC=0, the shaped
# 2-socket, 2-node, 4-LLC SMT guest (scx-vm --shape 2s2n-smt, BENCH_LLC_REPS
# rounds, default 3), where the default scheduler, the samples and the
# single-queue baseline onedsq share one boot. Each message pattern runs
# BENCH_PAT_MS ms (default 500). BENCH_QUICK=1 is a short run for trying a
# change: 2 rounds, no CPU 0 phase, 1 round in the shaped guest, 300 ms per
# pattern (each still settable). BENCH_SCHEDS="userland history" runs only
# those samples beside eevdf (the report then lacks the others' targets). Nothing runs on the host's scheduler: the
# guests run tests/bench/guest.sh, whose "bench-" lines this script keeps in
# BUILDDIR/bench/guest.log and turns (scripts/bench_report.py) into
# BUILDDIR/bench/results.json, results.md and latency*.svg. The host-side
# 4096-CPU topology load time (bench_topology) and the stats server's cost
# (bench_stats: requests per second, latency added to its loop) are added.
# Times come from an emulator (QEMU TCG): only ratios within one run mean
# anything.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: bench.sh BUILDDIR}
out=$build/bench
stage=$out/guest/bench
quick=${BENCH_QUICK:-0}
if [ "$quick" = 1 ]; then
	reps=${BENCH_REPS:-2} llc_reps=${BENCH_LLC_REPS:-1} pat_ms=${BENCH_PAT_MS:-300}
	one_cpu=${BENCH_ONE_CPU:-0}
else
	reps=${BENCH_REPS:-5} llc_reps=${BENCH_LLC_REPS:-3} pat_ms=${BENCH_PAT_MS:-500}
	one_cpu=${BENCH_ONE_CPU:-1}
fi
llc=${BENCH_LLC:-1}

rm -rf "$out/guest"
mkdir -p "$stage"
for f in "$out/latprobe" "$out/msgbench" "$out/msgpat" "$out/verifier_stats" \
	"$build/tests/bench/onedsq.bpf.o" "$build/tools/scxtool/scxtool"; do
	cp "$f" "$stage/" || { echo "bench: $f missing (make bench-build)"; exit 1; }
done
cp "$top/tests/bench/guest.sh" "$stage/"
for d in "$build"/samples/*/; do
	s=$(basename "$d")
	[ -x "$d/$s" ] && cp "$d/$s" "$d/$s.bpf.o" "$stage/"
done

echo "bench: [1/5] host: 4096-CPU topology load time"
topo=$("$build/tests/bench/bench_topology" "${BENCH_RUNS:-21}" 2>&1 | tee /dev/stderr |
	sed -n 's/^topology_load_4096 median_us=\([0-9.]*\).*/\1/p' | head -n 1)

echo "bench: [2/5] host: the stats server's requests per second and added loop latency"
"$build/tests/bench/bench_stats" "${BENCH_STATS_MS:-2000}" > "$out/stats.log" 2>&1 || {
	cat "$out/stats.log"
	echo "bench: bench_stats failed"
	exit 1
}
cat "$out/stats.log"

phases="2 CPUs"
[ "$one_cpu" = 1 ] && phases="2 CPUs, then CPU 0 alone"

# guest TITLE LOGNAME SCX-VM-OPTIONS... -- GUEST.SH-ARGS...: one boot, its
# "bench-" lines kept in $out/LOGNAME.log (the whole console in .raw).
guest() {
	local title=$1 name=$2 opts=()
	shift 2
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	echo "bench: $title"
	"$top/tools/scx-vm" --kernel "${KERNEL:-newest}" "${opts[@]}" --timeout "${BENCH_TIMEOUT:-2400}" \
		--add "$stage" -- sh /bench/guest.sh "$@" 2>&1 |
		tee "$out/$name.raw" | while IFS= read -r line; do
			case "$line" in
			"#"*|bench-error*|bench-meta*|bench-llcmeta*|bench-phase*|kernel\ *|scx-vm:*) echo "bench:   ${line#\# }" ;;
			esac
		done
	local rc=${PIPESTATUS[0]}
	tr -d '\r' < "$out/$name.raw" | grep -E '^bench-|^kernel ' > "$out/$name.log"
	if ! grep -q '^bench-end' "$out/$name.log"; then
		echo "bench: the VM run ended without a result (scx-vm exit $rc); see $out/$name.raw"
		return 1
	fi
}

start=$(date +%s)
guest "[3/5] VM (kernel ${KERNEL:-newest}, $phases, $reps rounds, ${pat_ms} ms per pattern): verifier counts, load times, then latency + throughput per scheduler" \
	guest --cpus 2 --mem 1G -- "$reps" "$one_cpu" small "$pat_ms" "${BENCH_SCHEDS:-}" || exit 1
logs=("$out/guest.log")
if [ "$llc" = 1 ]; then
	if guest "[4/5] shaped VM (2s2n-smt: 16 CPUs, 4 LLCs, 2 nodes; $llc_reps rounds): the multi-LLC phase" \
		guest-llc --shape 2s2n-smt --mem 1G -- "$llc_reps" 0 llc "$pat_ms" "${BENCH_SCHEDS:-}"; then
		logs+=("$out/guest-llc.log")
	else
		echo "bench: the multi-LLC phase has no result; the report has the 2-CPU guest's only"
	fi
else
	echo "bench: [4/5] the multi-LLC phase skipped (BENCH_LLC=0)"
fi
echo "bench: VM time $(( $(date +%s) - start )) s"

echo "bench: [5/5] report"
python3 "$top/scripts/bench_report.py" "${logs[@]}" "$out" ${topo:+--topology-us "$topo"} \
	--stats-log "$out/stats.log" || exit 1
cat "$out/results.md"
echo "bench: $out/results.json, $out/results.md, $out/latency*.svg"
