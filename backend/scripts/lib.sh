# Shared by run.sh and tests/run.sh: installs what is missing and starts
# private PostgreSQL, Redis and SMTP instances on loopback (or uses
# DATABASE_URL / REDIS_URL when set). Source it; call pos_services_stop
# (run.sh and tests/run.sh do, from an EXIT trap) to stop what it started.
# shellcheck shell=bash

POS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/pos-target}"
# The server's templates, static files and built screens come from this
# checkout. Without it the server looks in the tree it was compiled from,
# and two checkouts sharing one target directory share cargo's build of it:
# the tests of one then ran against the other's built screens.
export POS_ASSETS_DIR="${POS_ASSETS_DIR:-$POS_ROOT}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
_POS_STARTED=()

pos_log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
pos_die() { printf '\033[1;31mxx\033[0m %s\n' "$*" >&2; exit 1; }

# pos_install_deps [browser] [wasm] [bench] [cluster]
pos_install_deps() {
  local want=() pkgs=()
  [ -x "$PG_BIN/postgres" ] || want+=(postgresql-15)
  command -v psql >/dev/null || want+=(postgresql-client-15)
  if [ -z "${REDIS_URL:-}" ]; then command -v redis-server >/dev/null || want+=(redis-server); fi
  command -v redis-cli >/dev/null || want+=(redis-tools)
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || want+=(python3-aiosmtpd)
  command -v curl >/dev/null || want+=(curl)
  local extra
  for extra in "$@"; do
    case "$extra" in
      browser) command -v chromium >/dev/null || want+=(chromium)
               command -v node >/dev/null || want+=(nodejs npm) ;;
      bench) command -v wrk >/dev/null || want+=(wrk)
             command -v pgbench >/dev/null || want+=(postgresql-contrib) ;;
      # build.sh stores each screen's bundle Brotli-compressed too.
      wasm) command -v brotli >/dev/null || want+=(brotli) ;;
      # The deployment tests: the nginx site and PgBouncer.
      cluster) command -v nginx >/dev/null || want+=(nginx-light)
               command -v pgbouncer >/dev/null || want+=(pgbouncer) ;;
    esac
  done
  for p in "${want[@]}"; do pkgs+=("$p"); done
  if [ ${#pkgs[@]} -gt 0 ]; then
    pos_log "installing: ${pkgs[*]}"
    command -v apt-get >/dev/null || pos_die "apt-get not found; install ${pkgs[*]} by hand"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
    # Debian's postgresql package starts a cluster of its own on 5432; we use private ones.
    if command -v pg_lsclusters >/dev/null && pg_lsclusters -h 2>/dev/null | grep -q online; then
      pg_ctlcluster 15 main stop 2>/dev/null || true
    fi
    # The same for the system services of redis-server, nginx and pgbouncer.
    if command -v service >/dev/null; then
      local svc
      for svc in redis-server nginx pgbouncer; do service "$svc" stop >/dev/null 2>&1 || true; done
    fi
  fi
  for extra in "$@"; do
    if [ "$extra" = wasm ] && ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
      pos_log "adding the wasm32 target"
      rustup target add wasm32-unknown-unknown >/dev/null
    fi
  done
}

# Runs a PostgreSQL server command as the postgres OS user when we are root
# (initdb refuses root), as ourselves otherwise.
_pos_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

# A free loopback port for a service started next: at random below the
# kernel's ephemeral range (where outgoing connections and port-0 listeners
# land, so none of them can take it before the service binds), checked free.
pos_free_port() {
  python3 - <<'PY'
import random, socket
try:
    below = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except Exception:
    below = 32768
below = max(below, 21000)
for _ in range(100):
    port = random.randrange(20000, below)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
else:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

_pos_urlpart() { # _pos_urlpart URL field -> prints hostname/port/username/password/path
  python3 - "$1" "$2" <<'PY'
import sys, urllib.parse as u
p = u.urlparse(sys.argv[1]); f = sys.argv[2]
v = {"host": p.hostname or "127.0.0.1", "port": p.port or 5432, "user": p.username or "", "password": u.unquote(p.password or ""), "db": (p.path or "/").lstrip("/")}[f]
print(v)
PY
}

# pos_pg_start STATE_DIR PORT DBNAME: exports POS_DATABASE_URL (app role),
# POS_OWNER_DATABASE_URL (owner role) and POS_PG_ADMIN (psql args, superuser).
pos_pg_start() {
  local dir="$1" port="$2" db="$3"
  local owner_pw="${POS_OWNER_PASSWORD:-pos_owner_dev}" app_pw="${POS_APP_PASSWORD:-pos_app_dev}"
  local host=127.0.0.1
  if [ -n "${DATABASE_URL:-}" ]; then
    pos_log "using the PostgreSQL server of DATABASE_URL"
    host="$(_pos_urlpart "$DATABASE_URL" host)"; port="$(_pos_urlpart "$DATABASE_URL" port)"
    POS_PG_ADMIN="$DATABASE_URL"
  else
    mkdir -p "$dir"
    # The postgres user must be able to enter the state dir (mktemp makes it 0700).
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
    local data="$dir/pgdata"
    if [ ! -s "$data/PG_VERSION" ]; then
      pos_log "creating a private PostgreSQL cluster in $data"
      if [ "$(id -u)" -eq 0 ]; then install -d -o postgres -g postgres -m 700 "$data"; else install -d -m 700 "$data"; fi
      _pos_pg "'$PG_BIN/initdb' -D '$data' -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8" >/dev/null
    fi
    if ! _pos_pg "'$PG_BIN/pg_ctl' -D '$data' status" >/dev/null 2>&1; then
      pos_log "starting PostgreSQL on 127.0.0.1:$port"
      _pos_pg "'$PG_BIN/pg_ctl' -D '$data' -l '$data/server.log' -w -t 60 -o \"-c listen_addresses=127.0.0.1 -p $port -k '$data' -c max_connections=300 -c shared_buffers=256MB -c fsync=${POS_PG_FSYNC:-on}\" start" >/dev/null \
        || { tail -20 "$data/server.log" >&2; pos_die "PostgreSQL did not start"; }
      _POS_STARTED+=("pg:$data")
    fi
    POS_PG_ADMIN="host=$data port=$port user=postgres dbname=postgres"
  fi
  export POS_PG_ADMIN
  psql -X -q -v ON_ERROR_STOP=1 "$POS_PG_ADMIN" -v db="$db" -v owner_pw="$owner_pw" -v app_pw="$app_pw" \
    -f "$POS_ROOT/migrations/sql/bootstrap-roles.sql" >/dev/null
  export POS_DATABASE_URL="postgres://pos_app:$app_pw@$host:$port/$db"
  export POS_OWNER_DATABASE_URL="postgres://pos_owner:$owner_pw@$host:$port/$db"
  export POS_PG_HOST="$host" POS_PG_PORT="$port" POS_PG_DB="$db"
}

# pos_pg_drop_db DBNAME (for throw-away test databases on a shared server)
pos_pg_drop_db() {
  psql -X -q "$POS_PG_ADMIN" -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 || true
}

# pos_redis_start STATE_DIR PORT: exports POS_REDIS_URL.
pos_redis_start() {
  local dir="$1" port="$2"
  if [ -n "${REDIS_URL:-}" ]; then
    export POS_REDIS_URL="$REDIS_URL"
    return
  fi
  mkdir -p "$dir/redis"
  if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
    pos_log "starting Redis on 127.0.0.1:$port"
    redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes \
      --dir "$dir/redis" --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log" >/dev/null
    local i; for i in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    _POS_STARTED+=("redis:$port")
  fi
  export POS_REDIS_URL="redis://127.0.0.1:$port"
  export POS_REDIS_PORT="$port"
}

# pos_smtp_start STATE_DIR PORT: a mail sink writing to STATE_DIR/maildir.
pos_smtp_start() {
  local dir="$1" port="$2"
  # A maildir (cur, new, tmp); mails land in new/.
  mkdir -p "$dir/maildir/cur" "$dir/maildir/new" "$dir/maildir/tmp"
  /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$dir/maildir" >"$dir/smtp.log" 2>&1 &
  _POS_STARTED+=("pid:$!")
  export POS_SMTP_URL="smtp://127.0.0.1:$port" POS_TEST_MAILDIR="$dir/maildir"
}

# The payment gateway stand-in (pos-gateway-standin, binary $1) on
# 127.0.0.1:$2, logging to $3/gateway-standin.log; $4, when given, is where it
# posts notifications by default. Servers started afterwards charge QRIS
# there (each names its own webhook with every charge).
pos_gateway_start() {
  local bin="$1" port="$2" dir="$3" notify="${4:-}" i
  local key="${POS_MIDTRANS_SERVER_KEY:-SB-Mid-server-local-standin}"
  local args=(--bind "127.0.0.1:$port")
  [ -n "$notify" ] && args+=(--notification-url "$notify")
  STANDIN_SERVER_KEY="$key" STANDIN_LOG="${STANDIN_LOG:-warn}" "$bin" "${args[@]}" >"$dir/gateway-standin.log" 2>&1 &
  _POS_STARTED+=("pid:$!")
  export POS_MIDTRANS_BASE_URL="http://127.0.0.1:$port" POS_MIDTRANS_SERVER_KEY="$key"
  for i in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  pos_die "the payment gateway stand-in did not start (see $dir/gateway-standin.log)"
}

pos_services_stop() {
  local item
  for item in "${_POS_STARTED[@]}"; do
    case "$item" in
      pg:*) _pos_pg "'$PG_BIN/pg_ctl' -D '${item#pg:}' -m fast stop" >/dev/null 2>&1 || true ;;
      redis:*) redis-cli -p "${item#redis:}" shutdown nosave >/dev/null 2>&1 || true ;;
      pid:*) kill "${item#pid:}" 2>/dev/null || true ;;
    esac
  done
  _POS_STARTED=()
}
