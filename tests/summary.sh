#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
# summary.sh FILE: print each layer's line and the total, and fail unless the
# run proves something. FILE holds one line per layer run, "NAME: P passed, F
# failed, S skipped" (NAME is a layer, or a layer and a kernel: "vm 7.3.4",
# any layer a recipe adds works the same), optionally followed by a note in
# parentheses; "NAME: ERROR ..." when a layer could not run. It fails when:
# - any test failed, or any line says ERROR (could not run, passed nothing);
# - unit, bpf, runner or vm did not run at all;
# - a layer passed nothing: allowed only for a filter (T=...) that matched
#   nothing in that layer while another layer matched, and for a layer whose
#   every test skipped with an allowed skip (tests/allowed-skips) while the
#   VM suite, where those cases also run, passed on every kernel;
# - a filter matched nothing in any of unit, bpf, runner and vm (the layers
#   it applies to), or nothing passed at all.
# Skips reach FILE only when tests/allowed-skips allowed them; the VM suite
# allows none.
set -u
f=$1
[ -s "$f" ] || { echo "summary: no layer ran" >&2; exit 1; }
echo
echo "== summary =="
cat "$f"
bad=0
num() { echo "$1" | grep -oE "[0-9]+ $2" | head -n 1 | cut -d' ' -f1; }
p=0 fl=0 s=0 vm_ok=1 vm_seen=0
while IFS= read -r line; do
	case $line in vm*) vm_seen=1 ;; esac
	case $line in *ERROR*) bad=1; case $line in vm*) vm_ok=0 ;; esac; continue ;; esac
	lp=$(num "$line" passed) lf=$(num "$line" failed) ls=$(num "$line" skipped)
	p=$((p + ${lp:-0})) fl=$((fl + ${lf:-0})) s=$((s + ${ls:-0}))
	case $line in vm*) [ "${lp:-0}" -gt 0 ] && [ "${lf:-0}" -eq 0 ] || vm_ok=0 ;; esac
done < "$f"
[ $vm_seen = 1 ] || vm_ok=0
[ "$fl" -eq 0 ] || bad=1
while IFS= read -r line; do
	case $line in *ERROR*) continue ;; esac
	[ "$(num "$line" passed)" = 0 ] || continue
	case $line in
	*"(filter matched nothing)"*) ;;
	*"(all skipped, allowed)"*)
		if [ $vm_ok = 0 ]; then
			echo "${line%%:*}: ERROR every test skipped, and the VM suite where they also run did not pass"
			bad=1
		fi ;;
	*) echo "${line%%:*}: ERROR passed nothing"; bad=1 ;;
	esac
done < "$f"
for layer in unit bpf runner vm; do
	grep -q "^$layer[ :]" "$f" || { echo "$layer: ERROR the layer did not run"; bad=1; }
done
if [ "$p" -eq 0 ]; then
	echo "summary: ERROR no test passed"
	bad=1
elif grep -q "(filter matched nothing)" "$f" &&
	! grep -E "^(unit|bpf|runner|vm)[ :]" "$f" | grep -qE "[1-9][0-9]* passed"; then
	echo "summary: ERROR the filter (T=...) matched no test in any layer"
	bad=1
fi
echo "total: $p passed, $fl failed, $s skipped"
exit $bad
