#!/usr/bin/env bash
# Sets up everything Wegwijs needs on a Debian 12 machine: the system packages for Qt on X11, Xvfb,
# dbus, gnome-keyring and poppler-utils, then a virtual environment in .venv with Wegwijs installed
# (editable, with the test extras). Safe to run again: it only installs what is missing, and it skips
# pip when pyproject.toml has not changed since the last successful install.
#
# Environment: PYTHON  the interpreter to build .venv with (default: the first Python >= 3.11 found)
#              WEGWIJS_SKIP_APT=1  do not touch system packages (for machines managed by someone else)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: FOUT: %s\n' "$*" >&2; exit 1; }

# Run a noisy command quietly; show its output only when it fails.
quietly() {
    local log
    log="$(mktemp)"
    if ! "$@" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}

# --- system packages -------------------------------------------------------------------------------
deb_packages=(
    # X server and tools for the real-window test and for the app on a machine without a screen
    xvfb xauth x11-utils xdotool
    # Secret Service: a private dbus session with gnome-keyring for the keyring tests
    dbus dbus-x11 gnome-keyring libsecret-1-0
    # pdftoppm for looking at rendered PDFs; msgfmt to check exported translation files
    poppler-utils gettext
    # fonts for the GUI, including Arabic and Ethiopic script
    fontconfig fonts-noto-core
    # the PostgreSQL server the tests start themselves (a private cluster on loopback) for the team store
    postgresql
    # what PySide6's xcb platform plugin (plugins/platforms/libqxcb.so) and QtGui link against
    libxcb1 libx11-6 libx11-xcb1 libxext6 libxrender1
    libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0
    libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0
    libxcb-xinerama0 libxcb-xkb1 libxcb-glx0 libxkbcommon0 libxkbcommon-x11-0
    libegl1 libgl1 libopengl0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
)

deb_is_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

install_deb_packages() {
    local missing=() p
    for p in "$@"; do
        deb_is_installed "$p" || missing+=("$p")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null || die "deze pakketten ontbreken en er is geen root of sudo: ${missing[*]}"
        sudo=(sudo -n)
    fi
    say "Debian-pakketten installeren: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # A failing extra package source must not stop us when Debian's own lists did arrive: warn and try.
    quietly "${sudo[@]}" apt-get update -q || say "waarschuwing: apt-get update meldde fouten (zie hierboven)"
    quietly "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" \
        || die "apt-get install is mislukt (zie hierboven)"
}

if [[ "${WEGWIJS_SKIP_APT:-}" != 1 ]]; then
    command -v dpkg-query >/dev/null || die "dit script verwacht Debian of Ubuntu (apt); zet WEGWIJS_SKIP_APT=1 \
en installeer de pakketten zelf"
    install_deb_packages "${deb_packages[@]}"
fi

# --- Python ----------------------------------------------------------------------------------------
python_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1
}

find_python() {
    local candidate
    for candidate in ${PYTHON:-} python3.11 python3.12 python3.13 python3 /usr/bin/python3; do
        if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

venv_python="$repo/.venv/bin/python"
if [[ ! -x "$venv_python" ]] || ! python_ok "$venv_python"; then
    python="$(find_python)" || die "geen Python 3.11 of nieuwer gevonden; installeer python3 (>= 3.11)"
    if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        # Debian's own python3 needs python3-venv for ensurepip.
        [[ "${WEGWIJS_SKIP_APT:-}" == 1 ]] && die "$python mist de module venv/ensurepip (pakket python3-venv)"
        install_deb_packages python3-venv
    fi
    say "virtuele omgeving .venv maken met $python"
    rm -rf "$repo/.venv"
    quietly "$python" -m venv "$repo/.venv" || die "python -m venv is mislukt (zie hierboven)"
fi

# Skip pip when pyproject.toml and the interpreter are the same as at the last successful install.
stamp="$repo/.venv/.wegwijs-setup-stamp"
want="$( { sha256sum pyproject.toml; "$venv_python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" || ! -x "$repo/.venv/bin/wegwijs" ]] \
    || ! "$venv_python" -c 'import importlib.metadata as m; m.version("wegwijs")' >/dev/null 2>&1; then
    say "Python-pakketten installeren in .venv (pip install -e '.[test]')"
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    quietly "$venv_python" -m pip install -q -e '.[test]' || die "pip install is mislukt (zie hierboven)"
    printf '%s\n' "$want" >"$stamp"
fi
