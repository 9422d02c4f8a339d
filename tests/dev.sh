#!/usr/bin/env bash
# For developers: runs one command against private PostgreSQL and Redis (and
# an SMTP sink) started for it, with a fresh migrated database, then stops
# them. Use it for a focused test instead of the whole test command:
#
#   bash tests/dev.sh cargo test -p pos-tests --test api orders::
#   bash tests/dev.sh bash tests/browser/run.sh tests/browser/login.test.js
#
# The environment the command sees is the test command's (POS_ENV=test,
# POS_DATABASE_URL, POS_OWNER_DATABASE_URL, POS_REDIS_URL, POS_SMTP_URL,
# POS_TEST_MAILDIR, POS_MEDIA_DIR, POS_SERVER_BIN, and POS_MIDTRANS_BASE_URL /
# POS_MIDTRANS_SERVER_KEY of the payment gateway stand-in it starts).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../backend/scripts/lib.sh"
cd "$POS_ROOT"

[ $# -gt 0 ] || pos_die "usage: tests/dev.sh COMMAND [ARGS...]"
ulimit -n 65536 2>/dev/null || true
STATE="$(mktemp -d /tmp/pos-dev.XXXXXX)"
DB="pos_dev_$(date +%s)_$$"
cleanup() {
  local rc=$?
  [ -n "${DATABASE_URL:-}" ] && pos_pg_drop_db "$DB"
  pos_services_stop
  rm -rf "$STATE"
  exit $rc
}
trap cleanup EXIT INT TERM

POS_PG_FSYNC=off pos_pg_start "$STATE" "$(pos_free_port)" "$DB"
pos_redis_start "$STATE" "$(pos_free_port)"
pos_smtp_start "$STATE" "$(pos_free_port)"
export POS_ENV=test POS_LOG="${POS_LOG:-error}" POS_MEDIA_DIR="$STATE/media"
# Every server of the run pairs devices from 127.0.0.1, with the wrong codes
# the tests try counted in the shared Redis: the limits have tests of their own.
export POS_PAIR_LIMIT_PER_IP="${POS_PAIR_LIMIT_PER_IP:-100000}" POS_PAIR_LIMIT_GLOBAL="${POS_PAIR_LIMIT_GLOBAL:-100000}"
export POS_SERVER_BIN="${POS_SERVER_BIN:-$CARGO_TARGET_DIR/debug/pos-server}"
cargo build -p pos-server -p pos-gateway-standin --quiet
pos_gateway_start "$CARGO_TARGET_DIR/debug/pos-gateway-standin" "$(pos_free_port)" "$STATE"
"$CARGO_TARGET_DIR/debug/pos-server" migrate
"$@"
