#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# run.sh BUILDDIR RUNS MODE TARGET...: run each libFuzzer target for RUNS
# executions with a fixed seed, print one TAP line per target with the
# executions reached, and (when SUMMARY is set) append
# "fuzz: P passed, F failed, 0 skipped" to it.
#   MODE quick: a fresh scratch corpus each time (the same inputs run on every
#               machine at every speed), logs in BUILDDIR/fuzz/NAME.quick.log
#   MODE long:  the corpus grows in BUILDDIR/fuzz/corpus/NAME across runs
# Each target reads tests/fuzz/corpus/NAME (the seeds and regression inputs)
# and BUILDDIR/fuzz/seed/NAME when present (seeds made by the build).
# FILTER (make check's T=): only the targets whose name contains it.
set -uo pipefail
build=$1 runs=$2 mode=$3
shift 3
pass=0 fail=0 n=0
filter=${FILTER:-}
# quick runs (make check) get FUZZ_MAX_TIME seconds per target, 600 unless
# set; long runs are not bounded
max_time=
[ "$mode" = quick ] && max_time=${FUZZ_MAX_TIME:-600}
# the sysfs and topology targets rewrite a fake tree for every input: on
# tmpfs that costs no disk I/O
[ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm
for t in "$@"; do
	name=${t#fuzz_}
	[ -z "$filter" ] || [[ "$t" == *"$filter"* ]] || continue
	bin=$build/fuzz/$t
	n=$((n + 1))
	if [ "$mode" = quick ]; then
		work=$build/fuzz/scratch/$name
		rm -rf "$work"
		log=$build/fuzz/$name.quick.log
	else
		work=$build/fuzz/corpus/$name
		log=$build/fuzz/$name.long.log
	fi
	mkdir -p "$work"
	dirs=("$work")
	for d in "tests/fuzz/corpus/$name" "$build/fuzz/seed/$name"; do
		[ -d "$d" ] && dirs+=("$d")
	done
	if [ ! -x "$bin" ]; then
		fail=$((fail + 1)); echo "not ok $n - fuzz_$name (not built)"
		continue
	fi
	# -seed: the same mutations everywhere; -timeout: a hang is a failure;
	# -max_total_time: a target that became slow (an input that sleeps)
	# fails the layer instead of eating the whole CI budget
	"$bin" -runs="$runs" -seed=1 -timeout=60 -max_len=262144 -print_final_stats=1 \
		${max_time:+-max_total_time=$max_time} \
		-artifact_prefix="$build/fuzz/$name-" "${dirs[@]}" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
	if [ $rc -eq 0 ] && [ "${execs:-0}" -lt "$runs" ]; then
		fail=$((fail + 1))
		echo "not ok $n - fuzz_$name: only ${execs:-0} of $runs executions in ${max_time}s;" \
			"something made each input slow (see $log)"
	elif [ $rc -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok $n - fuzz_$name: ${execs:-?} executions, ${cov:-cov: ?}"
	else
		fail=$((fail + 1))
		grep -vE '^(#[0-9]|INFO:|MS:|base64:|Done)' "$log" | tail -40 | sed 's/^/# /'
		echo "not ok $n - fuzz_$name (exit $rc after ${execs:-?} executions; input saved as $build/fuzz/$name-*)"
	fi
done
line="fuzz: $pass passed, $fail failed, 0 skipped"
[ $n -gt 0 ] || line="$line (filter matched nothing)"
echo "# $line"
if [ -n "${SUMMARY:-}" ]; then
	mkdir -p "$(dirname "$SUMMARY")"
	echo "$line" >> "$SUMMARY"
fi
[ $fail -eq 0 ]
