#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# uapi-table.sh: Documentation/uapi.rst's summary table of ioctls says what
# <linux/kipc.h> defines: every KIPC_IOC_* is listed, with the number, nr
# and argument size the header gives it (the table once kept kipc_stats at
# 192 bytes for two ABI revisions). TAP lines.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/check/tap.sh"

hdr=$top/kmod/uapi/linux/kipc.h
doc=$top/Documentation/uapi.rst
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

names=$(sed -n 's/^#define \(KIPC_IOC_[A-Z_]*\)[[:space:]]*_IO.*/\1/p' "$hdr")
{
	echo '#include <stdio.h>'
	echo '#include <linux/kipc.h>'
	echo 'int main(void) {'
	for n in $names; do
		echo "	printf(\"$n 0x%08x 0x%02x %u\\n\", (unsigned)$n, _IOC_NR($n), _IOC_SIZE($n));"
	done
	echo '	return 0; }'
} >"$work/t.c"
if ! cc -I"$top/kmod/uapi" -o "$work/t" "$work/t.c" 2>"$work/cc.log"; then
	tap_not_ok "uapi.rst's ioctl table: the header's numbers compile"
	sed 's/^/#   /' "$work/cc.log"
	exit 1
fi
"$work/t" >"$work/header"
# ``KIPC_IOC_X``  0xNNNNNNNN  0xNN  dir  ``struct`` (SIZE)
sed -n 's/^``\(KIPC_IOC_[A-Z_]*\)``[[:space:]]*\(0x[0-9a-f]*\)[[:space:]]*\(0x[0-9a-f]*\)[[:space:]].*(\([0-9]*\))[[:space:]]*$/\1 \2 \3 \4/p' \
	"$doc" >"$work/doc"
if diff -u "$work/header" "$work/doc" >"$work/diff"; then
	tap_ok "uapi.rst's ioctl table lists every KIPC_IOC_* with the header's number, nr and size ($(wc -l <"$work/header"))"
else
	tap_not_ok "uapi.rst's ioctl table lists every KIPC_IOC_* with the header's number, nr and size"
	sed 's/^/#   /' "$work/diff"
	exit 1
fi
