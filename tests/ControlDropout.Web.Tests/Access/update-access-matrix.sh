#!/usr/bin/env bash
# Regenerates Access/access-matrix.csv and README.md's "who may call what" section from what the app
# answers now; review the diff (git diff) before committing it.
set -euo pipefail
cd "$(dirname "$0")/../../.."
UPDATE_ACCESS_MATRIX=1 dotnet test tests/ControlDropout.Web.Tests -c Release --filter "FullyQualifiedName~Access.AccessMatrixTests"
git --no-pager diff --stat -- tests/ControlDropout.Web.Tests/Access/access-matrix.csv README.md
