#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# runner-selftest.sh KDIR: prove the VM runner can fail. Each case boots a VM
# that goes wrong in one way and asserts that run-vm.sh exits non-zero and
# names the cause; one clean case asserts that it passes at all.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/check/tap.sh"
kdir=$1
release=$("$top/selftests/vm/kernel-release.sh" "$kdir")
work=$top/build/runner-selftest/$release
run=$top/selftests/vm/run-vm.sh

rm -rf "$work"
mkdir -p "$work/mod"
cp "$top/selftests/vm/selftest/"* "$work/mod/"
if ! make -C "$kdir" M="$work/mod" modules >"$KIPC_LOGS/runner-selftest-build.log" 2>&1; then
	tap_not_ok "runner self-test: build the WARNING module"
	tail -20 "$KIPC_LOGS/runner-selftest-build.log" | sed 's/^/#   /'
	exit 0
fi

# expect_fail NAME PATTERN RUN-VM-ARGS...: the run must fail and say PATTERN.
expect_fail() {
	local name=$1 pattern=$2 log=$work/$1.log
	shift 2
	if "$run" --kdir "$kdir" --out "$work/$name" --timeout 300 "$@" >"$log" 2>&1; then
		tap_not_ok "runner self-test: $name makes the run fail (it passed)"
	elif grep -q -E "$pattern" "$log"; then
		tap_ok "runner self-test: $name makes the run fail and names the cause"
	else
		tap_not_ok "runner self-test: $name: failure does not name '$pattern'"
		sed 's/^/#   /' "$log" | tail -20
	fi
}

expect_fail kernel-warning 'FAIL: kernel report on the console' \
	--no-load --add "$work/mod/kipc_selftest_warn.ko" -- insmod /kipc/kipc_selftest_warn.ko
grep -q 'taint gained' "$work/kernel-warning.log" &&
	tap_ok "runner self-test: the WARNING also shows as taint W" ||
	tap_not_ok "runner self-test: the WARNING also shows as taint W"
expect_fail failing-test 'FAIL: the command in the guest exited 3' --no-load -- exit 3
expect_fail missing-result 'FAIL: no result from the guest' --no-load -- poweroff -f
expect_fail wall-clock 'FAIL: wall-clock limit' --no-load --timeout 20 -- sleep 600
if "$run" --kdir "$kdir" --out "$work/clean" --timeout 300 -- 'echo hello > /results/greeting' \
	>"$work/clean.log" 2>&1 && [ "$(cat "$work/clean/files/greeting" 2>/dev/null)" = hello ]; then
	tap_ok "runner self-test: a clean run passes and brings its result files back"
else
	tap_not_ok "runner self-test: a clean run passes and brings its result files back"
	sed 's/^/#   /' "$work/clean.log" | tail -20
fi
