#!/usr/bin/env bash
# Runs the whole test suite: formatting and lints, unit tests, integration tests against the real
# server binary, the automerge-repo interoperability test and the browser tests in headless
# Chromium. Installs what is missing first.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh" --test

step "Checking formatting and lints"
cargo fmt --all --check || fail "code is not formatted: run cargo fmt --all"
cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
# The browser-only code, checked on the host: the same crate with the `hydrate` feature.
cargo clippy -p app --features hydrate --all-targets -- -D warnings

"$ROOT/scripts/build.sh"

# The PostgreSQL server the tests create their databases on (trust authentication).
export ARDOISE_TEST_POSTGRES="${ARDOISE_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
# Databases an interrupted run left behind.
psql "$ARDOISE_TEST_POSTGRES" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'ardoise\_test\_%'" |
  while read -r db; do psql "$ARDOISE_TEST_POSTGRES" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"; done

# The binary carries its browser app: no ARDOISE_SITE_ROOT, so that the tests serve that copy.
export ARDOISE_BIN="$TARGET/release/ardoise"
unset ARDOISE_SITE_ROOT
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
step "Unit and integration tests"
cargo test --release --workspace --exclude frontend 2>&1 | tee -a "$log"

step "Debian package: built, installed, checked"
deb="$("$ROOT/scripts/package-deb.sh")"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO dpkg -i "$deb"
[ "$(/usr/bin/ardoise --version)" = "$("$ARDOISE_BIN" --version)" ] || fail "the installed ardoise is not this build"
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify /usr/lib/systemd/system/ardoise.service
fi
# The browser tests start it as its unit does.
export ARDOISE_INSTALLED_BIN=/usr/bin/ardoise

step "Browser tests (headless Chromium)"
(cd end2end && npx playwright test) 2>&1 | tee -a "$log"

# set -o pipefail stopped the script at the first failure: everything counted here passed.
passed=$(sed -n -e 's/^test result: ok\. \([0-9]*\) passed.*/\1/p' -e 's/^ *\([0-9]*\) passed (.*/\1/p' "$log" |
  awk '{ n += $1 } END { print n + 0 }')
step "All tests passed"
echo "summary: $passed passed, 0 failed"
