#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# deps.sh: install what libscx needs to build and test, when it is missing.
# Idempotent and silent when everything is there. Debian 12 (bookworm):
# everything from bookworm itself except bpftool, which comes from
# bookworm-backports through a private apt configuration, so that no other
# suite ever enters the machine's apt sources.
#
# deps.sh deb: also what `make deb` and its tests need (debhelper, lintian).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

PKGS="clang-19 llvm-19 lld-19 libelf-dev zlib1g-dev pkg-config libcmocka-dev
      qemu-system-x86 busybox-static cpio zstd libclang-rt-19-dev dpkg-dev
      rt-tests stress-ng make gcc python3 mandoc debootstrap"
# debian/control's Build-Depends are among the above (and bpftool); dpkg-buildpackage
# checks them. Rules-Requires-Root: no, so no fakeroot.
[ "${1:-}" = deb ] && PKGS="$PKGS debhelper lintian debian-archive-keyring"
BPFTOOL_MIN=7.5

say() { echo "deps: $*" >&2; }

missing=()
for p in $PKGS; do
	[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] ||
		missing+=("$p")
done

bpftool_ok() {
	local v
	v=$(bpftool version 2>/dev/null | sed -n 's/^bpftool v\([0-9.]*\).*/\1/p')
	[ -n "$v" ] && [ "$(printf '%s\n%s\n' "$BPFTOOL_MIN" "$v" | sort -V | head -n 1)" = "$BPFTOOL_MIN" ]
}

need_bpftool=0
bpftool_ok || need_bpftool=1

[ ${#missing[@]} -eq 0 ] && [ $need_bpftool -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	say "missing: ${missing[*]} $([ $need_bpftool = 1 ] && echo "bpftool>=$BPFTOOL_MIN")"
	say "run 'sudo scripts/deps.sh' (or 'make deps' as root) to install them"
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive

if [ ${#missing[@]} -gt 0 ]; then
	say "installing ${missing[*]}"
	# A fresh machine has no package lists yet. Another apt (a second
	# make check, unattended-upgrades on a fresh machine) may hold dpkg's
	# lock: wait for it rather than fail.
	lock=(-o DPkg::Lock::Timeout=900)
	if ! apt-get "${lock[@]}" install -y -q --no-install-recommends "${missing[@]}" >/tmp/libscx-deps.log 2>&1; then
		apt-get "${lock[@]}" update -q >>/tmp/libscx-deps.log 2>&1 || true
		apt-get "${lock[@]}" install -y -q --no-install-recommends "${missing[@]}" >>/tmp/libscx-deps.log 2>&1 || {
			tail -n 20 /tmp/libscx-deps.log >&2
			say "apt-get install failed; see /tmp/libscx-deps.log"
			exit 1
		}
	fi
fi

if [ $need_bpftool -eq 1 ]; then
	say "installing bpftool from bookworm-backports (that package only)"
	# shellcheck source=privapt.sh
	. "$here/privapt.sh"
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/libscx
	privapt_init "$cache/apt-bpo" "bookworm-backports"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && privapt apt-get download -q bpftool/bookworm-backports >"$tmp/log" 2>&1) || {
		cat "$tmp/log" >&2
		say "cannot download bpftool from bookworm-backports"
		exit 1
	}
	# Installed from the file: its dependencies (libc6, libelf1, zlib1g,
	# libcap2) resolve from bookworm, so nothing else changes suite.
	apt-get install -y -q "$tmp"/bpftool_*.deb >>/tmp/libscx-deps.log 2>&1 || {
		tail -n 20 /tmp/libscx-deps.log >&2
		say "installing bpftool failed; see /tmp/libscx-deps.log"
		exit 1
	}
	bpftool_ok || { say "bpftool is still older than $BPFTOOL_MIN"; exit 1; }
fi
