#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the user/examples programs in the test VM and check what they print.
# TAP output, like the C tests.
dir=$(dirname "$0")/examples
echo "TAP version 13"
echo "1..3"

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
