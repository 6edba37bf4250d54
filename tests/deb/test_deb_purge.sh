#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Description: the packages install together with dpkg, `dpkg -L` lists every
# file each package ships and each is there, the installed programs run, and
# `dpkg --purge` leaves nothing behind.
#
# Where: on this machine itself (a real `dpkg -i` of all packages, their
# dependencies from the machine, the ldconfig trigger run) only as root and
# with CI=true or LIBSCX_DEB_HOST_INSTALL=1, since it changes the host;
# otherwise into an empty root with `dpkg --root` (the packages have no
# maintainer scripts, only libscx0's ldconfig trigger, so that is the same
# unpacking and removal; dependencies are not checked there), where
# "nothing behind" means the root holds nothing but dpkg's own database.
# Host installs take turns (a lock file), so two suites can run at once.
# Usage: test_deb_purge.sh BUILDDIR
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
names=()
for d in "${pkgs[@]}"; do names+=("$(dpkg-deb -f "$d" Package)"); done

host=0
if [ "$(id -u)" = 0 ] && { [ "${CI:-}" = true ] || [ "${LIBSCX_DEB_HOST_INSTALL:-}" = 1 ]; }; then
	host=1
fi

# maintainer scripts would run inside the root (chroot): there are none but
# triggers now; when the service's land, only the host mode covers them
for d in "${pkgs[@]}"; do
	dpkg-deb -e "$d" "$tmp/ctl"
	for s in preinst postinst prerm postrm; do
		[ ! -e "$tmp/ctl/$s" ] || [ $host = 1 ] ||
			fail "$(basename "$d") has a $s script, which dpkg --root cannot run here: run as root with LIBSCX_DEB_HOST_INSTALL=1"
	done
	rm -rf "$tmp/ctl"
done

if [ $host = 1 ]; then
	# one host install at a time: a second make check on this machine
	# (make check-loaded runs two) found the first one's packages, purged
	# them, and failed on dpkg's lock. Held until this script exits.
	exec 9> /run/lock/libscx-deb-host.lock
	flock -w 1800 9 || fail "another libscx package test held /run/lock/libscx-deb-host.lock for 30 minutes"
	root=/
	dpkg=(dpkg)
	query=(dpkg-query)
	state() { dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null; }
	trap 'dpkg --purge "${names[@]}" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
	for n in "${names[@]}"; do
		[ -z "$(state "$n")" ] || [ "$(state "$n")" = "un " ] || {
			[ "${CI:-}" = true ] || fail "$n is installed already ($(state "$n")); purge it first"
			echo "# $n was left installed ($(state "$n")), by an earlier run: purging it"
			dpkg --purge "$n" >/dev/null || fail "dpkg --purge $n"
		}
	done
	echo "# installing on this machine (dpkg -i), then purging"
else
	root=$tmp/root
	mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/log"
	: > "$root/var/lib/dpkg/status"
	: > "$root/var/lib/dpkg/available"
	dpkg=(dpkg --root="$root" --force-depends)
	query=(dpkg-query --admindir="$root/var/lib/dpkg")
	[ "$(id -u)" = 0 ] || dpkg+=(--force-not-root)
	trap 'rm -rf "$tmp"' EXIT
	echo "# installing into $root (dpkg --root); LIBSCX_DEB_HOST_INSTALL=1 as root installs on this machine"
fi

# what is there before: a path a package ships that exists already (a shared
# directory such as /usr/bin) is not a leftover after the purge
: > "$tmp/before"
for d in "${pkgs[@]}"; do
	dpkg-deb --fsys-tarfile "$d" | tar -tf - | sed 's|^\./|/|; s|/$||; /^$/d'
done | sort -u > "$tmp/shipped"
while read -r p; do [ -e "$root$p" ] || [ -L "$root$p" ] && echo "$p"; done < "$tmp/shipped" > "$tmp/before"
touch "$tmp/marker"

"${dpkg[@]}" -i "${pkgs[@]}" > "$tmp/dpkg.log" 2>&1 || { sed 's/^/# /' "$tmp/dpkg.log"; fail "dpkg -i"; }

# dpkg -L: every path each package ships, and each one present
for d in "${pkgs[@]}"; do
	n=$(dpkg-deb -f "$d" Package)
	"${dpkg[@]}" -L "$n" | sort > "$tmp/listed" || fail "dpkg -L $n"
	dpkg-deb --fsys-tarfile "$d" | tar -tf - | sed 's|^\./|/|; s|/$||; s|^$|/.|' | sort > "$tmp/want"
	comm -23 "$tmp/want" "$tmp/listed" | grep -q . &&
		fail "dpkg -L $n misses: $(comm -23 "$tmp/want" "$tmp/listed" | head -n 5 | tr '\n' ' ')"
	while read -r p; do
		[ -e "$root$p" ] || [ -L "$root$p" ] || fail "$n: $p is listed by dpkg -L but not installed"
	done < "$tmp/listed"
done

if [ $host = 1 ]; then
	# the installed programs run from the system paths
	for s in /usr/bin/scx_*; do
		"$s" --version >/dev/null 2>&1 || fail "$s --version"
	done
	scxtool features >/dev/null 2>&1 || fail "scxtool features"
	pkg-config --exists libscx || fail "pkg-config finds no libscx"
	ldconfig -p | grep -q 'libscx.so.0 ' || fail "libscx.so.0 is not in the ld.so cache (ldconfig trigger)"
fi

"${dpkg[@]}" --purge "${names[@]}" > "$tmp/dpkg.log" 2>&1 || { sed 's/^/# /' "$tmp/dpkg.log"; fail "dpkg --purge"; }

for n in "${names[@]}"; do
	s=$("${query[@]}" -W -f='${db:Status-Abbrev}' "$n" 2>/dev/null || true)
	[ -z "$s" ] || [ "$s" = "un " ] || fail "$n is still known to dpkg after the purge: '$s'"
done
left=$(while read -r p; do
	{ [ -e "$root$p" ] || [ -L "$root$p" ]; } && ! grep -qxF "$p" "$tmp/before" && echo "$p"
done < "$tmp/shipped")
[ -z "$left" ] || fail "left after the purge: $(echo "$left" | head -n 10 | tr '\n' ' ')"

if [ $host = 1 ]; then
	# anything named *scx* made since the install (by a maintainer script, say)
	left=$(find /usr /etc /var/lib /lib -xdev -path /var/lib/dpkg -prune -o -newer "$tmp/marker" \
		-name '*scx*' -print 2>/dev/null)
else
	# the root holds dpkg's database and log, and nothing else
	left=$(cd "$root" && find . -mindepth 1 -path ./var/lib/dpkg -prune -o -path ./var/log -prune -o \
		-path ./var/lib -o -path ./var -o -print)
fi
[ -z "$left" ] || fail "left after the purge: $(echo "$left" | head -n 10 | tr '\n' ' ')"
echo "ok: ${names[*]} installed ($([ $host = 1 ] && echo 'on this machine' || echo 'dpkg --root')), listed, purged, nothing left"
