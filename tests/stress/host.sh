#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# host.sh BUILDDIR FILTER KERNEL...: the stress layer once per kernel, each in
# one VM boot of 2 vCPUs, appending "stress KERNEL: P passed, F failed,
# S skipped" to BUILDDIR/tests/summary. STRESS_SCALE=N runs every workload N
# times longer (make check-stress-long); STRESS_WD=MS sets the schedulers'
# watchdog (default 4500; every workload lasts twice that).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$1 filter=$2
shift 2
summary=$build/tests/summary
scale=${STRESS_SCALE:-1}
mkdir -p "$build/tests"
adds=(--add "$build/tests/stress")
# stress-ng's fork and pthread stressors (scx-vm copies its libraries along)
ng=$(command -v stress-ng || true)
[ -n "$ng" ] && adds+=(--add "$ng")
status=0
for k in "$@"; do
	log=$build/tests/stress-$k.log
	echo "# stress: booting kernel '$k'"
	start=$SECONDS
	"$top/tools/scx-vm" --kernel "$k" --cpus 2 --mem 1G --timeout $((1500 * scale)) --boot-retries 1 "${adds[@]}" \
		-- env STRESS_SCALE="$scale" STRESS_WD="${STRESS_WD:-4500}" ${STRESS_SCHEDS:+STRESS_SCHEDS="$STRESS_SCHEDS"} \
		${STRESS_WORKLOADS:+STRESS_WORKLOADS="$STRESS_WORKLOADS"} \
		/stress/run.sh "$filter" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	rel=$(sed -n 's/^kernel [^ ]* (\([^,]*\),.*/\1/p' "$log" | head -n 1)
	line=$(grep '^stress-summary:' "$log" | tail -n 1)
	echo "# stress ${rel:-$k}: $((SECONDS - start)) s of wall time"
	if [ -z "$line" ]; then
		echo "stress ${rel:-$k}: ERROR the VM run ended without a result (scx-vm exit $rc)" >> "$summary"
		status=1
		continue
	fi
	note=
	# tests/summary.sh accepts an empty layer only when a filter (T=...) said so
	[ -n "$filter" ] && [ "${line#stress-summary: }" = "0 passed, 0 failed, 0 skipped" ] &&
		note=" (filter matched nothing)"
	echo "stress ${rel:-$k}: ${line#stress-summary: }$note" >> "$summary"
	echo "$line" | grep -q ' 0 failed' || status=1
done
exit $status
