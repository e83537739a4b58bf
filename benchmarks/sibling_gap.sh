#!/usr/bin/env bash
# Measures the method for sibling groups planned together (matcher/batch_groups.go) against the
# exact optimum of the integer programme, solved by CBC (Debian package coinor-cbc), on
# generated problems of 50 to 1,000 children (SEEDS seeds each, places for half or all of the
# offers wanted) and on the synthetic West Yorkshire (every suitable placement a candidate).
# Prints each problem's gap on the whole objective and on its quality part, and the worst; the
# test fails if any is above 1% or offers fewer children than the optimum.
#
# Environment: SEEDS (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cbc >/dev/null || { echo "cbc not found: apt-get install -y coinor-cbc" >&2; exit 1; }
PLACEMATCH_MIP_SEEDS=${SEEDS:-5} go test ./matcher -count 1 -timeout 60m -v \
	-run '^(TestSiblingGroupsAgainstMIP|TestSiblingGroupsAgainstMIPOnSynth)$' 2>&1 |
	grep -E 'gap|children=|requests:|^(ok|FAIL|---)'
