#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-stage.sh DEST: copy what DKMS needs to build kipc (dkms.conf and the
# module sources, no build output) into DEST.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
dest=$1
rm -rf "$dest"
mkdir -p "$dest"
cp "$top/dkms.conf" "$dest/"
cd "$top"
find kmod ! -name '*.mod.c' \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) -print0 |
	cpio -0 -pdm --quiet "$dest"
