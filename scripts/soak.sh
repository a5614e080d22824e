#!/usr/bin/env bash
# Soak test (issue 21): the default configuration (switchboard serve with its built-in emulator, SQLite ledger, a master
# key) alone on one core at saturation (wrk, 64 connections, on the other core) for SOAK_SECONDS (default 150). Fails on
# any timeout or non-2xx answer, a fresh request over 2 s right after the load, a peak RSS over 1 GiB, or any answered
# request missing from the ledger once drained. Loopback only; stops by itself (about 4 minutes with the build).
# Usage: scripts/soak.sh [TRX_FILE]   (TRX_FILE: a one-test TRX report for scripts/lib/trx_summary.py)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK="${SOAK_WORK:-$ROOT/.work/soak}"
SECONDS_LOAD="${SOAK_SECONDS:-150}"
CONNECTIONS="${SOAK_CONNECTIONS:-64}"
TRX="${1:-}"
rm -rf "$WORK"; mkdir -p "$WORK/run" "$WORK/ids"
source "$ROOT/scripts/lib/services.sh"
source "$ROOT/scripts/lib/bench_lib.sh"
ulimit -n 65536 2>/dev/null || true
FAILURES=()
fail() { FAILURES+=("$*"); log "FAIL: $*"; }

write_trx() { # write_trx OUTCOME MESSAGE
  [ -n "$TRX" ] || return 0
  mkdir -p "$(dirname "$TRX")"
  python3 - "$TRX" "$1" "$2" "$SECONDS" <<'PY'
import sys, xml.sax.saxutils as x
path, outcome, message, secs = sys.argv[1:5]
h, m, s = int(secs) // 3600, int(secs) // 60 % 60, int(secs) % 60
open(path, "w").write(f'''<?xml version="1.0" encoding="utf-8"?>
<TestRun id="00000000-0000-0000-0000-000000000021" name="soak" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <Results>
    <UnitTestResult testId="00000000-0000-0000-0000-000000000022" testName="scripts/soak.sh" outcome="{outcome}" duration="{h:02}:{m:02}:{s:02}">
      <Output><StdOut>{x.escape(message)}</StdOut></Output>
    </UnitTestResult>
  </Results>
</TestRun>
''')
PY
}
finish() {
  bench_stop_all
  if [ ${#FAILURES[@]} -eq 0 ] && [ -n "${SUMMARY:-}" ]; then
    write_trx Passed "$SUMMARY"; log "soak passed"
  else
    [ -n "${SUMMARY:-}" ] || FAILURES+=("the soak did not complete")
    write_trx Failed "$(printf '%s; ' "${FAILURES[@]}") ${SUMMARY:-}"; log "soak failed"
  fi
}
trap finish EXIT

if ! command -v wrk >/dev/null; then
  log "apt-get install wrk"
  sudo=""; [ "$(id -u)" != 0 ] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null 2>&1 || { fail "wrk is required (Debian package wrk)"; exit 1; }
fi

log "dotnet build src/Switchboard.Cli -c Release"
if ! dotnet build src/Switchboard.Cli -c Release -nologo -v quiet > "$WORK/build.log" 2>&1; then
  grep -E 'error' "$WORK/build.log" | sort -u | head -n 20 >&2; fail "build failed"; exit 1
fi
CLI="$ROOT/src/Switchboard.Cli/bin/Release/net10.0/Switchboard.Cli.dll"

# --- The gateway, default configuration, alone on core 1 ---------------------------------------------------------------
GW=$(free_port)
MASTER="soak-master-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
echo "{ \"Switchboard\": { \"Auth\": { \"MasterKey\": \"$MASTER\" } } }" > "$WORK/run/switchboard.json"
(cd "$WORK/run" && exec env -u OPENAI_API_KEY -u ANTHROPIC_API_KEY -u GEMINI_API_KEY -u OPENAI_BASE_URL \
  taskset -c 1 dotnet "$CLI" serve --urls "http://127.0.0.1:$GW" --config "$WORK/run/switchboard.json") > "$WORK/gateway.log" 2>&1 &
GW_PID=$!; echo "$GW_PID" > "$WORK/gateway.pid"; BENCH_PIDS+=("$GW_PID")
wait_port "$GW" 60 || { fail "gateway did not start: $(tail -n 5 "$WORK/gateway.log")"; exit 1; }
BODY='{"model":"auto","messages":[{"role":"user","content":"Say hello"}]}'
first=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 10 -X POST "http://127.0.0.1:$GW/v1/chat/completions" \
  -H "authorization: Bearer $MASTER" -H 'content-type: application/json' -d "$BODY")
log "first request after start: $first"
[ "${first%% *}" = 200 ] || { fail "first request answered ${first%% *}: $(tail -n 5 "$WORK/gateway.log")"; exit 1; }

# --- Saturation: wrk on core 0, the ledger backlog and RSS sampled meanwhile --------------------------------------------
pending() { curl -s --max-time 2 "http://127.0.0.1:$GW/metrics" | awk '/^switchboard_ledger_pending[ {]/ { v = $NF } END { print (v == "" ? -1 : v) }'; }
(
  peak=0
  while kill -0 "$GW_PID" 2>/dev/null; do
    p=$(pending); p=${p%.*}
    [ "${p:--1}" -gt "$peak" ] 2>/dev/null && peak=$p
    echo "$peak" > "$WORK/backlog-peak"
    sleep 2
  done
) &
SAMPLER=$!; BENCH_PIDS+=("$SAMPLER")
log "load: $CONNECTIONS connections for ${SECONDS_LOAD}s (gateway :$GW on core 1, wrk on core 0)"
SOAK_BODY="$BODY" SOAK_KEY="$MASTER" SOAK_DIR="$WORK/ids" timeout $((SECONDS_LOAD + 30)) taskset -c 0 \
  wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_LOAD}s" --timeout 5s --latency -s "$ROOT/bench/wrk/soak.lua" "http://127.0.0.1:$GW/v1/chat/completions" \
  > "$WORK/wrk.log" 2>&1
line=$(grep '^SOAK ' "$WORK/wrk.log" || true)
[ -n "$line" ] || { fail "wrk produced no result: $(tail -n 5 "$WORK/wrk.log")"; exit 1; }

fresh=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 10 -X POST "http://127.0.0.1:$GW/v1/chat/completions" \
  -H "authorization: Bearer $MASTER" -H 'content-type: application/json' -d "$BODY")
rss=$(peak_rss_mib "$GW_PID")

# --- Drain, stop gracefully, compare the answered request ids with the ledger ------------------------------------------
for _ in $(seq 1 60); do [ "$(pending)" = 0 ] && break; sleep 1; done
left=$(pending)
kill -TERM "$GW_PID"
for _ in $(seq 1 300); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$GW_PID" 2>/dev/null; then fail "gateway still running 30 s after SIGTERM"; kill -9 "$GW_PID"; fi
wait "$GW_PID"; exit_code=$?
backlog_peak=$(cat "$WORK/backlog-peak" 2>/dev/null || echo "?")
missing=$(python3 - "$WORK/run/switchboard.db" "$WORK/ids" <<'PY'
import glob, sqlite3, sys
answered = set()
for path in glob.glob(sys.argv[2] + "/ids-*.txt"):
    answered.update(l.strip() for l in open(path) if l.strip())
db = sqlite3.connect(sys.argv[1])
stored = {r[0] for r in db.execute("SELECT DISTINCT request_id FROM ledger_attempts")}
print(len(answered), len(answered - stored))
PY
)
answered=${missing% *}; missing=${missing#* }

SUMMARY="$(echo "${line#SOAK }") fresh=${fresh// /:}s peak_rss_mib=$rss ledger_backlog_peak=$backlog_peak pending_after_drain=$left answered_ids=$answered missing_in_ledger=$missing exit=$exit_code"
echo "soak: $SUMMARY"
[ "$(kv "$line" non2xx)" = 0 ] || fail "$(kv "$line" non2xx) non-2xx answers"
[ "$(kv "$line" noid)" = 0 ] || fail "$(kv "$line" noid) answers without x-request-id"
for e in timeouts connect read write; do [ "$(kv "$line" $e)" = 0 ] || fail "$(kv "$line" $e) socket $e errors"; done
[ "$(kv "$line" requests)" -gt 0 ] || fail "no request answered"
[ "${fresh%% *}" = 200 ] || fail "fresh request after the load answered ${fresh%% *}"
awk -v t="${fresh#* }" 'BEGIN { exit !(t <= 2.0) }' || fail "fresh request after the load took ${fresh#* } s (limit 2 s)"
[ "$rss" != "?" ] && [ "$rss" -le 1024 ] || fail "peak RSS ${rss} MiB (limit 1024)"
[ "$missing" = 0 ] || fail "$missing answered request(s) missing from the ledger"
[ "$answered" -ge "$(kv "$line" requests)" ] || fail "only $answered request ids recorded for $(kv "$line" requests) answers"
[ "$exit_code" = 0 ] || fail "gateway exited with $exit_code after SIGTERM"
[ ${#FAILURES[@]} -eq 0 ]
