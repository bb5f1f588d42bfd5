"""The store key in a real Secret Service (gnome-keyring in run-tests.sh's private dbus session)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import keyring
import pytest
import secretstorage

from app.models.secrets import BACKEND_KEYRING, KEYRING_SERVICE, SecretStore

pytestmark = pytest.mark.secret_service

KEY_NAME = "store-key"


def run_wegwijs(command: list[str], data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The fixture put PYTHON_KEYRING_BACKEND (SecretService) in the environment and took out
    # WEGWIJS_PASSPHRASE: the child process can only use the Secret Service.
    return subprocess.run(
        [*command, "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def secrets_in_secret_service(username: str) -> list[bytes]:
    """Ask the Secret Service itself over dbus, not through keyring, what it holds for `username`."""
    connection = secretstorage.dbus_init()
    try:
        collection = secretstorage.get_default_collection(connection)
        assert not collection.is_locked()
        items = collection.search_items({"service": KEYRING_SERVICE, "username": username})
        return [item.get_secret() for item in items]
    finally:
        connection.close()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_secret_store_keeps_a_32_byte_key_in_the_secret_service(secret_service: str, tmp_path: Path) -> None:
    namespace = f"test-{uuid.uuid4()}"
    key = os.urandom(32)
    secrets = SecretStore(tmp_path, namespace, BACKEND_KEYRING)

    assert secrets.get(KEY_NAME) is None
    secrets.set(KEY_NAME, key)
    assert secrets.get(KEY_NAME) == key

    stored = secrets_in_secret_service(f"{namespace}/{KEY_NAME}")
    assert len(stored) == 1, "the key is not in gnome-keyring's default collection"
    assert base64.b64decode(stored[0]) == key
    assert list(tmp_path.iterdir()) == [], "a keyring-backed SecretStore must write nothing to disk"

    # A new instance, and a new process, read the same key back.
    assert SecretStore(tmp_path, namespace, BACKEND_KEYRING).get(KEY_NAME) == key
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from app.models.secrets import SecretStore; "
            "sys.stdout.write(SecretStore(Path(sys.argv[1]), sys.argv[2], 'keyring').get(sys.argv[3]).hex())",
            str(tmp_path),
            namespace,
            KEY_NAME,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout == key.hex()

    SecretStore(tmp_path, namespace, BACKEND_KEYRING).delete(KEY_NAME)
    assert secrets.get(KEY_NAME) is None
    assert secrets_in_secret_service(f"{namespace}/{KEY_NAME}") == []
    secrets.delete(KEY_NAME)  # deleting what is gone is no error


def test_profile_key_in_secret_service_and_a_deleted_entry_refused(
    secret_service: str, tmp_path: Path, wegwijs_command: list[str]
) -> None:
    data_dir = tmp_path / "profiel"
    created = run_wegwijs(
        wegwijs_command, data_dir, "init", "--role", "klantmanager", "--municipality", "Testdorp"
    )
    assert created.returncode == 0, created.stderr

    settings = json.loads((data_dir / "profile.json").read_text(encoding="utf-8"))
    assert settings["secret_backend"] == "keyring"
    assert not (data_dir / "secrets.vault").exists(), "with a usable keyring there must be no vault file"
    username = f"{settings['store_id']}/{KEY_NAME}"
    assert len(secrets_in_secret_service(username)) == 1

    listed = run_wegwijs(wegwijs_command, data_dir, "list")
    assert listed.returncode == 0, listed.stderr

    keyring.delete_password(KEYRING_SERVICE, username)
    assert secrets_in_secret_service(username) == []
    before = snapshot(data_dir)

    refused = run_wegwijs(wegwijs_command, data_dir, "list")
    assert refused.returncode == 1, (refused.stdout, refused.stderr)
    message = refused.stderr.strip()
    assert "Traceback" not in message
    assert len(message.splitlines()) == 1, message
    assert "sleutel" in message.lower(), message
    assert refused.stdout == ""
    assert snapshot(data_dir) == before, "a refused open must leave every file byte-for-byte unchanged"
