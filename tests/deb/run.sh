#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# run.sh BUILDDIR FILTER TEST...: the deb layer. Installs what packaging needs
# (scripts/deps.sh deb), builds the packages once (scripts/deb.sh build, into
# BUILDDIR/deb), then runs the tests through tests/run-layer.sh, each with
# BUILDDIR as its argument. A build that fails is the layer's ERROR line in the
# summary, never a skip. A FILTER that matches no test here builds nothing.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:?usage: run.sh BUILDDIR FILTER TEST...}
filter=$2
shift 2
mkdir -p "$build/tests"
build=$(cd "$build" && pwd)
summary=$build/tests/summary

matched=0
for t in "$@"; do
	[ -z "$filter" ] || [[ "$(basename "$t")" == *"$filter"* ]] && matched=1
done
if [ $matched = 1 ]; then
	if ! "$top/scripts/deps.sh" deb; then
		echo "deb: ERROR scripts/deps.sh deb could not install debhelper and lintian" >> "$summary"
		exit 1
	fi
	start=$(date +%s)
	if ! "$top/scripts/deb.sh" build "$build"; then
		echo "deb: ERROR the packages did not build (scripts/deb.sh build $build)" >> "$summary"
		exit 1
	fi
	echo "# deb: packages built in $(($(date +%s) - start)) s"
fi
cd "$top" && TEST_ARGS=$build SUMMARY=$summary tests/run-layer.sh deb "$filter" "$@"
