#!/usr/bin/env bash
# Compares the project's min-cost flow solver (matcher/mcf: network simplex, and the
# successive-shortest-path cross-check in matcher/mcf/internal/ssp) with LEMON's
# dimacs-solver (Debian package liblemon-utils) on the same DIMACS files, and prints a table
# of objectives and times.
#
# Instances (generated deterministically by matcher/mcf/internal/mcfbench):
#   batch          10,000 children x 100,000 placements, 20 candidate arcs per child (costs
#                  0..1000), 2 units per child, ~15,000 vacancies (1-3 per vacant placement),
#                  a no-offer arc per child costing 100,000; full placements are isolated nodes
#   batch-compact  the same without the isolated nodes
#   sparse         100,000 nodes, 1,000,000 random arcs (NETGEN-like, see gen.Sparse)
#   assign1000     planted assignment, n=1000, dense (1,000,000 arcs); optimum known
#   assign5000     planted assignment, n=5000, 200 arcs per row (1,000,000 arcs); optimum known
#
# Times are wall-clock milliseconds for the solve alone (file reading excluded): for LEMON,
# "Setup NetworkSimplex class" plus "Run NetworkSimplex"; for mcf, the Solve call. Each is the
# best of RUNS runs, because the machine is shared. SSP runs once, with a time limit.
#
# Environment: MCF_COMPARE_DIR (work directory, kept; default a new temporary one),
# MCF_COMPARE_RUNS (default 3), MCF_COMPARE_SSP_LIMIT (seconds, default 120; 0 skips SSP),
# MCF_COMPARE_ONLY (space-separated instance names to run).
set -euo pipefail

cd "$(dirname "$0")/.."
work=${MCF_COMPARE_DIR:-$(mktemp -d)}
runs=${MCF_COMPARE_RUNS:-3}
ssp_limit=${MCF_COMPARE_SSP_LIMIT:-120}
only=${MCF_COMPARE_ONLY:-batch batch-compact sparse assign1000 assign5000}
mkdir -p "$work"

if ! command -v dimacs-solver >/dev/null; then
	echo "dimacs-solver not found: apt-get install -y liblemon-utils" >&2
	exit 1
fi
go build -o "$work/mcfbench" ./matcher/mcf/internal/mcfbench
bench=$work/mcfbench

# gen NAME ARGS...: writes $work/NAME.dimacs once, and the planted optimum if there is one.
gen() {
	local name=$1
	shift
	if [ ! -s "$work/$name.dimacs" ]; then
		"$bench" gen "$@" -o "$work/$name.dimacs" 2>"$work/$name.meta"
	fi
}

# lemon FILE: prints "OBJECTIVE MS".
lemon() {
	dimacs-solver "$1" /dev/null 2>&1 | awk '
		/^Setup NetworkSimplex|^Run NetworkSimplex/ { for (i = 1; i <= NF; i++) if ($i == "real:") { sub("s$", "", $(i+1)); t += $(i+1) } }
		/^Min flow cost:/ { obj = $4 }
		/^Feasible flow: not found/ { obj = "infeasible" }
		END { printf "%s %.1f\n", obj, t * 1000 }'
}

# mcf ALGO FILE [LIMIT]: prints "OBJECTIVE MS".
mcf() {
	local out
	if [ -n "${3:-}" ]; then
		if ! out=$(timeout "$3" "$bench" solve -algo "$1" "$2" 2>&1); then
			echo "- >${3}000"
			return
		fi
	else
		out=$("$bench" solve -algo "$1" "$2")
	fi
	awk '/^objective/ { obj = $2 } /^solve_ms/ { t = $2 } END { print obj, t }' <<<"$out"
}

# best CMD...: runs CMD $runs times, prints the objective and the least time.
best() {
	local obj="" ms="" o t
	for _ in $(seq "$runs"); do
		read -r o t < <("$@")
		obj=$o
		if [ -z "$ms" ] || awk -v a="$t" -v b="$ms" 'BEGIN { exit !(a < b) }'; then ms=$t; fi
	done
	echo "$obj $ms"
}

for name in $only; do
	case $name in
	batch) gen batch -family batch -n 10000 -m 100000 -k 20 ;;
	batch-compact) gen batch-compact -family batch -n 10000 -m 100000 -k 20 -compact ;;
	sparse) gen sparse -family sparse -n 100000 -m 1000000 ;;
	assign1000) gen assign1000 -family assign -n 1000 -m 1000 ;;
	assign5000) gen assign5000 -family assign -n 5000 -m 200 ;;
	*) echo "unknown instance $name" >&2; exit 1 ;;
	esac
done

printf "%-14s %8s %9s %12s | %12s %10s | %12s %10s %7s | %12s %10s\n" \
	instance nodes arcs known LEMON ms mcf ms ratio ssp ms
for name in $only; do
	f=$work/$name.dimacs
	read -r _ _ nodes arcs < <(grep -m1 '^p ' "$f")
	known=$(awk '/planted optimum/ { print $3 }' "$work/$name.meta")
	read -r lobj lms < <(best lemon "$f")
	read -r mobj mms < <(best mcf simplex "$f")
	if [ "$ssp_limit" -gt 0 ]; then
		read -r sobj sms < <(mcf ssp "$f" "$ssp_limit")
	else
		sobj=- sms=-
	fi
	ratio=$(awk -v a="$mms" -v b="$lms" 'BEGIN { printf "%.2f", a / b }')
	flag=""
	if [ "$lobj" != "$mobj" ] || { [ "$sobj" != - ] && [ "$sobj" != "$mobj" ]; } || { [ -n "$known" ] && [ "$known" != "$mobj" ]; }; then
		flag="  OBJECTIVES DIFFER"
	fi
	printf "%-14s %8s %9s %12s | %12s %10s | %12s %10s %7s | %12s %10s%s\n" \
		"$name" "$nodes" "$arcs" "${known:--}" "$lobj" "$lms" "$mobj" "$mms" "$ratio" "$sobj" "$sms" "$flag"
done
echo "ratio: mcf time / LEMON time (below 1: mcf faster). Work directory: $work"
