#!/usr/bin/env bash
# Warm-up of `switchboard serve` on one core (issue 21 item 4): time to /healthz and /readyz (200), the first request's latency and its
# x-switchboard-overhead-ms, then throughput in WARM_WINDOW-second windows of saturation (wrk, 64 connections) for
# WARM_SECONDS; time-to-steady-state = end of the first window reaching 90 % of the best window.
# Usage: scripts/warmup.sh LABEL COMMAND...   (COMMAND starts the gateway, absolute paths; it gets --urls and --config appended)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LABEL="$1"; shift
WORK="${WARM_WORK:-$ROOT/.work/warmup}/$LABEL"
WINDOW="${WARM_WINDOW:-5}"; TOTAL="${WARM_SECONDS:-60}"
rm -rf "$WORK"; mkdir -p "$WORK"
source "$ROOT/scripts/lib/services.sh"
source "$ROOT/scripts/lib/bench_lib.sh"
trap bench_stop_all EXIT
GW=$(free_port); MASTER="warm-master-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
echo "{ \"Switchboard\": { \"Auth\": { \"MasterKey\": \"$MASTER\" } } }" > "$WORK/switchboard.json"
start=$(date +%s.%N)
(cd "$WORK" && exec env -u OPENAI_API_KEY -u ANTHROPIC_API_KEY -u GEMINI_API_KEY taskset -c 1 "$@" --urls "http://127.0.0.1:$GW" --config "$WORK/switchboard.json") > "$WORK/gateway.log" 2>&1 &
BENCH_PIDS+=("$!")
for _ in $(seq 1 3000); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$GW/healthz" && break; sleep 0.02; done
curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$GW/healthz" || { echo "$LABEL: the gateway did not start: $(tail -n 3 "$WORK/gateway.log")"; exit 1; }
healthz=$(echo "$(date +%s.%N) - $start" | bc)
for _ in $(seq 1 3000); do [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$GW/readyz")" = 200 ] && break; sleep 0.02; done
ready=$(echo "$(date +%s.%N) - $start" | bc)
BODY='{"model":"auto","messages":[{"role":"user","content":"Say hello"}]}'
first=$(curl -s -D - -o /dev/null -w 'total=%{time_total}' -X POST "http://127.0.0.1:$GW/v1/chat/completions" \
  -H "authorization: Bearer $MASTER" -H 'content-type: application/json' -d "$BODY" | tr -d '\r' | awk -F': ' '/^x-switchboard-overhead-ms/ { o = $2 } /^total=/ { t = $0 } END { print "overhead_ms=" o, t }')
second=$(curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$GW/v1/chat/completions" -H "authorization: Bearer $MASTER" \
  -H 'content-type: application/json' -d "$BODY" | tr -d '\r' | awk -F': ' '/^x-switchboard-overhead-ms/ { print $2 }')
windows=()
for ((t = 0; t < TOTAL; t += WINDOW)); do
  r=$(SOAK_BODY="$BODY" SOAK_KEY="$MASTER" SOAK_DIR="$WORK" taskset -c 0 wrk -t1 -c64 -d"${WINDOW}s" --timeout 5s \
    -s "$ROOT/bench/wrk/soak.lua" "http://127.0.0.1:$GW/v1/chat/completions" | sed -n 's/.*rps=\([0-9]*\).*/\1/p')
  windows+=("${r:-0}")
done
best=0; for r in "${windows[@]}"; do [ "$r" -gt "$best" ] && best=$r; done
steady="?"; i=0
for r in "${windows[@]}"; do i=$((i + 1)); if [ $((r * 10)) -ge $((best * 9)) ]; then steady=$((i * WINDOW)); break; fi; done
echo "$LABEL: healthz_after_s=$(printf '%.2f' "$healthz") readyz_after_s=$(printf '%.2f' "$ready") first_request_$first second_overhead_ms=$second steady_after_s=$steady best_rps=$best windows=${windows[*]}"
