#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kipcctl end to end in the test VM: its tables, its JSON, its error reports
# and exit codes, monitor's events and lost-event counts, the byte budget in
# stats and its refusals, and limits, against the loaded module. The VM has
# only busybox, so the JSON is picked apart with sed: kipcctl prints it on
# one line with no spaces ("key":value), which is what these helpers expect.
# TAP output, like the C tests.
dir=$(cd "$(dirname "$0")" && pwd)
KIPCCTL=${KIPCCTL:-$dir/bin/kipcctl}
tmp=$(mktemp -d)
params=/sys/module/kipc/parameters
n=0
failed=0
mon=
monargs=
# Module parameters a test changed, restored by cleanup: "NAME VALUE" lines.
restore=$tmp/restore
rmem_max=

echo "TAP version 13"
echo "1..39"

cleanup() {
	[ -n "$mon" ] && kill -CONT "$mon" 2>/dev/null && kill "$mon" 2>/dev/null
	[ -n "$rmem_max" ] && echo "$rmem_max" >/proc/sys/net/core/rmem_max
	if [ -s "$restore" ]; then
		while read -r param value; do
			echo "$value" >"$params/$param"
		done <"$restore"
	fi
	for name in demo kctl-mon kctl-perm kctl-ns kctl-shm kctl-sems kctl-shx \
		kctl-budget kctl-after kctl-f1 kctl-f2 kctl-f3 kctl-ev kctl-evs kctl-msg \
		kctl-msgshm kctl-cr kctl-tr; do
		"$KIPCCTL" rm "$name" 2>/dev/null
	done
	i=0
	while [ $i -lt 40 ]; do
		"$KIPCCTL" rm "kctl-lost-$i" 2>/dev/null
		i=$((i + 1))
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

# json_object_null < JSON: the objects of a JSON array without a name.
json_object_null() {
	sed 's/},{/}\n{/g' | grep '"name":null'
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
	grep -qE '^recv_waits +0$' "$tmp/out" && grep -qE '^send_lowat +1$' "$tmp/out" &&
	run 0 -j show demo && expect_fields "$(cat "$tmp/out")" name='"demo"' maxmsg=8
}

# create mq --send-lowat sets the mark (at most maxmsg); shm has none.
t_send_lowat() {
	run 0 create mq kctl-lowat --maxmsg 8 --send-lowat 4 &&
	run 0 -j show kctl-lowat && expect_fields "$(cat "$tmp/out")" send_lowat=4 &&
	run 0 rm kctl-lowat &&
	run 1 create mq kctl-lowat --maxmsg 8 --send-lowat 9 &&
	grep -q "send-lowat is above maxmsg" "$tmp/err" &&
	run 2 create shm kctl-lowat --size 4096 --send-lowat 2
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
	[ "$(echo "$obj" | json_get maxmsg)" = null ] ||
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
	# shellcheck disable=SC2086 # $monargs: the monitor's own options
	"$KIPCCTL" "$@" monitor $monargs >"$tmp/mon" 2>"$tmp/mon.err" &
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
	grep -qE '^created mq kctl-ev id [0-9]+ mode 0600 uid 0 gid 0 maxmsg 4 msgsize 32 send_lowat 1 options none curmsgs 0 ' "$tmp/mon" &&
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
	expect_fields "$created" type='"mq"' maxmsg=10 curmsgs=0 size=null events_lost=null &&
	echo "$created" | json_get time | grep -qE "$iso8601" ||
		{ echo "no time, or fields missing: $created" >>"$tmp/err"; return 1; }
	grep -q '^{"event":"unlinked","name":"kctl-ev",.*}$' "$tmp/mon"
}

# The time of an event: ISO 8601, to the microsecond, with the UTC offset.
iso8601='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}[+-][0-9]{2}:[0-9]{2}'

# wait_mon PATTERN: until the monitor's output has a line matching PATTERN.
wait_mon() {
	i=0
	while [ $i -lt 20 ] && ! grep -qE "$1" "$tmp/mon"; do
		sleep 1
		i=$((i + 1))
	done
}

# monitor --timestamp --type mq: each line starts with the time; a shared
# buffer's events are left out.
t_monitor_type_ts() {
	: >"$tmp/err"
	monargs="--timestamp --type mq"
	start_monitor
	ok=$?
	monargs=
	[ $ok = 0 ] || return 1
	"$KIPCCTL" create shm kctl-evs --size 4K && "$KIPCCTL" rm kctl-evs &&
	"$KIPCCTL" create mq kctl-ev && "$KIPCCTL" rm kctl-ev || return 1
	wait_mon " unlinked mq kctl-ev "
	stop_monitor || return 1
	cp "$tmp/mon" "$tmp/out"
	grep -qE "^$iso8601 created mq kctl-ev id [0-9]+ " "$tmp/mon" &&
	grep -qE "^$iso8601 unlinked mq kctl-ev " "$tmp/mon" &&
	! grep -q 'kctl-evs' "$tmp/mon" &&
	! grep -qvE "^$iso8601 [a-z_]+ mq " "$tmp/mon"
}

# monitor --name NAME: only that object's events. kctl-mon comes and goes
# after kctl-ev: once its second unlink is printed, kctl-ev's events would
# have been too.
t_monitor_name() {
	: >"$tmp/err"
	monargs="--name kctl-mon"
	start_monitor
	ok=$?
	monargs=
	[ $ok = 0 ] || return 1
	"$KIPCCTL" create mq kctl-ev && "$KIPCCTL" rm kctl-ev &&
	"$KIPCCTL" create mq kctl-mon && "$KIPCCTL" rm kctl-mon || return 1
	wait_mon "^unlinked mq kctl-mon .*"
	i=0
	while [ $i -lt 20 ] && [ "$(grep -c '^unlinked mq kctl-mon ' "$tmp/mon")" -lt 2 ]; do
		sleep 1
		i=$((i + 1))
	done
	stop_monitor || return 1
	cp "$tmp/mon" "$tmp/out"
	[ "$(grep -c '^unlinked mq kctl-mon ' "$tmp/mon")" -ge 2 ] &&
	! grep -q 'kctl-ev' "$tmp/mon" && ! grep -qv ' kctl-mon ' "$tmp/mon"
}

t_pretty() {
	run 0 -p stats && grep -qE '^  "nr_queues": [0-9]+,$' "$tmp/out"
}

# stats_json KEY: KEY of "kipcctl -j stats" (run as root).
stats_json() {
	"$KIPCCTL" -j stats | json_get "$1"
}

# stats reports the caller's account and the machine's total: present,
# numeric, the limits equal to the module's parameters, and a new queue
# counted in user_queues and user_bytes (root is counted, though not
# limited), then released by rm.
t_stats_budget() {
	run 0 -j stats || return 1
	for key in user_bytes user_bytes_max total_bytes total_bytes_max user_queues \
		user_shbufs user_subs; do
		v=$(json_get $key <"$tmp/out")
		case $v in
		''|*[!0-9]*)
			echo "stats: $key is '$v'" >>"$tmp/err"
			return 1
			;;
		esac
	done
	[ "$(json_get user_bytes_max <"$tmp/out")" = "$(cat $params/user_bytes_max)" ] &&
	[ "$(json_get total_bytes_max <"$tmp/out")" = "$(cat $params/total_bytes_max)" ] ||
		{ echo "stats: limits differ from $params" >>"$tmp/err"; return 1; }
	run 0 stats && grep -qE '^user_bytes +[0-9]+$' "$tmp/out" &&
	grep -qE '^total_bytes_max +[1-9][0-9]*$' "$tmp/out" &&
	grep -qE '^user_subs +[0-9]+$' "$tmp/out" || return 1
	queues=$(stats_json user_queues)
	bytes=$(stats_json user_bytes)
	"$KIPCCTL" create mq kctl-budget --maxmsg 4 --msgsize 4096 || return 1
	queues1=$(stats_json user_queues)
	bytes1=$(stats_json user_bytes)
	"$KIPCCTL" rm kctl-budget || return 1
	[ "$queues1" = $((queues + 1)) ] ||
		{ echo "user_queues $queues -> $queues1 after a create" >>"$tmp/err"; return 1; }
	# A queue reserves at least maxmsg buffers of msgsize bytes.
	[ $((bytes1 - bytes)) -ge 16384 ] ||
		{ echo "user_bytes $bytes -> $bytes1 after a create" >>"$tmp/err"; return 1; }
	[ "$(stats_json user_queues)" = "$queues" ] && [ "$(stats_json user_bytes)" = "$bytes" ] ||
		{ echo "rm did not release the queue's charge" >>"$tmp/err"; return 1; }
}

# limits prints every parameter the module has, as sysfs says, in the table
# and as JSON; with no module it exits 3.
t_limits() {
	run 0 limits && run 0 -j limits && cp "$tmp/out" "$tmp/limits.json" || return 1
	run 0 limits || return 1
	for p in user_bytes_max total_bytes_max max_queues_per_user max_shbufs_per_user \
		max_subscriptions_per_user msg_max msgsize_max queue_bytes_max msg_default \
		msgsize_default shbuf_size_max sems_max sendrecv_yield_to; do
		want=$(cat "$params/$p") || return 1
		grep -qE "^$p +$want( |\$)" "$tmp/out" ||
			{ echo "limits: no line '$p $want'" >>"$tmp/err"; return 1; }
		# numbers as numbers, the rest (a bool's Y or N) as strings
		case $want in
		*[!0-9]*) want="\"$want\"" ;;
		esac
		[ "$(json_get $p <"$tmp/limits.json")" = "$want" ] ||
			{ echo "limits -j: $p is not $want" >>"$tmp/err"; return 1; }
	done
}

# set_param NAME VALUE: change a module parameter until cleanup (or
# restore_params) puts it back.
set_param() {
	echo "$1 $(cat "$params/$1")" >>"$restore"
	echo "$2" >"$params/$1"
}

restore_params() {
	while read -r param value; do
		echo "$value" >"$params/$param"
	done <"$restore"
	: >"$restore"
}

# as_nobody ARGS...: kipcctl ARGS as an unprivileged user, outputs as run.
as_nobody() {
	want=$1
	shift
	su -s /bin/sh -c "'$KIPCCTL' $*" nobody >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = "$want" ] || { echo "kipcctl $* as nobody: exit $rc, expected $want" >>"$tmp/err"; return 1; }
}

# An unprivileged creation over the byte budget is EDQUOT, over the ceiling
# for all users ENOSPC, each reported in kipc's words.
t_budget_refused() {
	set_param user_bytes_max 1048576
	as_nobody 1 create mq kctl-budget --maxmsg 64 --msgsize 65536
	ok=$?
	restore_params
	[ $ok = 0 ] &&
	grep -q '^kipcctl: create mq kctl-budget: over your kipc byte budget (user_bytes_max)' "$tmp/err" ||
		return 1
	set_param total_bytes_max 1
	as_nobody 1 create mq kctl-budget --maxmsg 1 --msgsize 64
	ok=$?
	restore_params
	[ $ok = 0 ] &&
	grep -q "^kipcctl: create mq kctl-budget: over kipc's byte ceiling for all users (total_bytes_max)" "$tmp/err" &&
	run 1 show kctl-budget
}

# A subscriber whose socket overflows is told how many events it lost with
# the next event it gets. Its receive buffer is kept small (rmem_max) and it
# is stopped while objects come and go.
t_monitor_lost() {
	: >"$tmp/err"
	rmem_max=$(cat /proc/sys/net/core/rmem_max)
	echo 4096 >/proc/sys/net/core/rmem_max
	start_monitor
	ok=$?
	echo "$rmem_max" >/proc/sys/net/core/rmem_max
	rmem_max=
	[ $ok = 0 ] || return 1
	kill -STOP "$mon"
	i=0
	while [ $i -lt 40 ]; do
		"$KIPCCTL" create mq "kctl-lost-$i" && "$KIPCCTL" rm "kctl-lost-$i" || break
		i=$((i + 1))
	done
	kill -CONT "$mon"
	sleep 1
	"$KIPCCTL" create mq kctl-after && "$KIPCCTL" rm kctl-after || return 1
	i=0
	while [ $i -lt 20 ] && ! grep -q '^unlinked mq kctl-after ' "$tmp/mon"; do
		sleep 1
		i=$((i + 1))
	done
	stop_monitor || return 1
	cp "$tmp/mon" "$tmp/out"
	grep -qE '^created mq kctl-after .* \([1-9][0-9]* events? lost before this one\)$' "$tmp/mon" ||
		{ echo "no lost-event count on the first event after the overflow" >>"$tmp/err"; return 1; }
	! grep -q '^unlinked mq kctl-after .*lost before this one' "$tmp/mon"
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

# JSON has one shape: arrays of objects from list, show, create and set,
# with every key, null where the kind of object has no such field.
t_json_shape() {
	run 0 create mq kctl-f1 --maxmsg 4 && run 0 create shm kctl-f2 --size 4K || return 1
	run 0 -j list || return 1
	mq=$(json_object kctl-f1 <"$tmp/out")
	shm=$(json_object kctl-f2 <"$tmp/out")
	keys='name type id mode uid gid maxmsg msgsize send_lowat curmsgs hwm bytes sent received
	      send_waits recv_waits size nsems data_offset mappings sem_sleepers sem_waits
	      sem_wakeups sem_posts mem_bytes'
	for k in $keys; do
		[ -n "$(echo "$mq" | json_get "$k")" ] && [ -n "$(echo "$shm" | json_get "$k")" ] ||
			{ echo "key $k missing" >>"$tmp/err"; return 1; }
	done
	expect_fields "$mq" size=null nsems=null mappings=null maxmsg=4 &&
	expect_fields "$shm" maxmsg=null curmsgs=null size=4096 &&
	run 0 -j show kctl-f1 && grep -q '^\[{"name":"kctl-f1",.*}\]$' "$tmp/out" &&
	run 0 -j set kctl-f1 --maxmsg 5 && grep -q '^\[{"name":"kctl-f1",.*}\]$' "$tmp/out" &&
	run 0 -j create mq kctl-f3 && grep -q '^\[{"name":"kctl-f3",.*}\]$' "$tmp/out" &&
	run 0 rm kctl-f3
}

# list --type, --user and --brief (names only, no header).
t_list_filters() {
	run 0 list --brief && grep -qx kctl-f1 "$tmp/out" && grep -qx kctl-f2 "$tmp/out" &&
	! grep -q NAME "$tmp/out" &&
	run 0 list --type mq -b && grep -qx kctl-f1 "$tmp/out" && ! grep -qx kctl-f2 "$tmp/out" &&
	run 0 list --type shm -b && grep -qx kctl-f2 "$tmp/out" && ! grep -qx kctl-f1 "$tmp/out" &&
	run 0 -j list --type shm && ! grep -q '"type":"mq"' "$tmp/out" &&
	grep -q '"name":"kctl-f2"' "$tmp/out" &&
	run 0 list --user root --brief && grep -qx kctl-f1 "$tmp/out" &&
	run 0 list --user 65534 --brief && [ ! -s "$tmp/out" ] &&
	run 0 list --user 0 && head -1 "$tmp/out" | grep -q '^NAME ' && grep -q '^kctl-f1 ' "$tmp/out" &&
	run 2 list --user no-such-user-kctl && grep -q 'no such user' "$tmp/err" &&
	run 2 list --type sem
}

# show and rm take several operands, and objects by id: "id:N" or --id N.
t_by_id() {
	id1=$("$KIPCCTL" -j show kctl-f1 | json_get id)
	id2=$("$KIPCCTL" -j show kctl-f2 | json_get id)
	[ -n "$id1" ] && [ -n "$id2" ] || { echo "no ids" >>"$tmp/err"; return 1; }
	run 0 show "id:$id1" && grep -qE '^name +kctl-f1$' "$tmp/out" &&
	run 0 show --id "$id2" && grep -qE '^name +kctl-f2$' "$tmp/out" &&
	run 0 -j show kctl-f2 "id:$id1" &&
	grep -q '^\[{"name":"kctl-f2",.*},{"name":"kctl-f1",.*}\]$' "$tmp/out" &&
	run 0 show kctl-f1 kctl-f2 && [ "$(grep -c '^name ' "$tmp/out")" = 2 ] &&
	grep -q '^$' "$tmp/out" &&
	run 1 show id:4000000000 && grep -q 'show id:4000000000: no object with this id' "$tmp/err" &&
	run 2 show id:x && run 2 rm --id -1 &&
	run 1 show kctl-nothing kctl-f1 && grep -qE '^name +kctl-f1$' "$tmp/out" &&
	run 0 rm kctl-f1 "id:$id2" && [ ! -s "$tmp/out" ] &&
	run 1 show kctl-f1 && run 1 show kctl-f2 &&
	run 0 create mq kctl-f1 && run 0 create mq kctl-f2 &&
	run 1 rm kctl-f3 kctl-f1 --id 4000000000 && grep -q 'rm kctl-f3: No such file' "$tmp/err" &&
	grep -q 'rm id:4000000000: no object with this id' "$tmp/err" &&
	run 1 show kctl-f1 && run 0 rm kctl-f2
}

# An anonymous queue (held by a helper): shown by id, "-" in --brief, and
# "rm id:N" refuses it, having no name to remove.
t_anon_by_id() {
	"$dir/helpers/kipc_anon_hold" >"$tmp/anon" 2>&1 &
	anon=$!
	i=0
	while [ $i -lt 20 ] && ! grep -q ready "$tmp/anon"; do
		sleep 1
		i=$((i + 1))
	done
	"$KIPCCTL" -j list >"$tmp/anon.json"
	id=$(json_object_null <"$tmp/anon.json" | head -1 | json_get id)
	ok=1
	[ -n "$id" ] && run 0 show "id:$id" && grep -qE '^name +-$' "$tmp/out" &&
	run 0 -j show --id "$id" && expect_fields "$(cat "$tmp/out")" name=null type='"mq"' &&
	run 0 list --brief && grep -qx -e - "$tmp/out" &&
	run 1 rm "id:$id" && grep -q "rm id:$id: the object is anonymous" "$tmp/err" &&
	run 0 show "id:$id" && ok=0
	kill "$anon"
	wait "$anon" 2>/dev/null
	[ $ok = 0 ] || { [ -n "$id" ] || echo "no anonymous object in $(cat "$tmp/anon.json")" >>"$tmp/err"; return 1; }
}

# limits: groups as in ipcs -l, byte counts in binary units, and the
# caller's usage, which is stats' (JSON: the same keys, every one present).
t_limits_usage() {
	run 0 limits || return 1
	for title in 'Byte budgets' 'Per-user limits' 'Message queues' 'Shared buffers' 'Your usage'; do
		grep -qxe "------ $title ------" "$tmp/out" ||
			{ echo "limits: no group '$title'" >>"$tmp/err"; return 1; }
	done
	grep -qE '^msgsize_max +[0-9]+ +[0-9.]+ (B|KiB|MiB|GiB) +largest msgsize$' "$tmp/out" &&
	grep -qE '^user_queues +[0-9]+ +queues you own' "$tmp/out" &&
	grep -qE '^sendrecv_yield_to +[YN] +(on|off) ' "$tmp/out" || return 1
	run 0 create mq kctl-f1 || return 1
	q=$(stats_json user_queues)
	b=$(stats_json user_bytes)
	run 0 -j limits
	ok=$?
	"$KIPCCTL" rm kctl-f1
	[ $ok = 0 ] && [ "$(json_get user_queues <"$tmp/out")" = "$q" ] &&
	[ "$(json_get user_bytes <"$tmp/out")" = "$b" ] &&
	[ -n "$(json_get total_bytes <"$tmp/out")" ] && [ -n "$(json_get user_subs <"$tmp/out")" ]
}

# Without the module: exit code 3 and a message that says so.
t_no_module() {
	[ -n "${KIPC_MODULE:-}" ] || { echo "KIPC_MODULE unset" >>"$tmp/err"; return 1; }
	rmmod kipc || return 1
	run 3 list
	ok=$?
	[ $ok = 0 ] && grep -q 'kipc is not available' "$tmp/err"
	ok=$?
	[ $ok = 0 ] && run 3 limits && grep -q 'kipc is not available' "$tmp/err"
	ok=$?
	[ $ok = 0 ] && run 3 send kctl-msg m && grep -q 'kipc is not available: no /dev/kipc' "$tmp/err" &&
	run 3 recv kctl-msg
	ok=$?
	insmod "$KIPC_MODULE" || return 1
	[ $ok = 0 ]
}

# send and recv: a queue of 4 messages of at most 16 bytes, made afresh.
msg_queue() {
	"$KIPCCTL" rm kctl-msg 2>/dev/null
	run 0 create mq kctl-msg --maxmsg 4 --msgsize 16
}

# expect_out TEXT: stdout is exactly TEXT (printf's format, escapes and all).
expect_out() {
	# shellcheck disable=SC2059 # the format is the expected text
	printf "$1" >"$tmp/want"
	cmp -s "$tmp/want" "$tmp/out" ||
		{ echo "stdout differs from: $(cat "$tmp/want")" >>"$tmp/err"; return 1; }
}

# Broadcast queues: --broadcast [--drop-oldest] at creation, the options by
# name; show lists the subscribers (a blocked recv is one) in its table and
# in -j under "subs"; --drop-oldest without --broadcast is the kernel's EINVAL.
t_broadcast() {
	"$KIPCCTL" rm kctl-bc 2>/dev/null
	run 0 create mq kctl-bc --broadcast --drop-oldest --maxmsg 2 --msgsize 16 &&
	run 0 -j show kctl-bc &&
	expect_fields "$(cat "$tmp/out")" options='"broadcast,drop_oldest"' subscribers=0 dropped=0 ||
		return 1
	"$KIPCCTL" recv --count 2 kctl-bc >"$tmp/bcrecv" 2>&1 &
	bpid=$!
	i=0
	while [ $i -lt 100 ] && ! "$KIPCCTL" -j show kctl-bc | grep -q '"subscribers":1'; do
		sleep 0.1
		i=$((i + 1))
	done
	run 0 show kctl-bc && grep -qE '^subscribers +1$' "$tmp/out" &&
	grep -qE 'SUB +UID +PENDING +RECEIVED +DROPPED' "$tmp/out" &&
	run 0 -j show kctl-bc &&
	grep -qE '"subs":\[\{"id":[0-9]+,"uid":0,"pending":0,"received":0,"dropped":0\}\]' "$tmp/out" &&
	run 0 send kctl-bc one && run 0 send kctl-bc two || { kill "$bpid"; return 1; }
	wait "$bpid" && grep -q one "$tmp/bcrecv" && grep -q two "$tmp/bcrecv" &&
	run 0 -j list && expect_fields "$(json_object kctl-bc <"$tmp/out")" sent=2 subscribers=0 &&
	run 1 create mq kctl-bd --drop-oldest &&
	run 0 rm kctl-bc
}

# Queue options: --creds, --track and --fds are fixed at creation (show, -j);
# recv on a --creds queue prints the sender (pid, uid, gid), the sender's
# own even when it is nobody writing to root's queue; shm and set refuse
# them; a plain queue's options are "none" and its recv lines unchanged.
t_creds() {
	"$KIPCCTL" rm kctl-cr 2>/dev/null
	"$KIPCCTL" rm kctl-tr 2>/dev/null
	run 0 create mq kctl-cr --creds --maxmsg 4 --msgsize 16 &&
	run 0 set kctl-cr --mode 0622 &&
	run 0 show kctl-cr && grep -qE '^options +creds$' "$tmp/out" &&
	run 0 -j create mq kctl-tr --track --creds &&
	expect_fields "$(cat "$tmp/out")" options='"creds,track"' &&
	run 0 -j list && expect_fields "$(json_object kctl-tr <"$tmp/out")" options='"creds,track"' &&
	run 0 -j create mq kctl-fd --fds --track &&
	expect_fields "$(cat "$tmp/out")" options='"track,fds"' && run 0 rm kctl-fd &&
	run 2 create shm kctl-fd --size 4K --fds && grep -q 'does not apply' "$tmp/err" &&
	run 0 create mq kctl-f3 && run 0 -j show kctl-f3 &&
	expect_fields "$(cat "$tmp/out")" options='"none"' &&
	run 0 send kctl-f3 plain && run 0 recv kctl-f3 && expect_out '0\t5\tplain\n' &&
	run 0 rm kctl-f3 kctl-tr &&
	run 2 create shm kctl-f3 --size 4K --creds && grep -q 'does not apply' "$tmp/err" &&
	run 2 set kctl-cr --track && grep -q 'does not apply' "$tmp/err" || return 1
	run 0 send kctl-cr --prio 3 root &&
	su -s /bin/sh -c "'$KIPCCTL' send kctl-cr nobody" nobody 2>>"$tmp/err" || return 1
	run 0 recv kctl-cr || return 1
	grep -qE '^3	4	[1-9][0-9]*	0	0	root$' "$tmp/out" ||
		{ echo "no root sender line" >>"$tmp/err"; return 1; }
	run 0 -j recv kctl-cr &&
	grep -qE '^\[\{"prio":0,"len":6,"pid":[1-9][0-9]*,"uid":65534,"gid":[0-9]+,"data":"nobody"\}\]$' "$tmp/out" ||
		{ echo "no nobody sender object" >>"$tmp/err"; return 1; }
	run 0 rm kctl-cr
}

# Priorities on both sides of the old limit of 32 come out highest first.
t_msg_prio() {
	msg_queue &&
	run 0 send kctl-msg --prio 0 p0 && [ ! -s "$tmp/out" ] &&
	run 0 send kctl-msg --prio 31 p31 && run 0 send kctl-msg --prio 32 p32 &&
	run 0 send kctl-msg --prio 32767 p32767 &&
	run 0 recv kctl-msg --count 4 &&
	expect_out '32767\t6\tp32767\n32\t3\tp32\n31\t3\tp31\n0\t2\tp0\n'
}

# A priority out of 0..32767 is a usage error, and nothing is sent.
t_msg_bad_prio() {
	msg_queue &&
	run 2 send kctl-msg --prio 32768 m && grep -q 'expected a number from 0 to 32767' "$tmp/err" &&
	run 2 send kctl-msg --prio -1 m && run 2 send kctl-msg --prio x m &&
	run 2 send kctl-msg --prio '' m && run 2 send kctl-msg --prio 1 a b &&
	run 2 recv kctl-msg --count 0 && run 2 recv kctl-msg --timeout 5 --nonblock &&
	run 0 -j show kctl-msg && expect_fields "$(cat "$tmp/out")" curmsgs=0 sent=0
}

# --nonblock: an empty queue (recv) and a full one (send) exit 4; recv
# --count stops at the last message and succeeds.
t_msg_nonblock() {
	msg_queue &&
	run 4 recv kctl-msg --nonblock && grep -q 'recv kctl-msg: queue empty' "$tmp/err" &&
	[ ! -s "$tmp/out" ] &&
	for i in 1 2 3 4; do run 0 send kctl-msg --nonblock "m$i" || return 1; done &&
	run 4 send kctl-msg --nonblock m5 && grep -q 'send kctl-msg: queue full' "$tmp/err" &&
	run 0 recv kctl-msg --nonblock --count 10 && expect_out '0\t2\tm1\n0\t2\tm2\n0\t2\tm3\n0\t2\tm4\n'
}

# centiseconds of uptime (busybox date has no %N).
uptime_cs() {
	sed -E 's/^([0-9]+)\.([0-9]+) .*/\1\2/' /proc/uptime
}

# --timeout: recv on an empty queue and send to a full one wait about the
# time asked, then exit 5.
t_msg_timeout() {
	msg_queue || return 1
	t0=$(uptime_cs)
	run 5 recv kctl-msg --timeout 300 || return 1
	t1=$(uptime_cs)
	grep -q 'recv kctl-msg: Connection timed out' "$tmp/err" &&
	[ $((t1 - t0)) -ge 20 ] && [ $((t1 - t0)) -lt 1000 ] ||
		{ echo "recv --timeout 300 took $((t1 - t0)) cs" >>"$tmp/err"; return 1; }
	for i in 1 2 3 4; do run 0 send kctl-msg "m$i" || return 1; done
	t0=$(uptime_cs)
	run 5 send kctl-msg --timeout 200 m5 || return 1
	t1=$(uptime_cs)
	[ $((t1 - t0)) -ge 10 ] ||
		{ echo "send --timeout 200 took $((t1 - t0)) cs" >>"$tmp/err"; return 1; }
	run 0 recv kctl-msg --timeout 100 --count 10 && [ "$(wc -l <"$tmp/out")" = 4 ]
}

# Standard input is one message, sent whole; non-printable bytes and the
# backslash come out escaped; longer than msgsize is refused, as an operand too.
t_msg_stdin() {
	msg_queue || return 1
	printf 'a\001b\\c\n' | "$KIPCCTL" send kctl-msg --prio 7 >"$tmp/out" 2>"$tmp/err" || return 1
	run 0 recv kctl-msg && expect_out '7\t6\ta\\x01b\\\\c\\x0a\n' || return 1
	printf '%017d' 0 | "$KIPCCTL" send kctl-msg >"$tmp/out" 2>"$tmp/err"
	[ $? = 1 ] && grep -q "Message too long (standard input is longer than the queue's msgsize, 16 bytes)" "$tmp/err" &&
	run 1 send kctl-msg 01234567890123456 && grep -q 'Message too long' "$tmp/err" &&
	printf '%016d' 0 | "$KIPCCTL" send kctl-msg >"$tmp/out" 2>"$tmp/err" &&
	run 0 -j show kctl-msg && expect_fields "$(cat "$tmp/out")" curmsgs=1 &&
	run 0 recv kctl-msg && expect_out '0\t16\t0000000000000000\n'
}

# -j (before or after recv): an array of {prio, len, data}, data escaped
# as in the text; an empty queue gives [].
t_msg_json() {
	msg_queue &&
	run 0 send kctl-msg --prio 32767 'say "hi"' && run 0 send kctl-msg --prio 3 "$(printf 'x\033')" &&
	run 0 -j recv kctl-msg --count 2 &&
	expect_out '[{"prio":32767,"len":8,"data":"say \\"hi\\""},{"prio":3,"len":2,"data":"x\\\\x1b"}]\n' &&
	run 4 recv -j kctl-msg --nonblock && expect_out '[]\n'
}

# The queue's mode bits decide: nobody may not send to or receive
# from root's 0600 queue; a missing queue is ENOENT, a shared buffer's
# name or a malformed one EINVAL.
t_msg_perm() {
	msg_queue || return 1
	su -s /bin/sh -c "'$KIPCCTL' send kctl-msg m" nobody >"$tmp/out" 2>"$tmp/err"
	[ $? = 1 ] && grep -q 'send kctl-msg: Permission denied' "$tmp/err" || return 1
	su -s /bin/sh -c "'$KIPCCTL' recv kctl-msg --nonblock" nobody >"$tmp/out" 2>"$tmp/err"
	[ $? = 1 ] && grep -q 'recv kctl-msg: Permission denied' "$tmp/err" &&
	run 0 rm kctl-msg && run 1 send kctl-msg m &&
	grep -q 'send kctl-msg: No such file or directory' "$tmp/err" &&
	run 1 recv kctl-msg && run 0 send --help && grep -q 'send NAME \[--prio N\]' "$tmp/out" &&
	run 0 create shm kctl-msgshm --size 4096 && run 1 send kctl-msgshm m &&
	grep -q 'send kctl-msgshm: Invalid argument (a malformed name, or not a message queue)' "$tmp/err" &&
	run 1 recv kctl-msgshm && run 0 rm kctl-msgshm && run 1 recv bad/name
}

check "create mq demo --maxmsg 8 --msgsize 64 succeeds silently" t_create
check "-j list shows demo with its type, mode, owner, limits and counters" t_json_list
check "list prints a header and aligned columns" t_table
check "show demo prints one aligned field per line; -j show the same fields" t_show
check "create mq --send-lowat sets the mark, at most maxmsg; shm has none" t_send_lowat
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
check "stats prints the caller's byte budget and counts, and the ceiling" t_stats_budget
check "limits prints the module's parameters, as a table and as JSON" t_limits
check "EDQUOT and ENOSPC are reported as the byte budget and the ceiling" t_budget_refused
check "monitor reports events lost to a full socket with the next event" t_monitor_lost
check "list prints a 63-byte name whole" t_long_name
check "-j prints arrays of objects with every key, null where absent" t_json_shape
check "list --type, --user and --brief filter and shorten the list" t_list_filters
check "show and rm take several names and ids (id:N, --id N)" t_by_id
check "an anonymous object is shown by id, and rm by id refuses it" t_anon_by_id
check "limits groups the limits with units and adds the caller's usage" t_limits_usage
check "monitor --timestamp --type mq stamps lines and drops shm events" t_monitor_type_ts
check "monitor --name prints only that object's events" t_monitor_name
check "send at priorities 0, 31, 32, 32767; recv --count 4 gives them highest first" t_msg_prio
check "send --prio 32768, -1, x are usage errors (exit 2) and send nothing" t_msg_bad_prio
check "recv --nonblock on an empty queue, send --nonblock to a full one exit 4" t_msg_nonblock
check "recv and send --timeout wait about the time asked and exit 5" t_msg_timeout
check "send reads standard input as one message, at most msgsize; recv escapes bytes" t_msg_stdin
check "recv -j prints an array of {prio, len, data}" t_msg_json
check "send and recv obey the queue's mode bits; a missing queue exits 1" t_msg_perm
check "create mq --creds/--track: show and -j print the options; recv prints the sender" t_creds
check "create mq --broadcast/--drop-oldest: options, subscribers in show and -j" t_broadcast
check "without the module every command exits 3" t_no_module
exit $failed
