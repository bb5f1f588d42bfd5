"""Fixtures for tests that need real outside components: an X server and a Secret Service.

Both are provided by `scripts/run-tests.sh` (Xvfb is installed by scripts/setup.sh; the Secret Service
is a private gnome-keyring in a private dbus session). Run elsewhere, the tests that need them are
skipped with the reason, except in CI (CI=true), where a missing component fails the test: CI must
really test them.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

if TYPE_CHECKING:
    from postgres_server import PostgresServer
    from sync_helpers import Pair

SECRET_SERVICE_BACKEND = "keyring.backends.SecretService.Keyring"
XVFB_START_SECONDS = 15


def missing(reason: str) -> NoReturn:
    """Skip the test for a missing component, or fail it in CI."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (CI=true: this must not be skipped in CI)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    """A fresh Xvfb server on a free display number; yields the DISPLAY value (":N")."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        missing("Xvfb is not installed (scripts/setup.sh installs it)")
    # -displayfd makes Xvfb choose a free display number itself and write it to the pipe: no race
    # with other X servers started at the same time.
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    os.close(write_end)
    try:
        number = _read_display_number(read_end, process)
        yield f":{number}"
    finally:
        os.close(read_end)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()


def _read_display_number(read_end: int, process: subprocess.Popen[bytes]) -> int:
    data = b""
    while not data.endswith(b"\n"):
        ready, _, _ = select.select([read_end], [], [], XVFB_START_SECONDS)
        if not ready:
            process.kill()
            raise RuntimeError(f"Xvfb did not report a display within {XVFB_START_SECONDS} s")
        chunk = os.read(read_end, 64)
        if not chunk:
            error = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise RuntimeError(f"Xvfb stopped before it was ready: {error}")
        data += chunk
    return int(data.strip())


@pytest.fixture
def secret_service() -> Iterator[str]:
    """The real Secret Service of run-tests.sh's private gnome-keyring, through keyring's backend.

    Sets PYTHON_KEYRING_BACKEND for this process and its children and yields the backend's name.
    """
    if os.environ.get("WEGWIJS_TEST_KEYRING") != "gnome-keyring" or not os.environ.get(
        "DBUS_SESSION_BUS_ADDRESS"
    ):
        missing(
            "no private Secret Service: run the tests with scripts/run-tests.sh, which starts gnome-keyring "
            "in its own dbus session"
        )
    import keyring.core

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHON_KEYRING_BACKEND", SECRET_SERVICE_BACKEND)
        patch.delenv("WEGWIJS_PASSPHRASE", raising=False)
        keyring.core.init_backend()
        backend = keyring.core.get_keyring()
        assert f"{type(backend).__module__}.{type(backend).__name__}" == SECRET_SERVICE_BACKEND
        yield SECRET_SERVICE_BACKEND
    keyring.core.init_backend()


@pytest.fixture
def pair(tmp_path: Path, passphrase_env: str) -> Iterator[Pair]:
    """A klantmanager's device and a supervisor who trust each other, and a folder target."""
    from sync_helpers import make_pair

    made = make_pair(tmp_path)
    yield made
    made.device.close()
    made.supervisor.close()


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """A private PostgreSQL server on loopback for this test session (tests/integration/postgres_server.py)."""
    from postgres_server import running_server, server_binaries

    if server_binaries() is None:
        missing("PostgreSQL 15 of nieuwer is niet geïnstalleerd (scripts/setup.sh installeert het)")
    # Not under the tests' own private temp folder: the server runs as the 'postgres' user when the
    # tests run as root, and must be able to reach its data folder.
    base = Path("/tmp") / f"wegwijs-pg-{os.getpid()}"
    with running_server(base) as server:
        yield server
