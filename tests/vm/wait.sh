# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
# Sourced by the VM suite's shell tests: polling with one deadline for the
# whole test (BUDGET seconds, 600 unless set), never a fixed sleep.
uptime_s() { cut -d. -f1 /proc/uptime; }
deadline=$(($(uptime_s) + ${BUDGET:-600}))
# new_budget: a fresh BUDGET for a test's next independent part
new_budget() { deadline=$(($(uptime_s) + ${BUDGET:-600})); }
# wait_for COMMAND...: poll COMMAND every 0.1 s until it succeeds or the
# deadline passed
wait_for() {
	while [ "$(uptime_s)" -lt $deadline ]; do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}
ops_is() { [ "$(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)" = "$1" ]; }
state_is() { [ "$(cat /sys/kernel/sched_ext/state 2>/dev/null)" = "$1" ]; }
