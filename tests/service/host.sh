#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# host.sh BUILDDIR [KERNEL]: the service layer. Builds what the guest
# installs (the .debs of make deb, or with SERVICE_PAYLOAD=tree a make
# install tree), boots the Debian guest with
# systemd on KERNEL (default newest) through scx-vm --debian, runs
# tests/service/guest.sh there and appends "service KERNEL: P passed, F
# failed" to BUILDDIR/tests/summary.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$(cd "$1" && pwd)
kernel=${2:-newest}
summary=$build/tests/summary
payload=$build/service-test
mkdir -p "$build/tests"

rm -rf "$payload"
mkdir -p "$payload/root" "$payload/debs"
# What the guest installs: the Debian packages `make deb` builds (dpkg -i, as
# an administrator would), unless SERVICE_PAYLOAD=tree asks for the plain
# `make install` tree instead (quicker while working on the service itself).
if [ "${SERVICE_PAYLOAD:-debs}" = tree ]; then
	make -C "$top" --no-print-directory -s O="$build" install DESTDIR="$payload/root" PREFIX=/usr \
		>/dev/null || { echo "service: ERROR make install failed" >> "$summary"; exit 1; }
else
	make -C "$top" --no-print-directory -s O="$build" deb > "$build/tests/service-deb.log" 2>&1 || {
		tail -n 20 "$build/tests/service-deb.log"
		echo "service: ERROR make deb failed (see $build/tests/service-deb.log)" >> "$summary"
		exit 1
	}
	for p in libscx0 libscx-tools libscx-samples; do
		cp "$build"/deb/${p}_*.deb "$payload/debs/" ||
			{ echo "service: ERROR no $p package in $build/deb" >> "$summary"; exit 1; }
	done
fi
cp "$here/guest.sh" "$build/tests/vm/raw_fifo.bpf.o" "$payload/" ||
	{ echo "service: ERROR tests/vm/raw_fifo.bpf.o is not built" >> "$summary"; exit 1; }

log=$build/tests/service.log
start=$SECONDS
# The deadline is for a guest that hangs, not a measure of speed: two boots,
# then the restart loops (about 10 scheduler runs and 60 s of delays) took
# 558 s of VM time on a host at load 11; allow four times that.
"$top/tools/scx-vm" --debian --kernel "$kernel" --timeout 2400 --boot-retries 1 \
	--add "$payload" -- sh /scxvm/service-test/guest.sh 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
rel=$(sed -n 's/^kernel \([^ ]*\) .*/\1/p' "$log" | head -n 1)
echo "# service: scx-vm exit $rc after $((SECONDS - start)) s"
line=$(grep '^service-summary:' "$log" | tail -n 1)
if [ -z "$line" ]; then
	echo "service ${rel:-$kernel}: ERROR the VM run ended without a result (scx-vm exit $rc)" >> "$summary"
	exit 1
fi
echo "service ${rel:-$kernel}: ${line#service-summary: }" >> "$summary"
[ "$rc" = 0 ]
