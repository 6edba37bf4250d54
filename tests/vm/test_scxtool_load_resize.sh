#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
# Description: `scxtool run --resize MAP=N` on raw_sized.bpf.o, whose map
# pair_slots is declared max_entries 0: without --resize the run fails (1)
# with the map named and --resize advised; a map the object lacks is a usage
# error (2); with --resize pair_slots=64 the scheduler gets enabled and SIGINT
# stops it with status 0. Needs scxtool in /vm or / (skips, 77, without it or
# without sched_ext).
cd "$(dirname "$0")" || exit 1
[ -d /sys/kernel/sched_ext ] || { echo "no sched_ext in this kernel"; exit 77; }
X=
for p in ./scxtool /vm/scxtool /scxtool; do [ -x "$p" ] && { X=$p; break; }; done
[ -n "$X" ] || { echo "no scxtool binary in $(pwd), /vm or /"; exit 77; }
o=
for d in . /vm /; do [ -f "$d/raw_sized.bpf.o" ] && { o=$d/raw_sized.bpf.o; break; }; done
[ -n "$o" ] || { echo "FAIL: raw_sized.bpf.o not found"; exit 1; }
fail=0
bad() { echo "FAIL: $*"; fail=1; }

$X run "$o" > /tmp/rs.out 2> /tmp/rs.err
st=$?
[ $st -eq 1 ] || bad "unsized run exited $st, not 1"
grep -q "map 'pair_slots' has max_entries 0" /tmp/rs.err || bad "the map is not named"
grep -q -- "--resize pair_slots=N" /tmp/rs.err || bad "no --resize advice"
[ $fail -eq 0 ] || cat /tmp/rs.err

$X run "$o" --resize no_such_map=4 > /tmp/rs.out 2> /tmp/rs.err
st=$?
[ $st -eq 2 ] || bad "--resize of a missing map exited $st, not 2"
grep -q "no map 'no_such_map'" /tmp/rs.err || bad "missing map not named"

$X run "$o" --resize pair_slots=64 --set nr_slots=64 > /tmp/rs.out 2> /tmp/rs.err &
pid=$!
i=0
while [ $i -lt 600 ]; do
	st=$($X status --json 2>/dev/null)
	case "$st" in *'"state":"enabled"'*'"ops":"raw_sized"'*) break ;; esac
	sleep 0.1; i=$((i + 1))
done
[ $i -lt 600 ] || { bad "never enabled: $st"; cat /tmp/rs.err; }
kill -INT $pid
wait $pid
st=$?
[ $st -eq 0 ] || { bad "resized run exited $st after SIGINT"; cat /tmp/rs.err; }
grep -q "raw_sized exited: UNREG" /tmp/rs.out || { bad "no UNREG exit"; cat /tmp/rs.out; }
exit $fail
