#!/usr/bin/env bash
# Browser tests of the kiosk, KDS, pickup board and till, in headless Chromium.
#
# Expects POS_DATABASE_URL, POS_OWNER_DATABASE_URL and POS_REDIS_URL exported
# and the database migrated (e.g. `source /tmp/devenv-lead.sh`, or
# backend/scripts/lib.sh's pos_pg_start). Builds the kiosk bundle if it is
# missing, installs the test's npm packages if needed, and runs the specs;
# each spec starts its own pos-server (${POS_SERVER_BIN:-$CARGO_TARGET_DIR/debug/pos-server})
# on a free port with POS_ASSETS_DIR at the repository root, and stops it.
#
#   kiosk-pwa/tests/run.sh                     every spec
#   kiosk-pwa/tests/run.sh specs/offline.test.mjs
#
# Specs that read mail (receipt_email) need POS_SMTP_URL and POS_TEST_MAILDIR
# exported (tests/dev.sh and tests/run.sh start an SMTP sink and export both;
# each spec's server inherits the environment).
#
# Screenshots go to ${POS_ARTIFACTS:-/tmp/pos-artifacts}.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
tests_dir=$(pwd)
repo_root=$(cd ../.. && pwd)

for var in POS_DATABASE_URL POS_OWNER_DATABASE_URL POS_REDIS_URL; do
  if [[ -z "${!var:-}" ]]; then
    echo "run.sh: $var is not set (export it, with the database migrated)" >&2
    exit 2
  fi
done

export POS_SERVER_BIN="${POS_SERVER_BIN:-${CARGO_TARGET_DIR:-$repo_root/target}/debug/pos-server}"
if [[ ! -x "$POS_SERVER_BIN" ]]; then
  echo "run.sh: no server binary at $POS_SERVER_BIN (cargo build -p pos-server, or set POS_SERVER_BIN)" >&2
  exit 2
fi

if ! command -v chromium >/dev/null; then
  echo "installing chromium"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"

if [[ ! -f "$repo_root/kiosk-pwa/dist/till/sw.js" || ! -f "$repo_root/kiosk-pwa/dist/app/till/pos_kiosk_pwa_bg.wasm" ]]; then
  bash "$repo_root/kiosk-pwa/build.sh"
fi

if [[ ! -d node_modules/playwright-core ]]; then
  # Only the library: the browser is the system's chromium (no browser download).
  if [[ -f package-lock.json ]]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi

export POS_ARTIFACTS="${POS_ARTIFACTS:-/tmp/pos-artifacts}"
mkdir -p "$POS_ARTIFACTS"

if [[ $# -gt 0 ]]; then
  specs=("$@")
else
  specs=(specs/*.test.mjs)
fi
cd "$tests_dir"
node --test --test-concurrency=1 --test-timeout=300000 "${specs[@]}"
echo "screenshots: $POS_ARTIFACTS"
