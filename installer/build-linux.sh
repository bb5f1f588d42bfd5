#!/usr/bin/env bash
# Builds the one-folder Wegwijs bundle for Linux with PyInstaller (installer/wegwijs.spec, the same
# spec build-windows.ps1 uses), then compiles the catalogs into it. With --deb it also makes the
# Debian package (installer/linux/make-deb.sh).
#
#   bash installer/build-linux.sh [--deb]
#
# Output (ignored by git): build/installer/dist/wegwijs/ (the bundle: wegwijs, wegwijs-gui, _internal/)
# and, with --deb, build/installer/wegwijs_VERSION_amd64.deb.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
out="$repo/build/installer"
python="$repo/.venv/bin/python"

say() { printf 'build-linux: %s\n' "$*"; }

[[ -x "$python" ]] || bash "$repo/scripts/setup.sh"
if ! "$python" -c 'import PyInstaller' >/dev/null 2>&1; then
    say "PyInstaller installeren in .venv (extra 'bundle' uit pyproject.toml)"
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$python" -m pip install -q -e '.[test,bundle]'
fi

started=$SECONDS
rm -rf "$out/dist"
"$python" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$out/dist" --workpath "$out/work" installer/wegwijs.spec
# Compiled catalogs: the app then loads .mo files instead of compiling every .po at start-up.
"$python" installer/compile_catalogs.py "$out/dist/wegwijs/_internal/resources/translations"
bundle="$out/dist/wegwijs"
say "bundel klaar in $bundle ($(du -sh "$bundle" | cut -f1), $((SECONDS - started)) s)"

if [[ "${1:-}" == "--deb" ]]; then
    bash "$repo/installer/linux/make-deb.sh" "$bundle" "$out"
fi
