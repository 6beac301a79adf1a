#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# readme.sh: what README.md shows, checked on the host against the tree.
# The shell session it shows is run in the test VM by
# selftests/kipc/kipc_readme_test.sh; here:
#  - the C program after "<!-- check: file PATH -->" is PATH, byte for byte
#    (PATH is built and run in the VM by kipc_examples_test.sh);
#  - every figure of the table after "<!-- check: figures PAGE -->" (its last
#    column, "A vs B UNIT", and its ratio) appears in PAGE, so the table
#    cannot drift from the run the page reports;
#  - every target of every "make ..." command it shows is a target of the
#    Makefile, and the examples it names are in user/examples/.
# TAP lines.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/check/tap.sh"
readme=$top/README.md

# The fenced block after each "check: file" marker equals its file.
files_match() {
	local marker path block rc=0
	grep -q '^<!-- check: file ' "$readme" || { echo "no 'check: file' marker"; return 1; }
	while read -r _ _ _ path _; do
		block=$(awk -v m="<!-- check: file $path -->" '
			$0 == m { on = 1; next }
			on && /^```/ { if (fence++) exit; next }
			on && fence { print }' "$readme")
		if ! diff -u "$top/$path" <(printf '%s\n' "$block"); then
			echo "README.md's copy of $path differs from the file (above)"
			rc=1
		fi
	done < <(grep '^<!-- check: file ' "$readme")
	return $rc
}

# Each row's ratio and figures of the marked table appear in the page.
figures_cited() {
	local page rows n=0 rc=0 ratio figs
	page=$(sed -n 's/^<!-- check: figures \(.*\) -->$/\1/p' "$readme")
	[ -n "$page" ] && [ -f "$top/$page" ] || { echo "no 'check: figures PAGE' marker naming a file"; return 1; }
	rows=$(awk '/^<!-- check: figures / { on = 1; next }
		    on && /^\|/ { print; next } on { exit }' "$readme" | tail -n +3)
	while IFS='|' read -r _ _ _ ratio figs _; do
		ratio=$(echo "$ratio" | xargs) figs=$(echo "$figs" | xargs)
		n=$((n + 1))
		for f in "$ratio" "$figs"; do
			grep -qF -- "$f" "$top/$page" ||
				{ echo "'$f' is not in $page: update the README's table from the page's run"; rc=1; }
		done
	done <<<"$rows"
	[ $n -ge 3 ] || { echo "the figures table has $n rows"; return 1; }
	return $rc
}

# Targets of the make commands in indented code lines.
make_targets_exist() {
	local t rc=0 targets
	# the words after "make" up to the first VAR=VALUE, option or comment
	targets=$(grep '^    ' "$readme" | sed 's/ && /\n/g' |
		sed -n 's/^ *\(sudo \)\{0,1\}make\( \|$\)//p' |
		awk '{ for (i = 1; i <= NF && $i !~ /[=#&]|^-/; i++) print $i }' | sort -u)
	[ -n "$targets" ] || { echo "no make commands found"; return 1; }
	for t in $targets; do
		grep -qE "^$t:" "$top/Makefile" || { echo "make $t: no such target in the Makefile"; rc=1; }
	done
	return $rc
}

# Every example the README points at exists.
examples_exist() {
	local f rc=0
	for f in $(grep -oE 'user/examples/[a-z_]+\.c|/kipc/tests/examples/[a-z_]+' "$readme" | sort -u); do
		f=${f#/kipc/tests/examples/}
		f=user/examples/${f#user/examples/}
		f=${f%.c}.c
		[ -f "$top/$f" ] || { echo "README.md names $f, which does not exist"; rc=1; }
	done
	return $rc
}

tap_run "README.md's program is user/examples/hello.c" files_match
tap_run "README.md's figures are those Documentation/benchmarks.rst reports" figures_cited
tap_run "README.md's make commands name Makefile targets" make_targets_exist
tap_run "README.md's examples exist" examples_exist
