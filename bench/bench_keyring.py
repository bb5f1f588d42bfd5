"""A keyring backend for the benchmarks only: entries in a private JSON file in the bench folder.

An installation on a desktop keeps its store key in the OS keyring (Secret Service, Keychain,
Windows Credential Manager): reading one entry costs milliseconds. A benchmark machine has no such
keyring, and without one Wegwijs uses the passphrase vault, whose Argon2id (libsodium's MODERATE
limits, 256 MiB) costs about half a second and 256 MiB on every start, by design. This backend lets
`bench_startup.py` measure the keyring case as well (PYTHON_KEYRING_BACKEND=bench.bench_keyring.FileKeyring);
it is never used by Wegwijs itself and keeps nothing secret.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


def keyring_file() -> Path:
    return Path(os.environ.get("WEGWIJS_BENCH_DIR", "/tmp/wegwijs-bench")) / "bench-keyring.json"


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def _read(self) -> dict[str, str]:
        try:
            return json.loads(keyring_file().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}\0{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._read()
        entries[f"{service}\0{username}"] = password
        path = keyring_file()
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            json.dump(entries, stream)

    def delete_password(self, service: str, username: str) -> None:
        entries = self._read()
        entries.pop(f"{service}\0{username}", None)
        keyring_file().write_text(json.dumps(entries), encoding="utf-8")
