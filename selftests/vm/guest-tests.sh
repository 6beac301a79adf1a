#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run every kselftest program in DIR inside the test VM, each under the
# timeout of DIR/settings, framing each program's TAP between markers that
# tap-collect.sh turns into one numbered TAP stream on the host.
dir=${1:-/kipc/tests}
timeout=45
[ -r "$dir/settings" ] && . "$dir/settings"
# The debug lane's kernel (KASAN, lockdep, ...) runs the same tests slower.
timeout=$((timeout * ${KIPC_TIMEOUT_SCALE:-1}))
status=0
for prog in "$dir"/*; do
	[ -f "$prog" ] && [ -x "$prog" ] || continue
	name=$(basename "$prog")
	echo "KIPC-BEGIN $name"
	timeout -s KILL "$timeout" "$prog" 2>&1
	rc=$?
	echo "KIPC-END $name rc=$rc"
	[ $rc = 0 ] || status=1
done
exit $status
