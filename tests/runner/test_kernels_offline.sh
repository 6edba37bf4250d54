#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Description: with no registry and no cached kernel, scripts/kernels.sh fails
# with a message saying exactly that; with a cached kernel it uses the cache.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# port 9 (discard) on loopback: nothing answers, the update fails at once
export LIBSCX_MIRROR=http://127.0.0.1:9/debian XDG_CACHE_HOME=$tmp
out=$("$top/scripts/kernels.sh" fetch newest 2>&1)
rc=$?
[ $rc -ne 0 ] || fail "succeeded without registry or cache"
echo "$out" | grep -q "no cached kernel" && echo "$out" | grep -q "cannot be reached" ||
	fail "unclear message: $out"
echo "ok: $out"

# a cached kernel is used when the registry is gone
mkdir -p "$tmp/libscx/kernels/7.9.1+deb13-amd64"
touch "$tmp/libscx/kernels/7.9.1+deb13-amd64/vmlinuz"
echo 7.9.1+deb13-amd64 > "$tmp/libscx/kernels/7.9.1+deb13-amd64/release"
out=$("$top/scripts/kernels.sh" fetch newest 2>/dev/null)
[ "$out" = "$tmp/libscx/kernels/7.9.1+deb13-amd64" ] || fail "cache not used: '$out'"
out=$("$top/scripts/kernels.sh" fetch 7.9.1 2>/dev/null)
[ "$out" = "$tmp/libscx/kernels/7.9.1+deb13-amd64" ] || fail "version from cache: '$out'"
"$top/scripts/kernels.sh" fetch 6.1.0 >/dev/null 2>&1 && fail "an uncached version resolved offline"
echo "ok: the cache serves offline"
