#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tap-collect.sh PREFIX < results.txt
#
# Turn the framed kselftest output of one VM run into flat TAP lines
# "ok - PREFIX: program: case" on stdout. A program that exits non-zero
# without reporting a failed case, or that reports fewer cases than its plan,
# becomes a failure of its own, so a crash can never pass silently.
prefix=$1
awk -v prefix="$prefix" '
function close_prog(rc) {
	if (plan != "" && seen < plan)
		printf "not ok - %s: %s: ran %d of %d planned cases\n", prefix, prog, seen, plan
	if (rc != 0 && failed == 0)
		printf "not ok - %s: %s: exited %d\n", prefix, prog, rc
	if (plan == "" && seen == 0 && rc == 0)
		printf "not ok - %s: %s: printed no TAP\n", prefix, prog
	prog = ""
}
/^KIPC-BEGIN / { prog = $2; plan = ""; seen = 0; failed = 0; run = ""; next }
/^KIPC-END / {
	rc = $3; sub(/^rc=/, "", rc)
	close_prog(rc + 0)
	next
}
prog != "" && /^1\.\.[0-9]+/ { plan = substr($1, 4) + 0; next }
# The 6.1 harness names a test on its "#  RUN" line but not on a SKIP result.
prog != "" && /^# +RUN +/ { run = $3; next }
prog != "" && /^(not )?ok [0-9]+ / {
	line = $0
	notok = (line ~ /^not ok/)
	sub(/^(not )?ok [0-9]+ /, "", line)
	seen++
	if (line ~ /# *SKIP/) {
		sub(/ *# *SKIP.*/, "", line)
		if (line == "")
			line = run
		printf "ok - %s: %s: %s # SKIP\n", prefix, prog, line
	} else if (notok) {
		failed++
		printf "not ok - %s: %s: %s\n", prefix, prog, line
	} else {
		printf "ok - %s: %s: %s\n", prefix, prog, line
	}
	next
}
END { if (prog != "") { printf "not ok - %s: %s: output cut off\n", prefix, prog } }
'
