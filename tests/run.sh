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
trap 'rm -f "$log"' EXIT
set +e
dotnet test ControlDropout.sln -c Release 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# dotnet test prints one summary per test project: "Passed!  - Failed: 0, Passed: 62, Skipped: 0, ..."
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
projects=$(grep -Ec '(Passed|Failed)! +-' "$log" || true)
if [ "$status" -eq 0 ] && [ "$projects" -eq 0 ]; then
  echo "no test project reported a result" >&2
  status=1
fi
echo "tests: $passed passed, $failed failed"
exit "$status"
