#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms.sh KDIR: dkms add, build and remove kipc against KDIR's headers, in a
# scratch DKMS tree under build/, so the host's /var/lib/dkms stays untouched.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/check/tap.sh"
kdir=$1
release=$("$top/selftests/vm/kernel-release.sh" "$kdir")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
hdr=$(awk '/define KIPC_VERSION_(MAJOR|MINOR|PATCH)/ {v = v s $3; s = "."} END {print v}' \
	"$top/kmod/uapi/linux/kipc.h")

if [ "$version" = "$hdr" ]; then
	tap_ok "dkms.conf version $version matches the uapi header"
else
	tap_not_ok "dkms.conf version '$version' matches the uapi header ($hdr)"
fi

scratch=$top/build/dkms
rm -rf "$scratch"
mkdir -p "$scratch/tree" "$scratch/src" "$scratch/install"
"$top/selftests/check/dkms-stage.sh" "$scratch/src/kipc-$version"
opts=(--dkmstree "$scratch/tree" --sourcetree "$scratch/src" --installtree "$scratch/install")

tap_run "dkms add" dkms add "${opts[@]}" -m kipc -v "$version"
tap_run "dkms build for $release" dkms build "${opts[@]}" -m kipc -v "$version" \
	-k "$release" --kernelsourcedir "$kdir"
if ls "$scratch/tree/kipc/$version/$release/"*/module/kipc.ko* >/dev/null 2>&1; then
	tap_ok "dkms built kipc.ko for $release"
else
	tap_not_ok "dkms built kipc.ko for $release"
fi
tap_run "dkms remove" dkms remove "${opts[@]}" -m kipc -v "$version" --all
if [ ! -e "$scratch/tree/kipc/$version" ]; then
	tap_ok "dkms remove leaves nothing behind"
else
	tap_not_ok "dkms remove leaves nothing behind"
fi
