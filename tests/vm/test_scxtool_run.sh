#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
# Description: `scxtool run` of a libscx sample object (sample_minimal.bpf.o)
# and of a scheduler written without libscx (raw_fifo.bpf.o): while it runs,
# `status --json` shows state "enabled" and its ops name, `tasks` lists tasks
# on sched_ext, `--stats 1 --json` prints counters that grow under a CPU load;
# SIGINT stops it with exit status 0 and an UNREG exit. Needs scxtool in /vm
# or / (skips, 77, without it or without sched_ext).
cd "$(dirname "$0")" || exit 1
[ -d /sys/kernel/sched_ext ] || { echo "no sched_ext in this kernel"; exit 77; }
X=
for p in ./scxtool /vm/scxtool /scxtool; do [ -x "$p" ] && { X=$p; break; }; done
[ -n "$X" ] || { echo "no scxtool binary in $(pwd), /vm or /"; exit 77; }
obj() { for d in . /vm /; do [ -f "$d/$1" ] && { echo "$d/$1"; return; }; done; }
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# Wait (up to 60 s: the VM may run slowly on a loaded host) for state
# "enabled" with ops $1.
wait_enabled() {
	i=0
	while [ $i -lt 600 ]; do
		st=$($X status --json 2>/dev/null)
		case "$st" in *'"state":"enabled"'*'"ops":"'"$1"'"'*) return 0 ;; esac
		sleep 0.1; i=$((i + 1))
	done
	echo "status: $st"
	return 1
}

# wait_lines N PATTERN FILE: wait (up to 120 s) until FILE has N lines
# matching PATTERN.
wait_lines() {
	i=0
	while [ $i -lt 1200 ]; do
		[ "$(grep -c "$2" "$3")" -ge "$1" ] && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

# one_sched OBJ OPSNAME COUNTER: run, check, load, stop.
one_sched() {
	o=$(obj "$1")
	[ -n "$o" ] || { bad "$1 not found"; return; }
	$X run "$o" --stats 1 --json > /tmp/sx.out 2> /tmp/sx.err &
	pid=$!
	if ! wait_enabled "$2"; then
		bad "$1: never enabled"; kill -INT $pid; wait $pid; cat /tmp/sx.err; return
	fi
	st=$($X status --json)
	echo "$2: status: $st"
	echo "$st" | grep -q '"switch_all":true' || bad "$2: switch_all is not true"
	echo "$st" | grep -q '"events":{' || bad "$2: no events object"
	$X status | sed "s/^/$2: status: /"
	$X tasks > /tmp/sx.tasks || bad "$2: tasks failed"
	tail -n 1 /tmp/sx.tasks | sed "s/^/$2: tasks: /"
	grep -q '^0 of' /tmp/sx.tasks && bad "$2: tasks lists no task on sched_ext"
	$X tasks --json | grep -q '"tasks":\[{"pid":' || bad "$2: tasks --json lists no task"
	( i=0; while [ $i -lt 300000 ]; do i=$((i + 1)); done ) &
	w=$!
	# three stats lines while the loop runs: the counter must grow between them
	wait_lines 3 '"counters"' /tmp/sx.out || bad "$2: fewer than 3 stats lines in 120 s"
	kill $w 2>/dev/null; wait $w 2>/dev/null
	kill -INT $pid
	wait $pid
	rc=$?
	sed "s/^/$2: out: /" /tmp/sx.out
	sed "s/^/$2: err: /" /tmp/sx.err
	[ $rc -eq 0 ] || bad "$2: exit status $rc after SIGINT"
	grep -q '"exit":{"ops":"'"$2"'","kind":"UNREG"' /tmp/sx.out || bad "$2: no UNREG exit line"
	# the counter in the first and the last stats lines
	first=$(grep '"counters"' /tmp/sx.out | head -n 1 | sed -n 's/.*"'"$3"'":\([0-9]*\).*/\1/p')
	last=$(grep '"counters"' /tmp/sx.out | tail -n 1 | sed -n 's/.*"'"$3"'":\([0-9]*\).*/\1/p')
	[ -n "$first" ] && [ -n "$last" ] && [ "$last" -gt "$first" ] ||
		bad "$2: counter $3 did not grow ('$first' -> '$last')"
}

one_sched sample_minimal.bpf.o minimal queued
one_sched raw_fifo.bpf.o raw_fifo nr_enqueued

# the text table: a header line and rows of numbers
o=$(obj sample_vtime.bpf.o)
if [ -n "$o" ]; then
	$X run "$o" --stats 1 > /tmp/sx.out 2> /tmp/sx.err &
	pid=$!
	wait_enabled vtime || bad "vtime: never enabled"
	# the header and one row of numbers
	wait_lines 1 '^    time  ' /tmp/sx.out && wait_lines 1 '^ *[0-9]' /tmp/sx.out ||
		bad "vtime: no table in 120 s"
	kill -TERM $pid
	wait $pid
	rc=$?
	sed 's/^/vtime: /' /tmp/sx.out
	[ $rc -eq 0 ] || bad "vtime: exit status $rc after SIGTERM"
	grep -q '^    time  ' /tmp/sx.out || bad "vtime: no table header"
	grep -q 'vtime exited: UNREG' /tmp/sx.out || bad "vtime: no exit line"
fi

# a bad --set is refused before anything is loaded
$X run "$(obj raw_fifo.bpf.o)" --set no_such_var=1 2> /tmp/sx.err
rc=$?
cat /tmp/sx.err
[ $rc -eq 2 ] && grep -q "no global variable 'no_such_var'" /tmp/sx.err || bad "--set no_such_var: exit $rc"
$X run "$(obj raw_fifo.bpf.o)" --set error_after=abc 2> /tmp/sx.err
rc=$?
cat /tmp/sx.err
[ $rc -eq 2 ] || bad "--set error_after=abc: exit $rc"
[ "$(cat /sys/kernel/sched_ext/state)" = disabled ] || bad "a bad --set left sched_ext $(cat /sys/kernel/sched_ext/state)"
exit $fail
