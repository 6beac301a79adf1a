#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# static.sh KDIR...: the static checks of make check, as TAP lines.
#   - checkpatch.pl --strict (from linux-source) on every kernel source;
#   - no kernel-version test outside kmod/compat.h;
#   - for each KDIR, the module built at W=1 with no warning, and sparse
#     (C=2) clean, in a scratch copy so kmod/ keeps its own objects;
#   - the userspace and selftests built with -Wall -Wextra -Werror.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/check/tap.sh"
[ $# -gt 0 ] || { echo "usage: $0 KDIR..." >&2; exit 2; }
tools=$top/build/kernel-tools

cd "$top"
files=$(find kmod -name '*.[ch]' ! -name '*.mod.c' | sort)
[ -n "$files" ] || tap_not_ok "checkpatch: no kernel sources found"
# checkpatch's exit status ignores CHECKs on some versions: read its totals too.
# kmod/compat.h is where kernel versions are tested, so there (only) the
# warnings on "LINUX_VERSION_CODE >= KERNEL_VERSION(...)" itself are expected.
checkpatch() {
	local ignore=()
	[ "$1" = kmod/compat.h ] && ignore=(--ignore "LINUX_VERSION_CODE,CONSTANT_COMPARISON")
	perl "$tools/scripts/checkpatch.pl" --strict --no-tree --show-types "${ignore[@]}" -f "$1" |
		tee /dev/stderr | grep -q 'total: 0 errors, 0 warnings, 0 checks'
}
for f in $files; do
	tap_run "checkpatch --strict $f" checkpatch "$f"
done

# Every difference between the supported kernels lives in kmod/compat.h.
stray=$(grep -rIn LINUX_VERSION_CODE kmod/ | grep -v '^kmod/compat.h:')
if [ -z "$stray" ]; then
	tap_ok "no LINUX_VERSION_CODE test outside kmod/compat.h"
else
	tap_not_ok "no LINUX_VERSION_CODE test outside kmod/compat.h"
	echo "$stray" | sed 's/^/#   /'
fi

# module_static KDIR: W=1 and sparse in one build: sparse (C=2) checks every
# file, W=1 compiles it.
module_static() {
	local kdir=$1 release scratch log rc warns
	release=$("$top/selftests/vm/kernel-release.sh" "$kdir")
	echo "# kernel $release ($kdir)"
	scratch=$top/build/static/$release
	rm -rf "$scratch"
	mkdir -p "$scratch"
	cp -a kmod "$scratch/"
	find "$scratch/kmod" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \
		-o -name Module.symvers -o -name modules.order \) -delete

	log=$KIPC_LOGS/module-w1-sparse-$release.log
	make -C "$kdir" M="$scratch/kmod" W=1 C=2 modules >"$log" 2>&1
	rc=$?
	if [ $rc = 0 ] && [ -f "$scratch/kmod/kipc.ko" ]; then
		tap_ok "module builds for $release"
	else
		tap_not_ok "module builds for $release"
		tail -n 30 "$log" | sed 's/^/#   /'
	fi
	# Compiler and sparse warnings share the "file:line:col: warning:" shape.
	warns=$(grep -E '(warning|error):' "$log" | grep -v '^make')
	if [ -z "$warns" ]; then
		tap_ok "module is W=1 warning-free and sparse-clean for $release"
	else
		tap_not_ok "module is W=1 warning-free and sparse-clean for $release"
		echo "$warns" | head -20 | sed 's/^/#   /'
	fi
}
for kdir in "$@"; do
	module_static "$kdir"
done

tap_run "userspace builds with -Wall -Wextra -Werror" make -C "$top/user" -B
tap_run "selftests build with -Wall -Wextra -Werror" \
	make -C "$top/selftests/kipc" -B OUTPUT="$top/build/selftests"
