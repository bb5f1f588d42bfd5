"""`wegwijs --exit-when-ready`: the real program starts, fills and paints its caseload, and exits 0."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

PASSPHRASE = "klaar-proef-wachtwoord"
CLIENTS = 30


def _environment(**extra: str) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(
        WEGWIJS_PASSPHRASE=PASSPHRASE,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        QT_QPA_PLATFORM="offscreen",
    )
    environment.update(extra)
    return environment


def _run(command: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL
    )


@pytest.fixture
def data_dir(tmp_path: Path, wegwijs_command: list[str]) -> Path:
    folder = tmp_path / "profiel"
    for args in (
        ["init", "--role", "klantmanager", "--municipality", "Voorbeeldstad"],
        ["demo", "--clients", str(CLIENTS), "--seed", "5"],
    ):
        done = _run([*wegwijs_command, "--data-dir", str(folder), *args], _environment())
        assert done.returncode == 0, (args, done.stderr)
    return folder


def _assert_ready(done: subprocess.CompletedProcess[str]) -> int:
    assert done.returncode == 0, done.stderr
    # stdout holds the one line and nothing else, so a script can read it.
    match = re.fullmatch(r"ready_ms=(\d+)\n", done.stdout)
    assert match, done.stdout
    return int(match.group(1))


def test_exits_zero_with_ready_ms_once_the_caseload_is_painted(
    data_dir: Path, wegwijs_command: list[str]
) -> None:
    done = _run([*wegwijs_command, "--data-dir", str(data_dir), "--exit-when-ready"], _environment())
    ready_ms = _assert_ready(done)
    # Counted from the process start: the interpreter and Qt alone take more than a few milliseconds,
    # and a start that took minutes would have hit the timeout.
    assert 20 < ready_ms < 180_000


@pytest.mark.xvfb
def test_exits_zero_on_a_real_x_server(data_dir: Path, wegwijs_command: list[str], xvfb_display: str) -> None:
    environment = _environment(QT_QPA_PLATFORM="xcb", DISPLAY=xvfb_display)
    done = _run([*wegwijs_command, "--data-dir", str(data_dir), "--exit-when-ready"], environment)
    _assert_ready(done)


def test_without_a_profile_it_says_so_instead_of_waiting_for_the_first_run_dialog(
    tmp_path: Path, wegwijs_command: list[str]
) -> None:
    empty = tmp_path / "leeg"
    done = _run([*wegwijs_command, "--data-dir", str(empty), "--exit-when-ready"], _environment())
    assert done.returncode == 1
    assert done.stdout == ""
    assert "wegwijs init" in done.stderr and "profiel" in done.stderr
    assert not empty.exists() or not any(empty.iterdir())


def test_a_wrong_passphrase_fails_at_once_without_a_dialog(
    data_dir: Path, wegwijs_command: list[str]
) -> None:
    environment = _environment(WEGWIJS_PASSPHRASE="niet-het-goede-wachtwoord")
    done = _run([*wegwijs_command, "--data-dir", str(data_dir), "--exit-when-ready"], environment)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "wachtwoord" in done.stderr.lower()


def test_with_a_command_it_is_wrong_usage(wegwijs_command: list[str]) -> None:
    done = _run([*wegwijs_command, "--exit-when-ready", "list"], _environment())
    assert done.returncode == 2
    assert "--exit-when-ready" in done.stderr


def test_a_caseload_that_cannot_be_loaded_exits_one_without_a_dialog(
    data_dir: Path, wegwijs_command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.profile import open_profile

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    profile = open_profile(data_dir, lambda _new: PASSPHRASE)
    # The store opens (its revision is current) but the caseload's query fails on a missing table.
    connection = profile.store().engine.raw_connection()
    connection.execute("DROP TABLE client_case")
    # `wegwijs demo` stores the caseload's lines (issue 15): without them the caseload is computed.
    connection.execute("DELETE FROM caseload_state")
    connection.commit()
    connection.close()
    profile.close()
    done = _run([*wegwijs_command, "--data-dir", str(data_dir), "--exit-when-ready"], _environment())
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert done.stderr.strip()
