#!/usr/bin/env bash
# Soak test: drives the options, offers and report endpoints together on loopback with wrk for a
# bounded time, and reports throughput, latency percentiles, errors and the server's memory at
# the start and the end. Targets (issue 7): no errors, no memory growth beyond the snapshot.
#
# The mix, per 10 requests: 5 options searches (POST /v1/children/{id}/options) for waiting
# children in turn, 2 reads of an offer (GET /v1/offers/{id}), 1 list of offers, 1 list of
# children, 1 sufficiency report (GET /v1/sufficiency, when the server has it). Offers are made
# first, through the API, for the first waiting children.
#
# Environment: SOAK_SCALE (seed scale; default demo), SOAK_SECONDS (default 60),
# SOAK_CONNECTIONS (default 16), SOAK_THREADS (default 2), SOAK_OFFERS (default 100),
# SOAK_DIR (work directory, kept; default a new temporary one), SOAK_PORT (default 18282),
# DATABASE_URL (serve from PostgreSQL instead of the embedded store).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
scale=${SOAK_SCALE:-demo}
secs=${SOAK_SECONDS:-60}
conns=${SOAK_CONNECTIONS:-16}
threads=${SOAK_THREADS:-2}
offers=${SOAK_OFFERS:-100}
port=${SOAK_PORT:-18282}
work=${SOAK_DIR:-$(mktemp -d)}
mkdir -p "$work"
base="http://127.0.0.1:$port"

go build -o "$work/placematch" ./cmd/placematch
db="$work/soak.db"
rm -f "$db" "$db-wal" "$db-shm"
"$work/placematch" seed --db "$db" --scale "$scale" --force >"$work/seed.out" 2>/dev/null
admin=$(awk '$1 == "admin" { print $2; exit }' "$work/seed.out")
[ -n "$admin" ] || { echo "no admin token in the seed output" >&2; exit 1; }

PLACEMATCH_LOG_LEVEL=warn "$work/placematch" serve --db "$db" --addr "127.0.0.1:$port" --demo=false \
  >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
auth=(-H "Authorization: Bearer $admin" -H "Content-Type: application/json")

ids=$(curl -fsS "${auth[@]}" "$base/v1/children?status=waiting&limit=500" | grep -o '"id":[0-9]*' | cut -d: -f2)
n=0
offer_ids=""
for c in $ids; do
  [ "$n" -ge "$offers" ] && break
  o=$(curl -sS "${auth[@]}" -X POST "$base/v1/children/$c/offers" -d '{}' | grep -o '^{"id":[0-9]*' | cut -d: -f2 || true)
  if [ -n "$o" ]; then offer_ids="$offer_ids$o,"; n=$((n + 1)); fi
done
offer_ids=${offer_ids%,}
[ -n "$offer_ids" ] || { echo "no offer could be made" >&2; exit 1; }
report=0
if curl -fsS -o /dev/null "${auth[@]}" "$base/v1/sufficiency" 2>/dev/null; then report=1; fi

cat >"$work/soak.lua" <<LUA
local children = { $(echo $ids | tr ' ' ',') }
local offers = { $offer_ids }
local report = $report
local i = 0
wrk.headers["Authorization"] = "Bearer $admin"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i + 1
  local k = i % 10
  if k < 5 then
    return wrk.format("POST", "/v1/children/" .. children[(i % #children) + 1] .. "/options", nil, "{}")
  elseif k < 7 then
    return wrk.format("GET", "/v1/offers/" .. offers[(i % #offers) + 1])
  elseif k == 7 then
    return wrk.format("GET", "/v1/offers?limit=50")
  elseif k == 8 or report == 0 then
    return wrk.format("GET", "/v1/children?status=waiting&limit=50")
  end
  return wrk.format("GET", "/v1/sufficiency")
end
done = function(summary, latency, requests)
  io.write(string.format("soak: %.0f requests/s, p50 %.2f ms, p99 %.2f ms, max %.0f ms, non-2xx %d, socket errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
rss() { awk '/VmRSS/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$pid/status"; }
echo "catalogue: $scale; $(echo "$ids" | wc -w) waiting children, $n offers, sufficiency report: $([ $report = 1 ] && echo yes || echo no)"
echo "server RSS at the start: $(rss)"
wrk -t"$threads" -c"$conns" -d"${secs}s" --latency -s "$work/soak.lua" "$base" | tee "$work/wrk.out"
echo "server RSS at the end: $(rss)"
if grep -q '"level":"ERROR"' "$work/serve.err"; then
  echo "soak: the server logged errors:" >&2
  grep '"level":"ERROR"' "$work/serve.err" | head -5 >&2
  exit 1
fi
grep -q "non-2xx 0, socket errors 0" "$work/wrk.out" || { echo "soak: some requests failed" >&2; exit 1; }
