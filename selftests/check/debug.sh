#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug.sh: the debug-kernel lane of make check-debug, as TAP lines.
#   - build (or reuse from the cache) the debug kernel: KASAN, lockdep,
#     kmemleak, UBSAN, fault injection, ... (selftests/vm/debug-kernel.config);
#   - build kipc.ko against it, W=1 warning-free;
#   - boot it (selftests/vm/debug-guest.sh): the whole selftest suite, the
#     fuzzer, the fuzzer as an unprivileged user, the fuzzer again under
#     failslab/fail_page_alloc, rmmod and a kmemleak scan; the run fails on
#     any console report (console-patterns.txt and RELIABILITY.md §2.5's
#     combined regex), taint W|D|L|B, a leak, or a failed test.
# Knobs: KIPC_FUZZ_DURATION (default 120 s), KIPC_USER_FUZZ_DURATION (30 s
# as uid 65534), KIPC_FAULT_FUZZ_DURATION (30 s under allocation failures),
# KIPC_FUZZ_SEED (replay a seed),
# KIPC_DEBUG_SMP (2), KIPC_DEBUG_MEM (1G).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/check/tap.sh"
. "$top/selftests/check/debug-lib.sh"

t0=$(date +%s)
if debug_kdir; then
	tap_ok "debug kernel ready in $(( $(date +%s) - t0 ))s: $DEBUG_KDIR"
else
	tap_not_ok "debug kernel builds"
	tail -n 30 "$KIPC_LOGS/debug-kernel.log" | sed 's/^/#   /'
	exit 0
fi
release=$("$top/selftests/vm/kernel-release.sh" "$DEBUG_KDIR")

# The selftests' own config fragment must be satisfied by the debug kernel
# (a new test's option belongs in debug-kernel.config too).
missing=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$top/selftests/kipc/config" | while IFS= read -r opt; do
	grep -qx "$opt" "$DEBUG_KDIR/.config" || echo "$opt"
done)
if [ -z "$missing" ]; then
	tap_ok "debug kernel has every option of selftests/kipc/config"
else
	tap_not_ok "debug kernel has every option of selftests/kipc/config"
	echo "$missing" | sed 's/^/#   missing (add it to selftests\/vm\/debug-kernel.config): /'
fi

mod=$top/build/debug/kmod
if debug_build_module "$top/kmod" "$mod" "$KIPC_LOGS/debug-module.log"; then
	tap_ok "kipc.ko builds for debug $release, W=1 warning-free"
else
	tap_not_ok "kipc.ko builds for debug $release, W=1 warning-free"
	grep -E '(warning|error):' "$KIPC_LOGS/debug-module.log" | head -20 | sed 's/^/#   /'
	exit 0
fi

duration=${KIPC_FUZZ_DURATION:-120}
user_duration=${KIPC_USER_FUZZ_DURATION:-30}
fault_duration=${KIPC_FAULT_FUZZ_DURATION:-30}
seed=${KIPC_FUZZ_SEED:-}
out=$top/build/debug/vm
echo "# debug $release: booting with kipc.ko; suite, fuzzer ${duration}s+${user_duration}s+${fault_duration}s," \
	"kmemleak" >&2
debug_boot "$out" "$mod/kipc.ko" $((1800 + duration + user_duration + fault_duration)) \
	--add "$top/build/selftests:/kipc/tests" \
	--add "$top/build/fuzz/kipc_fuzz:/kipc/fuzz/kipc_fuzz" \
	-- /kipc/debug-guest.sh --fuzz-duration "$duration" --user-duration "$user_duration" \
	--fault-duration "$fault_duration" \
	${seed:+--seed "$seed"} \
	>"$KIPC_LOGS/debug-vm.log" 2>&1
rc=$?
"$top/selftests/vm/tap-collect.sh" "debug $release" < "$out/results.txt"
seedline=$(grep -a -m1 '^# kipc_fuzz: seed=' "$out/results.txt")
if [ -n "$seedline" ]; then
	s=$(sed 's/.*seed=\([0-9]*\).*/\1/' <<<"$seedline")
	echo "# kipc_fuzz seed=$s (replay: make check-debug KIPC_FUZZ_SEED=$s)"
fi
if [ $rc = 0 ]; then
	tap_ok "debug $release: VM run clean (no console report, no taint, no leak, all programs exited 0)"
else
	tap_not_ok "debug $release: VM run clean"
	sed 's/^/#   /' "$KIPC_LOGS/debug-vm.log"
fi
