#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# libkipc-mq as an LD_PRELOAD shim: a plain program that calls glibc's
# mq_* (helpers/kipc_mq_plain) makes kipc queues under it (kipcctl sees
# them, the mqueue file system does not), real POSIX queues without it,
# and, under it, real ones for the names KIPC_MQ_NAMES leaves out. TAP.
dir=$(cd "$(dirname "$0")" && pwd)
KIPCCTL=${KIPCCTL:-$dir/bin/kipcctl}
PLAIN=$dir/helpers/kipc_mq_plain
SHIM=$dir/lib/libkipc-mq.so.0
mqfs=/dev/mqueue
n=0
failed=0

echo "TAP version 13"
echo "1..8"

# check DESCRIPTION COMMAND...: one TAP line; on failure, the captured output.
check() {
	desc=$1
	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
		echo "$out" | sed 's/^/# /'
		failed=$((failed + 1))
	fi
}

shim() {
	LD_PRELOAD=$SHIM "$@"
}

# The output of COMMAND... is exactly EXPECTED (newlines as in printf %b).
same() {
	want=$(printf '%b' "$1")
	shift
	got=$("$@") || return 1
	[ "$got" = "$want" ] || { echo "expected [$want], got [$got]"; return 1; }
}

in_kipc() {
	"$KIPCCTL" show "$1" >/dev/null 2>&1
}

in_mqfs() {
	[ -e "$mqfs/$1" ]
}

cleanup() {
	for q in mqp-a mqp-k1 mqp-n; do
		"$KIPCCTL" rm "$q" 2>/dev/null
	done
	for q in mqp-b mqp-r1; do
		rm -f "$mqfs/$q"
	done
	[ -n "$mounted" ] && umount "$mqfs"
}
trap cleanup EXIT

mounted=
if ! grep -q " $mqfs mqueue " /proc/mounts; then
	mkdir -p "$mqfs" && mount -t mqueue mqueue "$mqfs" && mounted=1
fi

check "under LD_PRELOAD a plain program's queue is kipc's" sh -c "
	shim() { LD_PRELOAD='$SHIM' \"\$@\"; }
	out=\$(shim '$PLAIN' create /mqp-a) &&
	[ \"\$out\" = 'maxmsg=5 msgsize=100 curmsgs=3' ] &&
	'$KIPCCTL' show mqp-a | grep -q mqp-a && [ ! -e '$mqfs/mqp-a' ]"
check "its messages come back through the shim in priority order" \
	same '9:two\n1:one\n1:three' shim "$PLAIN" drain /mqp-a
check "kipcctl saw the messages go through kipc (sent 3, received 3)" sh -c "
	'$KIPCCTL' --json show mqp-a | grep -q '\"sent\":3' &&
	'$KIPCCTL' --json show mqp-a | grep -q '\"received\":3'"
check "mq_unlink under the shim removes the kipc queue" sh -c "
	LD_PRELOAD='$SHIM' '$PLAIN' unlink /mqp-a && ! '$KIPCCTL' show mqp-a >/dev/null 2>&1"
check "without the shim the same program makes a real POSIX queue" sh -c "
	'$PLAIN' create /mqp-b >/dev/null && [ -e '$mqfs/mqp-b' ] &&
	! '$KIPCCTL' show mqp-b >/dev/null 2>&1 && '$PLAIN' unlink /mqp-b"
check "KIPC_MQ_NAMES=/mqp-k: /mqp-k1 is kipc's, /mqp-r1 stays real" sh -c "
	export KIPC_MQ_NAMES=/mqp-k LD_PRELOAD='$SHIM'
	'$PLAIN' create /mqp-k1 >/dev/null && '$PLAIN' create /mqp-r1 >/dev/null &&
	'$KIPCCTL' show mqp-k1 >/dev/null 2>&1 && [ ! -e '$mqfs/mqp-k1' ] &&
	[ -e '$mqfs/mqp-r1' ] && ! '$KIPCCTL' show mqp-r1 >/dev/null 2>&1 &&
	[ \"\$('$PLAIN' drain /mqp-r1 | wc -l)\" = 3 ] &&
	'$PLAIN' unlink /mqp-k1 && '$PLAIN' unlink /mqp-r1"
check "KIPC_MQ_NAMES set and empty: nothing is kipc's" sh -c "
	KIPC_MQ_NAMES= LD_PRELOAD='$SHIM' '$PLAIN' create /mqp-b >/dev/null &&
	[ -e '$mqfs/mqp-b' ] && ! '$KIPCCTL' show mqp-b >/dev/null 2>&1 &&
	'$PLAIN' unlink /mqp-b"
# mq_notify needs the module's KIPC_IOC_NOTIFY (ABI 4).
n=$((n + 1))
"$KIPCCTL" create mq mqp-n --maxmsg 4 --msgsize 16 >/dev/null 2>&1
out=$(shim "$PLAIN" notify /mqp-n 2>&1)
case "$out" in
"code=-3 value=77 from_child=1")
	echo "ok $n mq_notify's SIGEV_SIGNAL under the shim: SI_MESGQ, the value, the sender" ;;
*"mq_notify: Function not implemented"*)
	echo "ok $n # SKIP the module has no KIPC_IOC_NOTIFY (before ABI 4)" ;;
*)
	echo "not ok $n mq_notify's SIGEV_SIGNAL under the shim"
	echo "$out" | sed 's/^/# /'
	failed=$((failed + 1)) ;;
esac
exit $((failed != 0))
