#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The README's shell session, run in the test VM as the README shows it and
# compared with the output it shows. The session is the indented block after
# the line "<!-- check: vm-session -->" in README.md (installed beside this
# script as readme/README.md): lines "# COMMAND" are run in order in one
# shell, the lines after each are what it must print. What may differ from
# one run to the next is masked on both sides: the ID and MEM_BYTES columns
# of a table, "id" and "mem_bytes" in JSON (object ids count up over the
# VM's life; memory depends on the kernel's slab sizes); runs of spaces are
# squeezed, so a wider ID column does not count. Column headers, names,
# limits, counters and every other line must match word for word.
# TAP output, like the C tests.
dir=$(cd "$(dirname "$0")" && pwd)
readme=$dir/readme/README.md
tmp=$(mktemp -d)
echo "TAP version 13"
echo "1..3"

cleanup() {
	"$dir/bin/kipcctl" rm demo 2>/dev/null
	"$dir/bin/kipcctl" rm buf 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# The marked block, without its four-space indent.
awk '/^<!-- check: vm-session -->$/ { on = 1; next }
     on && /^    / { seen = 1; print substr($0, 5); next }
     on && seen && !/^$/ { exit }' "$readme" >"$tmp/session"
if grep -q '^# ' "$tmp/session"; then
	echo "ok 1 README.md has a marked shell session ($(grep -c '^# ' "$tmp/session") commands)"
else
	echo "not ok 1 README.md has a marked shell session (no '<!-- check: vm-session -->' block)"
	exit 1
fi

# Run each command as the README shows it, in this shell (an export must
# carry over), and write "# COMMAND" and its output: the same layout as
# the block, so the two can be compared line by line.
grep '^# ' "$tmp/session" | sed 's/^# //' >"$tmp/commands"
failed=
while IFS= read -r cmd; do
	echo "# $cmd"
	eval "$cmd" 2>&1 </dev/null || failed="$failed; '$cmd' exited $?"
done <"$tmp/commands" >"$tmp/got"
if [ -z "$failed" ]; then
	echo "ok 2 every command of the README's session exits 0"
else
	echo "not ok 2 every command of the README's session exits 0${failed}"
fi

# normalize < TEXT: mask what may change from run to run (above).
normalize() {
	awk '/^# / { mask_id = mask_mem = 0; print; next }
	     $1 == "NAME" {
		for (i = 1; i <= NF; i++) {
			if ($i == "ID") mask_id = i
			if ($i == "MEM_BYTES") mask_mem = i
		}
	     }
	     $1 != "NAME" && (mask_id || mask_mem) && NF > 1 && $1 !~ /^\[/ {
		if (mask_id) $mask_id = "#"
		if (mask_mem) $mask_mem = "#"
	     }
	     { gsub(/"id":[0-9]+/, "\"id\":#"); gsub(/"mem_bytes":[0-9]+/, "\"mem_bytes\":#")
	       $1 = $1; print }'
}
normalize <"$tmp/session" >"$tmp/want.n"
normalize <"$tmp/got" >"$tmp/got.n"
if cmp -s "$tmp/want.n" "$tmp/got.n"; then
	echo "ok 3 the README's session prints what the README shows"
else
	echo "# README shows (masked):"
	sed 's/^/#   /' "$tmp/want.n"
	echo "# the tools print (masked):"
	sed 's/^/#   /' "$tmp/got.n"
	echo "not ok 3 the README's session prints what the README shows"
fi
[ -z "$failed" ] && cmp -s "$tmp/want.n" "$tmp/got.n"
