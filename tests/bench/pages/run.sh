#!/usr/bin/env bash
# Page benchmark (not part of the test suite): the demo county, each role's heaviest page read by
# wrk on loopback with a signed-in cookie. Prints one wrk summary per page.
set -euo pipefail
cd "$(dirname "$0")/../../.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT
export Database__Path="$work/bench.db" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
dotnet build src/ControlDropout.Web -c Release -v q -nologo >/dev/null
web=src/ControlDropout.Web/bin/Release/net10.0/ControlDropout.Web.dll
base=http://127.0.0.1:5091
(cd src/ControlDropout.Web && exec dotnet "../../$web" --urls $base --demo >"$work/server.log" 2>&1) &
server=$!
for _ in $(seq 1 90); do curl -sf $base/health >/dev/null && break; sleep 1; done

# Signs in through the page form (token and all) and prints the session cookie.
cookie() {
  local jar="$work/$1.jar" token
  token=$(curl -s -c "$jar" $base/login | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | sed 's/.*value="//;s/"$//')
  curl -s -b "$jar" -c "$jar" -o /dev/null -X POST $base/login --data-urlencode "UserName=$1" \
    --data-urlencode "Password=ControlDropout-demo-2026" --data-urlencode "__RequestVerificationToken=$token"
  awk '$6 == "cd.session" { print "cd.session=" $7 }' "$jar"
}

for page in teacher:/my/week approver:/approve approver:/timetable coordinator:/children auditor:/inspect; do
  role=${page%%:*} path=${page#*:}
  echo "== $role $path"
  session=$(cookie "$role")
  [ -n "$session" ] || { echo "could not sign in as $role" >&2; exit 1; }
  # A redirect to the sign-in page would be fast and wrong: every answer must be a 200.
  [ "$(curl -s -o /dev/null -w "%{http_code}" -H "Cookie: $session" "$base$path")" = 200 ] || { echo "$path did not answer 200" >&2; exit 1; }
  wrk -t2 -c16 -d${DURATION:-15}s --latency -H "Cookie: $session" "$base$path" | grep -E "Latency|Requests/sec|50%|99%|Non-2xx"
done
ps -o rss= -p "$(pgrep -f "ControlDropout.Web.dll --urls $base" | head -1)" | awk '{ printf "server RSS after the run: %d MB\n", $1 / 1024 }'
