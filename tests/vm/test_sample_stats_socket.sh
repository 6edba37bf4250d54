#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
# Description: a sample serves its statistics over the scx_stats protocol
# while it schedules a load (scx/cli.h's --stats-socket, served from
# scx_sched__run()'s loop): `scxtool stats` reads the scheduler's name and
# counters from it, the counters move between two reads, `stats_meta` comes
# back through --target, a second server on the same path is refused with
# the reason, and the socket is gone after SIGINT. `scxtool run
# --stats-socket` does the same for an object. Needs minimal, scxtool and
# raw_fifo.bpf.o beside this script.
cd "$(dirname "$0")" || exit 1
[ -d /sys/kernel/sched_ext ] || { echo "no sched_ext in this kernel"; exit 77; }
[ -x ./minimal ] && [ -x ./scxtool ] || { echo "no minimal or scxtool next to this test"; exit 77; }
. ./wait.sh
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
sock=/tmp/scx-stats/stats

# a load that keeps the scheduler dispatching
( while :; do :; done ) & h1=$!
( while :; do :; done ) & h2=$!

./minimal --stats-socket=$sock -t 30000 > /tmp/ss.out 2>&1 &
pid=$!
wait_for ops_is minimal || bad "minimal did not attach"
wait_for test -S $sock || bad "no socket at $sock"
./scxtool stats --socket $sock > /tmp/ss.1 2>&1 || bad "scxtool stats: $(cat /tmp/ss.1)"
cat /tmp/ss.1
grep -q '^sched .*minimal' /tmp/ss.1 || bad "the name is not served"
grep -q '^counters\.' /tmp/ss.1 || bad "no counters served"
# a counter moves: some line of counters.* differs between two reads
moved() {
	./scxtool stats --socket $sock > /tmp/ss.2 2>&1 &&
		! cmp -s /tmp/ss.1 /tmp/ss.2 &&
		[ "$(grep '^counters\.' /tmp/ss.1)" != "$(grep '^counters\.' /tmp/ss.2)" ]
}
wait_for moved || bad "the counters did not move"
./scxtool stats --socket $sock --json > /tmp/ss.j 2>&1 || bad "scxtool stats --json"
head -c 300 /tmp/ss.j; echo
grep -q '"counters":{' /tmp/ss.j || bad "JSON without counters"
# a second server on the same path is refused, the first one still answers
./minimal --stats-socket=$sock > /tmp/ss.2nd 2>&1
rc=$?
cat /tmp/ss.2nd
[ $rc -ne 0 ] && grep -q "cannot serve statistics at $sock" /tmp/ss.2nd || bad "second server: exit $rc"
./scxtool stats --socket $sock > /dev/null 2>&1 || bad "the first server stopped answering"
kill -INT $pid
wait $pid
rc=$?
tail -n 2 /tmp/ss.out
[ $rc -eq 0 ] || bad "minimal exit $rc after SIGINT"
[ -e $sock ] && bad "the socket is still there after the exit"
wait_for state_is disabled || bad "sched_ext is $(cat /sys/kernel/sched_ext/state) after the stop"

# scxtool run
if [ -f ./raw_fifo.bpf.o ]; then
	./scxtool run ./raw_fifo.bpf.o --stats-socket=$sock > /tmp/ss.run 2>&1 &
	pid=$!
	wait_for ops_is raw_fifo || bad "scxtool run did not attach"
	wait_for test -S $sock || bad "scxtool run: no socket"
	./scxtool stats --socket $sock > /tmp/ss.3 2>&1 || bad "scxtool stats vs scxtool run: $(cat /tmp/ss.3)"
	grep -q 'raw_fifo' /tmp/ss.3 || bad "scxtool run: the name is not served"
	kill -INT $pid
	wait $pid || bad "scxtool run exit $? after SIGINT"
	wait_for state_is disabled || bad "sched_ext still $(cat /sys/kernel/sched_ext/state)"
else
	bad "no raw_fifo.bpf.o"
fi
kill $h1 $h2 2>/dev/null
[ $fail -eq 0 ] || exit 1
