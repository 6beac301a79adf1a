#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh KDIR MODULE [IMAGE]: boot IMAGE (default: the image kernels.sh finds
# for KDIR) with MODULE (built against KDIR), run every selftest in the
# guest, and print one TAP line per test case, named after the kernel
# release, plus one line for the run itself.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/check/tap.sh"
kdir=$1
module=$2
release=$("$top/selftests/vm/kernel-release.sh" "$kdir")
image=${3:-$("$top/selftests/vm/kernels.sh" --kdir "$kdir" | cut -d' ' -f3)}
out=$top/build/vm-check/$release

echo "# kernel $release: booting $image with $module" >&2
"$top/selftests/vm/run-vm.sh" --kdir "$kdir" --kernel "$image" --module "$module" --out "$out" \
	--timeout "${KIPC_VM_TIMEOUT:-900}" \
	--add "$top/build/selftests:/kipc/tests" >"$KIPC_LOGS/vm-$release.log" 2>&1
rc=$?
"$top/selftests/vm/tap-collect.sh" "$release" < "$out/results.txt"
if [ $rc = 0 ]; then
	tap_ok "$release: VM run clean (no kernel report, no taint, all programs exited 0)"
else
	tap_not_ok "$release: VM run clean"
	sed 's/^/#   /' "$KIPC_LOGS/vm-$release.log"
fi
