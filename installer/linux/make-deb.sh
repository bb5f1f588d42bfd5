#!/usr/bin/env bash
# Makes the Debian package of a built bundle with dpkg-deb: the bundle in /opt/wegwijs, the programs
# in /usr/bin, a desktop entry and the icon. The package installs no profile and no policy file, so
# removing it leaves every profile (~/.local/share/wegwijs) and /etc/wegwijs/beleid.toml in place.
#
#   bash installer/linux/make-deb.sh BUNDLE OUTDIR
set -euo pipefail

bundle="$(cd "$1" && pwd)"
outdir="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
version="$("$bundle/wegwijs" --version | awk '{print $2}')"
arch="$(dpkg --print-architecture)"
root="$outdir/deb-root"

rm -rf "$root"
install -d -m 0755 "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/icons/hicolor/256x256/apps" "$root/usr/share/icons/hicolor/scalable/apps" \
    "$root/usr/share/doc/wegwijs"
cp -a "$bundle" "$root/opt/wegwijs"
# Files readable by all, programs and folders executable; nothing writable but by root.
chmod -R u=rwX,go=rX "$root/opt/wegwijs"
ln -s /opt/wegwijs/wegwijs "$root/usr/bin/wegwijs"
ln -s /opt/wegwijs/wegwijs-gui "$root/usr/bin/wegwijs-gui"
install -m 0644 "$here/wegwijs.desktop" "$root/usr/share/applications/wegwijs.desktop"
install -m 0644 "$repo/installer/icons/wegwijs.png" "$root/usr/share/icons/hicolor/256x256/apps/wegwijs.png"
install -m 0644 "$repo/installer/icons/wegwijs.svg" "$root/usr/share/icons/hicolor/scalable/apps/wegwijs.svg"
install -m 0644 "$repo/docs/beheer.md" "$root/usr/share/doc/wegwijs/beheer.md"

installed_kb="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
cat >"$root/DEBIAN/control" <<CONTROL
Package: wegwijs
Version: $version
Architecture: $arch
Maintainer: Wegwijs <beheer@wegwijs.invalid>
Installed-Size: $installed_kb
Section: misc
Priority: optional
Depends: libc6 (>= 2.36), libfontconfig1, libfreetype6, libgl1, libegl1, libopengl0, libglib2.0-0, libdbus-1-3, libx11-6, libx11-xcb1, libxkbcommon0, libxkbcommon-x11-0, libxcb1, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-xinerama0, libxcb-xkb1, fonts-noto-core
Recommends: gnome-keyring
Homepage: https://wegwijs.invalid/
Description: brede intake en PIP voor klantmanagers (Wet inburgering 2021)
 Wegwijs helpt klantmanagers bij de brede intake en het persoonlijk plan
 inburgering en participatie (PIP), offline en versleuteld (SQLCipher), met
 ondertekende synchronisatie naar de supervisor. Eén map met alles erin
 (PyInstaller); zie /usr/share/doc/wegwijs/beheer.md.
CONTROL

mkdir -p "$outdir"
deb="$outdir/wegwijs_${version}_${arch}.deb"
rm -f "$outdir"/wegwijs_*.deb
# zstd -3: a tenth of the time xz needs on two cores, for a package a third larger.
dpkg-deb --root-owner-group -Zzstd -z3 --build "$root" "$deb" >/dev/null
rm -rf "$root"
printf 'make-deb: %s (%s)\n' "$deb" "$(du -h "$deb" | cut -f1)"
