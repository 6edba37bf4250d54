#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# deb.sh [build|lintian] BUILDDIR: build the Debian packages (debian/) into
# BUILDDIR/deb and run lintian on them; `build` or `lintian` does one step.
#
# dpkg-buildpackage writes its results next to the source tree and cleans the
# tree first, so it runs in a copy (BUILDDIR/deb/libscx-VERSION, the files git
# knows, edits included): nothing lands outside BUILDDIR and a developer's
# build/ is never touched. The copy is removed after a good build.
#
# No -d: dpkg-buildpackage checks debian/control's Build-Depends, which
# scripts/deps.sh has installed, bpftool (>= 7.5) from bookworm-backports
# included, so a missing one is reported by name instead of failing later.
#
# Exit status: 0 when the packages were built and lintian reported nothing
# that debian/*.lintian-overrides does not explain, 1 otherwise.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
steps="build lintian"
case ${1:-} in build|lintian) steps=$1; shift ;; esac
build=${1:?usage: deb.sh [build|lintian] BUILDDIR}
mkdir -p "$build"
out=$(cd "$build" && pwd)/deb

say() { echo "deb: $*" >&2; }

for t in dpkg-buildpackage dpkg-parsechangelog dh lintian; do
	command -v "$t" >/dev/null || { say "$t is missing (scripts/deps.sh deb installs it)"; exit 1; }
done

cd "$top"
version=$(dpkg-parsechangelog -S Version)
v=$(sed -n 's/^#define LIBSCX_\(MAJOR\|MINOR\|PATCH\)_VERSION[[:space:]]*\([0-9]*\)$/\2/p' include/scx/common.h |
	paste -sd.)
[ "${version%%[-+~]*}" = "$v" ] || {
	say "debian/changelog is at $version but include/scx/common.h at $v: add a changelog entry (dch -v $v)"
	exit 1
}


run_build() {
	rm -rf "$out"
	src=$out/libscx-$version
	mkdir -p "$src"
	# BUILDDIR, when it is inside the tree (relative to it; never copied)
	local o
	o=$(realpath -m --relative-to="$top" "$out/..")
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		# tracked and new (not ignored) files as they are now, deleted ones left out
		git ls-files -z --cached --others --exclude-standard |
			while IFS= read -r -d '' f; do
				[ -e "$f" ] && [ "${f#"$o"/}" = "$f" ] && printf '%s\0' "$f"
			done | tar --null -T - -cf - | tar -xf - -C "$src"
	else
		# a source tree without git: everything but build directories
		tar --exclude=./.git --exclude='./build*' --exclude="./$o" -cf - . | tar -xf - -C "$src"
	fi

	say "dpkg-buildpackage in $src (log: $out/build.log)"
	if ! (cd "$src" && dpkg-buildpackage -us -uc -b -Jauto) >"$out/build.log" 2>&1; then
		tail -n 40 "$out/build.log" >&2
		say "dpkg-buildpackage failed; the tree it ran in is kept: $src"
		exit 1
	fi
	rm -rf "$src"
	(cd "$out" && ls -1 ./*.deb) | sed 's|^\./|deb: built |' >&2
}

run_lintian() {
	changes=$(ls "$out"/libscx_"$version"_*.changes 2>/dev/null) || {
		say "no $out/libscx_${version}_*.changes: build the packages first (make deb)"
		exit 1
}

	# Every tag lintian can show, pedantic and experimental included; overridden
	# ones are hidden, and an override that no longer matches is itself reported.
	say "lintian $(basename "$changes")"
	if ! lintian --display-info --pedantic --display-experimental --fail-on none \
		"$changes" >"$out/lintian.log" 2>"$out/lintian.err"; then
		cat "$out/lintian.log" "$out/lintian.err" >&2
		say "lintian could not run"
		exit 1
	fi
	# stderr holds lintian's own notes ("running with root privileges is not
	# recommended!"), which are no tags; anything else there is shown.
	grep -v '^running with root privileges' "$out/lintian.err" >&2 || true
	if [ -s "$out/lintian.log" ]; then
		cat "$out/lintian.log" >&2
		say "lintian reported tags that debian/*.lintian-overrides does not explain"
		exit 1
	fi
	say "lintian: clean (overrides, each explained, in debian/*.lintian-overrides)"
}

for step in $steps; do "run_$step"; done
