#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail): starts private PostgreSQL and Redis,
# a release build of the server, and runs pos-bench against it.
#   bash tests/bench/run.sh [outlets|menu|pull|admin-page|orders|fanout|stream-check|qris-paid|reports|all] [pos-bench flags...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../backend/scripts/lib.sh"
cd "$POS_ROOT"
WHICH="${1:-all}"; shift || true
# Development defaults (the server uses them only when told so).
export POS_ENV="${POS_ENV:-development}"

pos_install_deps bench
ulimit -n 65536 2>/dev/null || true
STATE="$(mktemp -d /tmp/pos-bench.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true; fi
  pos_services_stop
  rm -rf "$STATE"
}
trap cleanup EXIT INT TERM

pos_pg_start "$STATE" "$(pos_free_port)" pos_bench
pos_redis_start "$STATE" "$(pos_free_port)"
cargo build --release -p pos-server -p pos-tests -p pos-gateway-standin --quiet
BIN="$CARGO_TARGET_DIR/release"
# QRIS charges go to the local gateway stand-in (`qris-paid`).
pos_gateway_start "$BIN/pos-gateway-standin" "$(pos_free_port)" "$STATE"
"$BIN/pos-server" migrate
PORT="$(pos_free_port)"
# The fan-out benchmark opens its 1,000 streams with one staff token.
POS_BIND="127.0.0.1:$PORT" POS_LOG=warn POS_DB_MAX_CONNECTIONS="${POS_DB_MAX_CONNECTIONS:-32}" \
  POS_LOGIN_LIMIT_PER_IP=100000 POS_SSE_STREAMS_PER_USER=100000 POS_MEDIA_DIR="$STATE/media" \
  "$BIN/pos-server" serve &
SERVER_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
run() {
  echo
  "$BIN/pos-bench" "$1" --base "http://127.0.0.1:$PORT" --db-url "$POS_DATABASE_URL" --server-pid "$SERVER_PID" \
    --gateway-key "$POS_MIDTRANS_SERVER_KEY" "${@:2}"
}
if [ "$WHICH" = all ]; then
  run outlets "$@"; run menu "$@"; run pull "$@"; run admin-page "$@"; run orders "$@"; run fanout "$@"
  run stream-check "$@"; run qris-paid "$@"
else
  run "$WHICH" "$@"
fi
