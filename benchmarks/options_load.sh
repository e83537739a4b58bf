#!/usr/bin/env bash
# Loopback HTTP load on POST /v1/children/{id}/options with wrk (Debian package wrk): builds
# the binary, seeds a synthetic England into a fresh embedded store, serves it on loopback and
# drives options requests for every waiting child in turn, as an admin. Prints wrk's report
# (requests/s, latency percentiles, errors) and the server's resident memory before and after.
#
# Target (DESIGN.md section 8): 2,000 requests/s or more, p99 under 20 ms.
#
# Environment: LOAD_SCALE (seed scale: national, demo or a fraction; default national),
# LOAD_SECONDS (default 30), LOAD_CONNECTIONS (default 32), LOAD_THREADS (default 2),
# LOAD_DIR (work directory, kept; default a new temporary one), LOAD_PORT (default 18181),
# LOAD_DATABASE_URL (a PostgreSQL database to seed and serve instead of the embedded store; it
# must be empty).
#
# Besides wrk's figures it prints the server's CPU time per request (user and system, from
# /proc), which holds steadier than throughput when other work shares the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
scale=${LOAD_SCALE:-national}
secs=${LOAD_SECONDS:-30}
conns=${LOAD_CONNECTIONS:-32}
threads=${LOAD_THREADS:-2}
port=${LOAD_PORT:-18181}
work=${LOAD_DIR:-$(mktemp -d)}
mkdir -p "$work"

go build -o "$work/placematch" ./cmd/placematch
db="$work/load.db"
if [ -n "${LOAD_DATABASE_URL:-}" ]; then
  export DATABASE_URL=$LOAD_DATABASE_URL
else
  rm -f "$db" "$db-wal" "$db-shm"
fi
"$work/placematch" seed --db "$db" --scale "$scale" --tokens=true >"$work/seed.out" 2>/dev/null
admin=$(awk '$1 == "admin" { print $2; exit }' "$work/seed.out")
[ -n "$admin" ] || { echo "no admin token in the seed output" >&2; cat "$work/seed.out" >&2; exit 1; }

PLACEMATCH_LOG_LEVEL=error "$work/placematch" serve --db "$db" --addr "127.0.0.1:$port" --demo=false \
  >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done

# The IDs of waiting children, from the API itself.
ids=$(curl -fsS -H "Authorization: Bearer $admin" "http://127.0.0.1:$port/v1/children?status=waiting&limit=500" |
  grep -o '"id":[0-9]*' | cut -d: -f2 | tr '\n' ',' | sed 's/,$//')
cat >"$work/options.lua" <<LUA
local ids = { $ids }
local i = 0
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $admin"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i + 1
  return wrk.format(nil, "/v1/children/" .. ids[(i % #ids) + 1] .. "/options", nil, "{}")
end
done = function(summary, latency, requests)
  io.write(string.format("requests/s %.0f, p50 %.2f ms, p99 %.2f ms, non-2xx %d, socket errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
rss() { awk '/VmRSS/ { print $2 / 1024 " MiB" }' "/proc/$pid/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
# The server computes the sufficiency report once at start (about 10 s of CPU at national
# scale): wait until it is idle (under a tenth of a core for a second) before measuring.
for _ in $(seq 1 120); do
  t0=$(cpu_ticks); sleep 1; t1=$(cpu_ticks)
  [ $((t1 - t0)) -lt $(($(getconf CLK_TCK) / 10)) ] && break
done
echo "catalogue: $scale; $(echo "$ids" | tr ',' '\n' | wc -l) waiting children cycled; server RSS before: $(rss)"
before=$(cpu_ticks)
wrk -t"$threads" -c"$conns" -d"${secs}s" --latency -s "$work/options.lua" "http://127.0.0.1:$port" | tee "$work/wrk.out"
after=$(cpu_ticks)
requests=$(awk '/requests in/ { print $1 }' "$work/wrk.out")
echo "server RSS after: $(rss)"
awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
  'BEGIN { printf "server CPU: %.1f s for %d requests, %.0f µs a request\n", t / hz, n, 1e6 * t / hz / n }'
