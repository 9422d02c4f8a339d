#!/usr/bin/env bash
# Sets up and runs the whole product with a demo brand on a fresh Debian
# machine: installs what is missing, starts private PostgreSQL and Redis on
# loopback (or uses DATABASE_URL / REDIS_URL), builds, migrates, seeds the
# demo brand and serves on POS_BIND (default 127.0.0.1:8080), with the
# payment gateway stand-in on 127.0.0.1:POS_GATEWAY_PORT (default 8090).
# Data persists in POS_STATE_DIR (default /var/lib/pos-demo as root,
# ~/.local/share/pos-demo otherwise), so running it again is safe. Ctrl-C stops everything it started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$POS_ROOT"

export POS_BIND="${POS_BIND:-127.0.0.1:8080}"
# The demo runs on the development defaults (a published JWT key and
# secrets); the server uses them only when told so.
export POS_ENV="${POS_ENV:-development}"
# PostgreSQL runs as the postgres user when we are root, and cannot enter /root.
if [ "$(id -u)" -eq 0 ]; then STATE="${POS_STATE_DIR:-/var/lib/pos-demo}"; else STATE="${POS_STATE_DIR:-$HOME/.local/share/pos-demo}"; fi
PROFILE="${POS_PROFILE:-release}"
export POS_LOG_FORMAT="${POS_LOG_FORMAT:-pretty}"

pos_install_deps wasm
trap 'pos_services_stop' EXIT
trap 'exit 130' INT TERM

pos_pg_start "$STATE" "${POS_PG_PORT:-55433}" pos
pos_redis_start "$STATE" "${POS_REDIS_PORT:-56380}"
# Mail (invitations, password resets) goes to a local sink: each mail is a
# file in $STATE/maildir/new.
pos_smtp_start "$STATE" "${POS_SMTP_PORT:-2525}"

pos_log "building the server ($PROFILE)"
cargo build --profile "$PROFILE" -p pos-server -p pos-gateway-standin --quiet
BIN="$CARGO_TARGET_DIR/$PROFILE/pos-server"
# QRIS goes to the local payment gateway stand-in: press "Customer paid" on
# its page to play the customer's wallet app. Nothing here calls a real gateway.
GATEWAY_PORT="${POS_GATEWAY_PORT:-8090}"
pos_gateway_start "$CARGO_TARGET_DIR/$PROFILE/pos-gateway-standin" "$GATEWAY_PORT" "$STATE" \
  "http://$POS_BIND/api/v1/payments/webhooks/midtrans"
export POS_PAYMENT_NOTIFICATION_URL="http://$POS_BIND/api/v1/payments/webhooks/midtrans"
pos_log "building the kiosk/KDS app"
bash kiosk-pwa/build.sh >/dev/null

"$BIN" migrate
SUMMARY="$("$BIN" seed-demo)"
BASE="http://$POS_BIND"
KIOSK_CODE="$(printf '%s\n' "$SUMMARY" | awk '/kiosk pairing code/ {print $NF}')"
KDS_CODE="$(printf '%s\n' "$SUMMARY" | awk '/KDS pairing code/ {print $NF}')"
cat <<TXT

$SUMMARY

  Admin            $BASE/admin
  Kiosk            $BASE/kiosk/?pair=$KIOSK_CODE   (pairs itself on first open)
  Kitchen display  $BASE/kds/?pair=$KDS_CODE
  Pickup board     $BASE/kds/board
  Payment gateway  http://127.0.0.1:$GATEWAY_PORT/   (stand-in: QRIS charges, "Customer paid")
  Mail             $STATE/maildir/new/   (every mail the product sends, one file each)
  API docs         $BASE/api/docs
  Health           $BASE/healthz   Metrics $BASE/metrics

Serving on $BASE; Ctrl-C stops the server, the gateway stand-in, the mail sink, PostgreSQL and Redis.
TXT
"$BIN" serve
