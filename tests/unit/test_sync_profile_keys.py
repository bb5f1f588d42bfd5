"""Device keys kept through the profile's secret store: here the passphrase vault (no keyring)."""

from __future__ import annotations

import base64
from pathlib import Path

from app.domain.enums import Role
from app.models.secrets import BACKEND_VAULT, VAULT_FILE
from app.services.profile import init_profile, open_profile
from app.services.sync import SyncKeysService, device_keys


def test_keys_live_in_the_vault_and_survive_a_restart(tmp_path: Path, passphrase_env: str) -> None:
    profile = init_profile(tmp_path / "km", Role.KLANTMANAGER, "Utrecht", "Karin")
    assert profile.settings.secret_backend == BACKEND_VAULT
    keys = device_keys(profile)
    profile.close()
    vault = (tmp_path / "km" / VAULT_FILE).read_bytes()
    for secret in (bytes(keys.signing_key), bytes(keys.private_key)):
        assert secret not in vault and base64.b64encode(secret) not in vault
    reopened = open_profile(tmp_path / "km")
    try:
        again = device_keys(reopened)
        assert (again.device_id, again.fingerprint) == (keys.device_id, keys.fingerprint)
        info = SyncKeysService.for_profile(reopened).show()
        assert info.fingerprint == keys.fingerprint and info.supervisor is None
    finally:
        reopened.close()
    # Nothing private in the profile folder outside the vault.
    for path in (tmp_path / "km").rglob("*"):
        if path.is_file() and path.name != VAULT_FILE:
            data = path.read_bytes()
            assert (
                bytes(keys.signing_key) not in data and base64.b64encode(bytes(keys.signing_key)) not in data
            )
