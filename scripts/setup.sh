#!/usr/bin/env bash
# Installs what building and testing Ardoise needs and is missing; does nothing for what is there.
#   scripts/setup.sh          the build toolchain (WebAssembly target, wasm-bindgen, wasm-opt)
#   scripts/setup.sh --test   the same, plus Chromium, the browser tests' npm packages, and a
#                             running PostgreSQL on 127.0.0.1:5432
set -euo pipefail
source "$(dirname "$0")/env.sh"

with_tests=false
[ "${1:-}" = "--test" ] && with_tests=true

apt_packages=()
need_apt() { dpkg -s "$1" >/dev/null 2>&1 || apt_packages+=("$1"); }

command -v cargo >/dev/null || fail "cargo is missing: install Rust from your distribution or rustup first"
command -v node >/dev/null && command -v npm >/dev/null || need_apt nodejs
command -v npm >/dev/null || need_apt npm
if ! rustup_has_wasm_std; then
  # No wasm32 std for rustup's compiler (the download host may be unreachable): build std from
  # source with Debian's rustc-web toolchain instead.
  for p in rustc-web cargo-web rust-web-src lld; do need_apt "$p"; done
fi
if $with_tests; then
  for p in chromium chromium-driver; do need_apt "$p"; done
  # The storage and server tests run on PostgreSQL as well as SQLite.
  command -v pg_ctlcluster >/dev/null && command -v psql >/dev/null || need_apt postgresql
  # The Debian package's test: objdump reads the glibc version the binary needs.
  command -v objdump >/dev/null || need_apt binutils
  # The reverse proxy recipes' tests: Debian's nginx and Caddy, and openssl for a certificate.
  command -v nginx >/dev/null || need_apt nginx-light
  # The PDF export's test reads its text back with poppler's pdftotext.
  command -v pdftotext >/dev/null || need_apt poppler-utils
  command -v caddy >/dev/null || need_apt caddy
  command -v openssl >/dev/null || need_apt openssl
fi
if [ ${#apt_packages[@]} -gt 0 ]; then
  step "Installing Debian packages: ${apt_packages[*]}"
  command -v apt-get >/dev/null || fail "missing packages (${apt_packages[*]}) and no apt-get to install them"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${apt_packages[@]}"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  step "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes on 2 cores)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# Debian's binaryen is too old (its output breaks in the browser): take npm's.
if [ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ]; then
  step "Installing wasm-opt (binaryen $BINARYEN_VERSION from npm)"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund "binaryen@$BINARYEN_VERSION"
fi

if $with_tests; then
  if [ ! -d end2end/node_modules ] || [ end2end/package-lock.json -nt end2end/node_modules ]; then
    step "Installing the browser and interoperability tests' npm packages"
    # npm ci trips over optional platform packages missing from npm 11 lock files: install the
    # locked versions with npm install instead.
    (cd end2end && npm install --no-save --no-audit --no-fund)
    touch end2end/node_modules
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    step "Starting PostgreSQL"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
    for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
    pg_isready -q -h 127.0.0.1 -p 5432 || fail "PostgreSQL does not answer on 127.0.0.1:5432"
  fi
fi
step "Tools ready"
