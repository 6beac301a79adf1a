# SPDX-License-Identifier: GPL-2.0
# Helpers for the make-check steps: each step prints flat TAP lines
# ("ok - name" / "not ok - name") that summary.sh counts. Source this file.

: "${KIPC_LOGS:=build/check/logs}"
mkdir -p "$KIPC_LOGS"

tap_ok() { echo "ok - $*"; }
tap_not_ok() { echo "not ok - $*"; }
tap_skip() { echo "ok - $1 # SKIP ${2:-}"; }

# tap_run NAME CMD...: run CMD with its output in a log; on failure show the
# log's tail so the reason is in the CI output, not only on disk.
tap_run() {
	local name=$1 log
	shift
	log="$KIPC_LOGS/$(echo "$name" | tr -c 'A-Za-z0-9._-' '_').log"
	if "$@" >"$log" 2>&1; then
		tap_ok "$name"
	else
		tap_not_ok "$name"
		tail -n 40 "$log" | sed 's/^/#   /'
	fi
}
