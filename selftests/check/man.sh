#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# man.sh: every man page of the tree renders without a warning: groff with
# all warnings on (-ww) formatting for a terminal, and man --warnings (which
# adds preconv and tbl), output discarded. TAP lines.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/check/tap.sh"

pages=$(cd "$top" && find . \( -path ./build -o -path ./.git \) -prune -o \
	-type f -name '*.[1-8]' -print | sed 's|^\./||' | sort)
if [ -z "$pages" ]; then
	tap_not_ok "man pages: none found"
	exit 1
fi
# groff exits 0 on warnings: its stderr is the verdict.
man_clean() {
	local out
	out=$(groff -ww -man -Tutf8 "$1" 2>&1 >/dev/null) && [ -z "$out" ] ||
		{ echo "$out"; return 1; }
	if command -v man >/dev/null; then
		out=$(MANWIDTH=80 man --warnings -l "$1" 2>&1 >/dev/null) && [ -z "$out" ] ||
			{ echo "$out"; return 1; }
	fi
}
for page in $pages; do
	if ! command -v groff >/dev/null; then
		tap_skip "man page $page renders warning-free" "groff not installed (make deps)"
		continue
	fi
	tap_run "man page $page renders warning-free" man_clean "$top/$page"
done
