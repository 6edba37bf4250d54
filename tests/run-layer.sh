#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# run-layer.sh LAYER FILTER TEST...: run host test binaries one by one with a
# timeout, print TAP, and append "LAYER: P passed, F failed, S skipped" to
# $O/tests/summary. cmocka binaries report each case (TAP output); other
# binaries count as one test: exit 0 pass, 77 skip, anything else fail.
#
# Nothing passes by accident:
# - a skip counts as a failure unless tests/allowed-skips lists it with a
#   condition that holds here (and, with CI=true, marks it "ci");
# - a layer that passed nothing fails (the line says ERROR);
# - a FILTER that matched no test here adds "(filter matched nothing)" and
#   exits 1: make check (tests/summary.sh) accepts that as long as another
#   layer matched, a single-layer target (make check-unit T=x) fails.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
layer=$1 filter=$2
shift 2
summary=${SUMMARY:-$(dirname "$(dirname "${1:-build/tests/x/y}")")/summary}
allowed=${ALLOWED_SKIPS:-$here/allowed-skips}
pass=0 fail=0 skip=0 n=0 ran=0
# a guard against hangs, not a measure: the runner layer boots VMs, which on a
# loaded host take minutes
TIMEOUT=${TEST_TIMEOUT:-900}
mkdir -p "$(dirname "$summary")"

if [ $# -eq 0 ]; then
	echo "# $layer: no tests found" >&2
	echo "$layer: ERROR no tests were built" >> "$summary"
	exit 1
fi

# condition_holds NAME: is the condition of an allowed skip true here?
condition_holds() {
	case $1 in
	host-no-sched-ext) [ ! -d /sys/kernel/sched_ext ] ;;
	host-has-sched-ext) [ -d /sys/kernel/sched_ext ] ;;
	host-kernel-below-6.4)
		local v
		v=$(uname -r | sed -n 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
		[ -n "$v" ] && [ "$(echo "$v" | awk '{ print ($1 < 6 || ($1 == 6 && $2 < 4)) }')" = 1 ] ;;
	not-root) [ "$(id -u)" != 0 ] ;;
	*) return 1 ;;
	esac
}

# skip_verdict NAME: empty when the skip of test NAME (binary or
# binary:case) is allowed here, else why not.
skip_verdict() {
	local name=$1 l t c ci why="not in tests/allowed-skips"
	[ -r "$allowed" ] || { echo "no $allowed"; return; }
	while read -r l t c ci; do
		case $l in ''|'#'*) continue ;; esac
		[ "$l" = "$layer" ] || continue
		# shellcheck disable=SC2053  # TEST is a glob
		[[ $name == $t ]] || continue
		if ! condition_holds "$c"; then
			why="allowed only when $c, which is not so here"
			continue
		fi
		if [ "${CI:-}" = true ] && [ "$ci" != ci ]; then
			why="allowed when $c, but not in CI (CI=true)"
			continue
		fi
		return
	done < "$allowed"
	echo "$why"
}

# one_skip NAME REASON: count a skip, allowed or not, and print its TAP line.
one_skip() {
	local why
	n=$((n + 1))
	why=$(skip_verdict "$1")
	if [ -z "$why" ]; then
		skip=$((skip + 1)); echo "ok $n - $1 # SKIP $2"
	else
		fail=$((fail + 1)); echo "not ok $n - $1 skipped ($2): $why"
	fi
}

for t in "$@"; do
	name=$(basename "$t")
	[ -z "$filter" ] || [[ "$name" == *"$filter"* ]] || continue
	ran=$((ran + 1))
	out=$(mktemp)
	# shellcheck disable=SC2086  # TEST_ARGS: words passed to each test
	CMOCKA_MESSAGE_OUTPUT=TAP timeout -k 5 "$TIMEOUT" "$t" ${TEST_ARGS:-} >"$out" 2>&1
	rc=$?
	if grep -qE '^(not )?ok [0-9]+' "$out"; then
		# per-case results (cmocka TAP): "ok N - case", "not ok N - case",
		# "not ok N # SKIP case"; the "# ..." lines before a skip say why
		why=
		while IFS= read -r line; do
			case "$line" in
			"ok "*"# SKIP"*|"ok "*"# skip"*|"not ok "*"# SKIP"*|"not ok "*"# skip"*)
				c=${line#*# [Ss][Kk][Ii][Pp]}; c=${c# }; c=${c#- }
				one_skip "$name:$c" "${why:-no reason given}"; why= ;;
			"not ok "*) n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $name:${line#not ok * - }"; why= ;;
			"ok "*) n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $name:${line#ok * - }"; why= ;;
			"# "*) why=${line#\# }; echo "# $line" ;;
			*) echo "# $line" ;;
			esac
		done < "$out"
		if [ $rc -ne 0 ] && ! grep -v '# SKIP' "$out" | grep -q '^not ok'; then
			n=$((n + 1)); fail=$((fail + 1))
			echo "not ok $n - $name exited with status $rc"
		fi
	else
		case $rc in
		0) n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $name" ;;
		77) sed 's/^/# /' "$out"; one_skip "$name" "$(tail -n 1 "$out")" ;;
		124) n=$((n + 1)); fail=$((fail + 1)); sed 's/^/# /' "$out"; echo "not ok $n - $name (timed out after ${TIMEOUT}s)" ;;
		*) n=$((n + 1)); fail=$((fail + 1)); sed 's/^/# /' "$out"; echo "not ok $n - $name (exit $rc)" ;;
		esac
	fi
	rm -f "$out"
done
line="$layer: $pass passed, $fail failed, $skip skipped"
status=0
if [ $ran -eq 0 ]; then
	line="$line (filter matched nothing)"
	status=1
elif [ $pass -eq 0 ] && [ $fail -eq 0 ] && [ $skip -gt 0 ]; then
	# every test skipped, each allowed: tests/summary.sh accepts this only
	# where the allowed-skips entries say the cases run in the VM suite
	line="$line (all skipped, allowed)"
elif [ $pass -eq 0 ]; then
	line="$layer: ERROR passed nothing ($pass passed, $fail failed, $skip skipped)"
	status=1
fi
echo "# $line"
echo "$line" >> "$summary"
[ $fail -eq 0 ] && [ $status -eq 0 ]
