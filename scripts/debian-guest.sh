#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
#
# A Debian guest for scx-vm: a minimal bookworm root with systemd as init,
# built once with debootstrap from the machine's own Debian mirror (the
# machine's apt sources are read, never changed) and cached as an ext4 image.
# Debian's kernels build virtio_blk and ext4 as modules, so each kernel also
# gets a small busybox initramfs that loads them from that kernel's own
# modules package, mounts /dev/vda and hands over to systemd.
#
#   debian-guest.sh image        build the root image if needed; print its path
#   debian-guest.sh initrd KDIR  the switch-root initramfs for the kernel cached
#                                in KDIR (scripts/kernels.sh fetch); print its path
#
# Cached under ${XDG_CACHE_HOME:-~/.cache}/libscx/guests, keyed by GUEST_VERSION:
# change it whenever what goes into the image changes.
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
# shellcheck source=privapt.sh
. "$here/privapt.sh"

GUEST_VERSION=bookworm-systemd-2
SUITE=bookworm
# systemd as init; libelf1 and zlib1g are what libscx links against; procps
# for pgrep/ps in tests.
PACKAGES=systemd,systemd-sysv,libelf1,zlib1g,procps
IMAGE_SIZE=1G

CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/libscx
GDIR=$CACHE/guests

die() { echo "debian-guest: $*" >&2; exit 1; }
note() { echo "debian-guest: $*" >&2; }

# The unit that runs scx-vm's command once systemd is up. scx-vm passes the
# command and its files on a second disk (/dev/vdb): cmd.sh and the --add
# files. Output goes to ttyS1 (scx-vm streams it), markers to ttyS0 (the
# console log). A command that calls scxvm-reboot is run again after the
# reboot; otherwise its exit status is reported and the guest powers off.
write_runner() {
	local r=$1
	mkdir -p "$r/usr/local/lib/scxvm" "$r/usr/local/sbin" "$r/scxvm"
	cat > "$r/etc/systemd/system/scxvm-run.service" <<'EOF'
[Unit]
Description=scx-vm: run the command given to scx-vm, then power off
After=multi-user.target

[Service]
Type=simple
ExecStart=/usr/local/lib/scxvm/run
StandardInput=null
StandardOutput=journal+console

[Install]
WantedBy=multi-user.target
EOF
	cat > "$r/usr/local/lib/scxvm/run" <<'EOF'
#!/bin/sh
# scx-vm's command runner (see scripts/debian-guest.sh)
mountpoint -q /scxvm || mount -t ext4 /dev/vdb /scxvm || {
	echo "SCXVM-EXIT 125 (no command disk)" > /dev/ttyS0
	systemctl --force poweroff
	exit 1
}
stty -F /dev/ttyS1 raw -echo 2>/dev/null
echo "SCXVM-BOOTED $(uname -r) systemd" > /dev/ttyS0
cd /scxvm
PATH=/scxvm:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	sh /scxvm/cmd.sh < /dev/null > /dev/ttyS1 2>&1
rc=$?
# scxvm-reboot: the command goes on after the reboot
[ -e /run/scxvm-reboot ] && exit 0
echo "SCXVM-EXIT $rc" > /dev/ttyS0
sync
systemctl --force poweroff
EOF
	cat > "$r/usr/local/sbin/scxvm-reboot" <<'EOF'
#!/bin/sh
# Reboot the guest; scx-vm's command is run again once it is back up.
touch /run/scxvm-reboot
sync
# straight to the target: "systemctl reboot" asks logind first, and this
# guest has no D-Bus
systemctl start --no-block reboot.target
EOF
	chmod 755 "$r/usr/local/lib/scxvm/run" "$r/usr/local/sbin/scxvm-reboot"
	ln -sf /etc/systemd/system/scxvm-run.service \
		"$r/etc/systemd/system/multi-user.target.wants/scxvm-run.service"
}

# What a throwaway test guest does not need at boot: gettys on the consoles
# (ttyS0 carries the log, ttyS1 the command's output) and periodic jobs.
mask_units() {
	local r=$1 u
	for u in serial-getty@ttyS0.service serial-getty@ttyS1.service getty@tty1.service \
		apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer \
		fstrim.timer systemd-tmpfiles-clean.timer man-db.timer; do
		ln -sf /dev/null "$r/etc/systemd/system/$u"
	done
}

build_image() {
	local img=$GDIR/$GUEST_VERSION.img tmp mirror
	[ -f "$img" ] && { echo "$img"; return 0; }
	[ "$(id -u)" = 0 ] || die "building the guest needs root (debootstrap)"
	command -v debootstrap >/dev/null || die "debootstrap is not installed; 'make deps' installs it"
	command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 is not installed (e2fsprogs)"
	mirror=$(privapt_mirror) || die "cannot find a Debian mirror in /etc/apt/sources.list*"
	mkdir -p "$GDIR"
	tmp=$(mktemp -d "$GDIR/build.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$tmp'" EXIT
	note "building $GUEST_VERSION with debootstrap from $mirror (a few minutes, once)"
	debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$tmp/root" "$mirror" \
		> "$tmp/debootstrap.log" 2>&1 || {
		tail -n 20 "$tmp/debootstrap.log" >&2
		die "debootstrap failed"
	}
	local r=$tmp/root
	echo scxvm > "$r/etc/hostname"
	echo "/dev/vda / ext4 rw,relatime 0 1" > "$r/etc/fstab"
	: > "$r/etc/machine-id"
	rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/*
	mkdir -p "$r/etc/systemd/system/multi-user.target.wants"
	mask_units "$r"
	write_runner "$r"
	echo "$GUEST_VERSION" > "$r/etc/scxvm-guest"
	mkfs.ext4 -q -L scxvm-root -d "$r" "$tmp/root.img" "$IMAGE_SIZE" >/dev/null ||
		die "mkfs.ext4 -d failed"
	mv "$tmp/root.img" "$img"
	echo "$img"
}

# The modules a kernel needs to mount an ext4 root on virtio-blk, in load
# order (dependencies first). The packages ship no modules.dep (depmod makes
# it at install), so each module's "depends=" is read from its .modinfo.
# Prints "PATH" lines relative to MODDIR.
module_order() { # MODDIR MODULE...
	local dir=$1 m
	shift
	declare -A seen=() where=()
	local f n
	while read -r n f; do
		n=${n%%.ko*}
		where[${n//-/_}]=$f
	done < <(find "$dir" -name '*.ko*' -printf '%f %P\n')
	visit() {
		local name=${1//-/_} path d deps
		[ -n "${seen[$name]:-}" ] && return 0
		seen[$name]=1
		path=${where[$name]:-}
		[ -n "$path" ] || die "module $name is not in $dir"
		deps=$(decompress "$dir/$path" | tr '\0' '\n' | sed -n 's/^depends=//p' | tr , ' ')
		for d in $deps; do visit "$d"; done
		echo "$path"
	}
	for m in "$@"; do visit "$m"; done
}

decompress() { # FILE: its contents on stdout
	case "$1" in
	*.xz) xz -dc "$1" ;;
	*.zst) zstd -qdc "$1" ;;
	*.gz) gzip -dc "$1" ;;
	*) cat "$1" ;;
	esac
}

build_initrd() {
	local kdir=$1 abi out tmp pkg moddir busybox b
	abi=$(cat "$kdir/release") || die "$kdir is not a cached kernel (no release file)"
	out=$GDIR/initrd-$abi.cpio.gz
	[ -f "$out" ] && { echo "$out"; return 0; }
	mkdir -p "$GDIR"
	tmp=$(mktemp -d "$GDIR/initrd.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$tmp'" EXIT
	privapt_init "$CACHE/apt" "${LIBSCX_KERNEL_SUITES:-bookworm-backports trixie-backports sid}" \
		2>"$tmp/apt.err" || die "cannot reach the Debian registry: $(tail -n 1 "$tmp/apt.err")"
	# From 6.19 the modules have a package of their own; before, the image
	# package holds them.
	for pkg in "linux-modules-$abi" "linux-image-$abi"; do
		(cd "$tmp" && privapt apt-get download -q "$pkg" > "$tmp/log" 2>&1) || continue
		dpkg-deb -x "$tmp"/"$pkg"_*.deb "$tmp/x" 2>/dev/null || continue
		moddir=$(find "$tmp/x" -type d -path "*/modules/$abi" | head -n 1)
		[ -n "$moddir" ] && [ -d "$moddir/kernel" ] && break
		moddir=
	done
	[ -n "${moddir:-}" ] || die "no modules for $abi in linux-modules-$abi or linux-image-$abi"
	busybox=
	for b in /bin/busybox /usr/bin/busybox; do
		[ -x "$b" ] && { ldd "$b" 2>&1 || true; } | grep -q "not a dynamic" && { busybox=$b; break; }
	done
	[ -n "$busybox" ] || die "a static busybox is needed (Debian package busybox-static)"
	local r=$tmp/root f name
	mkdir -p "$r"/{bin,dev,proc,sys,newroot,mod}
	cp "$busybox" "$r/bin/busybox"
	: > "$r/mod/order"
	while read -r f; do
		name=$(basename "$f")
		name=${name%%.ko*}.ko
		decompress "$moddir/$f" > "$r/mod/$name"
		echo "$name" >> "$r/mod/order"
	done < <(module_order "$moddir" virtio_blk ext4)
	cat > "$r/init" <<'EOF'
#!/bin/busybox sh
# scx-vm's switch-root initramfs (scripts/debian-guest.sh): load the modules
# for an ext4 root on virtio-blk, mount it and start systemd.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /mod/order); do insmod /mod/$m || echo "scxvm-initrd: insmod $m failed"; done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
mount -t ext4 -o rw /dev/vda /newroot || { echo "scxvm-initrd: cannot mount /dev/vda"; poweroff -f; }
umount /proc /sys
mount --move /dev /newroot/dev
exec switch_root /newroot /sbin/init
EOF
	chmod 755 "$r/init"
	(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) > "$tmp/initrd.gz"
	mv "$tmp/initrd.gz" "$out"
	echo "$out"
}

case "${1:-}" in
image) build_image ;;
initrd) [ $# = 2 ] || die "usage: debian-guest.sh initrd KDIR"; build_initrd "$2" ;;
*) echo "usage: debian-guest.sh image | initrd KDIR" >&2; exit 2 ;;
esac
