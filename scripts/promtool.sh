#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# promtool.sh: print the path of a promtool (Prometheus' checker, for
# `promtool check metrics` in the tests of `scxtool metrics`), fetching it
# first when it is not cached. It comes from Debian 12's own `prometheus`
# package, which is downloaded, never installed (installing it would start
# a Prometheus server): promtool alone is taken out of it into
# ~/.cache/libscx/promtool/. Progress goes to stderr; stdout holds only the
# path. Exit 1 when it cannot be had.
set -euo pipefail
cache=${XDG_CACHE_HOME:-$HOME/.cache}/libscx/promtool
bin=$cache/promtool
say() { echo "promtool.sh: $*" >&2; }

if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
	echo "$bin"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
download() {
	(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root prometheus) >>"$tmp/log" 2>&1
}
say "downloading Debian's prometheus package for its promtool (not installing it)"
if ! download; then
	# a fresh machine has no package lists yet
	if [ "$(id -u)" -eq 0 ]; then
		apt-get update -q >>"$tmp/log" 2>&1 || true
	fi
	download || {
		tail -n 5 "$tmp/log" >&2
		say "cannot download the prometheus package (as root, 'apt-get update' first may help)"
		exit 1
	}
fi
dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/x"
[ -x "$tmp/x/usr/bin/promtool" ] || { say "the prometheus package holds no usr/bin/promtool"; exit 1; }
mkdir -p "$cache"
# several test runs may fetch at once: each renames a whole file into place
cp "$tmp/x/usr/bin/promtool" "$cache/.promtool.$$"
mv "$cache/.promtool.$$" "$bin"
"$bin" --version >/dev/null 2>&1 || { say "$bin does not run"; exit 1; }
echo "$bin"
