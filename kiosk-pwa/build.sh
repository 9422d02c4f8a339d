#!/usr/bin/env bash
# Builds the kiosk/KDS/till bundle into kiosk-pwa/dist/:
#   dist/index.html        served for /kiosk/, /kds/ and /pos/
#   dist/app/              served at /app/ (pos_kiosk_pwa.js, its .wasm, app.css, icons/)
#   dist/sw.js, dist/manifest.webmanifest
#                          served at /kiosk/…, /kds/… and /pos/… (the service worker and web manifest)
# Needs only rustup, cargo and gzip; installs the matching wasm-bindgen CLI if missing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

readonly TARGET=wasm32-unknown-unknown
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR_WASM:-$HOME/.cache/pos-target-wasm}"

if ! rustup target list --installed | grep -qx "$TARGET"; then
  rustup target add "$TARGET"
fi

cargo build --release --target "$TARGET"

# The CLI must be exactly the version of the wasm-bindgen crate the bundle
# was built with, or it refuses the module.
want=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [[ -z "$want" ]]; then
  echo "build.sh: no wasm-bindgen version in Cargo.lock" >&2
  exit 1
fi
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [[ "$have" != "$want" ]]; then
  echo "installing wasm-bindgen-cli $want (found: ${have:-none})"
  # Not --locked: one of the CLI's locked transitive versions is not served by
  # the registry here (STACK-NOTES §7).
  cargo install wasm-bindgen-cli --version "$want"
fi

wasm="$CARGO_TARGET_DIR/$TARGET/release/pos_kiosk_pwa.wasm"
rm -rf dist
mkdir -p dist/app
# The name section only makes stack traces readable; it is a third of the file.
# Panic messages (with file and line) still reach the console.
wasm-bindgen --target web --no-typescript --remove-name-section --out-dir dist/app "$wasm"
cp assets/index.html dist/index.html
cp assets/app.css dist/app/app.css
cp assets/manifest.webmanifest dist/manifest.webmanifest
mkdir -p dist/app/icons
cp assets/icons/*.png dist/app/icons/
# The service worker (served at /kiosk/sw.js, /kds/sw.js and /pos/sw.js) names its cache
# after this build, so a new build replaces the cached app as a whole.
version=$(cat dist/index.html dist/manifest.webmanifest dist/app/*.js dist/app/*.wasm dist/app/*.css | sha256sum | cut -c1-16)
sed "s/__BUILD_VERSION__/$version/" assets/sw.js >dist/sw.js

bundle=dist/app/pos_kiosk_pwa_bg.wasm
echo "wasm: $(wc -c <"$bundle") bytes, $(gzip -9 -c "$bundle" | wc -c) bytes gzipped ($bundle)"
