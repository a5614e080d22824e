# Helpers for scripts/bench.sh: background processes pinned to cores, readiness waits, wrk runs and parsing.
# Every process started here is remembered and stopped by bench_stop_all; everything binds to 127.0.0.1.

BENCH_PIDS=()

log() { printf '== [+%ss] %s\n' "$SECONDS" "$*" >&2; }

# start_pinned NAME CORE CMD... : runs CMD in the background on CORE, output to $WORK/NAME.log, pid in $WORK/NAME.pid.
start_pinned() {
  local name="$1" core="$2"; shift 2
  taskset -c "$core" "$@" > "$WORK/$name.log" 2>&1 &
  local pid=$!
  echo "$pid" > "$WORK/$name.pid"
  BENCH_PIDS+=("$pid")
}

# stop_named NAME : stops the process started under NAME (TERM, then KILL after 5 s).
stop_named() {
  local file="$WORK/$1.pid"
  [ -f "$file" ] || return 0
  local pid; pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  rm -f "$file"
}

bench_stop_all() {
  for pid in "${BENCH_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  sleep 0.5
  for pid in "${BENCH_PIDS[@]}"; do
    kill -9 "$pid" 2>/dev/null || true
  done
}

# wait_port PORT [SECONDS] : waits until something accepts HTTP on 127.0.0.1:PORT.
wait_port() {
  local port="$1" limit="${2:-30}"
  for _ in $(seq 1 $((limit * 10))); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && return 0
    sleep 0.1
  done
  return 1
}

# pid_of NAME : the pid started under NAME.
pid_of() { cat "$WORK/$1.pid"; }

# cpu_ticks PID : user+system clock ticks used so far.
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# peak_rss_mib PID : VmHWM (peak resident set) in MiB.
peak_rss_mib() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }

# The target wrk and the load client aim at: set by use_target.
T_URL=""; T_BODY=""; T_KEY=""; T_HEADERS=""

# run_wrk CONNECTIONS SECONDS : closed-loop load on the current target; prints "rps p50 p99 max requests" (ms; requests completed).
run_wrk() {
  local conns="$1" secs="$2" out
  out=$(BENCH_BODY="$T_BODY" BENCH_KEY="$T_KEY" BENCH_HEADERS="$T_HEADERS" \
    timeout $((secs + 20)) taskset -c 0 wrk -t1 -c"$conns" -d"${secs}s" --timeout 10s --latency -s "$ROOT/bench/wrk/post.lua" "$T_URL" 2>&1)
  echo "$out" >> "$WORK/wrk.log"
  echo "$out" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /m$/) return v*60000; if (v ~ /s$/) return v*1000; return v }
    /^ +Latency / && !lat { max = ms($4); lat = 1 }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 }
    /Non-2xx|Socket errors/ { errs = errs " " $0 }
    /requests in/ { requests = $1 }
    END { printf "%.0f %.2f %.2f %.2f %d\n", rps, p50, p99, max, requests; if (errs != "") print "wrk:" errs > "/dev/stderr" }'
}

# kv LINE KEY : the value of KEY in a "k=v k=v" line.
kv() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'; }

# loadgen MODE ARGS... : the .NET load client on core 0 against the current target.
loadgen() {
  local mode="$1"; shift
  local hdr=()
  if [ -n "$T_HEADERS" ]; then
    IFS='|' read -ra parts <<< "$T_HEADERS"
    for h in "${parts[@]}"; do hdr+=(--header "$h"); done
  fi
  local out rc
  for _ in 1 2; do
    out=$(timeout 120 taskset -c 0 dotnet "$LOADGEN" "$mode" --url "$T_URL" --body "$T_BODY" --key "$T_KEY" "${hdr[@]}" "$@" 2>>"$WORK/loadgen.err")
    rc=$?
    [ -n "$out" ] && { echo "$out"; return 0; }
    log "load client $mode exited $rc without a result; $(tail -n 1 "$WORK/loadgen.err")"
  done
}

# rss_mib PID : current resident set in MiB.
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }

# f2 A B : A - B with two decimals, or "–" when either is missing.
diff_ms() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "nan" || b == "nan" || a == "–" || b == "–") print "–"; else printf "%+.2f", a - b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "–" || b == "–" || b + 0 == 0) print "–"; else printf "%.2f×", a / b }'; }
