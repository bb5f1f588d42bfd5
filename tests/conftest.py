"""Fixtures and settings shared by every test.

Qt runs offscreen unless a test says otherwise: this module is imported by pytest before any test
module, so before Qt is.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent

# keyring's backend that refuses everything: with it the app falls back to the passphrase vault.
FAIL_KEYRING = "keyring.backends.fail.Keyring"
TEST_PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """The repo-root `artifacts/` folder (git-ignored) for screenshots and rendered pages."""
    path = REPO_ROOT / "artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def wegwijs_command() -> list[str]:
    """The installed `wegwijs` program of this environment, for tests that run it as a subprocess."""
    script = Path(sys.executable).with_name("wegwijs")
    return [str(script)] if script.exists() else [sys.executable, "-m", "app"]


@pytest.fixture
def passphrase_env() -> Iterator[str]:
    """No keyring at all, and the store key wrapped with a passphrase from WEGWIJS_PASSPHRASE.

    Unit tests use this so they never touch a real keyring; yields the passphrase.
    """
    # Its own MonkeyPatch, so the environment is restored when this fixture ends, without touching
    # what the test itself patched.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHON_KEYRING_BACKEND", FAIL_KEYRING)
        patch.setenv("WEGWIJS_PASSPHRASE", TEST_PASSPHRASE)
        _reset_keyring()
        yield TEST_PASSPHRASE
    _reset_keyring()


def _reset_keyring() -> None:
    """keyring picks its backend once per process; make it read the environment again."""
    import keyring.core

    keyring.core.init_backend()
