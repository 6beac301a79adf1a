#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the user/examples programs in the test VM and check what they print.
# TAP output, like the C tests.
dir=$(dirname "$0")/examples
echo "TAP version 13"
echo "1..8"

out=$("$dir/queue_producer_consumer" 25 2>&1)
rc=$?
got=$(echo "$out" | grep -c '^consumer: got "job ')
urgent=$(echo "$out" | grep -c '(urgent)" (priority 10)')
if [ $rc = 0 ] && [ "$got" = 25 ] && [ "$urgent" = 2 ] &&
   echo "$out" | tail -1 | grep -q 'sent 25 jobs; consumer exited 0'; then
	echo "ok 1 queue_producer_consumer moves every job between two processes"
else
	echo "$out" | sed 's/^/# /'
	echo "not ok 1 queue_producer_consumer moves every job between two processes (rc=$rc got=$got urgent=$urgent)"
	exit 1
fi

# ring_stream: two processes through a ring, copying and zero-copy.
n=2
for mode in "" -z; do
	out=$("$dir/ring_stream" $mode 3000 200 2>&1)
	rc=$?
	name="ring_stream ${mode:+$mode }streams 3000 checked messages between two processes"
	if [ $rc = 0 ] && echo "$out" | grep -q '^consumer: 3000 messages of 200 bytes, every checksum right' &&
	   echo "$out" | tail -1 | grep -q 'sent 3000 messages; consumer exited 0'; then
		echo "ok $n $name"
	else
		echo "$out" | sed 's/^/# /'
		echo "not ok $n $name (rc=$rc)"
		exit 1
	fi
	n=$((n + 1))
done

# expect N NAME PATTERN COMMAND...: test N passes when COMMAND exits 0 and
# its last line matches the extended regex PATTERN. An example that hangs
# (a lost wake-up, an undo not done) is killed after 120 s rather than
# holding the whole run until the settings' timeout.
expect() {
	num=$1 name=$2 pattern=$3
	shift 3
	out=$(timeout -s KILL 120 "$@" 2>&1)
	rc=$?
	if [ $rc = 0 ] && echo "$out" | tail -1 | grep -qE "$pattern"; then
		echo "ok $num $name"
	else
		echo "$out" | sed 's/^/# /'
		echo "not ok $num $name (rc=$rc)"
		exit 1
	fi
}

expect 4 "hello sends a message and receives it back (the README's program)" \
	'^received "hello, kipc" at priority 5$' "$dir/hello"
expect 5 "request_reply answers every client on its own reply queue" \
	'^request_reply: 4 clients, 200 requests each, 0 failed$' "$dir/request_reply" 4 200
expect 6 "epoll_loop receives every message of every queue in one event loop" \
	'^epoll_loop: 4 queues, 2000 messages each, 0 failed$' "$dir/epoll_loop" 4 2000
expect 7 "worker_pool's workers square every job exactly once" \
	'^worker_pool: 4 workers, 3000 jobs, sum of squares right, 0 workers failed$' \
	"$dir/worker_pool" 4 3000
expect 8 "shbuf_semop counts right under a semop mutex, undone when its holder dies" \
	'^shbuf_semop: 4 processes, 500 rounds each: counter 2000 \(right\), 0 failed$' \
	"$dir/shbuf_semop" 4 500
