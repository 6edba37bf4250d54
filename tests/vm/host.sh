#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# host.sh BUILDDIR FILTER KERNEL...: run the VM suite once per kernel, each in
# one VM boot, and append "vm KERNEL: P passed, F failed, S skipped" lines to
# BUILDDIR/tests/summary. host.sh --matrix BUILDDIR FILTER: every sched_ext
# kernel series Debian offers, then a table. A kernel whose run passed
# nothing is an ERROR, unless FILTER matched no VM test at all: that line
# says "(filter matched nothing)" and tests/summary.sh decides (make check
# fails when no layer matched).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
matrix=0
[ "${1:-}" = --matrix ] && { matrix=1; shift; }
build=$1 filter=$2
shift 2
summary=$build/tests/summary
mkdir -p "$build/tests"
if [ $matrix = 1 ]; then
	mapfile -t kernels < <("$top/scripts/kernels.sh" matrix) || true
	[ ${#kernels[@]} -gt 0 ] || { echo "vm: no kernel list (registry unreachable?)"; exit 1; }
else
	kernels=("$@")
fi
status=0
rows=()
for k in "${kernels[@]}"; do
	log=$build/tests/vm-$k.log
	echo "# vm: booting kernel '$k'"
	"$top/tools/scx-vm" --kernel "$k" --cpus 2 --mem 1G --timeout "${VM_TIMEOUT:-7200}" \
		--add "$build/tests/vm" -- /vm/run.sh "$filter" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	rel=$(sed -n 's/^kernel [^ ]* (\([^,]*\),.*/\1/p' "$log" | head -n 1)
	line=$(grep '^vm-summary:' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "vm ${rel:-$k}: ERROR the VM run ended without a result (scx-vm exit $rc)" >> "$summary"
		rows+=("${rel:-$k}|ERROR (exit $rc)")
		status=1
		continue
	fi
	result=${line#vm-summary: }
	if grep -qE '^1\.\.0[[:space:]]*$' "$log"; then
		result="$result (filter matched nothing)"
		status=1
	elif echo "$result" | grep -q '^0 passed'; then
		result="ERROR passed nothing ($result)"
		status=1
	fi
	echo "vm ${rel:-$k}: $result" >> "$summary"
	rows+=("${rel:-$k}|$result")
	echo "$result" | grep -q ' 0 failed' || status=1
done
if [ $matrix = 1 ]; then
	printf '\n%-28s %s\n' kernel result
	for r in "${rows[@]}"; do printf '%-28s %s\n' "${r%%|*}" "${r#*|}"; done
fi
exit $status
