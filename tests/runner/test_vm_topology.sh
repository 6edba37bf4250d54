#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Description: topology discovery on a guest with two sockets of one SMT core
# each (scx-vm --smp): scxtool topology sees 2 packages, 2 cores, 2 LLCs and
# SMT siblings, and the VM topology test agrees with the kernel there too.
# Usage: test_vm_topology.sh BUILDDIR
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$build/tools/scxtool/scxtool" ] && [ -x "$build/tests/vm/test_topology" ] || fail "not built"

out=$("$top/tools/scx-vm" --kernel newest --smp 4,sockets=2,cores=1,threads=2 \
	--add "$build/tools/scxtool/scxtool" --add "$build/tests/vm/test_topology" -- \
	sh -c '/scxtool topology --json && /test_topology >/tmp/t.log 2>&1; rc=$?; tail -n 3 /tmp/t.log; exit $rc' 2>/dev/null)
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "guest test exited $rc"
json=$(echo "$out" | grep '^{')
check() { echo "$json" | grep -q "$1" || fail "expected $1"; }
check '"nr_cpus":4'
check '"nr_packages":2'
check '"nr_cores":2'
check '"nr_llcs":2'
# cpu 0 and 1 are SMT siblings of core 0; cpu 2 is on the other package
check '{"cpu":0,"online":true,"core":0,"llc":0,"node":0,"package":0'
check '{"cpu":1,"online":true,"core":0,"llc":0,"node":0,"package":0'
check '{"cpu":2,"online":true,"core":1,"llc":1,"node":0,"package":1'
echo "ok: 2 sockets x 1 core x 2 threads modelled as the guest kernel sees them"
