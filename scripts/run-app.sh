#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh) and starts Wegwijs on a demo profile with 200 fictional clients.
#
# Environment: WEGWIJS_DATA_DIR     the demo profile folder (default ~/.local/share/wegwijs-demo)
#              WEGWIJS_PASSPHRASE   the passphrase when there is no usable OS keyring (default: a demo
#                                   passphrase, only in that case)
# Arguments are passed to the GUI (`wegwijs --data-dir DIR ARGS...`).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$repo/scripts/setup.sh"

wegwijs="$repo/.venv/bin/wegwijs"
data_dir="${WEGWIJS_DATA_DIR:-$HOME/.local/share/wegwijs-demo}"
export WEGWIJS_DATA_DIR="$data_dir"
say() { printf 'run-app: %s\n' "$*"; }

# Does the OS keyring really keep a secret here? The app's own test (usable_keyring) says whether one
# is configured; a round trip with a time limit tells whether it answers without a prompt.
keyring_works() {
    timeout 20 "$repo/.venv/bin/python" - >/dev/null 2>&1 <<'EOF'
import sys

import keyring

from app.models.secrets import usable_keyring

if usable_keyring() is None:
    sys.exit(1)
keyring.set_password("wegwijs-run-app", "probe", "ok")
ok = keyring.get_password("wegwijs-run-app", "probe") == "ok"
keyring.delete_password("wegwijs-run-app", "probe")
sys.exit(0 if ok else 1)
EOF
}

demo_passphrase="wegwijs-demo-wachtwoord"
use_demo_passphrase() {
    if [[ -z "${WEGWIJS_PASSPHRASE:-}" ]]; then
        export WEGWIJS_PASSPHRASE="$demo_passphrase"
        say "$1; de demo gebruikt het wachtwoord '$WEGWIJS_PASSPHRASE'"
    fi
}

# An existing profile has already chosen where its key lives; a new one chooses now.
secret_backend="$("$repo/.venv/bin/python" -c 'import json, sys
try:
    print(json.load(open(sys.argv[1], encoding="utf-8")).get("secret_backend", ""))
except (OSError, ValueError):
    pass' "$data_dir/profile.json")"
if [[ "$secret_backend" == vault ]]; then
    use_demo_passphrase "dit demoprofiel bewaart zijn sleutel in een met wachtwoord versleuteld bestand"
elif [[ -z "$secret_backend" ]] && ! keyring_works; then
    if [[ -z "${PYTHON_KEYRING_BACKEND:-}" ]]; then
        # A keyring that is present but does not answer would make the app wait or fail: use none.
        export PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring
    fi
    use_demo_passphrase "geen bruikbare sleutelbos gevonden"
fi

mkdir -p "$data_dir"
if [[ ! -e "$data_dir/profile.json" ]]; then
    say "demoprofiel maken in $data_dir"
    "$wegwijs" --data-dir "$data_dir" init --role klantmanager --municipality Voorbeeldstad
fi
demo_marker="$data_dir/.demo-gegevens-geladen"
if [[ ! -e "$demo_marker" ]]; then
    say "200 fictieve cliënten toevoegen"
    "$wegwijs" --data-dir "$data_dir" demo --clients 200 --seed 1
    : >"$demo_marker"
fi

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
    say "geen beeldscherm (DISPLAY is leeg): Wegwijs start onder xvfb-run -a, dus onzichtbaar"
    xvfb-run -a -s "-screen 0 1600x1000x24" "$wegwijs" --data-dir "$data_dir" "$@"
    exit $?
fi
# Not exec: the app is its own process, so --exit-when-ready's ready_ms (the age of the process)
# counts the app's start and not the set-up above, which an exec'd process would inherit.
"$wegwijs" --data-dir "$data_dir" "$@"
exit $?
