#!/usr/bin/env bash
# Times the project's min-cost flow solver against LEMON's dimacs-solver (Debian package
# liblemon-utils) on the final flow of the batch benchmark: the joint match of the synthetic
# England's 10,000 children waiting against 100,000 placements (benchmarks.BatchWorld), exported
# in DIMACS format by benchmarks/internal/batchexport. Both must find the same optimum, which
# must be the match's objective.
#
# Times are wall-clock milliseconds for the solve alone (file reading excluded), best of RUNS:
# for LEMON, "Setup NetworkSimplex class" plus "Run NetworkSimplex" (dimacs-solver -long: the
# costs need 64 bits); for mcf, the Solve call (matcher/mcf/internal/mcfbench).
#
# Environment: BATCH_COMPARE_DIR (work directory, kept; default a new temporary one),
# BATCH_COMPARE_RUNS (default 3), BATCH_WAITING (default 10000), BATCH_PLACEMENTS (100000).
set -euo pipefail

cd "$(dirname "$0")/.."
work=${BATCH_COMPARE_DIR:-$(mktemp -d)}
runs=${BATCH_COMPARE_RUNS:-3}
waiting=${BATCH_WAITING:-10000}
placements=${BATCH_PLACEMENTS:-100000}
mkdir -p "$work"
command -v dimacs-solver >/dev/null || { echo "dimacs-solver not found: apt-get install -y liblemon-utils" >&2; exit 1; }

go build -o "$work/batchexport" ./benchmarks/internal/batchexport
go build -o "$work/mcfbench" ./matcher/mcf/internal/mcfbench
file=$work/batch-$waiting-$placements.dimacs
"$work/batchexport" -waiting "$waiting" -placements "$placements" -o "$file" | tee "$work/match.txt"
want=$(awk '/^objective/ { print $2 }' "$work/match.txt")
read -r _ _ nodes arcs < <(grep -m1 '^p ' "$file")

lemon() {
	dimacs-solver -long "$file" /dev/null 2>&1 | awk '
		/^Setup NetworkSimplex|^Run NetworkSimplex/ { for (i = 1; i <= NF; i++) if ($i == "real:") { sub("s$", "", $(i+1)); t += $(i+1) } }
		/^Min flow cost:/ { obj = $4 }
		END { printf "%s %.1f\n", obj, t * 1000 }'
}
mcf() {
	"$work/mcfbench" solve "$file" | awk '/^objective/ { obj = $2 } /^solve_ms/ { t = $2 } END { print obj, t }'
}
best() {
	local obj="" ms="" o t
	for _ in $(seq "$runs"); do
		read -r o t < <("$@")
		obj=$o
		if [ -z "$ms" ] || awk -v a="$t" -v b="$ms" 'BEGIN { exit !(a < b) }'; then ms=$t; fi
	done
	echo "$obj $ms"
}
read -r lobj lms < <(best lemon)
read -r mobj mms < <(best mcf)
printf "%-28s %8s %9s | %16s %9s | %16s %9s %6s\n" instance nodes arcs LEMON ms mcf ms ratio
ratio=$(awk -v a="$mms" -v b="$lms" 'BEGIN { printf "%.2f", a / b }')
printf "%-28s %8s %9s | %16s %9s | %16s %9s %6s\n" "batch $waiting x $placements" "$nodes" "$arcs" "$lobj" "$lms" "$mobj" "$mms" "$ratio"
if [ "$lobj" != "$want" ] || [ "$mobj" != "$want" ]; then
	echo "OBJECTIVES DIFFER: match $want, LEMON $lobj, mcf $mobj" >&2
	exit 1
fi
echo "same optimum as the match's objective ($want). ratio: mcf time / LEMON time. Work directory: $work"
