#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# host.sh BUILDDIR [KERNEL]: the service layer. Stages what the guest
# installs (make install into a DESTDIR, plus the sample binaries as
# /usr/bin/scx_NAME, as the packages ship them), boots the Debian guest with
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
mkdir -p "$payload/root/usr/bin"
make -C "$top" --no-print-directory -s O="$build" install DESTDIR="$payload/root" PREFIX=/usr \
	>/dev/null || { echo "service: ERROR make install failed" >> "$summary"; exit 1; }
# The samples as the packages install them (scx_NAME on the PATH); until
# make install does so itself.
for s in "$build"/samples/*/; do
	n=$(basename "$s")
	[ -x "$s/$n" ] && install -m 755 "$s/$n" "$payload/root/usr/bin/scx_$n"
done
# .deb packages given in SERVICE_DEBS replace the staged tree (dpkg -i).
if [ -n "${SERVICE_DEBS:-}" ]; then
	mkdir -p "$payload/debs" && cp $SERVICE_DEBS "$payload/debs/"
fi
cp "$here/guest.sh" "$build/tests/vm/raw_fifo.bpf.o" "$payload/" ||
	{ echo "service: ERROR tests/vm/raw_fifo.bpf.o is not built" >> "$summary"; exit 1; }

log=$build/tests/service.log
start=$SECONDS
"$top/tools/scx-vm" --debian --kernel "$kernel" --timeout 1200 --boot-retries 1 \
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
