#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# libkipc-mq under programs nobody here wrote, in the test VM: the kernel's
# own mqueue selftests (mq_open_tests, mq_perf_tests, unchanged, from the
# linux-source tarball) and stress-ng --mq, each run with
# LD_PRELOAD=libkipc-mq.so.0 and KIPC_MQ_NAMES unset (every name goes to
# kipc). Each must pass; mq_open_tests' checks of Linux's own limits
# (/proc/sys/fs/mqueue, RLIMIT_MSGQUEUE) that kipc replaces may fail only as
# mq-shim/mq_open_tests.expected lists them, exactly, and on a module that
# takes priorities 0..31 only (before ABI 4) stress-ng may fail only with
# mq_send's EINVAL for its priorities over 31. Their queues must be
# kipc's: kipcctl shows them (list while they live, monitor for
# mq_open_tests' queues, which live for microseconds) and /dev/mqueue never
# does (inotifyd watches it). A kernel report or new taint fails too.
# TAP output, like the C tests.
dir=$(cd "$(dirname "$0")" && pwd)
mq=$dir/mq-shim
KIPCCTL=${KIPCCTL:-$dir/bin/kipcctl}
# KIPC_MQ_SHIM= (empty) runs everything on the real POSIX mq: the kipc
# checks must then fail, which is how they were shown able to fail.
SHIM=${KIPC_MQ_SHIM-$mq/libkipc-mq.so.0}
params=/sys/module/kipc/parameters
tmp=$(mktemp -d)
n=0
failed=0
mon=
watch=
bg=
restore=$tmp/restore
: >"$restore"
prio_max=0
bg_rc=

echo "TAP version 13"
echo "1..9"

cleanup() {
	[ -n "$bg" ] && kill -KILL "$bg" 2>/dev/null && wait "$bg" 2>/dev/null
	[ -n "$mon" ] && kill "$mon" 2>/dev/null
	[ -n "$watch" ] && kill "$watch" 2>/dev/null
	while read -r param value; do
		echo "$value" >"$params/$param"
	done <"$restore"
	rm -rf "$tmp"
}
trap cleanup EXIT

# check DESCRIPTION COMMAND...: one TAP line; on failure, what was kept.
check() {
	desc=$1
	shift
	n=$((n + 1))
	: >"$tmp/err"
	if "$@"; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
		sed 's/^/# /' "$tmp/err"
		failed=1
	fi
}

say() {
	echo "$*" >>"$tmp/err"
}

# show FILE: the last lines of a program's output, for a failure report.
show() {
	tail -n 30 "$1" | sed 's/^/  | /' >>"$tmp/err"
}

preload() {
	if [ -n "$SHIM" ]; then
		LD_PRELOAD=$SHIM "$@"
	else
		"$@"
	fi
}

# set_param NAME VALUE: a kipc module parameter, restored at exit.
set_param() {
	echo "$1 $(cat "$params/$1")" >>"$restore"
	echo "$2" >"$params/$1"
}

# listed PATTERN: kipcctl list has a queue whose name matches PATTERN (an
# extended regex for the NAME column, with or without the leading slash).
listed() {
	"$KIPCCTL" list 2>>"$tmp/err" | awk -v re="^/?($1)\$" '$1 ~ re && $2 == "mq" { f = 1 } END { exit !f }'
}

# wait_listed PATTERN PID: poll kipcctl list until PATTERN shows up while
# PID lives; false when PID ends first or after 120 s.
wait_listed() {
	i=0
	while [ $i -lt 600 ]; do
		listed "$1" && return 0
		kill -0 "$2" 2>/dev/null || { say "pid $2 ended before kipcctl list showed $1"; return 1; }
		usleep 200000
		i=$((i + 1))
	done
	say "kipcctl list never showed $1"
	return 1
}

# sent PATTERN: the SENT column of the queue PATTERN in kipcctl list.
sent() {
	"$KIPCCTL" list 2>/dev/null | awk -v re="^/?($1)\$" '$1 ~ re && $2 == "mq" { print $11; exit }'
}

# The mqueue file system shows every real POSIX queue: mqfs_watch logs
# each one created in it while the programs run (mq_open_tests' live for
# microseconds, too briefly for ls).
mqfs=$(awk '$3 == "mqueue" { print $2; exit }' /proc/mounts)
if [ -z "$mqfs" ]; then
	mkdir -p "$tmp/mqfs" && mount -t mqueue none "$tmp/mqfs" && mqfs=$tmp/mqfs
fi
: >"$tmp/mqfs.log"
if [ -n "$mqfs" ]; then
	"$mq/mqfs_watch" "$mqfs" >"$tmp/mqfs.log" 2>&1 &
	watch=$!
	i=0
	while [ $i -lt 50 ] && ! grep -qE '^(ready|unavailable)$' "$tmp/mqfs.log"; do
		usleep 100000
		i=$((i + 1))
	done
fi

# not_in_mqfs PATTERN: no queue matching PATTERN was created in the mqueue
# file system, and none is there now.
not_in_mqfs() {
	[ -n "$mqfs" ] || { say "no mqueue file system to check"; return 1; }
	kill -0 "$watch" 2>/dev/null && grep -qE '^(ready|unavailable)$' "$tmp/mqfs.log" ||
		{ say "mqfs_watch on $mqfs died"; cat "$tmp/mqfs.log" >>"$tmp/err"; return 1; }
	# Without inotify (the debug kernel) only the listing after the run
	# is left; kipcctl has already shown the queues were kipc's.
	grep -qx unavailable "$tmp/mqfs.log" &&
		say "no inotify in this kernel: $mqfs checked by listing only"
	if grep -E "^created ($1)\$" "$tmp/mqfs.log" >>"$tmp/err" ||
		for f in "$mqfs"/*; do [ -e "$f" ] && echo "${f##*/}"; done |
		grep -E "^($1)\$" >>"$tmp/err"; then
		say "(above) real POSIX queues in $mqfs"
		return 1
	fi
}

# Every kipc queue event, for mq_open_tests' short-lived queues; subscribed
# once an object created after it started shows up.
"$KIPCCTL" monitor --type mq >"$tmp/mon" 2>"$tmp/mon.err" &
mon=$!
i=0
while [ $i -lt 30 ]; do
	"$KIPCCTL" create mq kmqt-probe >/dev/null 2>&1
	"$KIPCCTL" rm kmqt-probe >/dev/null 2>&1
	grep -q kmqt-probe "$tmp/mon" && break
	sleep 1
	i=$((i + 1))
done

# Kernel reports and taint are checked across the whole script.
grep -v -e '^#' -e '^$' "$mq/console-patterns.txt" >"$tmp/patterns"
dmesg_before=$(dmesg | wc -l)
taint_before=$(cat /proc/sys/kernel/tainted)

t_shim() {
	prio_max=$("$mq/kipc_prio_max" 2>>"$tmp/err") || { say "kipc_prio_max failed"; return 1; }
	echo "# the module takes priorities 0..$((prio_max - 1))"
	[ -z "$SHIM" ] && { say "KIPC_MQ_SHIM is empty: running on the real POSIX mq"; return 1; }
	[ -r "$SHIM" ] || { say "$SHIM missing"; return 1; }
	[ -e /dev/kipc ] || { say "/dev/kipc missing: the shim would fall back"; return 1; }
	grep -q mq_open "$SHIM" || { say "$SHIM has no mq_open"; return 1; }
}

# --- mq_open_tests: queue creation against the limits -------------------

# verdicts < OUTPUT: "PASS|FAIL: description" per check, the description
# whitespace-collapsed and joined when it spans two lines.
verdicts() {
	awk '
	/(PASS|FAIL)$/ {
		v = $NF
		sub(/[ \t]*(PASS|FAIL)$/, "")
		d = (pend != "" ? pend " " : "") $0
		gsub(/[ \t]+/, " ", d)
		print v ": " d
		pend = ""
		next
	}
	/^Test series/ || /^$/ || /^\t/ { pend = ""; next }
	{ pend = $0 }'
}

t_open_runs() {
	preload "$mq/mq_open_tests" /kipc-mqt-open >"$tmp/open.out" 2>&1
	rc=$?
	verdicts <"$tmp/open.out" >"$tmp/open.verdicts"
	[ $rc = 0 ] || { say "mq_open_tests exited $rc"; show "$tmp/open.out"; return 1; }
	# Its two series print 5 and 8 verdicts on a kernel with default knobs.
	got=$(wc -l <"$tmp/open.verdicts")
	[ "$got" = 13 ] || { say "$got verdicts, expected 13"; show "$tmp/open.out"; return 1; }
}

t_open_failures() {
	grep '^FAIL: ' "$tmp/open.verdicts" | sed 's/^FAIL: //' | sort >"$tmp/open.fail"
	grep -v -e '^#' -e '^$' "$mq/mq_open_tests.expected" | sort >"$tmp/open.expected"
	if ! cmp -s "$tmp/open.fail" "$tmp/open.expected"; then
		say "FAIL lines differ from mq_open_tests.expected (-expected +got):"
		diff "$tmp/open.expected" "$tmp/open.fail" >>"$tmp/err"
		return 1
	fi
}

# mq_open_tests creates the queue once per check and unlinks it at once:
# kipcctl monitor must show kipc creating and unlinking it, kipcctl list
# must not show it after, and the mqueue file system must never see it.
t_open_kipc() {
	not_in_mqfs kipc-mqt-open || return 1
	kill -0 "$mon" 2>/dev/null || { say "kipcctl monitor died"; cat "$tmp/mon.err" >>"$tmp/err"; return 1; }
	i=0
	while [ $i -lt 20 ]; do
		c=$(grep -cE '^created mq /?kipc-mqt-open ' "$tmp/mon")
		u=$(grep -cE '^unlinked mq /?kipc-mqt-open ' "$tmp/mon")
		[ "$c" -ge 2 ] && [ "$u" = "$c" ] && break
		sleep 1
		i=$((i + 1))
	done
	# Series 1 opens two queues or stops; series 2's opens may fail.
	[ "$c" -ge 2 ] || { say "kipcctl monitor saw $c creations of kipc-mqt-open"; return 1; }
	[ "$u" = "$c" ] || { say "created $c, unlinked $u"; return 1; }
	! listed kipc-mqt-open || { say "kipc-mqt-open still listed"; return 1; }
}

# --- mq_perf_tests: send/receive timing --------------------------------

# Its loops are fixed (10^7 round trips in test 1, no option shortens
# them; hours under TCG): it runs until its queue has carried 2000
# messages through kipc, then SIGTERM, which it handles by closing and
# unlinking the queue and exiting 0. It raises fs.mqueue.msg_max to the
# kernel's ceiling and asks for a queue that deep: kipc's own ceiling,
# the msg_max module parameter, is raised the same way for the run.
t_perf_listed() {
	set_param msg_max 65536
	# env, not a shell function: $! must be the program itself.
	# LD_LIBRARY_PATH: libgcc_s, which glibc loads for pthread_exit(), on
	# which its SIGTERM handling relies; no DT_NEEDED names it.
	env ${SHIM:+LD_PRELOAD=$SHIM} LD_LIBRARY_PATH="$mq/lib" "$mq/mq_perf_tests" -p /kipc-mqt-perf >"$tmp/perf.out" 2>&1 &
	bg=$!
	wait_listed kipc-mqt-perf "$bg" || { show "$tmp/perf.out"; return 1; }
	i=0
	while [ $i -lt 300 ]; do
		s=$(sent kipc-mqt-perf)
		[ -n "$s" ] && [ "$s" -ge 2000 ] && return 0
		kill -0 "$bg" 2>/dev/null || break
		usleep 200000
		i=$((i + 1))
	done
	say "kipc-mqt-perf sent '$s' messages, expected >= 2000"
	return 1
}

t_perf_stops() {
	[ -n "$bg" ] || { say "not running"; return 1; }
	kill -TERM "$bg"
	wait "$bg"
	rc=$?
	bg=
	[ $rc = 0 ] || { say "mq_perf_tests exited $rc after SIGTERM"; show "$tmp/perf.out"; return 1; }
	grep -q 'Queue /kipc-mqt-perf created:' "$tmp/perf.out" &&
		grep -q 'Started mqueue performance test thread' "$tmp/perf.out" ||
		{ say "mq_perf_tests did not reach its test thread"; show "$tmp/perf.out"; return 1; }
	! listed kipc-mqt-perf || { say "kipc-mqt-perf still listed after exit"; return 1; }
	not_in_mqfs kipc-mqt-perf
}

# --- stress-ng --mq ------------------------------------------------------

# Two workers, each a parent sending to a child over /mq-PID-N with
# priorities 0 .. 127 (mq_send and mq_timedsend in turn; the child
# receives with mq_receive and mq_timedreceive, and polls, reads and
# mq_notify()s the descriptor now and then); it runs for its --timeout
# (10 s), long enough for kipcctl to see the queues.
t_stress_listed() {
	cd "$tmp" || return 1
	env ${SHIM:+LD_PRELOAD=$SHIM} "$mq/stress-ng" --mq 2 --mq-size 8 --timeout 10 \
		--metrics-brief >"$tmp/sng.out" 2>&1 &
	bg=$!
	cd "$dir" || return 1
	if [ "$prio_max" -le 32 ]; then
		# Its workers stop at their first send over priority 31 (below),
		# within a second: too soon for a list; the monitor sees them.
		wait "$bg"
		bg_rc=$?
		bg=
		i=0
		while [ $i -lt 20 ]; do
			[ "$(grep -cE '^created mq /?mq-[0-9]+-[0-9]+ ' "$tmp/mon")" -ge 2 ] && return 0
			sleep 1
			i=$((i + 1))
		done
		say "kipcctl monitor did not see stress-ng's two queues created"
		show "$tmp/sng.out"
		return 1
	fi
	wait_listed 'mq-[0-9]+-[0-9]+' "$bg" || { show "$tmp/sng.out"; return 1; }
}

t_stress_passes() {
	if [ -n "$bg" ]; then
		wait "$bg"
		rc=$?
		bg=
	else
		rc=$bg_rc
	fi
	[ "$rc" = 0 ] || { say "stress-ng exited $rc"; show "$tmp/sng.out"; return 1; }
	grep -E '^stress-ng: (metrc|fail|info): .* (mq  |mq:|successful)' "$tmp/sng.out" | sed 's/^/# /'
	if [ "$prio_max" -le 32 ]; then
		# A module before ABI 4 refuses priorities above 31 with EINVAL
		# (linux/kipc.h), and stress-ng sends up to 127: its first such
		# send fails, and so each worker's parent stops. Exactly that, and
		# nothing else, is expected of it.
		grep -i 'fail' "$tmp/sng.out" |
			grep -vE '^stress-ng: fail: +\[[0-9]+\] mq: mq_(timed)?send failed, errno=22 \(Invalid argument\)$' \
			>>"$tmp/err" && { say "(above) unexpected failures"; return 1; }
		grep -qE 'mq_(timed)?send failed, errno=22' "$tmp/sng.out" ||
			{ say "priorities 0..31 only: expected mq_send's EINVAL over 31"; show "$tmp/sng.out"; return 1; }
	else
		if grep -i 'fail' "$tmp/sng.out" >>"$tmp/err"; then
			say "(above) stress-ng reported failures"
			return 1
		fi
		grep -qE '^stress-ng: metrc: .* mq +[1-9][0-9]* ' "$tmp/sng.out" ||
			{ say "no mq bogo ops in the metrics"; show "$tmp/sng.out"; return 1; }
	fi
	grep -q 'successful run completed' "$tmp/sng.out" ||
		{ say "no 'successful run completed'"; show "$tmp/sng.out"; return 1; }
	! listed 'mq-[0-9]+-[0-9]+' || { say "stress-ng's queues still listed"; return 1; }
	not_in_mqfs 'mq-[0-9]+-[0-9]+'
}

t_kernel_clean() {
	dmesg | tail -n +$((dmesg_before + 1)) >"$tmp/dmesg"
	if grep -E -f "$tmp/patterns" "$tmp/dmesg" >>"$tmp/err"; then
		say "(above) kernel report during the runs"
		return 1
	fi
	taint=$(cat /proc/sys/kernel/tainted)
	# W=512 D=128 L=16384 B=32, as run-vm.sh counts them.
	[ $(((taint & ~taint_before) & 17056)) = 0 ] ||
		{ say "taint $taint_before -> $taint"; return 1; }
}

check "libkipc-mq.so.0 is there and /dev/kipc too" t_shim
check "mq_open_tests under the shim exits 0 with all 13 verdicts" t_open_runs
check "mq_open_tests fails exactly the checks mq_open_tests.expected lists" t_open_failures
check "mq_open_tests' queues are kipc queues (kipcctl monitor), none in mqueue fs" t_open_kipc
check "mq_perf_tests' queue is in kipcctl list and carries its messages" t_perf_listed
check "mq_perf_tests exits 0 on SIGTERM, unlinks its queue, none in mqueue fs" t_perf_stops
check "stress-ng --mq's queues are kipc's (kipcctl list while it runs; monitor if its sends stop at prio 32)" t_stress_listed
check "stress-ng --mq passes, unlinks its queues, none in mqueue fs" t_stress_passes
check "no kernel report and no new taint during the runs" t_kernel_clean
exit $failed
