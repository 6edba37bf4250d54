#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# Test kernels: find, download, verify and cache Debian kernels that have
# sched_ext (CONFIG_SCHED_CLASS_EXT=y). Debian's own suites are queried through a
# private apt configuration (scripts/privapt.sh); the machine's apt sources are
# never touched. Versions are resolved at run time because point releases leave
# the archive.
#
#   kernels.sh fetch SPEC     download + verify + cache; print the kernel's dir
#   kernels.sh resolve SPEC   print the kernel release SPEC stands for
#   kernels.sh list           every available release, one per line (ABI SUITE)
#   kernels.sh matrix         one release per series and suite build (for check-matrix)
#   kernels.sh cached         the kernels already in the cache
#
# SPEC is "oldest", "newest", a version ("7.2.12") or a full release name
# ("7.2.12+deb13-amd64"). A kernel's cache dir holds vmlinuz, config (when the
# packages have one), release and suite.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=privapt.sh
. "$here/privapt.sh"

CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/libscx
KDIR=$CACHE/kernels
# Suites that carry sched_ext kernels. Debian enables sched_ext from 6.16, found
# in trixie-backports and sid; bookworm-backports (6.12) is listed so that
# "oldest" really checks the older series instead of assuming.
SUITES=${LIBSCX_KERNEL_SUITES:-"bookworm-backports trixie-backports sid"}

die() { echo "kernels: $*" >&2; exit 1; }
note() { [ -n "${QUIET:-}" ] || echo "kernels: $*" >&2; }

registry_ok=
registry() {
	[ -n "$registry_ok" ] && return 0
	if privapt_init "$CACHE/apt" "$SUITES" 2>"$CACHE/apt.err"; then
		registry_ok=1
		return 0
	fi
	return 1
}

# "ABI SUITE PACKAGE" for every amd64 generic kernel the registry lists, in
# version order. From 6.19 on the kernel is in linux-binary-*, earlier in
# linux-image-* (which later became a small meta package). Read straight from
# the Packages lists: one apt-cache call per package would take a minute.
candidates() {
	local f suite
	for f in "$PRIVAPT_DIR"/lists/*_binary-amd64_Packages*; do
		suite=$(basename "$f" | sed -E 's/.*_dists_([^_]+)_.*/\1/')
		# apt may keep its lists compressed (lz4, gz); apt-helper reads any.
		/usr/lib/apt/apt-helper cat-file "$f" |
		sed -nE 's/^Package: linux-(image|binary)-([0-9][^ ]*-amd64)$/\2 \1/p' |
			grep -Ev -e '-(cloud|rt)-amd64 ' |
			awk -v s="$suite" '{ print $1, s, $2 }'
	done | sort -u | sort -V -k1,1 |
	awk '{ if ($1 != last && last != "") print last, suite, "linux-" kind "-" last
	       if ($1 != last || $3 == "binary") { kind = $3; suite = $2 }
	       last = $1 }
	     END { if (last != "") print last, suite, "linux-" kind "-" last }'
}

suite_of() { # PACKAGE
	local f
	for f in "$PRIVAPT_DIR"/lists/*_binary-amd64_Packages*; do
		# grep -c reads to the end: an early-exiting grep -q would make
		# apt-helper die of SIGPIPE and, under pipefail, fail the test
		if [ "$(/usr/lib/apt/apt-helper cat-file "$f" | grep -c "^Package: $1\$")" != 0 ]; then
			basename "$f" | sed -E 's/.*_dists_([^_]+)_.*/\1/'
			return 0
		fi
	done
}

# The sched_ext verdict of one release, cached: "yes" or "no".
verdict_file() { echo "$CACHE/verdicts/$1"; }

# download ABI PKG into the cache and verify it. Returns 1 (and remembers it)
# when the kernel has no sched_ext.
download() {
	local abi=$1 pkg=$2 dir tmp deb cfg
	dir=$KDIR/$abi
	[ -f "$dir/vmlinuz" ] && return 0
	tmp=$(mktemp -d "$CACHE/dl.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$tmp'" RETURN
	note "downloading $pkg"
	(cd "$tmp" && privapt apt-get download -q "$pkg" >"$tmp/log" 2>&1) ||
		die "cannot download $pkg: $(tail -n 1 "$tmp/log")"
	deb=$(ls "$tmp"/*.deb)
	mkdir -p "$tmp/x"
	dpkg-deb -x "$deb" "$tmp/x"
	# The config: in the image up to 6.18, in linux-base-ABI from 7.2.
	if privapt apt-cache show "linux-base-$abi" >/dev/null 2>&1; then
		(cd "$tmp" && privapt apt-get download -q "linux-base-$abi" >>"$tmp/log" 2>&1) &&
			dpkg-deb -x "$tmp"/linux-base-*.deb "$tmp/x"
	fi
	local vmlinuz
	vmlinuz=$(find "$tmp/x" -name "vmlinuz-$abi" -o -name vmlinuz | head -n 1)
	[ -n "$vmlinuz" ] || die "$pkg holds no vmlinuz"
	cfg=$(find "$tmp/x" -name "config-$abi" -o -path "*/modules/$abi/config" | head -n 1)
	mkdir -p "$CACHE/verdicts"
	if [ -n "$cfg" ]; then
		if ! grep -q '^CONFIG_SCHED_CLASS_EXT=y' "$cfg"; then
			echo no > "$(verdict_file "$abi")"
			return 1
		fi
	else
		# 6.19 to 7.1 ship no config: the kernel's own BTF tells whether
		# sched_ext was built in.
		"$here/vmlinux-btf.sh" "$vmlinuz" "$tmp/vmlinux" ||
			die "cannot extract BTF from $vmlinuz"
		# grep -c, not -q: an early exit would SIGPIPE bpftool and,
		# under pipefail, turn a match into "no"
		if [ "$(bpftool btf dump file "$tmp/vmlinux" 2>/dev/null |
			grep -c "STRUCT 'sched_ext_ops'")" = 0 ]; then
			echo no > "$(verdict_file "$abi")"
			return 1
		fi
	fi
	echo yes > "$(verdict_file "$abi")"
	mkdir -p "$dir.new"
	cp "$vmlinuz" "$dir.new/vmlinuz"
	[ -z "$cfg" ] || cp "$cfg" "$dir.new/config"
	echo "$abi" > "$dir.new/release"
	suite_of "$pkg" > "$dir.new/suite"
	rm -rf "$dir"
	mv "$dir.new" "$dir"
}

has_scx() { # ABI PKG
	local v
	v=$(cat "$(verdict_file "$1")" 2>/dev/null || true)
	case "$v" in
	yes) download "$1" "$2" ;;
	no) return 1 ;;
	*) download "$1" "$2" ;;
	esac
}

series() { echo "$1" | cut -d. -f1,2; }

cached_list() {
	local d
	for d in "$KDIR"/*/; do
		[ -f "$d/vmlinuz" ] && basename "$d"
	done 2>/dev/null | sort -V
}

# Pick a release from the registry. Walks series in order; a series whose
# newest build lacks sched_ext is skipped whole (Debian never turned it off
# again within a series), so "oldest" costs one download per older series.
pick() {
	local spec=$1 list abi suite pkg s
	list=$(candidates)
	[ -n "$list" ] || die "the registry lists no amd64 kernels for: $SUITES"
	case "$spec" in
	newest)
		while read -r abi suite pkg; do
			has_scx "$abi" "$pkg" && { echo "$abi"; return 0; }
		done < <(echo "$list" | tac)
		;;
	oldest)
		local done_series=" "
		while read -r s; do
			# newest build of this series first
			read -r abi suite pkg < <(echo "$list" | awk -v s="$s" \
				'index($1, s ".") == 1' | tail -n 1)
			has_scx "$abi" "$pkg" || continue
			while read -r abi suite pkg; do
				has_scx "$abi" "$pkg" && { echo "$abi"; return 0; }
			done < <(echo "$list" | awk -v s="$s" 'index($1, s ".") == 1')
		done < <(echo "$list" | awk '{ print $1 }' | cut -d. -f1,2 | uniq)
		;;
	*)
		read -r abi suite pkg < <(echo "$list" | awk -v v="$spec" \
			'$1 == v || index($1, v "+") == 1' | tail -n 1) || true
		[ -n "${abi:-}" ] || die "no Debian kernel '$spec' in $SUITES;" \
			"'$0 list' shows what there is"
		has_scx "$abi" "$pkg" || die "kernel $abi has no sched_ext" \
			"(CONFIG_SCHED_CLASS_EXT is not set in its config)"
		echo "$abi"
		return 0
		;;
	esac
	die "no Debian kernel with sched_ext found in $SUITES"
}

# Without a registry, fall back on the cache.
pick_cached() {
	local spec=$1 list
	list=$(cached_list)
	[ -n "$list" ] || die "no cached kernel in $KDIR and the Debian registry" \
		"cannot be reached ($(tail -n 1 "$CACHE/apt.err" 2>/dev/null)); connect to" \
		"a Debian mirror once to download a test kernel"
	note "registry unreachable; using the cache"
	case "$spec" in
	newest) echo "$list" | tail -n 1 ;;
	oldest) echo "$list" | head -n 1 ;;
	*) echo "$list" | awk -v v="$spec" '$1 == v || index($1, v "+") == 1' |
		tail -n 1 | grep . || die "kernel '$spec' is not cached and the registry" \
		"cannot be reached" ;;
	esac
}

resolve() {
	mkdir -p "$CACHE"
	case "$1" in
	*+*-amd64)
		# A full release name that is cached needs no registry at all.
		[ -f "$KDIR/$1/vmlinuz" ] && { echo "$1"; return 0; } ;;
	esac
	if registry; then pick "$1"; else pick_cached "$1"; fi
}

cmd=${1:-}
case "$cmd" in
fetch)
	abi=$(resolve "${2:?usage: kernels.sh fetch SPEC}")
	# caches written before the suite was recorded get it now
	if [ ! -s "$KDIR/$abi/suite" ] && registry 2>/dev/null; then
		for kind in binary image; do
			sfx=$(suite_of "linux-$kind-$abi") && [ -n "$sfx" ] && { echo "$sfx" > "$KDIR/$abi/suite"; break; }
		done
	fi
	echo "$KDIR/$abi"
	;;
resolve)
	resolve "${2:?usage: kernels.sh resolve SPEC}"
	;;
list)
	registry || die "the Debian registry cannot be reached"
	candidates | awk '{ print $1, $2 }'
	;;
matrix)
	# One release per series and suite, from the oldest series with
	# sched_ext on; both suites' builds when they differ.
	registry || die "the Debian registry cannot be reached"
	oldest=$(pick oldest)
	candidates | awk -v o="$oldest" '
		{ split($1, v, "."); s = v[1] "." v[2]; key = s " " $2
		  last[key] = $1 " " $3; if (!(key in seen)) { seen[key] = 1; order[n++] = key } }
		END { for (i = 0; i < n; i++) print last[order[i]] }' |
	while read -r abi pkg; do
		[ "$(printf '%s\n%s\n' "$oldest" "$abi" | sort -V | head -n 1)" = "$oldest" ] || continue
		has_scx "$abi" "$pkg" && echo "$abi"
	done
	;;
cached)
	cached_list
	;;
*)
	sed -n '4,17p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
