"""Helpers for the store, migration, CLI and journal tests (no tests here).

A profile costs an Argon2id derivation and a store creation; the tests make one template profile per
module and copy it, which is the same as a fresh `wegwijs init` but much cheaper.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import keyring.core
import pytest
import sqlcipher3.dbapi2 as sqlcipher

from app.domain.enums import Role
from app.services.profile import STORE_KEY_NAME, Profile, init_profile, open_profile

# The same values as tests/conftest.py's passphrase_env, so in-process and CLI agree.
FAIL_KEYRING = "keyring.backends.fail.Keyring"
PASSPHRASE = "correct horse battery staple"
MUNICIPALITY = "Testdorp"
USER_NAME = "km.test"
UNPRIVILEGED_UID = 65534  # nobody


def give_passphrase(_new: bool) -> str:
    return PASSPHRASE


@contextlib.contextmanager
def vault_environment() -> Iterator[None]:
    """No usable keyring and the passphrase in WEGWIJS_PASSPHRASE, for this process."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHON_KEYRING_BACKEND", FAIL_KEYRING)
        patch.setenv("WEGWIJS_PASSPHRASE", PASSPHRASE)
        keyring.core.init_backend()
        try:
            yield
        finally:
            patch.undo()
            keyring.core.init_backend()


def make_profile(folder: Path, municipality: str = MUNICIPALITY) -> Path:
    """A new, closed profile (passphrase vault) in `folder`; returns the folder."""
    with vault_environment():
        profile = init_profile(folder, Role.KLANTMANAGER, municipality, USER_NAME, give_passphrase)
        assert profile.settings.secret_backend == "vault"
        profile.close()
    return folder


def copy_profile(template: Path, folder: Path) -> Path:
    shutil.copytree(template, folder)
    return folder


def load_profile(folder: Path) -> Profile:
    return open_profile(folder, give_passphrase)


def store_key(folder: Path) -> bytes:
    key = load_profile(folder).secrets.get(STORE_KEY_NAME)
    assert key is not None
    return key


def connect_with_key(path: Path, key: bytes, **options: object) -> sqlcipher.Connection:
    connection = sqlcipher.connect(str(path), **options)
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return connection


# -- the command line ------------------------------------------------------------------------------
def wegwijs_command() -> list[str]:
    script = Path(sys.executable).with_name("wegwijs")
    return [str(script)] if script.exists() else [sys.executable, "-m", "app"]


def cli_environment(passphrase: str | None = PASSPHRASE, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"WEGWIJS_PASSPHRASE", "WEGWIJS_DATA_DIR"}}
    env.update(extra)
    env["PYTHON_KEYRING_BACKEND"] = FAIL_KEYRING
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if passphrase is not None:
        env["WEGWIJS_PASSPHRASE"] = passphrase
    return env


def cli_argv(data_dir: Path | None, args: Sequence[str], as_user: int | None = None) -> list[str]:
    argv = [*wegwijs_command(), *(["--data-dir", str(data_dir)] if data_dir else []), *args]
    if as_user is not None:
        argv = ["setpriv", f"--reuid={as_user}", f"--regid={as_user}", "--clear-groups", *argv]
    return argv


def run_wegwijs(
    data_dir: Path | None,
    *args: str,
    passphrase: str | None = PASSPHRASE,
    as_user: int | None = None,
    timeout: float = 120,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli_argv(data_dir, args, as_user),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env=cli_environment(passphrase, **(env or {})),
        cwd="/",
    )


def start_wegwijs(
    data_dir: Path | None, *args: str, passphrase: str | None = PASSPHRASE
) -> subprocess.Popen[str]:
    """The same as run_wegwijs, without waiting: for commands that may run side by side."""
    return subprocess.Popen(
        cli_argv(data_dir, args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        env=cli_environment(passphrase),
        cwd="/",
    )


def finish(process: subprocess.Popen[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    stdout, stderr = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def run_side_by_side(*commands: tuple[Path | None, Sequence[str]]) -> list[subprocess.CompletedProcess[str]]:
    """Several independent commands at once (each CLI start costs about a second)."""
    processes = [start_wegwijs(data_dir, *args) for data_dir, args in commands]
    return [finish(process) for process in processes]


def one_dutch_refusal(result: subprocess.CompletedProcess[str]) -> str:
    """Exit 1 and one plain sentence on stderr (no traceback, nothing on stdout); returns it."""
    message = result.stderr.strip()
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert len(message.splitlines()) == 1, message
    assert message.endswith("."), message
    assert not re.search(r"[.!?] [A-Z]", message), f"more than one sentence: {message}"
    for leak in ("sqlcipher3", "sqlalchemy", "DatabaseError", "OperationalError", "Exception"):
        assert leak not in result.stderr, result.stderr
    assert result.stdout == "", result.stdout
    return message


# -- files ----------------------------------------------------------------------------------------
def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes: a refused command must change none of them."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def can_drop_privileges() -> bool:
    """Root with setpriv, and the checkout reachable for an unprivileged user (not under a 0700 /root)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return False
    probe = subprocess.run(
        [
            "setpriv",
            f"--reuid={UNPRIVILEGED_UID}",
            f"--regid={UNPRIVILEGED_UID}",
            "--clear-groups",
            sys.executable,
            "-c",
            "import app",
        ],
        cwd="/",
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        capture_output=True,
        timeout=60,
    )
    return probe.returncode == 0
