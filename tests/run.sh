#!/usr/bin/env bash
# The README's test command: builds and runs every test project, then prints one plain closing line
# ("N passed, N failed") that CI reads. Installs whatever the tests need that a fresh machine lacks.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The page tests drive Debian's Chromium (Playwright's own browser download cannot work here) and
# need a CJK font, or every Chinese character in the screenshots is an empty box.
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-cjk fontconfig >/dev/null
fi

# The feed tests read every feed with Mozilla's ical.js, as Thunderbird would.
(cd tests/feeds-js && npm ci --no-audit --no-fund --loglevel=error)

log=$(mktemp)
pg_dir=$(mktemp -d)
# Every app instance the tests start appends its log lines here (JSON, Information and up); LogsTests lists
# every seeded personal value here; at the end neither may meet (issue 16: no personal data in logs).
export Logging__File__Path=$(mktemp) CONTROLDROPOUT_TEST_PERSONAL_VALUES=$(mktemp)
cleanup() {
  bash tests/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || true
  rm -f "$log" "$Logging__File__Path" "$CONTROLDROPOUT_TEST_PERSONAL_VALUES"
}
trap cleanup EXIT
set +e
dotnet test ControlDropout.sln -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# The second pass: the service's integration tests again, on PostgreSQL. A server is given with
# CONTROLDROPOUT_TEST_POSTGRES (a connection string without a database); otherwise a throwaway one of
# our own (Debian's postgresql: initdb + pg_ctl on a local port), stopped at the end.
if [ -z "${CONTROLDROPOUT_TEST_POSTGRES:-}" ]; then
  CONTROLDROPOUT_TEST_POSTGRES=$(bash tests/postgres.sh start "$pg_dir" "${CONTROLDROPOUT_TEST_POSTGRES_PORT:-55432}")
fi
export CONTROLDROPOUT_TEST_POSTGRES
echo "--- the service's tests on PostgreSQL ---"
set +e
dotnet test tests/ControlDropout.Web.Tests -c Release --no-build --filter "Provider!=SqliteOnly" 2>&1 | tee -a "$log"
pg_status=${PIPESTATUS[0]}
set -e
if [ "$pg_status" -ne 0 ]; then status=$pg_status; fi

# The log grep: no seeded child's name, number or guardian phone in any line the service logged.
if [ ! -s "$CONTROLDROPOUT_TEST_PERSONAL_VALUES" ] || [ ! -s "$Logging__File__Path" ]; then
  echo "log grep: no personal values listed or no service log written" >&2
  status=1
elif grep -n -F -f "$CONTROLDROPOUT_TEST_PERSONAL_VALUES" "$Logging__File__Path" | cut -c1-300 | head -20 | grep .; then
  echo "log grep: personal data in the service's log (lines above)" >&2
  status=1
else
  echo "log grep: $(wc -l < "$Logging__File__Path") log lines, $(wc -l < "$CONTROLDROPOUT_TEST_PERSONAL_VALUES") personal values, none found"
fi

# dotnet test prints one summary per test project and pass: "Passed!  - Failed: 0, Passed: 62, Skipped: 0, ..."
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
projects=$(grep -Ec '(Passed|Failed)! +-' "$log" || true)
if [ "$status" -eq 0 ] && [ "$projects" -lt 4 ]; then
  echo "expected a result from every test project and from the PostgreSQL pass, got $projects" >&2
  status=1
fi
echo "tests: $passed passed, $failed failed"
exit "$status"
