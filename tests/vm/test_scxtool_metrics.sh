#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
# Description: `scxtool metrics` on a real sched_ext kernel: while the
# minimal sample schedules a load with its stats server, the exposition on
# stdout and a --textfile file rewritten every half second both pass
# `promtool check metrics` and hold scx_enabled 1 with the ops label, the
# kernel's event counters and the scheduler's counters from its stats
# server; once the scheduler stops, the same textfile loop writes
# scx_enabled 0, SIGTERM ends it with status 0 leaving the last whole file
# and no temporary, and without a server at the default socket the system
# part is printed silently. Needs minimal and scxtool beside this script
# and promtool in / (tests/vm/host.sh adds it; its absence fails the test).
cd "$(dirname "$0")" || exit 1
[ -d /sys/kernel/sched_ext ] || { echo "no sched_ext in this kernel"; exit 77; }
[ -x ./minimal ] && [ -x ./scxtool ] || { echo "no minimal or scxtool next to this test"; exit 77; }
promtool=/promtool
[ -x $promtool ] || { echo "FAIL: no $promtool in the guest (scripts/promtool.sh could not fetch it?)"; exit 1; }
. ./wait.sh
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
sock=/tmp/scx-metrics/stats
dir=/tmp/textfile
kernel=$(uname -r)
mkdir -p $dir

# check FILE WHAT: promtool accepts FILE
check() {
	$promtool check metrics < "$1" > /tmp/pt.out 2>&1 || bad "promtool on $2: $(head -n 5 /tmp/pt.out)"
}
has() { grep -q "$2" "$1"; }

( while :; do :; done ) & h1=$!
( while :; do :; done ) & h2=$!

./minimal --stats-socket=$sock -t 30000 > /tmp/mm.out 2>&1 &
pid=$!
wait_for ops_is minimal || bad "minimal did not attach"
wait_for test -S $sock || bad "no socket at $sock"

./scxtool metrics --socket $sock > /tmp/m.1 2> /tmp/m.err || bad "scxtool metrics: $(cat /tmp/m.err)"
[ -s /tmp/m.err ] && bad "stderr: $(cat /tmp/m.err)"
grep -E '^scx_(enabled|events_total|stats_up|stats_counters)' /tmp/m.1 | head -n 8
check /tmp/m.1 "scxtool metrics"
has /tmp/m.1 "^scx_enabled{ops=\"minimal\",kernel=\"$kernel\"} 1\$" || bad "no scx_enabled 1 for minimal"
has /tmp/m.1 '^# TYPE scx_events_total counter$' || bad "no event counters"
has /tmp/m.1 '^scx_events_total{ops="minimal",.*,event="select_cpu_fallback"} [0-9]' ||
	bad "no select_cpu_fallback event"
has /tmp/m.1 '^scx_stats_up{ops="minimal",.*} 1$' || bad "the stats server did not answer"
has /tmp/m.1 '^scx_stats_counters_[a-z_]*{ops="minimal",' || bad "no scheduler counters"
has /tmp/m.1 '^scx_stats_uptime_seconds{' || bad "no uptime"

./scxtool metrics --socket $sock --textfile $dir --interval 0.5 > /tmp/tf.out 2>&1 &
tpid=$!
wait_for test -s $dir/scx.prom || bad "no $dir/scx.prom"
# a counter of the scheduler moves between two files
cp $dir/scx.prom /tmp/tf.1
moved() {
	cp $dir/scx.prom /tmp/tf.2 &&
		[ "$(grep '^scx_stats_counters_' /tmp/tf.1)" != "$(grep '^scx_stats_counters_' /tmp/tf.2)" ]
}
wait_for moved || bad "the textfile's counters did not move"
check /tmp/tf.2 "the textfile"
has /tmp/tf.2 '^scx_enabled{ops="minimal",.*} 1$' || bad "textfile: no scx_enabled 1"
has /tmp/tf.2 '^scx_stats_counters_[a-z_]*{ops="minimal",' || bad "textfile: no scheduler counters"
has /tmp/tf.2 '^scx_events_total{' || bad "textfile: no event counters"

kill -INT $pid
wait $pid || bad "minimal exit $? after SIGINT"
wait_for state_is disabled || bad "sched_ext is $(cat /sys/kernel/sched_ext/state) after the stop"
stopped() {
	cp $dir/scx.prom /tmp/tf.3 && has /tmp/tf.3 "^scx_enabled{ops=\"\",kernel=\"$kernel\"} 0\$"
}
wait_for stopped || bad "the textfile does not show scx_enabled 0 after the stop"
check /tmp/tf.3 "the textfile after the stop"
has /tmp/tf.3 '^scx_stats_up{.*} 0$' || bad "textfile: scx_stats_up is not 0 without the server"
kill -TERM $tpid
wait $tpid
rc=$?
[ $rc -eq 0 ] || bad "the textfile loop exit $rc after SIGTERM: $(cat /tmp/tf.out)"
[ "$(ls -A $dir)" = scx.prom ] || bad "left in $dir: $(ls -A $dir)"
check $dir/scx.prom "the last textfile"
# the server going away while asked may be said, and its absence once
# (a socket that refuses, if the server died before it could unlink it)
absent='no scx_stats server at\|nothing is listening at'
grep -v -e 'reading from /tmp/scx-metrics/stats' -e 'closed the connection without a reply' \
	-e "$absent" /tmp/tf.out > /tmp/tf.other
[ -s /tmp/tf.other ] && bad "the textfile loop printed: $(cat /tmp/tf.other)"
[ "$(grep -c "$absent" /tmp/tf.out)" -le 1 ] || bad "the absent server was said more than once"

# nothing at the default socket: the system part, silently
./scxtool metrics > /tmp/m.2 2> /tmp/m.err || bad "scxtool metrics without a server: exit $?"
[ -s /tmp/m.err ] && bad "stderr without --socket: $(cat /tmp/m.err)"
has /tmp/m.2 '^scx_enabled{ops="",.*} 0$' || bad "no scx_enabled 0"
check /tmp/m.2 "scxtool metrics without a scheduler"
kill $h1 $h2 2>/dev/null
[ $fail -eq 0 ] || exit 1
