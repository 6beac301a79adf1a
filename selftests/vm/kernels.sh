#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernels.sh SERIES...     (the KVERS entries, e.g. 6.1 6.12)
# kernels.sh --kdir KDIR   (one kernel build tree, as KDIR= on make's line)
# kernels.sh --host SERIES (only a kernel the host has installed, or fail)
#
# The kernels kipc is built and tested on, one line each:
#   RELEASE KDIR IMAGE
# A SERIES maps to the newest headers the host has installed
# (/lib/modules/SERIES.*/build, booting /boot/vmlinuz-RELEASE), else to the
# kernel fetch-kernel.sh unpacked in ${KIPC_CACHE:-$HOME/.cache/kipc}/kernels
# (headers in root/usr/src/linux-headers-RELEASE, image in root/boot).
# A kernel that cannot be found is an error that says how to get it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
kernels=${KIPC_CACHE:-$HOME/.cache/kipc}/kernels

die() {
	echo "kernels: $*" >&2
	exit 1
}

# image_of KDIR RELEASE: /boot's image, else the one unpacked beside KDIR.
image_of() {
	local unpacked
	if [ -r "/boot/vmlinuz-$2" ]; then
		echo "/boot/vmlinuz-$2"
		return 0
	fi
	unpacked=$(cd "$1/../../.." 2>/dev/null && pwd)/boot/vmlinuz-$2
	[ -r "$unpacked" ] && echo "$unpacked"
}

# kernel_line KDIR: "RELEASE KDIR IMAGE", KDIR made absolute.
kernel_line() {
	local kdir release image
	kdir=$(cd "$1" 2>/dev/null && pwd) || die "KDIR $1: no such directory"
	release=$("$here/kernel-release.sh" "$kdir" 2>/dev/null)
	[ -n "$release" ] || die "KDIR $kdir: no include/generated/utsrelease.h (not a prepared kernel tree)"
	image=$(image_of "$kdir" "$release") ||
		die "no kernel image for $release (neither /boot/vmlinuz-$release nor one unpacked beside $kdir)"
	echo "$release $kdir $image"
}

# host_kdir SERIES: the newest installed build tree of SERIES with an image.
host_kdir() {
	local d rel
	for d in $(ls -d /lib/modules/"$1".*/build 2>/dev/null | sort -V -r); do
		rel=$(basename "$(dirname "$d")")
		[ -r "/boot/vmlinuz-$rel" ] && [ -f "$d/Makefile" ] && echo "$d" && return 0
	done
	return 1
}

# cache_kdir SERIES: the unpacked kernel KERNELS/SERIES points to, by its
# versioned path, so a fetch during a run cannot switch kernels under it.
cache_kdir() {
	local dir
	[ -f "$kernels/$1/.complete" ] || return 1
	dir=$(cd "$kernels/$1" && pwd -P) || return 1
	echo "$dir/root/usr/src/linux-headers-$(cat "$dir/release")"
}

if [ "${1:-}" = --kdir ]; then
	[ $# = 2 ] && [ -n "$2" ] || die "usage: $0 --kdir KDIR"
	kernel_line "$2"
	exit 0
fi
if [ "${1:-}" = --host ]; then
	[ $# = 2 ] || die "usage: $0 --host SERIES"
	kdir=$(host_kdir "$2") || exit 1
	kernel_line "$kdir"
	exit 0
fi
[ $# -gt 0 ] || die "usage: $0 SERIES... | --kdir KDIR"
for series in "$@"; do
	[[ "$series" =~ ^[0-9]+\.[0-9]+$ ]] || die "'$series' is not a kernel series like 6.12 (KVERS=$*)"
	kdir=$(host_kdir "$series") || kdir=$(cache_kdir "$series") ||
		die "no kernel $series: run 'make deps' (it fetches it into $kernels), or drop it from KVERS"
	kernel_line "$kdir"
done
