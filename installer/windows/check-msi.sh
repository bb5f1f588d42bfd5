#!/usr/bin/env bash
# Checks installer/windows/wegwijs.wxs on Linux with msitools' wixl (WiX 3 syntax): compiles it into an
# MSI from a staged tree with the bundle's layout. PyInstaller cannot build Windows programs on Linux,
# so the staged wegwijs.exe and wegwijs-gui.exe are the Linux programs under Windows names and the
# MSI made here is a check of the installer script only: it is NOT an installable Windows package.
#
#   bash installer/windows/check-msi.sh BUNDLE OUTDIR     (prints the path of the MSI)
set -euo pipefail

bundle="$(cd "$1" && pwd)"
outdir="$(mkdir -p "$2" && cd "$2" && pwd)"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command -v wixl >/dev/null || { echo "check-msi: wixl ontbreekt (apt-get install wixl msitools)" >&2; exit 1; }
version="$("$bundle/wegwijs" --version | awk '{print $2}')"

stage="$outdir/msi-stage"
rm -rf "$stage"
mkdir -p "$stage/_internal"
cp "$bundle/wegwijs" "$stage/wegwijs.exe"
cp "$bundle/wegwijs-gui" "$stage/wegwijs-gui.exe"
cp -r "$bundle/_internal/resources" "$stage/_internal/resources"
(cd "$stage" && find . -type f | sed 's|^\./||' | sort) \
    | sed "s|^|$stage/|" \
    | wixl-heat -p "$stage/" --component-group BundleFiles --var var.BundleDir --directory-ref INSTALLFOLDER \
        >"$outdir/bundle-files.wxs"
msi="$outdir/wegwijs-$version-x64-check.msi"
# wixl looks source files up relative to the working folder only: give it relative paths.
cp "$repo/installer/windows/wegwijs.wxs" "$outdir/wegwijs.wxs"
mkdir -p "$stage/icons"
cp "$repo/installer/icons/wegwijs.ico" "$stage/icons/wegwijs.ico"
(cd "$outdir" && wixl -a x64 -D "Version=$version" -D "BundleDir=msi-stage" -D "IconDir=msi-stage/icons" \
    -o "$msi" wegwijs.wxs bundle-files.wxs)
rm -rf "$stage"
echo "$msi"
