"""Profiles made once per test session and copied, for the tests that need a profile but do not test
how one is made (issue 15: the suite's speed).

Making a profile costs an Argon2id derivation (libsodium's MODERATE limits, about 0.7 s of CPU and
256 MiB, by design) and the store's creation (every migration). The builders here make each distinct
profile (or pair, or team) once per session with the real `init_profile` and real key exchange, close
it, and copy the folder for every later test that asks for the same one; a copy is opened with the
real `open_profile`, so the test gets what `init_profile` returned: an unlocked vault and an open
store. Within one test the n-th request for the same profile gets its own template, so two profiles
of one test never share a store id or keys. The tests of making a profile itself (first run, `wegwijs
init`, the wizard) call `init_profile` and are not touched.

A template is only used where a copy is the same as a fresh profile: no usable keyring (the keyring's
entries are named after the store id, a copy would share them), no policy file in force, and an empty
or absent target folder; otherwise the builders run `init_profile` as before. Only builders of one
test's own profiles use it (the counting restarts with each test): a profile kept by a module-scoped
fixture would otherwise be the same copy as a test's own first profile (store_helpers.make_profile,
whose module templates are compared with a test's "other" profile, keeps `init_profile`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections import Counter
from collections.abc import Callable, Hashable
from pathlib import Path

from app.domain.enums import Role
from app.models.secrets import PassphraseProvider, passphrase_from_environment
from app.services.policy import POLICY_ENV
from app.services.profile import PASSPHRASE_VARIABLE, Profile, init_profile, keyring_available, open_profile


class ProfileTemplates:
    """The session's template folders; `tests/conftest.py` starts it and counts the tests."""

    def __init__(self) -> None:
        self.root: Path | None = None
        self.used: Counter[tuple[Hashable, ...]] = Counter()

    def start(self, root: Path) -> None:
        self.root = root

    def stop(self) -> None:
        self.root = None

    def next_test(self) -> None:
        self.used.clear()

    def usable_for(self, folder: Path) -> bool:
        if self.root is None or keyring_available():
            return False
        policy = os.environ.get(POLICY_ENV)
        if not policy or Path(policy).exists():
            return False
        return not folder.exists() or (folder.is_dir() and not any(folder.iterdir()))

    def copy(self, key: tuple[Hashable, ...], folder: Path, build: Callable[[Path], None]) -> bool:
        """Fill `folder` with a copy of what `build(template_folder)` made for `key` (built now if this
        session has none yet); False, and nothing done, where a template cannot be used."""
        if not self.usable_for(folder):
            return False
        assert self.root is not None
        self.used[key] += 1
        full = (*key, self.used[key], os.environ.get(PASSPHRASE_VARIABLE))
        name = hashlib.sha256(repr(full).encode("utf-8")).hexdigest()[:20]
        template = self.root / name
        if not template.exists():
            building = self.root / f"{name}.bouw"
            shutil.rmtree(building, ignore_errors=True)
            build(building)
            building.rename(template)
        # copy2 keeps the modes: folders 0700, files 0600, as init_profile made them.
        shutil.copytree(template, folder, dirs_exist_ok=True)
        return True


TEMPLATES = ProfileTemplates()


def new_profile(
    data_dir: Path,
    role: Role,
    municipality: str,
    user_name: str | None = None,
    passphrase_provider: PassphraseProvider = passphrase_from_environment,
) -> Profile:
    """What `init_profile(data_dir, role, municipality, user_name, passphrase_provider)` returns (an
    open store, the vault unlocked), from this session's template where one can be used."""

    def build(folder: Path) -> None:
        init_profile(folder, role, municipality, user_name, passphrase_provider).close()

    provider = f"{passphrase_provider.__module__}.{passphrase_provider.__qualname__}"
    if not TEMPLATES.copy(("profile", role.value, municipality, user_name, provider), data_dir, build):
        return init_profile(data_dir, role, municipality, user_name, passphrase_provider)
    return opened(data_dir, passphrase_provider)


def opened(data_dir: Path, passphrase_provider: PassphraseProvider = passphrase_from_environment) -> Profile:
    """A copied profile opened as `init_profile` leaves one: the vault unlocked and the store open."""
    profile = open_profile(data_dir, passphrase_provider)
    profile.store()
    return profile
