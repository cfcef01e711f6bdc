#!/usr/bin/env bash
# Feed benchmark (not part of the test suite): 2,000 staff feeds of 50 events each, read by wrk on
# loopback while approvals are written through the API. Prints the cold-build time and wrk's table.
set -euo pipefail
cd "$(dirname "$0")/../../.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
export Database__Path="$work/bench.db" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
dotnet build src/ControlDropout.Web -c Release -v q -nologo >/dev/null
web=src/ControlDropout.Web/bin/Release/net10.0/ControlDropout.Web.dll
dotnet "$web" bench-seed-feeds --staff "${STAFF:-2000}" --events "${EVENTS:-50}" --out "$work/paths.txt"
dotnet "$web" --urls http://127.0.0.1:5090 >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:5090/health >/dev/null && break; sleep 1; done
# Every feed once first, as calendar apps refreshing hourly keep the per-staff cache warm; the cold
# builds are timed on their own, the steady state is measured below.
started=$(date +%s%N)
xargs -P 4 -I{} curl -s -o /dev/null "http://127.0.0.1:5090{}" <"$work/paths.txt"
echo "cold builds: $(wc -l <"$work/paths.txt") feeds in $(( ($(date +%s%N) - started) / 1000000 )) ms"
BASE_URL=http://127.0.0.1:5090 PASSWORD=ControlDropout-demo-2026 DURATION=30 CHILDREN="$work/paths.txt.children" TERM_FILE="$work/paths.txt.term" \
  node tests/bench/feeds/approvals.mjs &
writer=$!
FEED_PATHS="$work/paths.txt" wrk -t2 -c64 -d30s --latency -s tests/bench/feeds/paths.lua http://127.0.0.1:5090
wait $writer
