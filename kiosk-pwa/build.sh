#!/usr/bin/env bash
# Builds the kiosk, kitchen display (KDS), pickup board and till into
# kiosk-pwa/dist/, one bundle per screen, so a device downloads only its own:
#   dist/app/<screen>/     pos_kiosk_pwa.js and its .wasm (and .wasm.gz, .wasm.br), served
#                          at /app/<screen>/
#   dist/app/              app.css and icons/ (shared), served at /app/
#   dist/<screen>/         index.html, sw.js (the service worker) and
#                          manifest.webmanifest of the screen, served at its path:
#     kiosk  /kiosk/    kds  /kds/    board  /kds/board    till  /pos/
# Needs only rustup, cargo, gzip and brotli; installs the matching wasm-bindgen CLI if
# missing. The bundle's compiler flags (Leptos's type-erased views) are in
# .cargo/config.toml, which cargo reads because this runs in kiosk-pwa/.
#
#   build.sh              every screen
#   build.sh kds board    only these (the others' dist/ files are kept)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

readonly TARGET=wasm32-unknown-unknown
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR_WASM:-$HOME/.cache/pos-target-wasm}"
readonly ALL_SCREENS=(kiosk kds board till)
# Where each screen's page, worker and manifest are served, and its worker's
# scope (the board's pages, /kds/board and below, lie inside the KDS's /kds/).
declare -A BASE=([kiosk]=/kiosk/ [kds]=/kds/ [board]=/kds/board/ [till]=/pos/)
declare -A SCOPE=([kiosk]=/kiosk/ [kds]=/kds/ [board]=/kds/board [till]=/pos/)

screens=("$@")
[[ ${#screens[@]} -gt 0 ]] || screens=("${ALL_SCREENS[@]}")
for screen in "${screens[@]}"; do
  [[ -n "${BASE[$screen]:-}" ]] || { echo "build.sh: no screen \"$screen\" (${ALL_SCREENS[*]})" >&2; exit 2; }
done

for tool in gzip brotli; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done

if ! rustup target list --installed | grep -qx "$TARGET"; then
  rustup target add "$TARGET"
fi

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

# A whole build starts from nothing (no file of an older layout lingers).
[[ $# -gt 0 ]] || rm -rf dist
# The shared files.
mkdir -p dist/app/icons
cp assets/app.css dist/app/app.css
cp assets/icons/*.png dist/app/icons/
shared=(/app/app.css /app/icons/icon-192.png /app/icons/icon-512.png /app/icons/icon-maskable-512.png)

wasm="$CARGO_TARGET_DIR/$TARGET/release/pos_kiosk_pwa.wasm"
for screen in "${screens[@]}"; do
  # Every screen builds to the same file name: the touch makes cargo relink
  # it for this screen's features, never reuse another screen's output.
  touch src/lib.rs
  cargo build --release --target "$TARGET" --no-default-features --features "$screen"

  out="dist/app/$screen"
  rm -rf "$out" "dist/$screen"
  mkdir -p "$out" "dist/$screen"
  # The name section only makes stack traces readable; it is a third of the
  # file. Panic messages (with file and line) still reach the console.
  wasm-bindgen --target web --no-typescript --remove-name-section --out-dir "$out" "$wasm"
  # No wasm-opt: -Oz takes 0.5% off the gzipped bundle (6% raw), and
  # Debian's binaryen (108) writes wasm-bindgen's externref table as anyref,
  # which the browser then refuses at start ("Table.set(): Argument 1 is
  # invalid for table"). Binaryen 132 (npm's `binaryen`) takes 0.2% off the
  # gzipped till (8% raw), not worth a Node step in the build.
  bundle="$out/pos_kiosk_pwa_bg.wasm"
  # The server sends the best of these a browser takes (backend/src/
  # device_apps.rs): Brotli at its densest, a fifth smaller than gzip -9,
  # which is a fifth smaller than the server's own on-the-fly (fast) gzip.
  gzip -9 -n -c "$bundle" >"$bundle.gz"
  brotli -q 11 -n -c "$bundle" >"$bundle.br"

  stamp() { sed -e "s|__SCREEN__|$screen|g" -e "s|__BASE__|${BASE[$screen]}|g" -e "s|__SCOPE__|${SCOPE[$screen]}|g"; }
  stamp <assets/index.html >"dist/$screen/index.html"
  stamp <assets/manifest.webmanifest >"dist/$screen/manifest.webmanifest"
  # The worker precaches the page, its manifest, this screen's bundle and the
  # shared files, and names its cache after their content, so a new build
  # replaces the cached app as a whole.
  files=("${shared[@]}")
  while IFS= read -r f; do files+=("/${f#dist/}"); done < <(find "$out" -type f ! -name '*.gz' ! -name '*.br' | sort)
  list=$(printf '"%s", ' "${files[@]}")
  version=$(cat "dist/$screen/index.html" "dist/$screen/manifest.webmanifest" "${files[@]/#/dist}" |
    sha256sum | cut -c1-16)
  stamp <assets/sw.js | sed -e "s|__BUILD_VERSION__|$version|" -e "s|\.\.\.__SHELL_FILES__|${list%, }|" >"dist/$screen/sw.js"

  echo "$screen: wasm $(wc -c <"$bundle") bytes, $(wc -c <"$bundle.gz") bytes gzipped, $(wc -c <"$bundle.br") with Brotli; js $(wc -c <"$out/pos_kiosk_pwa.js") bytes"
done
