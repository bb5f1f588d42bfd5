"""Issue 14: where the keys are in the OS keyring (a real Secret Service), the app is unlocked with a
passphrase the klantmanager chose once; only its Argon2id hash is kept, in the keyring."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.enums import Role
from app.services.profile import init_profile
from app.services.session_lock import LOCK_SECRET, LockService, UnlockRefused

pytestmark = pytest.mark.secret_service


def test_unlock_passphrase_in_the_keyring(secret_service: str, tmp_path: Path) -> None:
    profile = init_profile(tmp_path / "profiel", Role.KLANTMANAGER, "Utrecht", "km")
    try:
        assert profile.settings.secret_backend == "keyring"
        service = LockService.for_profile(profile)
        assert not service.settings().unlock_passphrase_set
        with pytest.raises(UnlockRefused, match="geen ontgrendelwachtwoord"):
            service.verify("wat dan ook")
        with pytest.raises(UnlockRefused, match="niet gelijk"):
            service.choose_unlock_passphrase("geheim-genoeg", "geheim-genoeg!")
        with pytest.raises(UnlockRefused, match="minstens 8"):
            service.choose_unlock_passphrase("kort", "kort")
        service.choose_unlock_passphrase("geheim-genoeg", "geheim-genoeg")
        assert service.settings().unlock_passphrase_set
        stored = profile.secrets.get(LOCK_SECRET)
        assert stored is not None and b"geheim-genoeg" not in stored and stored.startswith(b"$argon2id$")
        service.verify("geheim-genoeg")
        with pytest.raises(UnlockRefused, match="klopt niet"):
            service.verify("geheim-genoeg ")
    finally:
        profile.secrets.delete(LOCK_SECRET)
        profile.close()
