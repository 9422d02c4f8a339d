#!/usr/bin/env bash
# Property-based tests of the JSON API driven by its own OpenAPI document
# (Schemathesis, from PyPI): a pos-server started here, a brand and its
# devices prepared over HTTP (prepare.py), then every operation of
# /api/v1/openapi.json tried with generated valid and invalid requests
# (schemathesis.toml says which checks and why).
#
# Expects POS_DATABASE_URL, POS_OWNER_DATABASE_URL and POS_REDIS_URL exported
# and the database migrated (tests/run.sh and tests/dev.sh do that):
#
#   bash tests/dev.sh bash tests/schemathesis/run.sh [extra st run args...]
#
# Schemathesis is installed into a virtualenv (POS_VENV, default
# ~/.cache/pos-venv) when missing. The server log and Schemathesis' reports
# go to ${POS_ARTIFACTS:-/tmp/pos-artifacts}/schemathesis.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../../backend/scripts/lib.sh"
[[ -n "${POS_DATABASE_URL:-}" && -n "${POS_OWNER_DATABASE_URL:-}" && -n "${POS_REDIS_URL:-}" ]] ||
  pos_die "schemathesis: the test database and Redis are not set up (run it through tests/dev.sh)"
server_bin="${POS_SERVER_BIN:-$CARGO_TARGET_DIR/debug/pos-server}"
[[ -x "$server_bin" ]] || (cd "$POS_ROOT" && cargo build -p pos-server --quiet)
venv="${POS_VENV:-$HOME/.cache/pos-venv}"
out="${POS_ARTIFACTS:-/tmp/pos-artifacts}/schemathesis"

if ! "$venv/bin/st" --version 2>/dev/null | grep -q 'version 4\.'; then
  echo "schemathesis: installing Schemathesis 4 into $venv" >&2
  if ! python3 -c 'import ensurepip' 2>/dev/null && [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  fi
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'schemathesis>=4,<5'
fi

rm -rf "$out" && mkdir -p "$out"
port="$(pos_free_port)"
base="http://127.0.0.1:$port"
# Generated sign-ins and pairings from one address: the limits have tests of
# their own. A ping every second gives each generated stream request an event.
POS_BIND="127.0.0.1:$port" POS_LOG="${POS_LOG:-warn}" POS_LOG_FORMAT=pretty \
  POS_LOGIN_LIMIT_PER_IP=1000000 POS_LOGIN_LIMIT_PER_ACCOUNT=1000000 \
  POS_PAIR_LIMIT_PER_IP=1000000 POS_PAIR_LIMIT_GLOBAL=1000000 POS_SSE_HEARTBEAT_MS=1000 \
  "$server_bin" serve >"$out/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -sf "$base/healthz" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$out/server.log" >&2; exit 1; }
  sleep 0.1
done

while IFS='=' read -r name value; do
  export "$name=$value"
done < <(python3 "$here/prepare.py" "$base")

# The whole report goes to $out/st.log; the summary (or, on failure, the
# failures) to the terminal.
cd "$out"
status=0
"$venv/bin/st" --config-file "$here/schemathesis.toml" run "$base/api/v1/openapi.json" \
  --seed "${POS_ST_SEED:-20261203}" --no-color \
  --report junit --report-dir "$out" "$@" >"$out/st.log" 2>&1 || status=$?
if [[ $status -eq 0 ]]; then
  sed -n '/= SUMMARY =/,$p' "$out/st.log"
else
  sed -n '/= \(ERRORS\|FAILURES\) =/,$p' "$out/st.log" >&2
  echo "schemathesis: failed; the whole report is in $out/st.log" >&2
fi
exit "$status"
