#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Description: scx.service in a Debian 12 guest with systemd (run by
# tests/service/host.sh through scx-vm --debian). First boot: install libscx
# and the samples, pick scx_vtime in /etc/default/scx, enable the unit,
# reboot. Second boot: the scheduler is attached after boot and the unit is
# active (so READY=1 came: Type=notify), killing the scheduler process is
# followed by a restart, systemctl stop puts the system back on the default
# scheduler, and a scheduler the kernel ejects over and over (scxtool run
# with an object that calls scx_bpf_error()) leaves the unit failed after the
# start limit with the reason in the journal. Prints "ok"/"not ok" lines and
# "service-summary: P passed, F failed"; exits 1 when anything failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
state=/var/lib/scx-service-test
mkdir -p "$state"
pass=0 fail=0
SYS=/sys/kernel/sched_ext

ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
check() { # DESCRIPTION COMMAND...
	local d=$1
	shift
	if "$@"; then ok "$d"; else nok "$d"; fi
}
# wait_for SECONDS COMMAND...: poll until COMMAND succeeds (TCG is slow and
# its timing uneven: deadlines are generous, nothing is a fixed sleep)
wait_for() {
	local end=$(($(date +%s) + $1))
	shift
	while ! "$@"; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.5
	done
}
prop() { systemctl show -p "$1" --value scx; }
attached() { [ "$(cat $SYS/state)" = enabled ] && [ "$(cat $SYS/root/ops 2>/dev/null)" = "$1" ]; }
detached() { [ "$(cat $SYS/state)" = disabled ]; }
active() { [ "$(systemctl is-active scx)" = active ]; }
failed() { [ "$(systemctl is-failed scx)" = failed ]; }
new_pid() { p=$(prop MainPID); [ "$p" != 0 ] && [ "$p" != "$1" ]; }

# The software under test: the .debs of make deb (host.sh puts them in
# debs/), or with SERVICE_PAYLOAD=tree libscx's make install tree (root/).
install_payload() {
	if ls "$here"/debs/*.deb >/dev/null 2>&1; then
		dpkg -i "$here"/debs/*.deb
	else
		# --keep-directory-symlink: Debian 12's /lib is a link to /usr/lib
		tar -C "$here/root" -c . | tar -C / -x --keep-directory-symlink && ldconfig
	fi
}

summary() {
	echo "service-summary: $pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
}

phase=$(cat "$state/phase" 2>/dev/null || echo 1)
echo "# phase $phase, $(uname -r), $(systemctl --version | head -n 1)"

if [ "$phase" = 1 ]; then
	check "payload installs" install_payload
	check "scx.service is installed where systemd finds it" \
		test -f /lib/systemd/system/scx.service -a -f /etc/default/scx
	check "scx_vtime is on the PATH" command -v scx_vtime
	echo "# systemd-analyze verify scx.service:"
	# (--man=no: its man page is checked where the man pages are built)
	systemd-analyze verify --man=no /lib/systemd/system/scx.service 2>&1 | sed 's/^/#   /'
	check "systemd-analyze verify has nothing to say" \
		test -z "$(systemd-analyze verify --man=no /lib/systemd/system/scx.service 2>&1)"
	sed -i 's/^SCX_SCHEDULER=.*/SCX_SCHEDULER=scx_vtime/; s/^SCX_FLAGS=.*/SCX_FLAGS=""/' /etc/default/scx
	check "systemctl enable scx" systemctl enable scx
	echo "$pass $fail" > "$state/counts"
	echo 2 > "$state/phase"
	sync
	echo "# rebooting"
	scxvm-reboot
	exit 0
fi

read -r pass fail < "$state/counts"
echo "# booted: $(systemd-analyze 2>/dev/null | head -n 1)"
# After boot: the unit started with the system and reported ready.
check "scx is active after boot (READY=1 came: Type=notify)" wait_for 180 active
if ! active; then
	systemctl status --no-pager scx 2>&1 | sed 's/^/#   /'
	journalctl -b --no-pager -o cat -u scx | tail -n 30 | sed 's/^/#   /'
	nok "the rest needs the service running"
	summary
fi
check "vtime is attached after boot" wait_for 30 attached vtime
status=$(prop StatusText)
echo "# StatusText: $status"
check "the status line says what is attached" test "$status" = "Attached vtime"
systemctl status --no-pager scx 2>&1 | sed 's/^/#   /'
check "systemctl status says active (running)" \
	sh -c 'systemctl status --no-pager scx | grep -q "Active: active (running)"'
# the sandbox leaves libscx its uevent socket (no sysfs polling fallback)
check "the scheduler hears the kernel's uevents" \
	sh -c '! journalctl -b -u scx -o cat | grep -q "not in the initial network namespace"'
echo "# systemd-analyze security scx.service:"
systemd-analyze security --no-pager scx.service 2>&1 | sed 's/^/#   /'

# A killed scheduler process: the kernel detaches it with the process, systemd
# starts it again after RestartSec=.
pid=$(prop MainPID)
kill -9 "$pid"
check "killed (SIGKILL): a new scheduler process" wait_for 120 new_pid "$pid"
check "killed: active again" wait_for 120 active
check "killed: vtime attached again" wait_for 30 attached vtime
check "killed: NRestarts=1" test "$(prop NRestarts)" = 1

# A clean stop: detached, back on the default scheduler, not failed.
check "systemctl stop" systemctl stop scx
check "stopped: the system is on the default scheduler" wait_for 30 detached
check "stopped: inactive, result success" \
	test "$(systemctl is-active scx)" = inactive -a "$(prop Result)" = success
journalctl -u scx -b --no-pager -o cat | tail -n 4 | sed 's/^/#   /'
check "stopped: the journal has the scheduler's own exit line" \
	sh -c 'journalctl -b -u scx -o cat | grep -q "^vtime: exited: "'

# A scheduler the kernel ejects every time: restarts until the start limit,
# then the unit stays failed and the reason is in the journal.
obj=/usr/local/share/scx-service-test/raw_fifo.bpf.o
mkdir -p "${obj%/*}" && cp "$here/raw_fifo.bpf.o" "$obj"
cat > /etc/default/scx <<EOF
SCX_SCHEDULER=scxtool
SCX_FLAGS="run $obj --set error_after=500"
EOF
since=$(date '+%Y-%m-%d %H:%M:%S')
systemctl reset-failed scx 2>/dev/null
systemctl start scx
echo "# started raw_fifo (rc $?)"
check "ejected every time: failed after the start limit" wait_for 240 failed
echo "# Result=$(prop Result) NRestarts=$(prop NRestarts)"
# (systemd 252 keeps the last run's Result=exit-code; the journal names the limit)
check "ejected: the start limit ended it" \
	sh -c "journalctl -u scx --since '$since' -o cat | grep -q 'Start request repeated too quickly'"
# StartLimitBurst=3: the first start and two restarts run, the third
# restart is refused
check "ejected: restarted up to the limit (NRestarts=3)" test "$(prop NRestarts)" = 3
journalctl -u scx --since "$since" --no-pager -o cat | sed 's/^/#   /'
check "ejected: the journal has the kernel's reason" \
	sh -c "journalctl -u scx --since '$since' -o cat | grep -q 'ERROR_BPF'"
check "ejected: the journal has the scheduler's message" \
	sh -c "journalctl -u scx --since '$since' -o cat | grep -q 'raw_fifo: deliberate error after 500 enqueues'"
check "ejected: the system is on the default scheduler" detached
summary
