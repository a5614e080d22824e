#!/usr/bin/env bash
# The first request after a cold start (issue 20 item 3). Starts `switchboard serve` cold FIRST_RUNS times the way a user
# does (no configuration file, no provider key: the built-in emulator; a fresh empty working folder each time), waits
# until the port accepts a TCP connection (no HTTP request before the measured one), then sends the README's first
# request (POST /v1/chat/completions, model "smart", not streamed) and nine more. Per run it records
#   listen_s   process start -> the port accepts connections
#   answer_s   process start -> the first request answered (time to first answer)
#   first_ms   x-switchboard-overhead-ms of the first request (time in the gateway, upstream excluded)
#   tenth_ms   the same for the 10th request (the warm baseline)
#   warmup_ms  the start-up warm-up's duration as the gateway logs it ("-" when it logs none)
# and prints the medians per mode, and the ratio first/tenth (the VM is shared and noisy: compare ratios).
#
# Modes (arguments; default: run tool):
#   run[:DIR]   `dotnet run --no-build --project DIR/src/Switchboard.Cli -- serve` (Debug, the README's first command; built
#               first); DIR is this checkout by default, or another copy of the sources (e.g. a baseline commit's)
#   tool[:DIR]  `switchboard serve` from the Switchboard.Cli tool package of DIR: packed (Release) into a local folder and
#               installed into a tool path under the work folder, as scripts/packages.sh does (nothing is published anywhere)
#   dll:PATH    `dotnet PATH serve` (any already built Switchboard.Cli.dll, e.g. a publish folder)
#   VAR=VALUE,...@MODE   MODE with these environment variables (e.g. DOTNET_TieredCompilation=0@tool)
# The modes take turns run by run, so a busy spell of the shared machine hits them alike.
# Settings: FIRST_RUNS (default 5), FIRST_WORK (default .work/first-request), FIRST_TASKSET (e.g. "1": pin the gateway).
# Usage: bash scripts/first-request.sh [MODE...]
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS="${FIRST_RUNS:-5}"
WORK="${FIRST_WORK:-$ROOT/.work/first-request}"
MODES=("$@"); [ ${#MODES[@]} -eq 0 ] && MODES=(run tool)
mkdir -p "$WORK"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export DOTNET_ROOT="${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}"
# The built-in emulator answers only when no provider key is configured.
unset OPENAI_API_KEY ANTHROPIC_API_KEY GEMINI_API_KEY OPENAI_BASE_URL ANTHROPIC_BASE_URL GOOGLE_GEMINI_BASE_URL

log() { printf '== %s\n' "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ns() { date +%s%N; }

GW_PID=""
stop_gateway() {
  [ -n "$GW_PID" ] || return 0
  kill "$GW_PID" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$GW_PID" 2>/dev/null
  wait "$GW_PID" 2>/dev/null
  GW_PID=""
}
trap stop_gateway EXIT
trap 'exit 143' TERM INT

# slug TEXT: a folder name for a mode.
slug() { printf '%s' "$1" | tr -c 'A-Za-z0-9._=-' '_'; }

# prepare_tool DIR: packs DIR's Switchboard.Cli and installs it into $WORK/tool-<slug>/tools.
prepare_tool() {
  local src=$1 base; base="$WORK/tool-$(slug "$src")"
  local feed="$base/feed" tools="$base/tools" version
  version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$src/Directory.Build.props" | head -n 1)
  rm -rf "$base"; mkdir -p "$feed"
  log "packing $src/src/Switchboard.Cli (Release) into $feed"
  dotnet pack "$src/src/Switchboard.Cli" -c Release -o "$feed" -nologo -v quiet > "$base/pack.log" 2>&1 || { cat "$base/pack.log"; return 1; }
  (cd "$base" && NUGET_PACKAGES="$base/nuget-packages" dotnet tool install --tool-path "$tools" --add-source "$feed" \
    Switchboard.Cli --version "$version") > "$base/install.log" 2>&1 || { cat "$base/install.log"; return 1; }
  [ -x "$tools/switchboard" ]
}

# source_dir MODE: the sources a run/tool mode uses (absolute).
source_dir() { local m=${1#*@}; case "$m" in *:*) (cd "${m#*:}" && pwd) ;; *) echo "$ROOT" ;; esac; }

# command_for MODE: prints the command (one argument per line) that starts the gateway in MODE.
command_for() {
  local mode=$1 m=${1#*@}
  if [ "$m" != "$mode" ]; then printf '%s\n' env; tr ',' '\n' <<< "${mode%%@*}"; fi
  case "$m" in
    run|run:*) printf '%s\n' dotnet run --no-build --project "$(source_dir "$mode")/src/Switchboard.Cli" -- serve ;;
    tool|tool:*) printf '%s\n' "$WORK/tool-$(slug "$(source_dir "$mode")")/tools/switchboard" serve ;;
    dll:*) printf '%s\n' dotnet "${m#dll:}" serve ;;
    *) echo "unknown mode $mode" >&2; return 1 ;;
  esac
}

# overhead URL: POSTs the README's first request, prints "STATUS OVERHEAD_MS".
BODY='{"model":"smart","messages":[{"role":"user","content":"Say hello"}]}'
request() {
  curl -s -D - -o /dev/null --max-time 30 -X POST "$1/v1/chat/completions" -H 'content-type: application/json' -d "$BODY" \
    | tr -d '\r' | awk -F': ' 'NR == 1 { s = $0; sub(/^HTTP\/[0-9.]+ /, "", s); sub(/ .*/, "", s) } tolower($1) == "x-switchboard-overhead-ms" { o = $2 } END { print s, (o == "" ? "-" : o) }'
}

one_run() {
  local mode=$1 run=$2 dir port start listen answer first tenth status
  dir="$WORK/runs/$(slug "$mode")-$run"
  local -a cmd; mapfile -t cmd < <(command_for "$mode")
  rm -rf "$dir"; mkdir -p "$dir"
  port=$(free_port)
  local pin=(); [ -n "${FIRST_TASKSET:-}" ] && pin=(taskset -c "$FIRST_TASKSET")
  start=$(now_ns)
  (cd "$dir" && exec "${pin[@]}" "${cmd[@]}" --urls "http://127.0.0.1:$port") > "$dir/gateway.log" 2>&1 &
  GW_PID=$!
  # Wait for the listener without sending an HTTP request (which would warm the pipeline before the measured one).
  for _ in $(seq 1 6000); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$GW_PID" 2>/dev/null || break
    sleep 0.01
  done
  listen=$(now_ns)
  read -r status first < <(request "http://127.0.0.1:$port")
  answer=$(now_ns)
  if [ "$status" != 200 ]; then
    log "$mode run $run: first request answered '$status'; $(tail -n 5 "$dir/gateway.log")"
    stop_gateway; return 1
  fi
  for _ in $(seq 2 9); do request "http://127.0.0.1:$port" > /dev/null; done
  read -r status tenth < <(request "http://127.0.0.1:$port")
  stop_gateway
  # The start-up warm-up's own duration, when the gateway logs one.
  warm=$(sed -n 's/.*warm-up: .* in \([0-9]*\) ms.*/\1/p' "$dir/gateway.log" | head -n 1)
  printf '%s\t%s\t%.3f\t%.3f\t%s\t%s\t%s\n' "$mode" "$run" "$(echo "($listen - $start) / 1000000000" | bc -l)" \
    "$(echo "($answer - $start) / 1000000000" | bc -l)" "$first" "$tenth" "${warm:--}" | tee -a "$WORK/runs.tsv"
}

: > "$WORK/runs.tsv"
declare -A PREPARED=()
for mode in "${MODES[@]}"; do
  m=${mode#*@}; key="${m%%:*}:$(source_dir "$mode" 2>/dev/null)"
  [ -n "${PREPARED[$key]:-}" ] && continue
  PREPARED[$key]=1
  case "$m" in
    run|run:*) src=$(source_dir "$mode"); log "building $src/src/Switchboard.Cli (Debug, as dotnet run does)"
      dotnet build "$src/src/Switchboard.Cli" -nologo -v quiet > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; } ;;
    tool|tool:*) prepare_tool "$(source_dir "$mode")" || { log "the tool could not be packed or installed"; exit 1; } ;;
  esac
done
log "${MODES[*]}: $RUNS cold starts each, interleaved"
printf 'mode\trun\tlisten_s\tanswer_s\tfirst_ms\ttenth_ms\twarmup_ms\n' >&2
for run in $(seq 1 "$RUNS"); do
  for mode in "${MODES[@]}"; do one_run "$mode" "$run" || exit 1; done
done

python3 - "$WORK/runs.tsv" <<'EOF'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
modes = list(dict.fromkeys(r[0] for r in rows))
print(f"{'mode':<40} {'runs':>4} {'listen_s':>9} {'answer_s':>9} {'first_ms':>9} {'tenth_ms':>9} {'first/tenth':>11}")
for mode in modes:
    rs = [r for r in rows if r[0] == mode]
    med = lambda i: statistics.median(float(r[i]) for r in rs)
    first, tenth = med(4), med(5)
    print(f"{mode:<40} {len(rs):>4} {med(2):>9.2f} {med(3):>9.2f} {first:>9.1f} {tenth:>9.2f} {first / tenth if tenth else float('inf'):>10.0f}x")
    warm = [float(r[6]) for r in rs if len(r) > 6 and r[6] != "-"]
    print(f"{'':<40} first_ms per run: {' '.join(r[4] for r in rs)}" + (f"; warm-up median {statistics.median(warm):.0f} ms" if warm else ""))
EOF
