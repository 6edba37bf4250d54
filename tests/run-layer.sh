#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# run-layer.sh LAYER FILTER TEST...: run host test binaries one by one with a
# timeout, print TAP, and append "LAYER: P passed, F failed, S skipped" to
# $O/tests/summary. cmocka binaries report each case (TAP output); other
# binaries count as one test: exit 0 pass, 77 skip, anything else fail.
set -uo pipefail
layer=$1 filter=$2
shift 2
summary=${SUMMARY:-$(dirname "$(dirname "${1:-build/tests/x/y}")")/summary}
pass=0 fail=0 skip=0 n=0
TIMEOUT=${TEST_TIMEOUT:-120}

if [ $# -eq 0 ]; then
	echo "# $layer: no tests found" >&2
	echo "$layer: ERROR no tests were built" >> "$summary"
	exit 1
fi
for t in "$@"; do
	name=$(basename "$t")
	[ -z "$filter" ] || [[ "$name" == *"$filter"* ]] || continue
	out=$(mktemp)
	# shellcheck disable=SC2086  # TEST_ARGS: words passed to each test
	CMOCKA_MESSAGE_OUTPUT=TAP timeout -k 5 "$TIMEOUT" "$t" ${TEST_ARGS:-} >"$out" 2>&1
	rc=$?
	if grep -qE '^(not )?ok [0-9]+' "$out"; then
		# per-case results (cmocka TAP)
		while IFS= read -r line; do
			case "$line" in
			"not ok "*"# SKIP"*|"not ok "*"# skip"*) n=$((n + 1)); skip=$((skip + 1)); echo "ok $n - $name:${line#not ok } # SKIP" ;;
			"not ok "*) n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $name:${line#not ok * - }" ;;
			"ok "*"# SKIP"*|"ok "*"# skip"*) n=$((n + 1)); skip=$((skip + 1)); echo "ok $n - $name:${line#ok * - }" ;;
			"ok "*) n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $name:${line#ok * - }" ;;
			*) echo "# $line" ;;
			esac
		done < "$out"
		if [ $rc -ne 0 ] && ! grep -v '# SKIP' "$out" | grep -q '^not ok'; then
			n=$((n + 1)); fail=$((fail + 1))
			echo "not ok $n - $name exited with status $rc"
		fi
	else
		n=$((n + 1))
		case $rc in
		0) pass=$((pass + 1)); echo "ok $n - $name" ;;
		77) skip=$((skip + 1)); echo "ok $n - $name # SKIP $(tail -n 1 "$out")" ;;
		124) fail=$((fail + 1)); sed 's/^/# /' "$out"; echo "not ok $n - $name (timed out after ${TIMEOUT}s)" ;;
		*) fail=$((fail + 1)); sed 's/^/# /' "$out"; echo "not ok $n - $name (exit $rc)" ;;
		esac
	fi
	rm -f "$out"
done
echo "# $layer: $pass passed, $fail failed, $skip skipped"
mkdir -p "$(dirname "$summary")"
echo "$layer: $pass passed, $fail failed, $skip skipped" >> "$summary"
[ $fail -eq 0 ]
