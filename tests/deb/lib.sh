# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Sourced by tests/deb/test_*.sh: where the tree and the packages are.
#   top, build, debs (BUILDDIR/deb), ma (the multiarch triplet),
#   pkgs (the binary packages' .deb files, debug symbols left out),
#   fail MESSAGE
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:?usage: $0 BUILDDIR (the packages are in BUILDDIR/deb)}
build=$(cd "$build" && pwd)
debs=$build/deb
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
fail() { echo "FAIL: $*"; exit 1; }

pkgs=()
for f in "$debs"/*.deb; do
	case $f in *-dbgsym_*) continue ;; esac
	[ -f "$f" ] && pkgs+=("$f")
done
[ ${#pkgs[@]} -gt 0 ] || fail "no packages in $debs (tests/deb/run.sh builds them: make check-deb)"
# the package names debian/control declares, all of which must have been built
for p in $(sed -n 's/^Package: *//p' "$top/debian/control"); do
	ls "$debs/${p}"_*.deb >/dev/null 2>&1 || fail "debian/control declares $p but $debs has no ${p}_*.deb"
done
