#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# check-loaded.sh BUILDDIR [FILTER]: `make check` twice at the same time, in
# BUILDDIR/loaded-a and BUILDDIR/loaded-b (two VM suites sharing the CPUs),
# while stress-ng --cpu 2 keeps the host busy. Fails if either run fails. A
# test that depends on how fast the host or the emulator runs fails here.
# Each run's output goes to BUILDDIR/loaded-X.log; both summaries are printed.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:?usage: check-loaded.sh BUILDDIR [FILTER]}
filter=${2:-}
command -v stress-ng >/dev/null || { echo "check-loaded: no stress-ng (scripts/deps.sh installs it)"; exit 1; }
mkdir -p "$build"
build=$(cd "$build" && pwd)

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
}
trap cleanup EXIT INT TERM

stress-ng --cpu 2 --timeout 0 --quiet &
stress=$!
pids+=("$stress")
start=$(date +%s)
echo "check-loaded: stress-ng --cpu 2 (pid $stress) and two make check runs, logs in $build/loaded-{a,b}.log"
for r in a b; do
	make -C "$top" --no-print-directory check O="$build/loaded-$r" T="$filter" \
		>"$build/loaded-$r.log" 2>&1 &
	pids+=("$!")
	eval "run_$r=$!"
done
# shellcheck disable=SC2154  # run_a, run_b: set by eval above
wait "$run_a"; rc_a=$?
# shellcheck disable=SC2154
wait "$run_b"; rc_b=$?
kill "$stress" 2>/dev/null
wait "$stress" 2>/dev/null
secs=$(($(date +%s) - start))
for r in a b; do
	rc_var=rc_$r
	echo
	echo "== loaded-$r (make check exit ${!rc_var}) =="
	sed -n '/^== summary ==/,$p' "$build/loaded-$r.log"
	[ "${!rc_var}" -eq 0 ] || grep -aE '^not ok|ERROR' "$build/loaded-$r.log" | head -n 20
done
echo
echo "check-loaded: both runs took ${secs}s under stress-ng --cpu 2"
[ $rc_a -eq 0 ] && [ $rc_b -eq 0 ]
