#!/usr/bin/env bash
# Sets up everything on a fresh Debian machine and runs every test:
# format and lint checks, the kiosk's WASM build, Rust unit and integration
# tests (over HTTP and SQL against a fresh throw-away database, and with real
# server processes and Redis for the live events), and the browser tests in
# Debian's Chromium.
# Uses DATABASE_URL (a superuser URL) / REDIS_URL when set; otherwise starts
# private PostgreSQL and Redis instances on loopback and stops them at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../backend/scripts/lib.sh"
cd "$POS_ROOT"

pos_install_deps wasm browser cluster
ulimit -n 65536 2>/dev/null || true
STATE="$(mktemp -d /tmp/pos-test.XXXXXX)"
DB="pos_test_$(date +%s)_$$"
BACKGROUND_PIDS=()
cleanup() {
  local rc=$?
  # The fault and cluster tests run in their own process groups (see below).
  local pid
  for pid in "${BACKGROUND_PIDS[@]}"; do [ -n "$pid" ] && kill -- -"$pid" 2>/dev/null || true; done
  [ -n "${DATABASE_URL:-}" ] && pos_pg_drop_db "$DB"
  pos_services_stop
  rm -rf "$STATE"
  exit $rc
}
trap cleanup EXIT INT TERM

POS_PG_FSYNC=off pos_pg_start "$STATE" "$(pos_free_port)" "$DB"
pos_redis_start "$STATE" "$(pos_free_port)"
# Mail goes to a local sink (Debian's aiosmtpd) writing to $STATE/maildir.
pos_smtp_start "$STATE" "$(pos_free_port)"
export POS_ENV=test POS_LOG="${POS_LOG:-error}" POS_MEDIA_DIR="$STATE/media"
# Every server of the run pairs devices from 127.0.0.1, with the wrong codes
# the tests try counted in the shared Redis: the limits have tests of their own.
export POS_PAIR_LIMIT_PER_IP="${POS_PAIR_LIMIT_PER_IP:-100000}" POS_PAIR_LIMIT_GLOBAL="${POS_PAIR_LIMIT_GLOBAL:-100000}"

pos_log "checking format"
cargo fmt --all -- --check
(cd kiosk-pwa && cargo fmt --all -- --check)
pos_log "building"
cargo build --workspace --all-targets --quiet
pos_log "clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings
pos_log "starting the payment gateway stand-in"
# Every server the tests start charges QRIS here and names its own webhook
# (the in-process API tests start stand-ins of their own).
pos_gateway_start "$CARGO_TARGET_DIR/debug/pos-gateway-standin" "$(pos_free_port)" "$STATE"
pos_log "migrating the fresh database"
"$CARGO_TARGET_DIR/debug/pos-server" migrate
pos_log "seeding the demo brand (smoke test of the real path)"
"$CARGO_TARGET_DIR/debug/pos-server" seed-demo >/dev/null
pos_log "building the kiosk/KDS app (wasm32)"
bash kiosk-pwa/build.sh >/dev/null
pos_log "clippy and host unit tests of the kiosk/KDS app"
(
  cd kiosk-pwa
  CARGO_TARGET_DIR="${CARGO_TARGET_DIR_WASM:-$HOME/.cache/pos-target-wasm}" \
    cargo clippy --quiet --target wasm32-unknown-unknown --all-targets -- -D warnings
  CARGO_TARGET_DIR="${CARGO_TARGET_DIR_WASM:-$HOME/.cache/pos-target-wasm}" cargo test --quiet --lib
)

# The fault tests (tests/faults: real server, PostgreSQL and Redis processes
# killed and restarted, each test with its own) and the deployment tests
# (tests/cluster: servers behind nginx, a standby promoted, backups
# restored, PgBouncer) run next to the other Rust tests, from their built
# binaries so cargo's lock does not serialise them.
# background_suite PACKAGE TEST: starts it; its pid goes to BACKGROUND_PIDS.
background_suite() {
  local bin
  bin="$(cargo test -p "$1" --test "$2" --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("executable") and m["target"]["name"] == sys.argv[1]: print(m["executable"])' "$2")"
  [ -x "$bin" ] || pos_die "the $2 test binary was not built"
  setsid "$bin" --test-threads=1 >"$STATE/$2.log" 2>&1 &
  BACKGROUND_PIDS+=($!)
}
# wait_suite INDEX NAME: waits for it; its log on failure, its summary otherwise.
wait_suite() {
  local pid="${BACKGROUND_PIDS[$1]}"
  if ! wait "$pid"; then
    cat "$STATE/$2.log" >&2
    pos_die "the $2 tests failed"
  fi
  BACKGROUND_PIDS[$1]=""
  grep -E '^test |^test result' "$STATE/$2.log" >&2
}
pos_log "running the fault and deployment tests (in the background) and the Rust tests (unit, HTTP, SQL, multi-process)"
background_suite pos-fault-tests faults
background_suite pos-cluster-tests cluster
cargo test --workspace --exclude pos-fault-tests --exclude pos-cluster-tests --quiet -- --test-threads="${POS_TEST_THREADS:-4}"
wait_suite 0 faults
wait_suite 1 cluster
pos_log "running Schemathesis: the OpenAPI document against a live server"
POS_SERVER_BIN="$CARGO_TARGET_DIR/debug/pos-server" bash tests/schemathesis/run.sh
pos_log "running the browser tests (Debian Chromium)"
POS_SERVER_BIN="$CARGO_TARGET_DIR/debug/pos-server" bash tests/browser/run.sh
pos_log "running the kiosk, KDS and pickup board browser tests (Debian Chromium)"
POS_SERVER_BIN="$CARGO_TARGET_DIR/debug/pos-server" bash kiosk-pwa/tests/run.sh
