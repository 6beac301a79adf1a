#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The debug lane inside the test VM (make check-debug), with kipc.ko loaded
# by /init on the debug kernel:
#   1. arm the detectors: hung-task timeout back to the TCG-safe 420 s,
#      fault-injection reports off the console, kmemleak flushed of boot-time
#      objects (RELIABILITY.md §2.4: scan, wait, scan, clear);
#   2. run the selftest suite, then the fuzzer, the fuzzer again as an
#      unprivileged user (uid 65534: what any local user can do), then
#      with failslab and fail_page_alloc failing a share of its
#      allocations (or load a planted-bug module, for the lane's own
#      self-test);
#   3. unload kipc.ko and scan for leaks: scan, wait, scan, read; on a
#      finding wait, scan and read again (kmemleak's checksum filter).
# Each step prints TAP between the KIPC-BEGIN/KIPC-END markers that
# tap-collect.sh reads; kmemleak findings also go out as KIPC-VM-ERROR lines
# so the runner names them, and to /results/kmemleak.txt.
#
# usage: debug-guest.sh [--suite DIR] [--no-suite] [--fuzz PROG] [--no-fuzz]
#                       [--fuzz-duration SECS] [--user-duration SECS]
#                       [--fault-duration SECS]
#                       [--fault-percent N] [--seed N] [--planted "KO ARGS"]
set -u

suite=/kipc/tests
fuzz=/kipc/fuzz/kipc_fuzz
duration=120
user_duration=30
fault_duration=30
fault_percent=5
seed=
planted=
KL=/sys/kernel/debug/kmemleak

while [ $# -gt 0 ]; do
	case "$1" in
	--suite) suite=$2; shift 2 ;;
	--no-suite) suite=; shift ;;
	--fuzz) fuzz=$2; shift 2 ;;
	--no-fuzz) fuzz=; shift ;;
	--fuzz-duration) duration=$2; shift 2 ;;
	--user-duration) user_duration=$2; shift 2 ;;
	--fault-duration) fault_duration=$2; shift 2 ;;
	--fault-percent) fault_percent=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--planted) planted=$2; shift 2 ;;
	*) echo "KIPC-VM-ERROR debug-guest.sh: unknown argument $1"; exit 2 ;;
	esac
done

status=0
begin() { echo "KIPC-BEGIN $1"; n=0; step_rc=0; }
ok() { n=$((n + 1)); echo "ok $n $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n $*"; step_rc=1; status=1; }
end() { echo "1..$n"; echo "KIPC-END $1 rc=$step_rc"; }

# kmemleak_scan: one scan. A scan runs in the writing task and takes a
# while on a big KASAN kernel under TCG.
kmemleak_scan() {
	echo scan > "$KL"
}

begin detectors
if echo 420 > /proc/sys/kernel/hung_task_timeout_secs; then
	ok "hung-task detector armed (420 s)"
else
	not_ok "hung-task detector armed (no /proc/sys/kernel/hung_task_timeout_secs)"
fi
# An injected fault prints a stack ("Call Trace:") unless verbose is 0.
for f in failslab fail_page_alloc fail_usercopy fail_futex; do
	[ -w /sys/kernel/debug/$f/verbose ] && echo 0 > /sys/kernel/debug/$f/verbose
done
if [ -w "$KL" ]; then
	t0=$(date +%s)
	kmemleak_scan && sleep 5 && kmemleak_scan && echo clear > "$KL" &&
		ok "kmemleak armed: boot-time objects flushed ($(( $(date +%s) - t0 )) s)" ||
		not_ok "kmemleak armed: scan/clear failed"
else
	not_ok "kmemleak armed: $KL missing (CONFIG_DEBUG_KMEMLEAK, debugfs)"
fi
end detectors

if [ -n "$suite" ]; then
	KIPC_TIMEOUT_SCALE=${KIPC_TIMEOUT_SCALE:-6} /kipc/guest-tests.sh "$suite" || status=1
fi

if [ -n "$fuzz" ]; then
	echo "KIPC-BEGIN kipc_fuzz"
	# The fuzzer stops itself; the kill is for a fuzzer that cannot.
	timeout -s KILL $((duration + 180)) "$fuzz" --duration "$duration" \
		${seed:+--seed "$seed"} 2>&1
	rc=$?
	echo "KIPC-END kipc_fuzz rc=$rc"
	[ $rc = 0 ] || status=1
fi

if [ -n "$fuzz" ] && [ "$user_duration" -gt 0 ]; then
	# The same fuzzer as nobody: the limits and permission checks a local
	# user meets, and whatever they let through, on the debug kernel.
	echo "KIPC-BEGIN kipc_fuzz_user"
	timeout -s KILL $((user_duration + 180)) "$fuzz" --user 65534 \
		--duration "$user_duration" ${seed:+--seed "$seed"} 2>&1
	rc=$?
	echo "KIPC-END kipc_fuzz_user rc=$rc"
	[ $rc = 0 ] || status=1
fi

# fault_attr NAME VALUE: set one knob of failslab and of fail_page_alloc.
fault_attr() {
	local f
	for f in failslab fail_page_alloc; do
		echo "$2" > /sys/kernel/debug/$f/$1 || return 1
	done
}

if [ -n "$fuzz" ] && [ "$fault_duration" -gt 0 ]; then
	# Allocation failures for the fuzzer's threads only (task-filter and
	# make-it-fail), GFP_KERNEL included (ignore-gfp-wait=N), quietly.
	echo "KIPC-BEGIN kipc_fuzz_failslab"
	if fault_attr task-filter Y && fault_attr ignore-gfp-wait N && fault_attr verbose 0 &&
		fault_attr interval 1 && fault_attr times -1 && fault_attr space 0 &&
		fault_attr probability "$fault_percent"; then
		timeout -s KILL $((fault_duration + 180)) "$fuzz" --fault-inject \
			--duration "$fault_duration" ${seed:+--seed "$seed"} 2>&1
		rc=$?
	else
		echo "1..1"
		echo "not ok 1 configure failslab and fail_page_alloc in debugfs"
		rc=1
	fi
	fault_attr probability 0
	fault_attr task-filter N
	echo "KIPC-END kipc_fuzz_failslab rc=$rc"
	[ $rc = 0 ] || status=1
fi

if [ -n "$planted" ]; then
	# The lane's self-test: a module with a planted bug the lane must report.
	set -- $planted
	ko=$1
	shift
	name=$(basename "$ko" .ko)
	begin planted
	if insmod "$ko" "$@"; then
		ok "planted-bug module $name loaded ($*)"
	else
		not_ok "planted-bug module $name loaded ($*)"
	fi
	grep -q "^$name " /proc/modules && rmmod "$name"
	end planted
fi

# annotate: kmemleak symbolizes backtraces when it prints them, so after
# rmmod kipc's frames are bare addresses. Name those inside the text of the
# last kipc.ko loaded (the lifecycle tests reload it, usually at the same
# address): "0x...  <- kipc+0xOFF". Modules live at 0xffffffff........
mod_lo=0 mod_hi=0
annotate() {
	local line addr lo
	while IFS= read -r line; do
		addr=$(echo "$line" | sed -n 's/.*\] 0xffffffff\([0-9a-f]\{8\}\)$/\1/p')
		if [ -n "$addr" ] && [ $mod_hi -gt 0 ]; then
			lo=$((0x$addr))
			if [ $lo -ge $mod_lo ] && [ $lo -lt $mod_hi ]; then
				line="$line  <- kipc+$(printf '0x%x' $((lo - mod_lo)))"
			fi
		fi
		echo "$line"
	done
}

begin kmemleak
if grep -q '^kipc ' /proc/modules; then
	# "kipc SIZE REFS DEPS STATE 0xADDRESS (O)"
	set -- $(grep '^kipc ' /proc/modules)
	case "${6:-}" in
	0xffffffff????????)
		mod_lo=$((0x${6#0xffffffff}))
		mod_hi=$((mod_lo + $2)) ;;
	esac
	if rmmod kipc; then
		ok "rmmod kipc after the run"
	else
		not_ok "rmmod kipc after the run"
	fi
else
	not_ok "kipc.ko loaded at the end of the run (a test left it unloaded)"
fi
if [ -w "$KL" ]; then
	# Objects younger than 5 s are never reported (MSECS_MIN_AGE): scan,
	# wait, scan; a finding is confirmed by one more scan after a second.
	kmemleak_scan
	sleep 5
	kmemleak_scan
	report=$(cat "$KL")
	if [ -n "$report" ]; then
		sleep 1
		kmemleak_scan
		report=$(cat "$KL")
	fi
	if [ -z "$report" ]; then
		ok "no unreferenced object after the run and rmmod"
	else
		report=$(echo "$report" | annotate)
		echo "$report" > /results/kmemleak.txt
		leaks=$(echo "$report" | grep -c 'unreferenced object')
		in_kipc=$(echo "$report" | grep -c -E '<- kipc\+|\[kipc\]')
		not_ok "kmemleak: $leaks unreferenced object(s), $in_kipc backtrace line(s) in kipc"
		echo "KIPC-VM-ERROR kmemleak: BUG: memory leak: $leaks unreferenced object(s)," \
			"$in_kipc backtrace line(s) in kipc"
		echo "$report" | head -n 60 | while IFS= read -r line; do
			echo "KIPC-VM-ERROR kmemleak: $line"
		done
	fi
	echo clear > "$KL"
else
	not_ok "kmemleak: $KL missing"
fi
end kmemleak

exit $status
