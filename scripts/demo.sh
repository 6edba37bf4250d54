#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# demo.sh BUILDDIR [SAMPLE]: the main job. Boot the newest Debian sched_ext
# kernel in a VM, run a sample scheduler under a CPU-bound workload for about
# ten seconds while printing its counters and /sys/kernel/sched_ext, stop it,
# and show the system back on the default scheduler.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
sample=${2:-${DEMO_SAMPLE:-vtime}}
bin=$build/samples/$sample/$sample
[ -x "$bin" ] || { echo "demo: $bin is not built (make all)" >&2; exit 1; }

guest=$(mktemp)
trap 'rm -f "$guest"' EXIT
cat > "$guest" <<GUEST
#!/bin/sh
show() {
	echo "  state=\$(cat /sys/kernel/sched_ext/state) ops=\$(cat /sys/kernel/sched_ext/root/ops 2>/dev/null || echo -)" \
	     "enable_seq=\$(cat /sys/kernel/sched_ext/enable_seq) hog ext.enabled=\$(grep ext.enabled /proc/\$hog/sched | awk '{print \$3}')"
}
echo "== before: the default scheduler"
hogs=""
for i in 1 2 3 4; do sh -c 'while :; do :; done' & hogs="\$hogs \$!"; done
hog=\${hogs##* }
show
echo "== starting the '$sample' sample scheduler with 4 CPU-bound tasks (counters every 2 s)"
/$sample -i 2 &
pid=\$!
# enabling moves every task to sched_ext, which takes a few seconds under
# emulation with the CPUs busy
i=0
while [ "\$(cat /sys/kernel/sched_ext/state)" != enabled ] && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i + 1)); done
echo "== enabled after \$((i / 10)).\$((i % 10)) s; running for 10 s"
for t in 1 2 3 4 5; do sleep 2; show; done
echo "== stopping it with SIGINT"
kill -INT \$pid
wait \$pid
rc=\$?
echo "== after (exit status \$rc)"
show
kill \$hogs
if [ "\$(cat /sys/kernel/sched_ext/state)" = disabled ]; then
	echo "the system is back on the default scheduler"
else
	echo "sched_ext is still \$(cat /sys/kernel/sched_ext/state)"; exit 1
fi
exit \$rc
GUEST
exec "$top/tools/scx-vm" --kernel "${KERNEL:-newest}" --cpus 2 --timeout 300 \
	--add "$bin" --add "$guest" -- sh "/$(basename "$guest")"
