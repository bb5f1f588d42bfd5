"""Fixtures and settings shared by every test.

Qt runs offscreen unless a test says otherwise: this module is imported by pytest before any test
module, so before Qt is. No machine-wide policy file is read: WEGWIJS_POLICY_FILE points to a file
that does not exist unless a test sets its own. Constants and builders live in `builders.py`, which
test modules import; no test module imports this one.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import nacl.pwhash.argon2id
import pytest

# Before anything imports Qt (the imports below reach app modules).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from builders import (  # noqa: E402
    DEFAULT_MUNICIPALITY,
    DEFAULT_USER,
    FAIL_KEYRING,
    NO_POLICY_FILE_NAME,
    REPO_ROOT,
    TEST_PASSPHRASE,
    MakeProfile,
)
from profile_templates import TEMPLATES, new_profile  # noqa: E402

from app.domain.enums import Role  # noqa: E402
from app.services.policy import POLICY_ENV  # noqa: E402
from app.services.profile import Profile  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def no_machine_policy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """WEGWIJS_POLICY_FILE points to a file that does not exist, so no test reads the machine's
    /etc/wegwijs/beleid.toml; a test's own monkeypatch.setenv(POLICY_ENV, ...) still wins."""
    missing = tmp_path_factory.getbasetemp() / NO_POLICY_FILE_NAME
    assert not missing.exists()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(POLICY_ENV, str(missing))
        yield


@pytest.fixture(scope="session", autouse=True)
def argon2id_once_per_input() -> Iterator[None]:
    """Argon2id is a pure function: within this test process each distinct input (passphrase, salt,
    limits) is derived once, for real, and its key reused. Opening a vault still derives, checks every
    entry and refuses a wrong passphrase (another input, derived anew); only the repeated 0.7 s of CPU
    for the same vault goes (issue 15: the suite's speed). Processes the tests start derive as always."""
    derive = functools.lru_cache(maxsize=None)(nacl.pwhash.argon2id.kdf)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nacl.pwhash.argon2id, "kdf", derive)
        yield


@pytest.fixture(scope="session", autouse=True)
def profile_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The session's profile templates (tests/profile_templates.py)."""
    TEMPLATES.start(tmp_path_factory.mktemp("profielsjablonen"))
    yield
    TEMPLATES.stop()


@pytest.fixture(autouse=True)
def count_profile_templates() -> Iterator[None]:
    """Each test starts counting its profiles anew, so its n-th profile is always the same copy."""
    TEMPLATES.next_test()
    yield
    TEMPLATES.next_test()


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


@pytest.fixture
def make_profile(tmp_path: Path, passphrase_env: str) -> Iterator[MakeProfile]:
    """A factory for real profiles in this test's tmp_path (vault passphrase, no keyring); every
    profile it made is closed when the test ends. Defaults: a klantmanager "km.jansen" in Utrecht."""
    made: list[Profile] = []

    def make(
        role: Role = Role.KLANTMANAGER,
        municipality: str = DEFAULT_MUNICIPALITY,
        user_name: str = DEFAULT_USER,
        folder: str = "profiel",
    ) -> Profile:
        # Copied from this session's template of the same profile (tests/profile_templates.py).
        profile = new_profile(tmp_path / folder, role, municipality, user_name)
        made.append(profile)
        return profile

    yield make
    for profile in reversed(made):
        profile.close()


@pytest.fixture
def profile(make_profile: MakeProfile) -> Iterator[Profile]:
    """The default profile: a klantmanager "km.jansen" in Utrecht. A test module that needs another
    role or municipality overrides `profile` with `make_profile(role=..., municipality=...)`."""
    yield make_profile()
    # Review layers are process-wide: the next test starts without this profile's reviewed texts.
    from app.i18n.layers import clear_layers

    clear_layers()


def _reset_keyring() -> None:
    """keyring picks its backend once per process; make it read the environment again."""
    import keyring.core

    keyring.core.init_backend()
