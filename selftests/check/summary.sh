#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# summary.sh FILE.tap...: count the TAP lines of every make-check step and end
# with "N passed, N failed" (", N skipped" when any). A step whose file is
# missing or empty counts as a failure: a check that did not run did not pass.
passed=0 failed=0 skipped=0
for f in "$@"; do
	if [ ! -s "$f" ]; then
		echo "not ok - $(basename "$f" .tap): produced no results"
		failed=$((failed + 1))
		continue
	fi
	p=$(grep -c '^ok ' "$f" | tr -d ' ')
	s=$(grep -c '^ok .*# SKIP' "$f" | tr -d ' ')
	n=$(grep -c '^not ok ' "$f" | tr -d ' ')
	passed=$((passed + p - s))
	skipped=$((skipped + s))
	failed=$((failed + n))
done
grep -h '^not ok ' "$@" 2>/dev/null | sed 's/^/FAILED: /'
line="$passed passed, $failed failed"
[ $skipped -gt 0 ] && line+=", $skipped skipped"
echo "$line"
[ $failed -eq 0 ]
