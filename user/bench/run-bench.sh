#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-bench.sh [--kdir KDIR] [--name NAME] MODE [kipc-bench options...]
#
# Run kipc-bench where MODE says and leave everything in results/MODE/ (or
# results/NAME/, so that runs on several kernels can sit side by side):
#   icount  the test VM, one vCPU, -icount shift=0,sleep=off: guest time
#           counts instructions, so the figures repeat exactly (make bench);
#   smp     the test VM, two vCPUs, plain TCG: real concurrency, noisy and
#           distorted timings, for scaling shape only (make bench-smp); a
#           round trip takes 0.1 to 3 ms there, so it runs --quick;
#   native  this host, stock mechanisms only, every participant pinned to
#           one CPU (make bench-native).
# The VM has no gnuplot: the plots are drawn here once the CSV is back.
# Prints the table and exits non-zero when the run failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/build/user/bench/kipc-bench
kdir=${KDIR:-}
if [ "${1:-}" = --kdir ]; then
	kdir=$2
	shift 2
fi
name=
if [ "${1:-}" = --name ]; then
	name=$2
	shift 2
fi
mode=${1:?usage: run-bench.sh [--kdir KDIR] icount|smp|native [kipc-bench options]}
shift
out=$top/results/${name:-$mode}
work=$top/build/bench/${name:-$mode}

[ -x "$bin" ] || { echo "run-bench: $bin missing (run make)" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)

# The VM's time limit guards against a hung guest, not a slow host: it
# grows with the repeats asked for (every case runs that many times).
repeat=1
prev=
for a in "$@"; do
	case "$prev" in -r | --repeat) repeat=$a ;; esac
	case "$a" in --repeat=*) repeat=${a#--repeat=} ;; esac
	prev=$a
done
case "$repeat" in '' | *[!0-9]* | 0) repeat=1 ;; esac

case "$mode" in
icount|smp)
	if [ "$mode" = icount ]; then
		vm=(--icount --smp 1 --timeout "${KIPC_BENCH_TIMEOUT:-$((2700 * repeat))}")
		env=vm,icount
		quick=()
	else
		vm=(--smp 2 --timeout "${KIPC_BENCH_TIMEOUT:-$((3600 * repeat))}")
		env=vm,tcg
		quick=(--quick)
	fi
	# The guest cannot see which QEMU runs it: say so for the results.
	qemu=$(qemu-system-x86_64 --version 2>/dev/null | head -1)
	# Quote every argument for the guest shell.
	args=$(printf ' %q' --env "$env" --qemu-version "${qemu:-unknown}" --out /results \
		--no-plot "${quick[@]}" "$@")
	# 6.12 runs the crypto self-tests in kthreads after boot; under TCG they
	# take the only vCPU in ~3.6 ms slices while they run, which
	# showed as multi-millisecond round trips for every mechanism.
	# $KIPC_PARAMS: kipc.ko parameters to set first ("name=value ..."),
	# e.g. sendrecv_yield_to=0 for the figures without the hand-off.
	set_params=
	for p in ${KIPC_PARAMS:-}; do
		set_params+="echo ${p#*=} > /sys/module/kipc/parameters/${p%%=*} && "
	done
	# $KIPC_BENCH_SEND_LOWAT: the kipc queues' send low-water mark (1: the
	# kernel's default), instead of half the queue.
	[ -n "${KIPC_BENCH_SEND_LOWAT:-}" ] &&
		set_params+="export KIPC_BENCH_SEND_LOWAT=$KIPC_BENCH_SEND_LOWAT && "
	# $KIPC_BENCH_TRACE=1: every kipc tracepoint enabled while the bench
	# runs (into tracefs's ring buffer, overwriting), for what tracing
	# costs; unset, they stay off, as on a machine nobody traces.
	[ -n "${KIPC_BENCH_TRACE:-}" ] &&
		set_params+="{ [ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing; } && echo 1 > /sys/kernel/tracing/events/kipc/enable && "
	# The dbus mechanism starts a private dbus-daemon of its own (it needs
	# only its binary and libraries); without it, dbus reports n/a.
	extra=()
	daemon=$(command -v dbus-daemon) && extra+=(--add "$daemon:/usr/bin/dbus-daemon")
	# posix-mq-on-kipc dlopen()s the POSIX mq shim: /usr/lib is on the
	# loader's default path; without it, that row reports n/a.
	shim=$top/build/user/libkipc-mq.so.0
	[ -r "$shim" ] && extra+=(--add "$shim:/usr/lib/libkipc-mq.so.0")
	"$top/selftests/vm/run-vm.sh" ${kdir:+--kdir "$kdir"} "${vm[@]}" --mem 2G \
		--append cryptomgr.notests=1 \
		--out "$work" --add "$bin:/bin/kipc-bench" "${extra[@]}" \
		-- "${set_params}kipc-bench$args"
	rc=$?
	if [ -d "$work/files" ]; then
		cp -r "$work/files/." "$out/"
	fi
	cp "$work/results.txt" "$out/kipc-bench.log" 2>/dev/null
	;;
native)
	# Both sides of every pair on one CPU: an idle vCPU takes ~60 us to
	# wake, which would swamp what is being measured (BRIEF section 3).
	cpu=$(( $(nproc) - 1 ))
	"$bin" --stock --pin "$cpu" --env native --out "$out" --no-plot "$@" \
		>/dev/null 2>"$out/kipc-bench.log"
	rc=$?
	;;
*)
	echo "run-bench: unknown mode '$mode' (icount, smp, native)" >&2
	exit 2
	;;
esac

if [ -f "$out/plots.gp" ]; then
	if command -v gnuplot >/dev/null; then
		(cd "$out" && gnuplot plots.gp) || { echo "run-bench: gnuplot failed" >&2; rc=1; }
	else
		echo "run-bench: gnuplot not installed (make deps): no plots" >&2
	fi
fi
if [ -f "$out/table.txt" ]; then
	cat "$out/table.txt"
else
	echo "run-bench: no table came back; see $out/kipc-bench.log" >&2
	tail -20 "$out/kipc-bench.log" >&2 2>/dev/null
	rc=1
fi
echo "run-bench: $mode: $(( $(date +%s) - start ))s wall; results in $out" >&2
exit $rc
