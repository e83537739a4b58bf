#!/usr/bin/env bash
# Compares the project's min-cost flow solver (matcher/mcf, network simplex) with LEMON's
# dimacs-solver (Debian package liblemon-utils) on the standard NETGEN families, LEMON run with
# both of its integer number types (-int, its default, and -long), and prints a table.
#
# The instances come from the project's own NETGEN (matcher/mcf/internal/gen/netgen.go, written
# from Klingman, Napier and Stutz's 1974 description), with the families' standard parameters
# (costs 1..10,000, capacities 1..1,000, sqrt(n) sources and sinks of 1,000 units each):
#   netgen8-K    NETGEN-8: 2^K nodes, 8 * 2^K arcs
#   netgensr-K   NETGEN-SR: 2^K nodes, 2^K * sqrt(2^K) arcs
#   netgendeg-D  NETGEN-DEG: 4,096 nodes, 64 sources and sinks, average out-degree D
#
# Times are wall-clock milliseconds of the solve alone, file reading excluded: for LEMON,
# "Setup NetworkSimplex class" plus "Run NetworkSimplex" (its CPU times are in 10 ms ticks, too
# coarse for the small instances); for mcf, the Solve call. Each is the best of RUNS runs, LEMON
# and mcf alternated, because the machine is shared: run it on a quiet machine, and say the
# load. The -long answer and mcf's must agree, or the row is flagged; an -int answer that differs
# (32-bit costs overflowing) is marked wrong.
#
# Environment: NETGEN_COMPARE_DIR (work directory, kept; default a new temporary one),
# NETGEN_COMPARE_RUNS (default 5), NETGEN_COMPARE_ONLY (space-separated instance names).
set -euo pipefail

cd "$(dirname "$0")/.."
work=${NETGEN_COMPARE_DIR:-$(mktemp -d)}
runs=${NETGEN_COMPARE_RUNS:-5}
only=${NETGEN_COMPARE_ONLY:-"netgen8-10 netgen8-12 netgen8-14 netgen8-16 netgensr-10 netgensr-11 netgensr-12 netgensr-13 netgendeg-2 netgendeg-8 netgendeg-32 netgendeg-128"}
mkdir -p "$work"

if ! command -v dimacs-solver >/dev/null; then
	echo "dimacs-solver not found: apt-get install -y liblemon-utils" >&2
	exit 1
fi
go build -o "$work/mcfbench" ./matcher/mcf/internal/mcfbench
bench=$work/mcfbench

# gen NAME: writes $work/NAME.min once.
gen() {
	local name=$1 family=${1%-*} k=${1##*-}
	[ -s "$work/$name.min" ] && return
	case $family in
	netgen8 | netgensr) "$bench" gen -family "$family" -n $((1 << k)) -o "$work/$name.min" ;;
	netgendeg) "$bench" gen -family netgendeg -m "$k" -o "$work/$name.min" ;;
	*) echo "unknown instance $name" >&2; exit 1 ;;
	esac
}

# lemon TYPE FILE: prints "OBJECTIVE MS".
lemon() {
	dimacs-solver "$1" "$2" /dev/null 2>&1 | awk '
		/^Setup NetworkSimplex|^Run NetworkSimplex/ { for (i = 1; i <= NF; i++) if ($i == "real:") { v = $(i+1); sub("s$", "", v); t += v } }
		/^Min flow cost:/ { obj = $4 }
		/^Feasible flow: not found/ { obj = "infeasible" }
		END { printf "%s %.1f\n", obj, t * 1000 }'
}

# mcf FILE: prints "OBJECTIVE MS".
mcf() {
	"$bench" solve "$1" | awk '/^objective/ { obj = $2 } /^solve_ms/ { t = $2 } END { print obj, t }'
}

least() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a < b) ? a : b }'; }

for name in $only; do gen "$name"; done

printf "%-14s %7s %9s | %12s %9s | %12s %9s | %9s %7s %7s\n" \
	instance nodes arcs "LEMON -int" "ms" "LEMON -long" "ms" "mcf ms" "/-int" "/-long"
for name in $only; do
	f=$work/$name.min
	read -r _ _ nodes arcs < <(grep -m1 '^p ' "$f")
	iobj="" ims="" lobj="" lms="" mobj="" mms=""
	for _ in $(seq "$runs"); do
		read -r iobj t < <(lemon -int "$f"); ims=$(least "$t" "$ims")
		read -r mobj t < <(mcf "$f"); mms=$(least "$t" "$mms")
		read -r lobj t < <(lemon -long "$f"); lms=$(least "$t" "$lms")
	done
	flag=""
	[ "$lobj" != "$mobj" ] && flag="  OBJECTIVES DIFFER (-long $lobj, mcf $mobj)"
	[ "$iobj" != "$mobj" ] && [ -z "$flag" ] && iobj="$iobj(wrong)"
	printf "%-14s %7s %9s | %12s %9s | %12s %9s | %9s %7s %7s%s\n" "$name" "$nodes" "$arcs" "$iobj" "$ims" "$lobj" "$lms" "$mms" \
		"$(awk -v a="$mms" -v b="$ims" 'BEGIN { printf "%.2f", a / b }')" "$(awk -v a="$mms" -v b="$lms" 'BEGIN { printf "%.2f", a / b }')" "$flag"
done
echo "/-int, /-long: mcf's time over LEMON's (below 1: mcf faster). Work directory: $work"
