"""The passphrase vault (no OS keyring): Argon2id at MODERATE, entries bound to their names, every
entry checked on open, and a vault of the previous format opened and brought up to date."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import nacl.pwhash
import nacl.secret
import nacl.utils
import pytest

from app.models.secrets import BACKEND_VAULT, VAULT_FILE, SecretError, SecretStore

PASSPHRASE = "correct horse battery staple"
NAMESPACE = "3f1c0e4e-0000-4000-8000-000000000001"
VALUES = {"store-key": b"k" * 32, "sync-signing-key": b"s" * 32, "sync-encryption-key": b"e" * 32}


def vault(folder: Path, passphrase: str = PASSPHRASE) -> SecretStore:
    return SecretStore(folder, NAMESPACE, BACKEND_VAULT, lambda _new: passphrase)


def read(folder: Path) -> dict:
    return json.loads((folder / VAULT_FILE).read_text(encoding="utf-8"))


def write(folder: Path, document: dict) -> None:
    (folder / VAULT_FILE).write_text(json.dumps(document), encoding="utf-8")


def old_format_vault(folder: Path) -> None:
    """A vault as the previous version wrote it: SecretBox entries under INTERACTIVE limits."""
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    ops, mem = nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE, nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE
    key = nacl.pwhash.argon2id.kdf(32, PASSPHRASE.encode(), salt, opslimit=ops, memlimit=mem)
    box = nacl.secret.SecretBox(key)
    write(
        folder,
        {
            "kdf": "argon2id",
            "salt": base64.b64encode(salt).decode(),
            "opslimit": ops,
            "memlimit": mem,
            "entries": {
                name: base64.b64encode(box.encrypt(value)).decode() for name, value in VALUES.items()
            },
        },
    )


def test_a_new_vault_uses_moderate_limits_and_keeps_every_entry(tmp_path: Path) -> None:
    secrets = vault(tmp_path)
    for name, value in VALUES.items():
        secrets.set(name, value)
    document = read(tmp_path)
    assert document["format"] == 2
    assert document["opslimit"] == nacl.pwhash.argon2id.OPSLIMIT_MODERATE
    assert document["memlimit"] == nacl.pwhash.argon2id.MEMLIMIT_MODERATE
    assert (tmp_path / VAULT_FILE).stat().st_mode & 0o777 == 0o600
    fresh = vault(tmp_path)
    assert {name: fresh.get(name) for name in VALUES} == VALUES
    for value in VALUES.values():
        assert value not in (tmp_path / VAULT_FILE).read_bytes()


def test_an_old_vault_opens_and_is_rewritten_with_the_new_parameters(tmp_path: Path) -> None:
    old_format_vault(tmp_path)
    old_salt = read(tmp_path)["salt"]
    assert vault(tmp_path).get("store-key") == VALUES["store-key"]
    document = read(tmp_path)
    assert document["format"] == 2
    assert document["opslimit"] == nacl.pwhash.argon2id.OPSLIMIT_MODERATE
    assert document["memlimit"] == nacl.pwhash.argon2id.MEMLIMIT_MODERATE
    assert document["salt"] != old_salt
    assert set(document["entries"]) == set(VALUES)
    # The same passphrase opens the rewritten vault, every entry intact; a wrong one does not.
    again = vault(tmp_path)
    assert {name: again.get(name) for name in VALUES} == VALUES
    with pytest.raises(SecretError, match="wachtwoord is onjuist"):
        vault(tmp_path, "not the passphrase").get("store-key")


def test_an_entry_moved_to_another_name_does_not_open(tmp_path: Path) -> None:
    secrets = vault(tmp_path)
    for name, value in VALUES.items():
        secrets.set(name, value)
    document = read(tmp_path)
    entries = document["entries"]
    entries["store-key"], entries["sync-signing-key"] = entries["sync-signing-key"], entries["store-key"]
    write(tmp_path, document)
    with pytest.raises(SecretError, match="beschadigd of verwisseld"):
        vault(tmp_path).get("sync-encryption-key")  # the vault is refused as a whole, on opening


def test_every_entry_is_checked_on_open(tmp_path: Path) -> None:
    secrets = vault(tmp_path)
    for name, value in VALUES.items():
        secrets.set(name, value)
    document = read(tmp_path)
    last = list(document["entries"])[-1]
    sealed = bytearray(base64.b64decode(document["entries"][last]))
    sealed[-1] ^= 0x01
    document["entries"][last] = base64.b64encode(bytes(sealed)).decode()
    write(tmp_path, document)
    first = list(document["entries"])[0]
    with pytest.raises(SecretError, match=f"'{last}'"):
        vault(tmp_path).get(first)
