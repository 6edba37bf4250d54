#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
# Description: a scheduler that calls scx_bpf_error() (raw_fifo.bpf.o with
# `--set error_after=20`, under a CPU load) makes `scxtool run` exit non-zero
# and print the ERROR_BPF exit with the scheduler's message. Needs scxtool in
# /vm or / (skips, 77, without it or without sched_ext).
cd "$(dirname "$0")" || exit 1
[ -d /sys/kernel/sched_ext ] || { echo "no sched_ext in this kernel"; exit 77; }
X=
for p in ./scxtool /vm/scxtool /scxtool; do [ -x "$p" ] && { X=$p; break; }; done
[ -n "$X" ] || { echo "no scxtool binary in $(pwd), /vm or /"; exit 77; }
o=
for d in . /vm /; do [ -f "$d/raw_fifo.bpf.o" ] && { o=$d/raw_fifo.bpf.o; break; }; done
[ -n "$o" ] || { echo "raw_fifo.bpf.o not found"; exit 1; }

loads=
for n in 1 2 3; do
	sh -c 'while :; do :; done' &
	loads="$loads $!"
done
timeout -s KILL 60 $X run "$o" --set error_after=20 > /tmp/sx.out 2> /tmp/sx.err
rc=$?
kill $loads 2>/dev/null
wait 2>/dev/null
sed 's/^/out: /' /tmp/sx.out
sed 's/^/err: /' /tmp/sx.err
fail=0
[ $rc -eq 1 ] || { echo "FAIL: exit status $rc, not 1"; fail=1; }
grep -q 'raw_fifo exited: ERROR_BPF' /tmp/sx.out || { echo "FAIL: no ERROR_BPF exit line"; fail=1; }
grep -q 'deliberate error after 20 enqueues' /tmp/sx.out || { echo "FAIL: no scheduler message"; fail=1; }

# the same with --json: one exit object with error true
for n in 1 2 3; do
	sh -c 'while :; do :; done' &
	loads="$loads $!"
done
timeout -s KILL 60 $X run "$o" --json --set error_after=20 > /tmp/sx.out 2> /tmp/sx.err
rc=$?
kill $loads 2>/dev/null
wait 2>/dev/null
sed 's/^/json: /' /tmp/sx.out
[ $rc -eq 1 ] || { echo "FAIL: --json: exit status $rc, not 1"; fail=1; }
grep -q '"kind":"ERROR_BPF","error":true' /tmp/sx.out || { echo "FAIL: --json: no error exit"; fail=1; }
grep -q '"msg":"raw_fifo: deliberate error after 20 enqueues"' /tmp/sx.out || { echo "FAIL: --json: no msg"; fail=1; }
exit $fail
