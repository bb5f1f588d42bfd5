#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh) and runs all tests with pytest; arguments go to pytest.
#
# The tests run inside a private dbus session with its own gnome-keyring, created, unlocked and thrown
# away here, so the tests marked `secret_service` use a real Secret Service without touching the
# keyring of the person running them. Qt runs offscreen (tests/conftest.py); the tests that need a
# real X server start their own Xvfb.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

if [[ "${_WEGWIJS_RUN_TESTS_INNER:-}" != 1 ]]; then
    bash "$repo/scripts/setup.sh"
    # Re-run this script inside a fresh, private dbus session bus; it ends when pytest ends.
    _WEGWIJS_RUN_TESTS_INNER=1 exec dbus-run-session --dbus-daemon="$repo/scripts/quiet-dbus-daemon.sh" -- bash "$repo/scripts/run-tests.sh" "$@"
fi
unset _WEGWIJS_RUN_TESTS_INNER
[[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]] || { echo "run-tests: geen dbus-sessie" >&2; exit 1; }

# gnome-keyring gets its own data and runtime folders: it must neither find nor change a keyring of
# the user running the tests.
keyring_home="$(mktemp -d "${TMPDIR:-/tmp}/wegwijs-keyring.XXXXXX")"
trap 'rm -rf "$keyring_home"' EXIT
mkdir -p "$keyring_home/data" "$keyring_home/run"
chmod 700 "$keyring_home/run"
keyring_env=(env "XDG_DATA_HOME=$keyring_home/data" "XDG_RUNTIME_DIR=$keyring_home/run")

# --unlock with a password on stdin creates the login keyring if needed and unlocks it without a
# prompt; --start then brings up the Secret Service component of that same daemon.
if ! printf '%s' "wegwijs-test" | "${keyring_env[@]}" gnome-keyring-daemon --unlock --components=secrets \
    >/dev/null 2>"$keyring_home/daemon.log" \
    || ! "${keyring_env[@]}" gnome-keyring-daemon --start --components=secrets >/dev/null 2>>"$keyring_home/daemon.log"; then
    cat "$keyring_home/daemon.log" >&2
    echo "run-tests: gnome-keyring-daemon kon niet starten" >&2
    exit 1
fi

# Make sure the Secret Service answers and the default collection is unlocked before any test runs.
if ! PYTHON_KEYRING_BACKEND=keyring.backends.SecretService.Keyring timeout 30 "$repo/.venv/bin/python" - <<'EOF'
import keyring

keyring.set_password("wegwijs-run-tests", "probe", "ok")
assert keyring.get_password("wegwijs-run-tests", "probe") == "ok"
keyring.delete_password("wegwijs-run-tests", "probe")
EOF
then
    cat "$keyring_home/daemon.log" >&2
    echo "run-tests: de Secret Service (gnome-keyring) werkt niet in de dbus-sessie" >&2
    exit 1
fi

export WEGWIJS_TEST_KEYRING=gnome-keyring
# pytest's own exit status is the result; 5 (no tests collected) counts as a failure too.
status=0
"$repo/.venv/bin/python" -m pytest "$@" || status=$?
exit "$status"
