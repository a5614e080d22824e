#!/usr/bin/env bash
# Memory growth of a real gateway under hostile names (issue 15, target: under 60 MiB): 4,000 requests naming distinct
# unknown models (anthropic/zz-model-N) with the master key, then 4,000 requests with random keys (sb-random-N).
# Starts `switchboard serve` (built-in emulator, SQLite in a temp folder) on 127.0.0.1, warms it up, measures the GC
# heap after a forced full collection (dotnet-gcdump forces it, dotnet-counters reads the runtime's
# dotnet.gc.last_collection.heap.size) and the RSS, before and after; prints the figures.
# Bounded: every request has a 10 s timeout, the whole run stops after MEASURE_BUDGET_SECONDS (default 600).
# Settings: MEASURE_CONFIGURATION=Release|Debug (default Release), MEASURE_NAMES=4000, MEASURE_KEYS=4000,
# MEASURE_CONTROL=1 (known model and key instead: the baseline to compare with).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CONFIGURATION="${MEASURE_CONFIGURATION:-Release}"
NAMES="${MEASURE_NAMES:-4000}"
KEYS="${MEASURE_KEYS:-4000}"
GCDUMP="${DOTNET_GCDUMP:-$HOME/.dotnet/tools/dotnet-gcdump}"
COUNTERS="${DOTNET_COUNTERS:-$HOME/.dotnet/tools/dotnet-counters}"
[ -x "$GCDUMP" ] || dotnet tool install -g dotnet-gcdump --version 10.0.750501 >/dev/null
[ -x "$COUNTERS" ] || dotnet tool install -g dotnet-counters --version 10.0.750501 >/dev/null
WORK=$(mktemp -d)
PID=""
WATCHDOG=""
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null
  [ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

dotnet build src/Switchboard.Cli -c "$CONFIGURATION" -nologo -v quiet >/dev/null
DLL="$ROOT/src/Switchboard.Cli/bin/$CONFIGURATION/net10.0/Switchboard.Cli.dll"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MASTER="sb-master-measure"
cd "$WORK"
env -u OPENAI_API_KEY -u ANTHROPIC_API_KEY -u GEMINI_API_KEY DOTNET_gcServer=0 Switchboard__Auth__MasterKey="$MASTER" \
  dotnet "$DLL" serve --urls "http://127.0.0.1:$PORT" >"$WORK/gateway.log" 2>&1 &
PID=$!
GW=$PID
cd "$ROOT"
( sleep "${MEASURE_BUDGET_SECONDS:-600}"; kill "$PID" 2>/dev/null ) >/dev/null 2>&1 &
WATCHDOG=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

live_heap() { # bytes of the GC heap after the full collection dotnet-gcdump forces, as the runtime reports it
  "$GCDUMP" collect -p "$GW" -o "$WORK/heap.gcdump" >/dev/null 2>&1
  rm -f "$WORK/heap.gcdump" "$WORK/counters.csv"
  timeout 30 "$COUNTERS" collect -p "$GW" --counters System.Runtime --format csv --refresh-interval 1 \
    --duration 00:00:00:03 -o "$WORK/counters.csv" >/dev/null 2>&1
  grep 'dotnet.gc.last_collection.heap.size' "$WORK/counters.csv" | tail -5 | awk -F, '{ s += $NF } END { print s }'
}
rss() { awk '/VmRSS/ { print $2 * 1024 }' "/proc/$GW/status"; }

send() { # MODE COUNT: names | keys | warm
  python3 - "$PORT" "$MASTER" "$1" "$2" <<'PY'
import sys, json, http.client, threading
port, master, mode, count = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
statuses, lock = {}, threading.Lock()
def worker(start):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for i in range(start, count, 4):
        model = f"anthropic/zz-model-{i}" if mode == "names" else "anthropic/claude-sonnet-4-6"
        key = f"sb-random-{i}" if mode == "keys" else master
        body = json.dumps({"model": model, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 8})
        try:
            conn.request("POST", "/v1/chat/completions", body, {"Authorization": "Bearer " + key, "Content-Type": "application/json"})
            r = conn.getresponse(); r.read(); s = r.status
        except Exception:
            conn.close(); conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10); s = "error"
        with lock: statuses[s] = statuses.get(s, 0) + 1
threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
[t.start() for t in threads]; [t.join() for t in threads]
print(" ".join(f"{k}:{v}" for k, v in sorted(statuses.items(), key=str)))
PY
}

send warm 300 >/dev/null; send keys 200 >/dev/null
HEAP0=$(live_heap); RSS0=$(rss)
# MEASURE_CONTROL=1: the same number of requests with one known model and the master key, to tell the memory that
# serving 8,000 requests takes anyway (GC segments, Kestrel and HttpClient pools) from what distinct names and keys add.
if [ "${MEASURE_CONTROL:-0}" = 1 ]; then NAMES_MODE=warm; KEYS_MODE=warm; else NAMES_MODE=names; KEYS_MODE=keys; fi
NAMES_STATUS=$(send "$NAMES_MODE" "$NAMES")
KEYS_STATUS=$(send "$KEYS_MODE" "$KEYS")
HEAP1=$(live_heap); RSS1=$(rss)
mib() { python3 -c "print(f'{$1/1048576:.1f}')"; }
echo "names=$NAMES ($NAMES_MODE, $NAMES_STATUS) keys=$KEYS ($KEYS_MODE, $KEYS_STATUS) configuration=$CONFIGURATION"
echo "live_heap_before_mib=$(mib "$HEAP0") live_heap_after_mib=$(mib "$HEAP1") live_heap_growth_mib=$(mib "($HEAP1-$HEAP0)")" \
  "rss_before_mib=$(mib "$RSS0") rss_after_mib=$(mib "$RSS1") rss_growth_mib=$(mib "($RSS1-$RSS0)")"
