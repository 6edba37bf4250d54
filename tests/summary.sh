#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
# summary.sh FILE: print each layer's line and the total; fail if any test
# failed or a layer could not run.
set -u
f=$1
[ -s "$f" ] || { echo "summary: no layer ran" >&2; exit 1; }
echo
echo "== summary =="
cat "$f"
bad=0
grep -q 'ERROR' "$f" && bad=1
read -r p fl s < <(awk -F'[:,]' '/passed/ {
	for (i = 2; i <= NF; i++) { split($i, w, " ");
		if (w[2] == "passed") p += w[1]; if (w[2] == "failed") f += w[1]; if (w[2] == "skipped") s += w[1] } }
	END { print p + 0, f + 0, s + 0 }' "$f")
[ "$fl" -eq 0 ] || bad=1
for layer in unit bpf vm; do
	grep -q "^$layer" "$f" || { echo "$layer: ERROR the layer did not run"; bad=1; }
done
echo "total: $p passed, $fl failed, $s skipped"
exit $bad
