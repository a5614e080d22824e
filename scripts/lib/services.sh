# Helpers to install and start the real servers the tests use. Sourced by scripts/test.sh and scripts/bench.sh.
# Everything binds to 127.0.0.1 on free ports and is stopped by stop_services.

SB_PACKAGES=(redis-server chromium)

ensure_packages() {
  local missing=()
  for pkg in "${SB_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    local sudo=""; [ "$(id -u)" != 0 ] && sudo="sudo"
    $sudo apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
      || log "warning: could not install ${missing[*]}; tests that need them will fail"
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

SB_REDIS_PORT=""
SB_PG_DIR=""

start_services() {
  local work="$1"
  # Redis: a throwaway server without persistence.
  if command -v redis-server >/dev/null; then
    SB_REDIS_PORT=$(free_port)
    mkdir -p "$work/redis"
    redis-server --bind 127.0.0.1 --port "$SB_REDIS_PORT" --daemonize yes --save '' --appendonly no \
      --dir "$work/redis" --pidfile "$work/redis/redis.pid" --logfile "$work/redis/redis.log" >/dev/null
    export SWITCHBOARD_TEST_REDIS="127.0.0.1:$SB_REDIS_PORT"
    export SWITCHBOARD_TEST_REDIS_SERVER="$(command -v redis-server)"
  fi
  # PostgreSQL 15: a throwaway cluster in the work folder.
  local pgbin=/usr/lib/postgresql/15/bin
  if [ -x "$pgbin/initdb" ]; then
    local port; port=$(free_port)
    SB_PG_DIR="$work/pg"
    rm -rf "$SB_PG_DIR"; mkdir -p "$SB_PG_DIR"
    local as=""; [ "$(id -u)" = 0 ] && { chown -R postgres:postgres "$SB_PG_DIR"; as="su postgres -c"; }
    run_pg() { if [ -n "$as" ]; then su postgres -c "$*"; else bash -c "$*"; fi; }
    if run_pg "$pgbin/initdb -D $SB_PG_DIR/data -U postgres --auth=trust -E UTF8" >/dev/null 2>&1 \
       && run_pg "$pgbin/pg_ctl -D $SB_PG_DIR/data -o '-p $port -k $SB_PG_DIR -c listen_addresses=127.0.0.1' -l $SB_PG_DIR/pg.log -w start" >/dev/null 2>&1; then
      export SWITCHBOARD_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
      export SWITCHBOARD_TEST_PG_CTL="$pgbin/pg_ctl"
      export SWITCHBOARD_TEST_PG_DATA="$SB_PG_DIR/data"
    else
      log "warning: PostgreSQL did not start"
      SB_PG_DIR=""
    fi
  fi
  if command -v chromium >/dev/null; then
    export SWITCHBOARD_TEST_CHROMIUM="$(command -v chromium)"
  fi
}

stop_services() {
  if [ -n "$SB_REDIS_PORT" ]; then
    redis-cli -p "$SB_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  fi
  if [ -n "$SB_PG_DIR" ] && [ -d "$SB_PG_DIR/data" ]; then
    if [ "$(id -u)" = 0 ]; then
      su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $SB_PG_DIR/data -m immediate -w stop" >/dev/null 2>&1 || true
    else
      /usr/lib/postgresql/15/bin/pg_ctl -D "$SB_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
  fi
}
