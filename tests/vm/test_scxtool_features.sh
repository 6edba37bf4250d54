#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
# Description: `scxtool features` on a sched_ext kernel says "sched_ext: yes",
# names the kernel release and finds the kfuncs every supported kernel has;
# its JSON carries the same. Also --help of every subcommand. Needs scxtool
# in /vm or / (skips, 77, without it or without sched_ext).
cd "$(dirname "$0")" || exit 1
[ -d /sys/kernel/sched_ext ] || { echo "no sched_ext in this kernel"; exit 77; }
X=
for p in ./scxtool /vm/scxtool /scxtool; do [ -x "$p" ] && { X=$p; break; }; done
[ -n "$X" ] || { echo "no scxtool binary in $(pwd), /vm or /"; exit 77; }
fail=0
bad() { echo "FAIL: $*"; fail=1; }
$X features > /tmp/sx.out || bad "features exit $?"
cat /tmp/sx.out
grep -q '^sched_ext: yes' /tmp/sx.out || bad "no 'sched_ext: yes'"
grep -q "$(uname -r)" /tmp/sx.out || bad "no kernel release"
$X features --json > /tmp/sx.json || bad "features --json exit $?"
for k in '"sched_ext":true' '"scx_bpf_dsq_insert":true' '"scx_bpf_create_dsq":true' \
	 '"enqueue":true' '"SCX_OPS_SWITCH_PARTIAL":true' "\"kernel\":\"$(uname -r)\""; do
	grep -q "$k" /tmp/sx.json || bad "features --json has no $k"
done
for c in run status features tasks topology; do
	$X $c --help > /tmp/sx.out || bad "$c --help exit $?"
	grep -q "usage: scxtool $c" /tmp/sx.out || bad "$c --help has no usage line"
done
$X status --json | grep -q '"state":"disabled","ops":null' || bad "status --json while disabled"
$X tasks | grep -q '^0 of [0-9]* tasks on sched_ext' || bad "tasks while disabled"
exit $fail
