#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# host.sh [--shaped-on KERNELS] BUILDDIR FILTER KERNEL...: run the VM suite
# on each kernel and append "vm KERNEL: P passed, F failed, S skipped" lines
# to BUILDDIR/tests/summary. host.sh --matrix BUILDDIR FILTER: every sched_ext
# kernel series Debian offers, then a table.
#
# --shaped-on (make check: "newest") boots the guests of tests/vm/guests only
# on those of the KERNELS (named as in KERNEL...), to keep make check within
# its time budget; on the others their tests do not run, and the line says
# so. Without it (check-vm, check-matrix) they run on every kernel.
#
# On each kernel, one VM boot runs every test whose name contains FILTER,
# except those tests/vm/guests gives a guest of their own: those with the
# same scx-vm options then run together in one guest so shaped, and their
# results count in the same line. A guest that ends without a result is an
# ERROR for the shared guest, and a failure of each of its tests for a shaped
# guest. A kernel
# whose run passed nothing is an ERROR, unless FILTER matched no VM test at
# all: that line says "(filter matched nothing)" and tests/summary.sh decides
# (make check fails when no layer matched).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
matrix=0 shaped_on=
[ "${1:-}" = --matrix ] && { matrix=1; shift; }
[ "${1:-}" = --shaped-on ] && { shaped_on=" $2 "; shift 2; }
[ -n "${shaped_on// /}" ] || shaped_on=	# empty: every kernel
build=$1 filter=$2
shift 2
summary=$build/tests/summary
mkdir -p "$build/tests"
if [ $matrix = 1 ]; then
	mapfile -t kernels < <("$top/scripts/kernels.sh" matrix) || true
	[ ${#kernels[@]} -gt 0 ] || { echo "vm: no kernel list (registry unreachable?)"; exit 1; }
else
	kernels=("$@")
fi

matches() { [ -z "$filter" ] || [[ "$1" == *"$filter"* ]]; }

# The tests with a guest of their own (all of them leave the shared guest)
# and, for each set of options, those FILTER selects (shapes, in file order).
declare -A own_opts=() shape_tests=()
shapes=() except=()
while read -r name opts; do
	case "$name" in ''|'#'*) continue ;; esac
	[ -n "$opts" ] || { echo "vm: tests/vm/guests: $name has no scx-vm options"; exit 1; }
	except+=(--except "$name")
	own_opts[$name]=$opts
	matches "$name" || continue
	[ -n "${shape_tests[$opts]+x}" ] || shapes+=("$opts")
	shape_tests[$opts]+=" $name"
done < "$top/tests/vm/guests"

# How many tests the shared guest will run (run.sh chooses the same way):
# none, and it is not booted at all.
shared=0
for t in "$build"/tests/vm/test_*; do
	name=${t##*/}
	[ -f "$t" ] && [ -x "$t" ] || continue
	case "$name" in *.bpf.o) continue ;; esac
	[ -z "${own_opts[$name]+x}" ] && matches "$name" && shared=$((shared + 1))
done

# test_scxtool_metrics (in the shared guest) checks its output with
# promtool, which the guest gets from here; when it cannot be had, that
# test fails in the guest.
adds=()
if matches test_scxtool_metrics; then
	if promtool=$("$top/scripts/promtool.sh"); then
		adds+=(--add "$promtool")
	else
		echo "# vm: no promtool (scripts/promtool.sh failed): test_scxtool_metrics will fail"
	fi
fi

# boot LOG SCX-VM-OPTION...: a VM of the suite, its output to LOG; sets rc,
# and rel (the kernel's release) when not yet known.
boot() {
	local log=$1
	shift
	"$top/tools/scx-vm" --kernel "$k" --timeout "${VM_TIMEOUT:-7200}" --boot-retries 1 --add "$build/tests/vm" \
		"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	[ -n "$rel" ] || rel=$(sed -n 's/^kernel [^ ]* (\([^,]*\),.*/\1/p' "$log" | head -n 1)
}

# count LINE: add a "vm-summary: P passed, F failed, S skipped" line's numbers.
count() {
	local p f s
	read -r p f s <<< "$(echo "$1" | grep -oE '[0-9]+' | tr '\n' ' ')"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
}

status=0
rows=()
for k in "${kernels[@]}"; do
	rel= pass=0 fail=0 skip=0 error=
	if [ "$shared" -gt 0 ]; then
		log=$build/tests/vm-$k.log
		echo "# vm: booting kernel '$k'"
		boot "$log" ${adds[@]+"${adds[@]}"} --cpus 2 --mem 1G -- /vm/run.sh "${except[@]}" "$filter"
		line=$(grep '^vm-summary:' "$log" | tail -n 1)
		if [ -n "$line" ]; then
			count "$line"
		else
			error="the VM run ended without a result (scx-vm exit $rc)"
		fi
	fi
	note=
	if [ -n "$shaped_on" ] && [[ "$shaped_on" != *" $k "* ]] && [ ${#shapes[@]} -gt 0 ]; then
		note=" (shaped guests: on${shaped_on% } only)"
		echo "# vm: kernel '$k': the tests of tests/vm/guests run on${shaped_on% } only here"
	fi
	for opts in ${shapes[@]+"${shapes[@]}"}; do
		[ -z "$error" ] && [ -z "$note" ] || break
		read -r -a names <<< "${shape_tests[$opts]}"
		log=$build/tests/vm-$k-${names[0]}.log
		only=()
		for name in "${names[@]}"; do only+=(--only "$name"); done
		echo "# vm: booting kernel '$k' for ${names[*]}: scx-vm $opts"
		# shellcheck disable=SC2086 # the options are words of the guests file
		boot "$log" $opts -- /vm/run.sh "${only[@]}"
		line=$(grep '^vm-summary:' "$log" | tail -n 1)
		for name in "${names[@]}"; do
			if [ -z "$line" ]; then
				echo "not ok - $name (its guest ended without a result: scx-vm exit $rc)"
			elif ! grep -qE "^(not )?ok [0-9]+ - $name( |\$)" "$log"; then
				echo "not ok - $name (its guest did not run it: not built?)"
			else
				continue
			fi
			fail=$((fail + 1))
		done
		[ -z "$line" ] || count "$line"
	done
	rel=${rel:-$k}
	result="$pass passed, $fail failed, $skip skipped"
	if [ -n "$error" ]; then
		result="ERROR $error"
		status=1
	elif [ "$shared" -eq 0 ] && { [ ${#shapes[@]} -eq 0 ] || [ -n "$note" ]; }; then
		result="$result (filter matched nothing)"
		status=1
	elif [ "$pass" -eq 0 ]; then
		result="ERROR passed nothing ($result)"
		status=1
	fi
	[ "$fail" -eq 0 ] || status=1
	result="$result$note"
	echo "vm $rel: $result" >> "$summary"
	rows+=("$rel|$result")
done
if [ $matrix = 1 ]; then
	printf '\n%-28s %s\n' kernel result
	for r in "${rows[@]}"; do printf '%-28s %s\n' "${r%%|*}" "${r#*|}"; done
fi
exit $status
