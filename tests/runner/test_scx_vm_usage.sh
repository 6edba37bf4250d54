#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Description: tools/scx-vm refuses each bad --smp, --numa, --shape, --cpu,
# --mem, --timeout and --boot-retries with exit status 2 and a message naming the problem, before
# anything is fetched or booted; good shapes get past those checks. Nothing
# boots here: QEMU is kept off PATH, so an accepted command line stops at
# "qemu-system-x86_64 is not installed" (exit 125).
# Usage: test_scx_vm_usage.sh [BUILDDIR]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "FAIL: $*"; exit 1; }
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
for tool in dirname readlink; do ln -s "$(command -v "$tool")" "$bin/$tool"; done

# vm WANT_STATUS WANT_MESSAGE ARGS...: scx-vm ARGS -- true, without QEMU.
vm() {
	local want=$1 msg=$2 out rc
	shift 2
	out=$(PATH=$bin "$BASH" "$top/tools/scx-vm" "$@" -- true 2>&1)
	rc=$?
	[ $rc -eq "$want" ] && [[ "$out" == *"$msg"* ]] ||
		fail "scx-vm $*: exit $rc, wanted $want and '$msg'; it said: $(echo "$out" | head -n 3)"
	echo "ok: $* -> $(echo "$out" | head -n 1)"
}

vm 2 '--numa needs a value' --numa
vm 2 "unknown --shape 'nope'" --shape nope
vm 2 'sets the CPUs, nodes and CPU model itself' --shape 2s2n-smt --smp 4
vm 2 '--cpus and --smp both' --cpus 2 --smp 2
vm 2 "unknown key 'socket'" --smp 4,socket=2
vm 2 'an empty item' --smp 4,,cores=2
vm 2 'sockets given twice' --smp 4,sockets=2,sockets=2
vm 2 'sockets=0 is not a number' --smp 4,sockets=0
vm 2 '= 8, but cpus is 4' --smp 4,sockets=2,cores=2,threads=2
vm 2 '= 8, but maxcpus is 4' --smp 4,sockets=2,cores=2,threads=2,maxcpus=4
vm 2 'cpus=9 is more than maxcpus=8' --smp 9,sockets=2,cores=2,threads=2,maxcpus=8
vm 2 '--numa needs the whole CPU shape' --numa 2 --smp 4
vm 2 '--numa needs the whole CPU shape' --numa 2 --smp 4,sockets=2,cores=2,threads=2,maxcpus=8
vm 2 "--numa '0' is not a positive number" --numa 0 --smp 4,sockets=2,cores=1,threads=2
vm 2 '--numa 3 does not divide the 2 sockets' --numa 3 --smp 6,sockets=2,cores=3,threads=1
vm 2 "whole number of MiB or GiB (such as 1G or 1536M), not '1.5G'" \
	--numa 2 --smp 4,sockets=2,cores=1,threads=2 --mem 1.5G
vm 2 'does not split into 2 nodes of whole MiB, at least 128M each' \
	--numa 2 --smp 4,sockets=2,cores=1,threads=2 --mem 200M
vm 2 "--cpu 'max;x' is not a QEMU CPU model" --cpu 'max;x'
vm 2 "--timeout '0s' is not a positive number" --timeout 0s
vm 2 "--boot-retries 'x' is not a number from 0 to 9" --boot-retries x

# accepted: they reach the check for QEMU
vm 125 'qemu-system-x86_64 is not installed' --shape 2s2n-smt
vm 125 'qemu-system-x86_64 is not installed' --smp 8,sockets=2,cores=2,threads=2 --numa 2 --mem 512M
vm 125 'qemu-system-x86_64 is not installed' --smp 4,sockets=2,cores=2,threads=2,maxcpus=8
vm 125 'qemu-system-x86_64 is not installed' --cpu max,vendor=GenuineIntel --cpus 4
vm 125 'qemu-system-x86_64 is not installed' --boot-retries 1
