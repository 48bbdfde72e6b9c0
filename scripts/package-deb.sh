#!/usr/bin/env bash
# Builds the Debian package of Ardoise from the release build (scripts/build.sh first):
# /usr/bin/ardoise, its systemd unit, /etc/ardoise/ardoise.env and the documents. Writes
# $TARGET/debian/ardoise_<version>_<arch>.deb and prints its path.
set -euo pipefail
source "$(dirname "$0")/env.sh"

binary="$TARGET/release/ardoise"
[ -x "$binary" ] || fail "$binary is missing: run scripts/build.sh"
"$binary" --version >/dev/null
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)"
arch="$(dpkg --print-architecture)"
# The newest glibc symbol version the binary uses: the package's only dependency.
glibc="$(objdump -T "$binary" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)"

root="$TARGET/debian/ardoise_${version}_${arch}"
rm -rf "$root"
install -Dm755 "$binary" "$root/usr/bin/ardoise"
strip --strip-debug "$root/usr/bin/ardoise"
install -Dm644 packaging/ardoise.service "$root/usr/lib/systemd/system/ardoise.service"
install -Dm640 packaging/ardoise.env "$root/etc/ardoise/ardoise.env"
for doc in README.md CHANGELOG.md docs/*.md; do
  install -Dm644 "$doc" "$root/usr/share/doc/ardoise/$(basename "$doc")"
done
install -Dm644 LICENSE "$root/usr/share/doc/ardoise/copyright"
install -d "$root/DEBIAN"
install -m755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$root/DEBIAN/"
echo /etc/ardoise/ardoise.env >"$root/DEBIAN/conffiles"
cat >"$root/DEBIAN/control" <<CONTROL
Package: ardoise
Version: $version
Architecture: $arch
Maintainer: Ardoise developers <root@localhost>
Depends: libc6 (>= $glibc)
Section: web
Priority: optional
Installed-Size: $(du -sk "$root/usr" | cut -f1)
Description: collaborative sticky-note boards for workshops and retrospectives
 Ardoise is a self-hosted, real-time collaborative board of sticky notes, for
 retrospectives and remote workshops. One binary serves the pages, the browser
 app, the sync websocket and the API, with its boards in SQLite or PostgreSQL.
 The package runs it as a systemd service on 127.0.0.1:3000.
CONTROL
deb="$TARGET/debian/ardoise_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$root" "$deb" >/dev/null
echo "$deb"
