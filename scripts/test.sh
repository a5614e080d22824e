#!/usr/bin/env bash
# Runs every test of Switchboard on a fresh Debian 12 machine with the .NET 10 SDK:
# installs what the tests need from Debian packages, starts the throwaway servers they use on 127.0.0.1,
# builds the solution, runs each test project, and ends with one line: "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK="${SB_TEST_WORK:-$ROOT/.work/test}"
RESULTS="$WORK/results"
rm -rf "$RESULTS"
mkdir -p "$WORK" "$RESULTS"

log() { printf '== %s\n' "$*" >&2; }

# --- System packages the tests use (installed only when missing) ---------------------------------------
source "$ROOT/scripts/lib/services.sh"
ensure_packages

# --- Servers the integration tests use (throwaway, loopback only, stopped on exit) -----------------------
cleanup() { stop_services; }
trap cleanup EXIT
export SWITCHBOARD_TEST_REQUIRE_SERVICES=1
start_services "$WORK"

# --- Build once, then run each test project --------------------------------------------------------------
log "dotnet build"
if ! dotnet build Switchboard.slnx -c Debug -nologo -v quiet > "$WORK/build.log" 2>&1; then
  grep -E 'error|Error' "$WORK/build.log" | sort -u | head -n 40 >&2
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
for project in tests/*/; do
  name=$(basename "$project")
  [ -f "$project/$name.csproj" ] || continue
  log "dotnet test $name"
  timeout 1200 dotnet test --project "$project" --no-build -c Debug --results-directory "$RESULTS" \
    -- --report-xunit-trx --report-xunit-trx-filename "$name.trx" || status=1
done

# --- The packages: pack into a local folder, install the tool from it, run it, use the library (writes packages.trx) ---
SB_PACKAGES_WORK="$WORK/packages" timeout 600 bash "$ROOT/scripts/packages.sh" "$RESULTS" || status=1

# --- Soak (issue 21): saturation on one core for 150 s; its result is one test in a TRX of its own ----------------------
log "scripts/soak.sh"
timeout 420 "$ROOT/scripts/soak.sh" "$RESULTS/soak.trx" || status=1

# --- The plain summary, computed from the TRX reports (one per test project, plus the packages' and the soak's) -------
python3 "$ROOT/scripts/lib/trx_summary.py" "$RESULTS" "$(( $(ls tests | wc -l) + 2 ))"
summary_status=$?
[ $summary_status -ne 0 ] && status=1
exit $status
