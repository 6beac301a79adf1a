#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# side-by-side.sh DIR...: the runs in DIR... (results/ directories of
# run-bench.sh, one per kernel) next to each other: every mechanism's mean
# round trip and one-way messages/s at 64 B (means over the repeats), then
# every target's verdict and ratio, one column per run. make bench-all
# prints it after running the table on each kernel of KVERS.
set -u
[ $# -ge 1 ] || { echo "usage: side-by-side.sh DIR..." >&2; exit 2; }
for d in "$@"; do
	[ -f "$d/results.csv" ] && [ -f "$d/targets.csv" ] && [ -f "$d/table.txt" ] ||
		{ echo "side-by-side: $d lacks results.csv, targets.csv or table.txt" >&2; exit 1; }
done

# The kernel of a run, from the first line of its table.
kernel() {
	sed -n '1s/.*: kernel \([^,]*\),.*/\1/p' "$1/table.txt"
}

# figures DIR: "title<TAB>round-trip us<TAB>one-way msgs/s" per mechanism at
# 64 B, in table order; means over the repeats; "-" where not measured.
figures() {
	awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["msg_size"] != 64 || $col["status"] != "ok" { next }
	{
		t = $col["title"]
		if (!(t in seen)) { seen[t] = 1; order[++n] = t }
	}
	$col["section"] == "latency" { rt[t] += $col["mean_ns"]; nrt[t]++ }
	$col["section"] == "throughput" { ow[t] += $col["msgs_per_s"]; now[t]++ }
	END {
		for (i = 1; i <= n; i++) {
			t = order[i]
			a = nrt[t] ? sprintf("%.2f", rt[t] / nrt[t] / 1000) : "-"
			b = now[t] ? sprintf("%.0fk", ow[t] / now[t] / 1000) : "-"
			printf "%s\t%s\t%s\n", t, a, b
		}
	}' "$1/results.csv"
}

# targets DIR: "target<TAB>verdict ratio (met in k of n)" per target.
targets() {
	awk -F, 'NR > 1 {
		r = $3 == "" ? "" : sprintf(" %.3fx", $3)
		printf "%s\t%s%s (%s of %s)\n", $1, $2, r, $4, $5
	}' "$1/targets.csv"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
header="mechanism, 64 B"
theader="target"
i=0
for d in "$@"; do
	i=$((i + 1))
	figures "$d" >"$tmp/f$i"
	targets "$d" >"$tmp/t$i"
	header+=$'\t'"rt us ($(kernel "$d"))"$'\t'"one-way ($(kernel "$d"))"
	theader+=$'\t'"$(kernel "$d")"
done

# Join on the first column, keeping the first run's order.
join_runs() {
	local prefix=$1 n=$2
	awk -F'\t' -v n="$n" -v prefix="$prefix" '
	BEGIN { OFS = "\t" }
	FNR == 1 { file++ }
	{
		k = $1
		if (!(k in seen)) { seen[k] = 1; order[++rows] = k }
		v = $2; for (i = 3; i <= NF; i++) v = v OFS $i
		val[k, file] = v
	}
	END {
		for (r = 1; r <= rows; r++) {
			k = order[r]; line = k
			for (f = 1; f <= n; f++) {
				v = ((k, f) in val) ? val[k, f] : "-"
				line = line OFS v
			}
			print line
		}
	}' $(for j in $(seq 1 "$n"); do echo "$tmp/$prefix$j"; done)
}

{
	echo "$header"
	join_runs f $#
} | column -t -s $'\t'
echo
{
	echo "$theader"
	join_runs t $#
} | column -t -s $'\t'
