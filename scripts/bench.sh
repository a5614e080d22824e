#!/usr/bin/env bash
# Load benchmark of Switchboard in its default configuration against a direct call to the emulator, the bare .NET
# translating proxy (bench/Switchboard.BareProxy: the floor) and a peer gateway (Portkey), in one run.
# Builds Release, starts the emulator (zero latency) and the gateways on 127.0.0.1, measures with wrk and the load client
# in bench/Switchboard.LoadGen, prints one Markdown table and writes it to .work/bench/results.md.
# Bounded: about 6 minutes with the defaults (under 10 with BENCH_WARMUP=30); every load stops by itself.
#
# Pinning (2 cores): the gateway under test (bare proxy, Switchboard or Portkey) alone on core 1; the emulator, Redis and
# the load generators (wrk, LoadGen) on core 0. Only one gateway is loaded at a time.
#
# Switchboard runs the default configuration a user gets: `switchboard serve` with three providers (openai, anthropic,
# gemini) pointed at the zero-latency emulator, a master key (the key the load sends), the SQLite ledger beside the
# configuration file, default logging (console, Information: one line per request) and default guardrails (prompt
# injection on `flag`, the rest off), the response cache on in its default mode (the load sends no temperature, so
# the cache is consulted and bypassed: no hits), metrics at /metrics.
#
# Per gateway at 64 connections: CPU µs per request from /proc/PID/stat ticks over the measured run (divided by the
# requests wrk completed), and allocated bytes per request from the runtime's own counter read before and after the run:
# Switchboard's `dotnet_gc_heap_total_allocated_bytes_total` (the System.Runtime meter, already exported at /metrics), the
# bare proxy's GET /debug/allocated (GC.GetTotalAllocatedBytes). Portkey (Node) has no such counter: CPU only.
#
# Settings (environment):
#   BENCH_WARMUP=8      seconds of load on each process before measuring (30 for the full figure the issue asks for)
#   BENCH_DURATION=5    seconds per measured closed-loop run
#   BENCH_RATE=500      offered rate of the open-loop run (req/s)
#   BENCH_STREAMS="1000 2500 5000"  concurrent slow streams held open, per level
#   BENCH_HOLD=10       seconds each level is held (after a 3 s ramp); the slow emulator answers after
#                       BENCH_STREAM_TTFT_MS=500 and then streams BENCH_STREAM_TPS=2 tokens/s, so streams stay open
#   BENCH_PORTKEY=0     skip the peer gateway
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK="${BENCH_WORK:-$ROOT/.work/bench}"
WARMUP="${BENCH_WARMUP:-8}"
DURATION="${BENCH_DURATION:-5}"
RATE="${BENCH_RATE:-500}"
STREAM_LEVELS="${BENCH_STREAMS:-1000 2500 5000}"
HOLD="${BENCH_HOLD:-10}"
DEADLINE=$(( $(date +%s) + ${BENCH_BUDGET_SECONDS:-570} ))
mkdir -p "$WORK"
rm -rf "$WORK/run" "$WORK"/*.log "$WORK"/*.pid
mkdir -p "$WORK/run"
source "$ROOT/scripts/lib/services.sh"
source "$ROOT/scripts/lib/bench_lib.sh"
trap 'bench_stop_all; stop_services' EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
time_left() { [ "$(date +%s)" -lt "$DEADLINE" ]; }

# --- Tools ------------------------------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  log "apt-get install wrk"
  sudo=""; [ "$(id -u)" != 0 ] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null 2>&1 || { echo "wrk is required (Debian package wrk)"; exit 1; }
fi

log "dotnet build -c Release"
if ! { dotnet build src/Switchboard.Cli -c Release -nologo -v quiet && dotnet build bench/Switchboard.LoadGen -c Release -nologo -v quiet \
  && dotnet build bench/Switchboard.BareProxy -c Release -nologo -v quiet; } > "$WORK/build.log" 2>&1; then
  grep -E 'error' "$WORK/build.log" | sort -u | head -n 20; exit 1
fi
CLI="$ROOT/src/Switchboard.Cli/bin/Release/net10.0/Switchboard.Cli.dll"
LOADGEN="$ROOT/bench/Switchboard.LoadGen/bin/Release/net10.0/Switchboard.LoadGen.dll"
BARE="$ROOT/bench/Switchboard.BareProxy/bin/Release/net10.0/Switchboard.BareProxy.dll"

PORTKEY="unavailable (not tried)"
if [ "${BENCH_PORTKEY:-1}" = 1 ]; then
  if ! command -v npm >/dev/null; then
    PORTKEY="unavailable (npm not installed)"
  else
    log "npm install @portkey-ai/gateway (into $WORK/portkey)"
    mkdir -p "$WORK/portkey"
    cp bench/portkey/package.json bench/portkey/start.mjs "$WORK/portkey/"
    if (cd "$WORK/portkey" && timeout 240 npm install --no-audit --no-fund --loglevel=error) > "$WORK/npm.log" 2>&1; then
      PORTKEY="installed"
    else
      PORTKEY="unavailable (npm install failed: $(tail -n 1 "$WORK/npm.log" | cut -c1-80))"
    fi
  fi
fi

# --- Processes ----------------------------------------------------------------------------------------------------------
EMU=$(free_port); GW=$(free_port); PK=$(free_port); BP=$(free_port)
MASTER="bench-master-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
write_config() { # write_config DIR UPSTREAM_PORT [EXTRA_JSON]
  mkdir -p "$1"
  cat > "$1/switchboard.json" <<EOF
{ "Switchboard": {
  "Providers": {
    "openai": { "Type": "openai", "BaseUrl": "http://127.0.0.1:$2/v1", "ApiKey": "sk-bench-not-a-real-key" },
    "anthropic": { "Type": "anthropic", "BaseUrl": "http://127.0.0.1:$2/", "ApiKey": "sk-bench-not-a-real-key" },
    "gemini": { "Type": "gemini", "BaseUrl": "http://127.0.0.1:$2/", "ApiKey": "sk-bench-not-a-real-key" } },
  "Auth": { "MasterKey": "$MASTER" }${3:+, $3} } }
EOF
}
start_gateway() { # start_gateway NAME CONFIG_DIR
  start_pinned "$1" 1 dotnet "$CLI" serve --urls "http://127.0.0.1:$GW" --config "$2/switchboard.json"
  wait_port "$GW" 60 || { log "gateway did not start: $(tail -n 5 "$WORK/$1.log")"; exit 1; }
}
start_portkey() {
  start_pinned portkey 1 env -C "$WORK/portkey" NODE_ENV=production node start.mjs --port="$PK" --headless
  wait_port "$PK" 30
}

log "emulator :$EMU (core 0), bare proxy :$BP, Switchboard :$GW and Portkey :$PK (core 1)"
start_pinned emulator 0 dotnet "$CLI" emulator --urls "http://127.0.0.1:$EMU"
wait_port "$EMU" 60 || { log "emulator did not start"; exit 1; }
start_pinned bare 1 dotnet "$BARE" --urls "http://127.0.0.1:$BP" --upstream "http://127.0.0.1:$EMU/v1/" --key sk-bench-not-a-real-key
wait_port "$BP" 60 || { log "bare proxy did not start: $(tail -n 5 "$WORK/bare.log")"; exit 1; }
write_config "$WORK/run/main" "$EMU"
start_gateway gateway "$WORK/run/main"
if [ "$PORTKEY" = installed ]; then
  start_portkey && PORTKEY="ok" || PORTKEY="unavailable (did not start: $(tail -n 2 "$WORK/portkey.log" | tr '\n' ' ' | cut -c1-80))"
fi

MSG='"messages":[{"role":"user","content":"Say hello"}]'
use_target() { # use_target direct|bare|switchboard|portkey [stream|cache]
  local extra=""
  [ "${2:-}" = stream ] && extra='"stream":true,'
  [ "${2:-}" = cache ] && extra='"temperature":0,'
  case "$1" in
    direct) T_URL="http://127.0.0.1:$EMU/v1/chat/completions"; T_KEY="sk-bench-not-a-real-key"; T_HEADERS=""
            T_BODY="{\"model\":\"gpt-4.1-mini\",$extra$MSG}" ;;
    bare) T_URL="http://127.0.0.1:$BP/v1/chat/completions"; T_KEY=""; T_HEADERS=""
            T_BODY="{\"model\":\"openai/gpt-4.1-mini\",$extra$MSG}" ;;
    switchboard) T_URL="http://127.0.0.1:$GW/v1/chat/completions"; T_KEY="$MASTER"; T_HEADERS=""
            T_BODY="{\"model\":\"openai/gpt-4.1-mini\",$extra$MSG}" ;;
    portkey) T_URL="http://127.0.0.1:$PK/v1/chat/completions"; T_KEY="sk-bench-not-a-real-key"
            T_HEADERS="x-portkey-provider: openai|x-portkey-custom-host: http://127.0.0.1:$EMU/v1"
            T_BODY="{\"model\":\"gpt-4.1-mini\",$extra$MSG}" ;;
  esac
}
TARGETS="direct bare switchboard"
if [ "$PORTKEY" = ok ]; then
  use_target portkey
  code=$(curl -s -o /dev/null -w '%{http_code}' "$T_URL" -H "authorization: Bearer $T_KEY" -H 'content-type: application/json' \
    -H "x-portkey-provider: openai" -H "x-portkey-custom-host: http://127.0.0.1:$EMU/v1" -d "$T_BODY")
  if [ "$code" = 200 ]; then TARGETS="$TARGETS portkey"; else PORTKEY="unavailable (answered HTTP $code)"; fi
fi
declare -A R   # results: R[metric,target]

# The process serving a target, and its allocated-bytes counter ("" when it has none).
target_pid() { case "$1" in direct) pid_of emulator ;; bare) pid_of bare ;; switchboard) pid_of gateway ;; portkey) pid_of portkey ;; esac; }
allocated() {
  case "$1" in
    bare) curl -s --max-time 5 "http://127.0.0.1:$BP/debug/allocated" ;;
    switchboard) curl -s --max-time 5 "http://127.0.0.1:$GW/metrics" | awk '/^dotnet_gc_heap_total_allocated_bytes_total/ { printf "%.0f", $NF }' ;;
  esac
}

# --- Warm-up --------------------------------------------------------------------------------------------------------------
for t in $TARGETS; do
  log "warm-up $t (${WARMUP}s, 16 connections)"
  use_target "$t"; run_wrk 16 "$WARMUP" > /dev/null
done

# --- Non-streaming, closed loop -------------------------------------------------------------------------------------------
for c in 1 16 64; do
  for t in $TARGETS; do
    time_left || break
    use_target "$t"
    pid=$(target_pid "$t"); a0=$(allocated "$t"); t0=$(cpu_ticks "$pid")
    read -r rps p50 p99 max requests < <(run_wrk "$c" "$DURATION")
    t1=$(cpu_ticks "$pid"); a1=$(allocated "$t")
    R[rps$c,$t]=$rps; R[p50$c,$t]=$p50; R[p99$c,$t]=$p99; R[max$c,$t]=$max
    if [ "$c" = 64 ] && [ "${requests:-0}" -gt 0 ]; then
      R[cpu,$t]=$(awk -v a="$t0" -v b="$t1" -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (b - a) / hz * 1e6 / n }')
      [ -n "$a0" ] && [ -n "$a1" ] && R[alloc,$t]=$(awk -v a="$a0" -v b="$a1" -v n="$requests" 'BEGIN { printf "%.0f", (b - a) / n }')
    fi
    log "$t c=$c: $rps req/s p50 $p50 p99 $p99 max $max ms ($requests requests; CPU ${R[cpu,$t]:-–} µs/req, ${R[alloc,$t]:-–} B/req)"
  done
done

# --- Open loop at a fixed offered rate --------------------------------------------------------------------------------------
for t in $TARGETS; do
  time_left || break
  use_target "$t"
  line=$(loadgen open --rate "$RATE" --warmup 2 --seconds "$DURATION")
  R[olp50,$t]=$(kv "$line" lat_p50); R[olp99,$t]=$(kv "$line" lat_p99); R[olerr,$t]=$(kv "$line" errors)
  [ "$t" = switchboard ] && { R[hdrp50,$t]=$(kv "$line" hdr_p50); R[hdrp99,$t]=$(kv "$line" hdr_p99); }
  log "$t open loop $RATE/s: $line"
done

# --- Streaming: time to first and last token, one stream at a time ---------------------------------------------------------
for t in $TARGETS; do
  time_left || break
  [ "$t" = bare ] && continue   # the bare proxy does not stream
  use_target "$t" stream
  line=$(loadgen stream --warmup 50 --count 300)
  R[ttft50,$t]=$(kv "$line" ttft_p50); R[ttft99,$t]=$(kv "$line" ttft_p99); R[ttlt50,$t]=$(kv "$line" ttlt_p50)
  log "$t stream: $line"
done

# --- Cache hits: L1 (in process), then Redis --------------------------------------------------------------------------------
cache_run() { # cache_run LABEL
  use_target switchboard cache
  curl -s -o /dev/null "$T_URL" -H "authorization: Bearer $T_KEY" -H 'content-type: application/json' -d "$T_BODY"
  local status; status=$(curl -s -D - -o /dev/null "$T_URL" -H "authorization: Bearer $T_KEY" -H 'content-type: application/json' -d "$T_BODY" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-switchboard-cache" { print $2 }')
  [ "$status" = hit ] || log "warning: cache answered '$status', not hit"
  read -r rps p50 p99 max _ < <(run_wrk 1 "$DURATION"); R[cache1p50,$1]=$p50; R[cache1p99,$1]=$p99
  read -r rps p50 p99 max _ < <(run_wrk 64 "$DURATION"); R[cache64rps,$1]=$rps
  log "cache $1: c=1 p50 ${R[cache1p50,$1]} p99 ${R[cache1p99,$1]} ms; c=64 $rps req/s"
}
if time_left; then cache_run l1; fi
stop_named gateway
REDIS="not installed"
if command -v redis-server >/dev/null && time_left; then
  start_services "$WORK/run/services"
  if [ -n "${SWITCHBOARD_TEST_REDIS:-}" ]; then
    taskset -pc 0 "$(cat "$WORK/run/services/redis/redis.pid")" >/dev/null 2>&1 || true
    write_config "$WORK/run/redis" "$EMU" "\"Cache\": { \"Redis\": \"$SWITCHBOARD_TEST_REDIS\", \"LocalTtl\": \"00:00:00.001\" }"
    start_gateway gateway "$WORK/run/redis"
    use_target switchboard; run_wrk 16 "$WARMUP" > /dev/null
    cache_run redis; REDIS="ok"
    stop_named gateway
  fi
  stop_services
fi

# --- Many open streams: slow emulator, gateway restarted per level (peak RSS per level) ----------------------------------------
stop_named emulator
stop_named bare
[ "$PORTKEY" = ok ] && stop_named portkey
STPS="${BENCH_STREAM_TPS:-2}"; SWAIT="${BENCH_STREAM_TTFT_MS:-500}"
start_pinned emulator 0 dotnet "$CLI" emulator --urls "http://127.0.0.1:$EMU" --ttft-ms "$SWAIT" --tokens-per-second "$STPS"
wait_port "$EMU" 60
LEVELS_RUN=""
for n in $STREAM_LEVELS; do
  for t in switchboard $([ "$PORTKEY" = ok ] && echo portkey); do
    time_left || break 2
    if [ "$t" = switchboard ]; then start_gateway gateway "$WORK/run/main"; name=gateway; else start_portkey; name=portkey; fi
    use_target "$t" stream
    pid=$(pid_of "$name"); idle=$(rss_mib "$pid"); t0=$(cpu_ticks "$pid"); s0=$(date +%s.%N)
    line=$(loadgen hold --streams "$n" --seconds "$HOLD" --ramp 3)
    cpu=$(awk -v a="$t0" -v b="$(cpu_ticks "$pid")" -v s="$s0" -v e="$(date +%s.%N)" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (b - a) / hz / (e - s) * 100 }')
    peak=$(peak_rss_mib "$pid")
    per=$(awk -v p="$peak" -v i="$idle" -v n="$n" 'BEGIN { printf "%.0f", (p - i) * 1024 / n }')
    R[hold$n,$t]="$(kv "$line" peak_open) open, $(kv "$line" failed) failed; TTFT p50 / p99 $(kv "$line" ttft_p50) / $(kv "$line" ttft_p99) ms; peak RSS $peak MiB (+$per KiB/stream); CPU $cpu %"
    log "$t $n streams: $line idle_rss=${idle}MiB peak_rss=${peak}MiB cpu=$cpu%"
    stop_named "$name"
  done
  LEVELS_RUN="$LEVELS_RUN $n"
done
stop_named emulator

# --- The table ---------------------------------------------------------------------------------------------------------------
v() { echo "${R[$1,$2]:-–}"; }
{
  echo "### Switchboard benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), .NET $(dotnet --version). Gateway alone on core 1; emulator, Redis, wrk and LoadGen on core 0. Warm-up ${WARMUP}s per process, ${DURATION}s per run. Portkey: $PORTKEY. Redis: $REDIS. Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "Default configuration (added latency = the gateway's figure minus the direct emulator's, same run):"
  echo
  echo "| Measure | Bare .NET proxy | Switchboard | Portkey | Switchboard vs bare | Switchboard vs Portkey |"
  echo "|---|---|---|---|---|---|"
  echo "| req/s, 64 conn. | $(v rps64 bare) | $(v rps64 switchboard) | $(v rps64 portkey) | $(ratio "$(v rps64 switchboard)" "$(v rps64 bare)") | $(ratio "$(v rps64 switchboard)" "$(v rps64 portkey)") |"
  for t in bare switchboard portkey; do
    R[a1p50,$t]=$(diff_ms "$(v p501 $t)" "$(v p501 direct)"); R[a1p99,$t]=$(diff_ms "$(v p991 $t)" "$(v p991 direct)")
    R[aolp50,$t]=$(diff_ms "$(v olp50 $t)" "$(v olp50 direct)"); R[aolp99,$t]=$(diff_ms "$(v olp99 $t)" "$(v olp99 direct)")
  done
  echo "| added p50 / p99 ms, 1 conn. | $(v a1p50 bare) / $(v a1p99 bare) | $(v a1p50 switchboard) / $(v a1p99 switchboard) | $(v a1p50 portkey) / $(v a1p99 portkey) | | |"
  echo "| added p50 / p99 ms, open loop $RATE req/s | $(v aolp50 bare) / $(v aolp99 bare) | $(v aolp50 switchboard) / $(v aolp99 switchboard) | $(v aolp50 portkey) / $(v aolp99 portkey) | | |"
  echo "| CPU µs per request, 64 conn. | $(v cpu bare) | $(v cpu switchboard) | $(v cpu portkey) | $(ratio "$(v cpu switchboard)" "$(v cpu bare)") | $(ratio "$(v cpu switchboard)" "$(v cpu portkey)") |"
  echo "| allocated bytes per request, 64 conn. | $(v alloc bare) | $(v alloc switchboard) | – | $(ratio "$(v alloc switchboard)" "$(v alloc bare)") | |"
  echo
  echo "All rows:"
  echo
  echo "| Measure | Direct (emulator) | Bare .NET proxy | Switchboard | Portkey | Switchboard vs direct | Switchboard vs Portkey |"
  echo "|---|---|---|---|---|---|---|"
  for c in 1 16 64; do
    echo "| req/s, $c conn. | $(v rps$c direct) | $(v rps$c bare) | $(v rps$c switchboard) | $(v rps$c portkey) | $(ratio "$(v rps$c switchboard)" "$(v rps$c direct)") | $(ratio "$(v rps$c switchboard)" "$(v rps$c portkey)") |"
    echo "| p50 / p99 / max ms, $c conn. | $(v p50$c direct) / $(v p99$c direct) / $(v max$c direct) | $(v p50$c bare) / $(v p99$c bare) / $(v max$c bare) | $(v p50$c switchboard) / $(v p99$c switchboard) / $(v max$c switchboard) | $(v p50$c portkey) / $(v p99$c portkey) / $(v max$c portkey) | p50 $(diff_ms "$(v p50$c switchboard)" "$(v p50$c direct)") ms | p50 $(diff_ms "$(v p50$c switchboard)" "$(v p50$c portkey)") ms |"
  done
  echo "| open loop $RATE req/s: p50 / p99 ms | $(v olp50 direct) / $(v olp99 direct) | $(v olp50 bare) / $(v olp99 bare) | $(v olp50 switchboard) / $(v olp99 switchboard) | $(v olp50 portkey) / $(v olp99 portkey) | added p50 $(diff_ms "$(v olp50 switchboard)" "$(v olp50 direct)"), p99 $(diff_ms "$(v olp99 switchboard)" "$(v olp99 direct)") ms | Portkey adds p50 $(diff_ms "$(v olp50 portkey)" "$(v olp50 direct)"), p99 $(diff_ms "$(v olp99 portkey)" "$(v olp99 direct)") ms |"
  echo "| x-switchboard-overhead-ms at $RATE req/s: p50 / p99 | | | $(v hdrp50 switchboard) / $(v hdrp99 switchboard) | | header p50 vs added p50: $(diff_ms "$(v hdrp50 switchboard)" "$(diff_ms "$(v olp50 switchboard)" "$(v olp50 direct)")") ms | |"
  echo "| stream: time to first token p50 / p99 ms | $(v ttft50 direct) / $(v ttft99 direct) | | $(v ttft50 switchboard) / $(v ttft99 switchboard) | $(v ttft50 portkey) / $(v ttft99 portkey) | added p50 $(diff_ms "$(v ttft50 switchboard)" "$(v ttft50 direct)") ms | Portkey adds p50 $(diff_ms "$(v ttft50 portkey)" "$(v ttft50 direct)") ms |"
  echo "| stream: time to last token p50 ms | $(v ttlt50 direct) | | $(v ttlt50 switchboard) | $(v ttlt50 portkey) | added $(diff_ms "$(v ttlt50 switchboard)" "$(v ttlt50 direct)") ms | |"
  echo "| cache hit, L1: p50 / p99 ms (1 conn.), req/s (64 conn.) | | | $(v cache1p50 l1) / $(v cache1p99 l1), $(v cache64rps l1) req/s | | | |"
  echo "| cache hit, Redis: p50 / p99 ms (1 conn.), req/s (64 conn.) | | | $(v cache1p50 redis) / $(v cache1p99 redis), $(v cache64rps redis) req/s | | | |"
  for n in $LEVELS_RUN; do
    echo "| $n open streams (${SWAIT} ms TTFT, $STPS tokens/s, ${HOLD}s) | | | $(v hold$n switchboard) | $(v hold$n portkey) | | |"
  done
} > "$WORK/results.md"
echo
cat "$WORK/results.md"
[ "$PORTKEY" = ok ] || echo "portkey: $PORTKEY"
