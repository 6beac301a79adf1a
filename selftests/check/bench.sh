#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: kipc-bench's own checks for make check, as TAP lines. They run on
# the host (the stock mechanisms are plain userspace) with tiny iteration
# counts, a few seconds in all:
#   - every stock mechanism passes --verify (sequence number and checksum of
#     every message), between processes and between threads; the slow ones
#     (D-Bus), which run only when named, too;
#   - --verify fails the run on a mechanism that corrupts a message and on
#     one that duplicates a message, and the same broken mechanism passes
#     without --verify (so it is the check that catches it);
#   - kipc mechanisms, on a host without kipc.ko, are reported unavailable,
#     never measured (the VM runs them: make bench);
#   - the creation, crash and unsync sections: a crashed peer gives EOF/EPIPE
#     on a pipe and ECONNRESET on a UNIX stream socket, a thread's SIGSEGV
#     kills its process, a semaphore-guarded append loses nothing, every
#     creation works (their times are not judged: this host is shared);
#   - without a dbus-daemon, the D-Bus rows are reported unavailable;
#   - the growth section measures SysV msg at every level it can reach and
#     leaves out kipc without kipc.ko;
#   - the JSON parses, the CSV has a row per case, the man page renders
#     without a warning;
#   - --repeat 2 keeps both repeats (results.json "repeats", results.csv
#     rows with repeat 1 and 2), prints mean±sd, and every output carries
#     schema_version and the version -V prints.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/check/tap.sh"
bin=$top/build/user/bench/kipc-bench
work=$top/build/bench-check
rm -rf "$work"
mkdir -p "$work"
tiny=(--quick --scale 0.05 --sizes 8,64,4k,64k --no-plot)

if [ ! -x "$bin" ]; then
	tap_not_ok "kipc-bench: built ($bin missing)"
	exit 0
fi

# verify_all NAME ARGS...: a verified run that must pass with no failed case.
verify_all() {
	local name=$1 dir=$work/$1
	shift
	"$bin" --verify --stock "${tiny[@]}" --out "$dir" "$@" >"$dir.log" 2>&1
	local rc=$?
	local failed
	failed=$(awk -F, 'NR > 1 && $9 == "failed"' "$dir/results.csv" 2>/dev/null | wc -l)
	if [ $rc = 0 ] && [ -s "$dir/results.csv" ] && [ "$failed" = 0 ] &&
	   grep -q ',ok,1,' "$dir/results.csv"; then
		tap_ok "kipc-bench: --verify passes on every stock mechanism ($name)"
	else
		tap_not_ok "kipc-bench: --verify passes on every stock mechanism ($name): exit $rc"
		grep -E 'FAILED|failed' "$dir.log" | head -20 | sed 's/^/#   /'
	fi
}

verify_all processes --only latency,throughput,producers,threads
verify_all threads --threads --only latency,throughput,producers
# The slow ones run only when named.
verify_all frameworks --mech dbus,sd-bus,unix-stream --only latency,throughput,producers,threads
# Measured beside the socket under it, the framework claim is judged.
if grep -q '^Frameworks (D-Bus) wrap an OS mechanism and cost more than it,holds,' \
	"$work/frameworks/claims.csv"; then
	tap_ok "kipc-bench: the framework claim holds with D-Bus and its UNIX socket measured"
else
	tap_not_ok "kipc-bench: the framework claim holds with D-Bus and its UNIX socket measured"
	grep -i framework "$work/frameworks/claims.csv" | sed 's/^/#   /'
fi

# expect_verify_failure MECH PATTERN: --verify must fail and say PATTERN.
expect_verify_failure() {
	local mech=$1 pattern=$2 log=$work/$1.log
	if "$bin" --verify --mech "$mech" "${tiny[@]}" --only latency,throughput \
		>"$log" 2>&1; then
		tap_not_ok "kipc-bench: --verify catches $mech (the run passed)"
	elif grep -q "VERIFY FAILED: .*$pattern" "$log"; then
		tap_ok "kipc-bench: --verify catches $mech and fails the run"
	else
		tap_not_ok "kipc-bench: --verify catches $mech: no '$pattern' in the output"
		tail -20 "$log" | sed 's/^/#   /'
	fi
}

expect_verify_failure broken-corrupt 'checksum mismatch'
expect_verify_failure broken-duplicate 'lost, duplicated or reordered'
tap_run "kipc-bench: without --verify the corrupting mechanism goes unnoticed" \
	"$bin" --mech broken-corrupt "${tiny[@]}" --only latency

if "$bin" --mech kipc-queue,kipc-ring "${tiny[@]}" --only latency --out "$work/kipc" \
	>"$work/kipc.log" 2>&1 &&
   grep -q 'kipc queue: kipc.ko not loaded' "$work/kipc.log" &&
   ! awk -F, 'NR > 1 && $9 != "missing"' "$work/kipc/results.csv" | grep -q .; then
	tap_ok "kipc-bench: kipc mechanisms without kipc.ko are reported unavailable, not measured"
else
	tap_not_ok "kipc-bench: kipc mechanisms without kipc.ko are reported unavailable"
	tail -20 "$work/kipc.log" | sed 's/^/#   /'
fi

# The process-model sections: what must come out on any Linux host.
pm=$work/process-model
if "$bin" --only creation,crash,unsync --quick --scale 0.2 --no-plot --out "$pm" \
	>"$pm.log" 2>&1 &&
   grep -q '^pipe,1,1,1,"the last message, then EOF",EPIPE,' "$pm/crash.csv" &&
   grep -q '^UNIX stream socket,1,1,1,"the last message, then ECONNRESET",EPIPE,' \
	"$pm/crash.csv" &&
   grep -q '^a thread segfaults,1,1,0,process killed by signal 11,' "$pm/crash.csv" &&
   grep -q '^append under a POSIX semaphore,[0-9]*,[0-9]*,0,' "$pm/unsync.csv" &&
   grep -q '^fork + _exit + waitpid,process,[0-9]*,[0-9.]*,1,' "$pm/creation.csv" &&
   grep -q '^pthread_create + pthread_join,thread,[0-9]*,[0-9.]*,1,' "$pm/creation.csv" &&
   grep -q '^Shared memory must be paired with a semaphore or mutex,[hu]' "$pm/claims.csv"
then
	tap_ok "kipc-bench: creation, crash and unsync sections (crash outcomes, no loss under a lock)"
else
	tap_not_ok "kipc-bench: creation, crash and unsync sections"
	cat "$pm"/crash.csv "$pm"/unsync.csv "$pm.log" 2>/dev/null | tail -30 | sed 's/^/#   /'
fi

# Without a dbus-daemon on $PATH the D-Bus rows must say so, not fail.
if env PATH=/nonexistent "$bin" --mech dbus,sd-bus "${tiny[@]}" --only latency \
	--out "$work/nodbus" >"$work/nodbus.log" 2>&1 &&
   grep -q 'dbus-daemon not found' "$work/nodbus.log" &&
   ! awk -F, 'NR > 1 && $9 != "missing"' "$work/nodbus/results.csv" | grep -q .; then
	tap_ok "kipc-bench: D-Bus without dbus-daemon is reported unavailable, not measured"
else
	tap_not_ok "kipc-bench: D-Bus without dbus-daemon is reported unavailable"
	tail -20 "$work/nodbus.log" | sed 's/^/#   /'
fi

# The growth section, on SysV (kipc is left out without kipc.ko): every
# level up to 10k measured, the 1000-waiter round trip, a row per figure.
if "$bin" --mech kipc-queue,sysv-msg "${tiny[@]}" --only growth --out "$work/growth" \
	>"$work/growth.log" 2>&1 &&
   grep -q 'How cost grows' "$work/growth/table.txt" &&
   awk -F, '$1 == "sysv-msg" && $2 == "create" && $3 == 10000 && $4 > 0' \
	"$work/growth/growth.csv" | grep -q . &&
   awk -F, '$1 == "sysv-msg" && $2 == "round_trip_idle_waiters" && $3 == 1000 && $4 > 0' \
	"$work/growth/growth.csv" | grep -q . &&
   ! grep -q '^kipc-queue,' "$work/growth/growth.csv"; then
	tap_ok "kipc-bench: growth section measures SysV up to 10k names and 1000 idle waiters"
else
	tap_not_ok "kipc-bench: growth section measures SysV up to 10k names and 1000 idle waiters"
	tail -20 "$work/growth.log" | sed 's/^/#   /'
fi

tap_run "kipc-bench: results.json is valid JSON" \
	bash -c "json_pp -t null < '$work/processes/results.json'"
tap_run "kipc-bench: --help exits 0" "$bin" --help
tap_run "kipc-bench: kipc-bench.1 renders warning-free (groff -man -ww)" \
	bash -c "groff -man -ww -z '$top/user/bench/kipc-bench.1' 2>&1 | { ! grep .; }"

# --repeat 2: both repeats kept, the spread shown, the provenance recorded.
version=$("$bin" -V | sed -n 's/^kipc-bench //p')
if "$bin" --repeat 2 --mech pipe,eventfd "${tiny[@]}" --sizes 64 --only latency,throughput \
	--out "$work/repeat" >"$work/repeat.log" 2>&1 &&
   python3 - "$work/repeat" "$version" <<'PY'
import csv, json, sys
d, version = sys.argv[1], sys.argv[2]
j = json.load(open(d + "/results.json"))
assert j["schema_version"] >= 2, "schema_version"
assert j["kipc_bench_version"] == version and version, "version"
assert [r["repeat"] for r in j["repeats"]] == [1, 2], "two repeats in the JSON"
assert all(len(r["results"]) == len(j["results"]) == 4 for r in j["repeats"])
assert all(r["repeats"] == 2 and "sd" in r for r in j["results"]), "aggregate and sd"
for k in ("kipc_abi", "kernel_cmdline", "compiler", "cpu_flags", "qemu_version"):
    assert k in j["environment"], k
rows = list(csv.DictReader(open(d + "/results.csv")))
assert sorted(r["repeat"] for r in rows) == ["1"] * 4 + ["2"] * 4, "a CSV row per repeat"
assert all(r["schema_version"] == str(j["schema_version"]) and
           r["kipc_bench_version"] == version for r in rows), "CSV provenance"
for name in ("costs.csv", "textbook.csv", "claims.csv", "targets.csv"):
    assert open(d + "/" + name).readline().rstrip().endswith(",schema_version,kipc_bench_version"), name
PY
   grep -q 'pipe .*[0-9]±[0-9]' "$work/repeat/table.txt" &&
   grep -q 'a claim holds only if it holds in every repeat' "$work/repeat/table.txt"; then
	tap_ok "kipc-bench: --repeat 2 keeps both repeats, shows mean±sd; outputs carry schema_version"
else
	tap_not_ok "kipc-bench: --repeat 2 keeps both repeats, shows mean±sd; outputs carry schema_version"
	tail -20 "$work/repeat.log" | sed 's/^/#   /'
fi
