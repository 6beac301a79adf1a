#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-selftest.sh: prove the debug lane can fail. Boots the debug kernel
# exactly as the lane does (debug-lib.sh: same kernel, command line, console
# patterns, guest script with kipc.ko loaded and the same kmemleak scan),
# but instead of the suite loads a test-only module with one planted bug
# (selftests/vm/selftest/kipc_selftest_bugs.c), and asserts that the run
# fails and names the report:
#   bug=oob   KASAN: slab-out-of-bounds, in plant_oob;
#   bug=leak  kmemleak: the unreferenced object, whose bytes read
#             "kipc-planted-leak", and the console's "new suspected memory
#             leaks" line.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/check/tap.sh"
. "$top/selftests/check/debug-lib.sh"

if ! debug_kdir; then
	tap_not_ok "debug lane self-test: debug kernel builds"
	tail -n 30 "$KIPC_LOGS/debug-kernel.log" | sed 's/^/#   /'
	exit 0
fi
work=$top/build/debug/selftest
rm -rf "$work"
mkdir -p "$work"
if ! debug_build_module "$top/kmod" "$work/kmod" "$KIPC_LOGS/debug-selftest-kipc.log" ||
	! debug_build_module "$top/selftests/vm/selftest" "$work/mod" \
		"$KIPC_LOGS/debug-selftest-module.log"; then
	tap_not_ok "debug lane self-test: build kipc.ko and the planted-bug module"
	tail -n 20 "$KIPC_LOGS"/debug-selftest-*.log | sed 's/^/#   /'
	exit 0
fi

# planted NAME BUG: boot the lane with the planted bug; the run must fail.
# Leaves the runner's output in $work/NAME.log.
planted() {
	local name=$1 bug=$2
	if debug_boot "$work/$name" "$work/kmod/kipc.ko" 900 \
		--add "$work/mod/kipc_selftest_bugs.ko:/kipc/kipc_selftest_bugs.ko" \
		-- "/kipc/debug-guest.sh --no-suite --no-fuzz \
		--planted '/kipc/kipc_selftest_bugs.ko bug=$bug'" >"$work/$name.log" 2>&1; then
		tap_not_ok "debug lane self-test: $name: the run fails (it passed)"
		return 1
	fi
	tap_ok "debug lane self-test: $name: the run fails"
}

# names NAME WHAT PATTERN: the failure message names WHAT.
names() {
	if grep -q -E "$3" "$work/$1.log"; then
		tap_ok "debug lane self-test: $1: the failure names $2"
	else
		tap_not_ok "debug lane self-test: $1: the failure names $2 ('$3')"
		sed 's/^/#   /' "$work/$1.log" | tail -n 30
	fi
}

if planted kasan oob; then
	names kasan "a kernel report on the console" 'FAIL: kernel report on the console'
	names kasan "KASAN: slab-out-of-bounds in plant_oob" 'BUG: KASAN: slab-out-of-bounds in plant_oob'
	# KASAN taints the kernel B (bad page, 32).
	gained=$(sed -n 's/.*FAIL: kernel taint gained \([0-9]*\) .*/\1/p' "$work/kasan.log")
	if [ -n "$gained" ] && [ $((gained & 32)) = 32 ]; then
		tap_ok "debug lane self-test: kasan: the failure names the taint it leaves (B)"
	else
		tap_not_ok "debug lane self-test: kasan: the failure names the taint it leaves (B)"
	fi
fi
if planted kmemleak leak; then
	names kmemleak "kmemleak's console line" 'kmemleak: [0-9]+ new suspected memory leaks'
	names kmemleak "the unreferenced object" 'kmemleak: unreferenced object 0x[0-9a-f]+ \(size 64\)'
	names kmemleak "the planted object's bytes" 'kmemleak: .*kipc-planted-lea'
	if grep -q 'KASAN' "$work/kmemleak.log"; then
		tap_not_ok "debug lane self-test: kmemleak: no other report (KASAN seen)"
	else
		tap_ok "debug lane self-test: kmemleak: the leak is the only report"
	fi
fi
