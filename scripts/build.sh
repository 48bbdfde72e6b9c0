#!/usr/bin/env bash
# Builds Ardoise for release: the browser app (WebAssembly, JS, CSS) into $TARGET/site/pkg and the
# `ardoise` server binary into $TARGET/release/ardoise.
set -euo pipefail
source "$(dirname "$0")/env.sh"

step "Building the browser app (WebAssembly)"
wasm_args=(build -p frontend --target wasm32-unknown-unknown --profile wasm-release)
if rustup_has_wasm_std; then
  cargo "${wasm_args[@]}"
else
  [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library ] ||
    fail "no wasm32 standard library: run scripts/setup.sh (it installs Debian's rustc-web and rust-web-src)"
  # Debian's rustc builds std for wasm32 from source; RUSTC_BOOTSTRAP allows -Zbuild-std on it.
  PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld \
    /usr/bin/cargo "${wasm_args[@]}" -Zbuild-std=std,panic_abort
fi

step "Generating the JavaScript bindings and optimising the WebAssembly"
mkdir -p "$SITE/pkg"
wasm-bindgen --target web --no-typescript --out-name ardoise --out-dir "$SITE/pkg" \
  "$TARGET/wasm32-unknown-unknown/wasm-release/frontend.wasm"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue \
  -o "$SITE/pkg/ardoise_bg.wasm" "$SITE/pkg/ardoise_bg.wasm"
cp style/ardoise.css style/favicon.svg frontend/sw.js "$SITE/pkg/"
(cd "$SITE/pkg" && node "$ROOT/scripts/compress.mjs" ardoise_bg.wasm ardoise.js ardoise.css sw.js favicon.svg)
printf 'browser bundle: %s bytes of wasm, %s of JS (gzip); %s and %s (brotli)\n' \
  "$(stat -c %s "$SITE/pkg/ardoise_bg.wasm.gz")" "$(stat -c %s "$SITE/pkg/ardoise.js.gz")" \
  "$(stat -c %s "$SITE/pkg/ardoise_bg.wasm.br")" "$(stat -c %s "$SITE/pkg/ardoise.js.br")"

step "Building the ardoise server (with the browser app inside)"
cargo build --release -p server
