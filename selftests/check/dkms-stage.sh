#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-stage.sh DEST: copy what DKMS needs to build kipc (dkms.conf and the
# module sources, no build output) into DEST, with dkms.conf's
# PACKAGE_VERSION set to the uapi header's version.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
dest=$1
rm -rf "$dest"
mkdir -p "$dest"
version=$(awk '/define KIPC_VERSION_(MAJOR|MINOR|PATCH)/ {v = v s $3; s = "."} END {print v}' \
	"$top/kmod/uapi/linux/kipc.h")
sed "s/#MODULE_VERSION#/$version/" "$top/dkms.conf" >"$dest/dkms.conf"
cd "$top"
find kmod ! -name '*.mod.c' \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) -print0 |
	cpio -0 -pdm --quiet "$dest"
