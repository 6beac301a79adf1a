#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kipcctl end to end in the test VM: its tables, its JSON, its error reports
# and exit codes, and monitor's events, against the loaded module. The VM has
# only busybox, so the JSON is picked apart with sed: kipcctl prints it on
# one line with no spaces ("key":value), which is what these helpers expect.
# TAP output, like the C tests.
dir=$(cd "$(dirname "$0")" && pwd)
KIPCCTL=${KIPCCTL:-$dir/bin/kipcctl}
tmp=$(mktemp -d)
n=0
failed=0
mon=

echo "TAP version 13"
echo "1..19"

cleanup() {
	[ -n "$mon" ] && kill "$mon" 2>/dev/null
	for name in demo kctl-mon kctl-perm kctl-ns kctl-shm kctl-sems kctl-shx; do
		"$KIPCCTL" rm "$name" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# check DESCRIPTION COMMAND...: one TAP line; on failure, the captured output.
check() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
		for f in out err; do
			[ -s "$tmp/$f" ] && sed "s/^/# $f: /" "$tmp/$f"
		done
		failed=1
	fi
}

# run EXPECTED_RC ARGS...: kipcctl ARGS with stdout in $tmp/out, stderr in
# $tmp/err; true when it exits EXPECTED_RC.
run() {
	want=$1
	shift
	"$KIPCCTL" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = "$want" ] || { echo "kipcctl $*: exit $rc, expected $want" >>"$tmp/err"; return 1; }
}

# json_object NAME < JSON: the object of a JSON array whose name is NAME.
json_object() {
	sed 's/},{/}\n{/g' | grep "\"name\":\"$1\""
}

# json_get KEY < OBJECT: the value of KEY (a number, "string" or null).
json_get() {
	sed -nE "s/.*[{,]\"$1\":(\"[^\"]*\"|[0-9]+|null|true|false).*/\1/p"
}

# expect_fields OBJECT KEY=VALUE...: every KEY of OBJECT has that VALUE.
expect_fields() {
	obj=$1
	shift
	for kv in "$@"; do
		got=$(echo "$obj" | json_get "${kv%%=*}")
		[ "$got" = "${kv#*=}" ] || {
			echo "${kv%%=*} is '$got', expected '${kv#*=}' in $obj" >>"$tmp/err"
			return 1
		}
	done
}

t_create() {
	run 0 create mq demo --maxmsg 8 --msgsize 64 && [ ! -s "$tmp/out" ]
}

t_json_list() {
	run 0 -j list || return 1
	obj=$(json_object demo <"$tmp/out")
	[ -n "$obj" ] || { echo "no object named demo" >>"$tmp/err"; return 1; }
	expect_fields "$obj" type='"mq"' mode='"0600"' uid=0 gid=0 maxmsg=8 msgsize=64 \
		curmsgs=0 hwm=0 bytes=0 sent=0 received=0 send_waits=0 recv_waits=0 &&
	[ -n "$(echo "$obj" | json_get id)" ] && [ -n "$(echo "$obj" | json_get mem_bytes)" ]
}

# The header names the columns; TYPE starts in the same column on every
# line (left-aligned text) and every line ends in the same column (the last
# column, MEM_BYTES, is a right-aligned number).
t_table() {
	run 0 list || return 1
	head -1 "$tmp/out" | grep -qE '^NAME +TYPE +ID +MODE +UID +GID +MAXMSG +MSGSIZE +CURMSGS +BYTES +SENT +RECEIVED +SIZE +NSEMS +MEM_BYTES$' ||
		{ echo "unexpected header" >>"$tmp/err"; return 1; }
	grep -qE '^demo +mq +[0-9]+ +0600 +0 +0 +8 +64 +0 +0 +0 +0 +- +- +[0-9]+$' "$tmp/out" ||
		{ echo "no aligned row for demo" >>"$tmp/err"; return 1; }
	[ "$(awk '{ print index($0, " " $2 " ") }' "$tmp/out" | sort -u | wc -l)" = 1 ] &&
	[ "$(awk '{ print length($0) }' "$tmp/out" | sort -u | wc -l)" = 1 ]
}

t_show() {
	run 0 show demo &&
	grep -qE '^name +demo$' "$tmp/out" && grep -qE '^type +mq$' "$tmp/out" &&
	grep -qE '^maxmsg +8$' "$tmp/out" && grep -qE '^msgsize +64$' "$tmp/out" &&
	grep -qE '^recv_waits +0$' "$tmp/out" &&
	run 0 -j show demo && expect_fields "$(cat "$tmp/out")" name='"demo"' maxmsg=8
}

t_set() {
	run 0 set demo --maxmsg 16 && [ ! -s "$tmp/out" ] &&
	run 0 -j set demo --mode 640 && expect_fields "$(cat "$tmp/out")" maxmsg=16 mode='"0640"' &&
	run 0 show demo && grep -qE '^maxmsg +16$' "$tmp/out" && grep -qE '^mode +0640$' "$tmp/out"
}

t_stats() {
	run 0 stats && grep -qE '^nr_queues +[1-9][0-9]*$' "$tmp/out" &&
	grep -qE '^mem_bytes +[0-9]+$' "$tmp/out" &&
	run 0 -j stats && [ "$(json_get nr_shbufs <"$tmp/out")" = 0 ] &&
	[ -n "$(json_get received <"$tmp/out")" ]
}

# A policy rejection names the attribute the kernel pointed at.
t_extack_attr() {
	run 1 create mq kctl-big --maxmsg 100000 &&
	grep -q "^kipcctl: create mq kctl-big: Numerical result out of range\|^kipcctl: create mq kctl-big: Invalid argument" "$tmp/err" &&
	grep -q 'attribute maxmsg' "$tmp/err"
}

t_exists() {
	run 1 create mq demo && grep -q 'File exists (an object of that name exists; attribute name)' "$tmp/err"
}

t_not_owner() {
	"$KIPCCTL" create mq kctl-perm >/dev/null 2>&1 &&
	su -s /bin/sh -c "'$KIPCCTL' rm kctl-perm" nobody >"$tmp/out" 2>"$tmp/err"
	rc=$?
	"$KIPCCTL" rm kctl-perm >/dev/null 2>&1
	[ $rc = 1 ] && grep -q 'Operation not permitted (only the owner or CAP_SYS_ADMIN may unlink' "$tmp/err"
}

# A shared buffer: created, listed with its size and semaphores (table,
# JSON, show), opened by a second create's EEXIST, removed.
t_shm() {
	run 0 create shm kctl-shm --size 10000 --nsems 2 --mode 640 && [ ! -s "$tmp/out" ] &&
	run 0 -j list || return 1
	obj=$(json_object kctl-shm <"$tmp/out")
	[ -n "$obj" ] || { echo "no object named kctl-shm" >>"$tmp/err"; return 1; }
	expect_fields "$obj" type='"shm"' mode='"0640"' size=12288 nsems=2 data_offset=4096 \
		mappings=0 sem_sleepers=0 sem_waits=0 sem_wakeups=0 sem_posts=0 || return 1
	[ -z "$(echo "$obj" | json_get maxmsg)" ] ||
		{ echo "a shared buffer with a maxmsg: $obj" >>"$tmp/err"; return 1; }
	run 0 list &&
	grep -qE '^kctl-shm +shm +[0-9]+ +0640 +0 +0 +- +- +- +- +- +- +12288 +2 +[0-9]+$' "$tmp/out" ||
		{ echo "no aligned row for kctl-shm" >>"$tmp/err"; return 1; }
	run 0 show kctl-shm && grep -qE '^size +12288$' "$tmp/out" &&
	grep -qE '^nsems +2$' "$tmp/out" && grep -qE '^type +shm$' "$tmp/out" &&
	run 0 -j show kctl-shm && expect_fields "$(cat "$tmp/out")" name='"kctl-shm"' size=12288 nsems=2 &&
	run 0 -j create shm kctl-sems --size 0 --values 1,2,3 &&
	expect_fields "$(cat "$tmp/out")" name='"kctl-sems"' size=0 nsems=3 &&
	run 0 -j stats && [ "$(json_get nr_shbufs <"$tmp/out")" = 2 ] &&
	run 0 set kctl-shm --mode 600 && run 0 rm kctl-sems && run 0 rm kctl-shm &&
	run 1 show kctl-shm
}

# The kernel's refusals of a shared buffer, with its reasons.
t_shm_refused() {
	run 1 create shm kctl-shx --size 2G &&
	grep -q '^kipcctl: create shm kctl-shx: Numerical result out of range (.*attribute size)$' "$tmp/err" &&
	run 1 create shm kctl-shx --size 128M &&
	grep -q '^kipcctl: create shm kctl-shx: Invalid argument (size refused by shbuf_size_max; attribute size)$' "$tmp/err" &&
	run 1 create shm kctl-shx --size 0 &&
	grep -q 'a shared buffer needs a size, semaphores or both' "$tmp/err" &&
	run 1 create shm kctl-shx --size 4K --nsems 2 --values 1 &&
	grep -q 'give one u32 initial value per semaphore (nsems); attribute sem_values)$' "$tmp/err" &&
	run 2 create shm kctl-shx --nsems 2 && grep -q -- '--size is required' "$tmp/err" &&
	run 2 create shm kctl-shx --size 4K --maxmsg 2 && grep -q -- '--maxmsg does not apply' "$tmp/err" &&
	run 2 set demo --size 4K && grep -q -- '--size does not apply' "$tmp/err" &&
	run 1 show kctl-shx
}

t_rm() {
	run 0 rm demo && [ ! -s "$tmp/out" ] &&
	run 1 show demo &&
	grep -q '^kipcctl: show demo: No such file or directory (no object of that name in this IPC namespace; attribute name)$' "$tmp/err"
}

t_usage() {
	run 2 create mq && grep -q 'missing argument' "$tmp/err" &&
	run 2 frobnicate && run 2 set x --maxmsg eight && run 2 list extra &&
	run 2 --bogus list && run 2 && run 0 --help && grep -q '^usage:' "$tmp/out" &&
	run 0 create --help && grep -q 'create shm NAME --size' "$tmp/out"
}

t_namespace() {
	"$KIPCCTL" create mq kctl-ns >/dev/null 2>&1 &&
	unshare -i "$KIPCCTL" -j list >"$tmp/out" 2>"$tmp/err" &&
	[ "$(cat "$tmp/out")" = "[]" ] &&
	run 0 -j list && [ -n "$(json_object kctl-ns <"$tmp/out")" ] && run 0 rm kctl-ns
}

# monitor ARGS... in the background into $tmp/mon, subscribed once an
# object created after it started shows up there.
start_monitor() {
	"$KIPCCTL" "$@" monitor >"$tmp/mon" 2>"$tmp/mon.err" &
	mon=$!
	i=0
	while [ $i -lt 30 ]; do
		"$KIPCCTL" create mq kctl-mon >/dev/null 2>&1
		"$KIPCCTL" rm kctl-mon >/dev/null 2>&1
		grep -q 'kctl-mon' "$tmp/mon" && return 0
		sleep 1
		i=$((i + 1))
	done
	return 1
}

# stop_monitor: SIGTERM, and monitor exits 0.
stop_monitor() {
	kill -TERM "$mon"
	wait "$mon"
	rc=$?
	mon=
	[ $rc = 0 ] || { echo "monitor exited $rc" >>"$tmp/err"; return 1; }
}

t_monitor() {
	: >"$tmp/err"
	start_monitor || return 1
	"$KIPCCTL" create mq kctl-ev --maxmsg 4 --msgsize 32 &&
	"$KIPCCTL" rm kctl-ev || return 1
	i=0
	while [ $i -lt 20 ] && ! grep -q '^unlinked mq kctl-ev ' "$tmp/mon"; do
		sleep 1
		i=$((i + 1))
	done
	stop_monitor || return 1
	cp "$tmp/mon" "$tmp/out"
	grep -qE '^created mq kctl-ev id [0-9]+ mode 0600 uid 0 gid 0 maxmsg 4 msgsize 32 curmsgs 0 ' "$tmp/mon" &&
	grep -qE '^unlinked mq kctl-ev id [0-9]+ ' "$tmp/mon" &&
	[ "$(grep -c 'kctl-ev' "$tmp/mon")" -ge 2 ]
}

t_monitor_json() {
	: >"$tmp/err"
	start_monitor -j || return 1
	"$KIPCCTL" create mq kctl-ev && "$KIPCCTL" rm kctl-ev || return 1
	i=0
	while [ $i -lt 20 ] && ! grep -q '"event":"unlinked","name":"kctl-ev"' "$tmp/mon"; do
		sleep 1
		i=$((i + 1))
	done
	stop_monitor || return 1
	cp "$tmp/mon" "$tmp/out"
	created=$(grep '^{"event":"created","name":"kctl-ev",' "$tmp/mon") &&
	expect_fields "$created" type='"mq"' maxmsg=10 curmsgs=0 &&
	grep -q '^{"event":"unlinked","name":"kctl-ev",.*}$' "$tmp/mon"
}

t_pretty() {
	run 0 -p stats && grep -qE '^  "nr_queues": [0-9]+,$' "$tmp/out"
}

# A name of the longest length (63) prints whole in the table.
t_long_name() {
	long=kctl-long-name-0123456789-0123456789-0123456789-0123456789-0123
	[ ${#long} = 63 ] || { echo "test name is ${#long} bytes" >>"$tmp/err"; return 1; }
	run 0 create mq "$long" || return 1
	run 0 list
	ok=$?
	"$KIPCCTL" rm "$long"
	[ $ok = 0 ] && grep -qE "^$long +mq " "$tmp/out"
}

# Without the module: exit code 3 and a message that says so.
t_no_module() {
	[ -n "${KIPC_MODULE:-}" ] || { echo "KIPC_MODULE unset" >>"$tmp/err"; return 1; }
	rmmod kipc || return 1
	run 3 list
	ok=$?
	insmod "$KIPC_MODULE" || return 1
	[ $ok = 0 ] && grep -q 'kipc is not available' "$tmp/err"
}

check "create mq demo --maxmsg 8 --msgsize 64 succeeds silently" t_create
check "-j list shows demo with its type, mode, owner, limits and counters" t_json_list
check "list prints a header and aligned columns" t_table
check "show demo prints one aligned field per line; -j show the same fields" t_show
check "set --maxmsg and --mode change the queue; -j set prints it" t_set
check "stats prints the namespace totals, as a table and as JSON" t_stats
check "a policy rejection exits 1 with strerror, extack and the attribute" t_extack_attr
check "creating an existing name exits 1 with the kernel's reason" t_exists
check "an unprivileged user cannot remove root's queue (exit 1, extack)" t_not_owner
check "create shm makes a buffer that list, -j list and show print with size and nsems; rm removes it" t_shm
check "create shm refusals exit 1 with the kernel's reason, or 2 for usage" t_shm_refused
check "rm demo, then show demo exits 1 with the kernel's message" t_rm
check "bad usage exits 2 and --help exits 0" t_usage
check "another IPC namespace lists none of this one's objects" t_namespace
check "monitor prints created and unlinked events, exits 0 on SIGTERM" t_monitor
check "monitor -j prints one JSON object per event" t_monitor_json
check "-p prints indented JSON" t_pretty
check "list prints a 63-byte name whole" t_long_name
check "without the module every command exits 3" t_no_module
exit $failed
