#!/usr/bin/env bash
# Installs what is missing, builds a release and starts Ardoise on http://127.0.0.1:3000 with an
# SQLite file under data/. Extra arguments go to `ardoise` (see `ardoise --help`).
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh"
step "Starting Ardoise"
exec "$TARGET/release/ardoise" "$@"
