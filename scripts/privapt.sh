# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# A private apt configuration: Debian suites that must never enter the system's
# own sources (trixie-backports, sid) are queried and downloaded through a
# sources file, lists and cache of our own. Nothing here changes the machine's
# apt state. Source this file; it defines privapt_init and privapt.
#
# Usage:
#   privapt_init DIR "SUITE..."    # writes DIR/sources.list, runs apt-get update
#   privapt apt-cache policy foo    # any apt command, run against DIR

# The mirror this machine already uses, so no address is written into the
# project. Deb822 (.sources) first, then the one-line format.
privapt_mirror() {
	local uri
	# LIBSCX_MIRROR overrides it (another mirror, or tests of the offline path)
	[ -n "${LIBSCX_MIRROR:-}" ] && { echo "$LIBSCX_MIRROR"; return 0; }
	uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null)
	if [ -z "$uri" ]; then
		uri=$(awk '$1 == "deb" && $2 !~ /^\[/ { print $2; exit }
			   $1 == "deb" && $2 ~ /^\[/ { print $3; exit }' \
			/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null)
	fi
	# Security mirrors carry no kernels; prefer a plain Debian archive.
	case "$uri" in *security*) uri=${uri%-security} ;; esac
	[ -n "$uri" ] || return 1
	echo "$uri"
}

PRIVAPT_DIR=

privapt() {
	"$@" -o Dir::Etc::SourceList="$PRIVAPT_DIR/sources.list" \
	     -o Dir::Etc::SourceParts=/dev/null \
	     -o Dir::State::Lists="$PRIVAPT_DIR/lists" \
	     -o Dir::Cache="$PRIVAPT_DIR/cache" \
	     -o Dir::State::Status="$PRIVAPT_DIR/status" \
	     -o Debug::NoLocking=1 \
	     -o APT::Sandbox::User=root
}

# privapt_init DIR "SUITES" [deb-src]
privapt_init() {
	local dir=$1 suites=$2 kind=${3:-deb} mirror s
	PRIVAPT_DIR=$dir
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	: > "$dir/status.new"
	[ -f "$dir/status" ] || mv "$dir/status.new" "$dir/status"
	rm -f "$dir/status.new"
	mirror=$(privapt_mirror) || {
		echo "privapt: cannot find a Debian mirror in /etc/apt/sources.list*;" \
		     "add the machine's usual Debian source first" >&2
		return 1
	}
	: > "$dir/sources.list.new"
	for s in $suites; do
		echo "$kind [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $s main" \
			>> "$dir/sources.list.new"
	done
	mv "$dir/sources.list.new" "$dir/sources.list"
	# Refresh at most once an hour: resolving a kernel should not re-download
	# every Packages file on each run.
	if [ -z "$(find "$dir/lists" -maxdepth 1 -name '*Packages*' -mmin -60 -print -quit 2>/dev/null)" ] &&
	   [ -z "$(find "$dir/lists" -maxdepth 1 -name '*Sources*' -mmin -60 -print -quit 2>/dev/null)" ]; then
		privapt apt-get -q update >"$dir/update.log" 2>&1
	fi
	# apt-get update can exit 0 having fetched nothing: what counts is
	# whether index files are there.
	if [ -z "$(find "$dir/lists" -maxdepth 1 \( -name '*Packages*' -o -name '*Sources*' \) -print -quit)" ]; then
		echo "privapt: no package index for '$suites' from $mirror (no network or registry?);" \
		     "see $dir/update.log" >&2
		return 1
	fi
}
