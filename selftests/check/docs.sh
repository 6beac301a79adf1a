#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# docs.sh: Documentation/ builds as HTML with sphinx-build -W (every warning
# an error), as make docs does, into build/check/docs; any warning output
# fails too. Every .rst page must be in the toctree (sphinx warns
# otherwise). TAP lines.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/check/tap.sh"

out=$top/build/check/docs
if ! command -v sphinx-build >/dev/null; then
	tap_skip "Documentation builds with sphinx-build -W" "python3-sphinx not installed (make deps)"
	exit 0
fi
docs_clean() {
	local warnings
	rm -rf "$out"
	# -q: only warnings and errors are printed, so any output is a finding.
	warnings=$(sphinx-build -W -q -b html "$top/Documentation" "$out" 2>&1) || {
		echo "$warnings"
		return 1
	}
	[ -z "$warnings" ] || { echo "$warnings"; return 1; }
}
tap_run "Documentation builds with sphinx-build -W, no warnings" docs_clean
for page in guide install uapi; do
	if [ -s "$out/$page.html" ]; then
		tap_ok "Documentation/$page.rst is built"
	else
		tap_not_ok "Documentation/$page.rst is built"
	fi
done
# The documentation is for users: no references to the project's internal
# planning documents (the brief, the reliability plan), which users lack.
internal=$(grep -rnE '\bBRIEF\b|RELIABILITY\.md|STYLE\.md' "$top/Documentation" "$top/README.md")
if [ -z "$internal" ]; then
	tap_ok "Documentation/ and README.md cite no internal document (BRIEF, RELIABILITY.md)"
else
	tap_not_ok "Documentation/ and README.md cite no internal document (BRIEF, RELIABILITY.md)"
	echo "$internal" | sed 's/^/#   /'
fi
