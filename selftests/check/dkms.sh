#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms.sh KDIR...: dkms add kipc, build it against each KDIR's headers
# (--kernelsourcedir, so an unpacked tree that is not installed serves too),
# and remove it, in a scratch DKMS tree under build/, so the host's
# /var/lib/dkms trees stay untouched.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/check/tap.sh"
[ $# -gt 0 ] || { echo "usage: $0 KDIR..." >&2; exit 2; }
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
for kdir in "$@"; do
	release=$("$top/selftests/vm/kernel-release.sh" "$kdir")
	echo "# kernel $release ($kdir)"
	tap_run "dkms build for $release" dkms build "${opts[@]}" -m kipc -v "$version" \
		-k "$release" --kernelsourcedir "$kdir"
	if ls "$scratch/tree/kipc/$version/$release/"*/module/kipc.ko* >/dev/null 2>&1; then
		tap_ok "dkms built kipc.ko for $release"
	else
		tap_not_ok "dkms built kipc.ko for $release"
	fi
done
tap_run "dkms remove" dkms remove "${opts[@]}" -m kipc -v "$version" --all
if [ ! -e "$scratch/tree/kipc/$version" ]; then
	tap_ok "dkms remove leaves nothing behind"
else
	tap_not_ok "dkms remove leaves nothing behind"
fi
