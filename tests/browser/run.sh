#!/usr/bin/env bash
# Browser tests of the web admin: Debian's Chromium driven by playwright-core,
# run by node's built-in test runner against a pos-server started here.
#
# Expects POS_DATABASE_URL, POS_OWNER_DATABASE_URL and POS_REDIS_URL exported
# and the database migrated (tests/run.sh and backend/scripts/lib.sh do that);
# each test file signs up a brand of its own, so any database will do.
#
#   bash tests/browser/run.sh [node --test args...]
#
# Screenshots (desktop and 375 px phone width) and the server log go to
# ${POS_ARTIFACTS:-/tmp/pos-artifacts}. Exits with node's status.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$HOME/.cache/pos-target}"
# POS_SERVER_BIN: a pos-server built elsewhere (it serves static/ and
# templates/ of the tree it was built from, unless POS_ASSETS_DIR says otherwise).
server_bin="${POS_SERVER_BIN:-$target/debug/pos-server}"
artifacts="${POS_ARTIFACTS:-/tmp/pos-artifacts}"
chromium="${CHROMIUM:-/usr/bin/chromium}"

for var in POS_DATABASE_URL POS_OWNER_DATABASE_URL POS_REDIS_URL; do
  if [[ -z "${!var:-}" ]]; then
    echo "browser tests: $var is not set (source the dev environment first)" >&2
    exit 2
  fi
done

if [[ ! -x "$chromium" ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "browser tests: installing Debian's chromium" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "browser tests: $chromium is missing (apt-get install chromium)" >&2
    exit 2
  fi
fi

if ! command -v node >/dev/null; then
  echo "browser tests: node is missing (apt-get install nodejs npm)" >&2
  exit 2
fi

if [[ ! -d "$here/node_modules/playwright-core" ]]; then
  # No browser download: the tests use the system Chromium.
  if [[ -f "$here/package-lock.json" ]]; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  else
    (cd "$here" && npm install --no-audit --no-fund --loglevel=error)
  fi
fi

if [[ ! -x "$server_bin" ]]; then
  echo "browser tests: building pos-server" >&2
  (cd "$root" && CARGO_TARGET_DIR="$target" cargo build --bin pos-server)
fi

mkdir -p "$artifacts"
# shellcheck source=../../backend/scripts/lib.sh
source "$root/backend/scripts/lib.sh"
port="$(pos_free_port)"
base_url="http://127.0.0.1:$port"
server_log="$artifacts/browser-server.log"

# The tests sign in and pair often from one address; the per-IP limits are
# the API suite's business, not theirs. POS_ENV: the development secrets,
# unless the caller (tests/run.sh: test) says otherwise.
POS_BIND="127.0.0.1:$port" \
POS_ENV="${POS_ENV:-test}" \
POS_LOGIN_LIMIT_PER_IP="${POS_LOGIN_LIMIT_PER_IP:-100000}" \
POS_PAIR_LIMIT_PER_IP="${POS_PAIR_LIMIT_PER_IP:-100000}" \
POS_PAIR_LIMIT_GLOBAL="${POS_PAIR_LIMIT_GLOBAL:-100000}" \
POS_LOG="${POS_LOG:-warn}" \
  "$server_bin" serve >"$server_log" 2>&1 &
server_pid=$!
stop_server() {
  if kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
}
trap stop_server EXIT INT TERM

for _ in $(seq 1 100); do
  if curl -fsS "$base_url/healthz" >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "browser tests: pos-server exited; its log:" >&2
    cat "$server_log" >&2
    exit 1
  fi
  sleep 0.2
done
curl -fsS "$base_url/healthz" >/dev/null

echo "browser tests: server on $base_url, screenshots in $artifacts"
set +e
(cd "$here" && BASE_URL="$base_url" POS_ARTIFACTS="$artifacts" CHROMIUM="$chromium" \
  node --test --test-concurrency=1 --test-reporter=spec "$@")
status=$?
set -e
exit "$status"
