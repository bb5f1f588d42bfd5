"""Device keys, fingerprints and public-key files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.sync.errors import SyncError
from app.sync.keys import DeviceKeys, parse_public_keys, read_public_keys, write_public_keys


class DictSecrets:
    def __init__(self) -> None:
        self.values: dict[str, bytes] = {}

    def get(self, name: str) -> bytes | None:
        return self.values.get(name)

    def set(self, name: str, value: bytes) -> None:
        self.values[name] = value


def test_keys_are_created_once_and_reloaded() -> None:
    secrets = DictSecrets()
    first = DeviceKeys.load_or_create(secrets)
    second = DeviceKeys.load_or_create(secrets)
    assert first.fingerprint == second.fingerprint
    assert first.device_id == second.device_id
    assert bytes(first.signing_key) == bytes(second.signing_key)
    assert len(secrets.values) == 2


def test_fingerprint_is_eight_groups_of_five_digits_and_differs_per_key() -> None:
    a, b = DeviceKeys.generate(), DeviceKeys.generate()
    assert re.fullmatch(r"(\d{5} ){7}\d{5}", a.fingerprint)
    assert a.fingerprint != b.fingerprint
    assert re.fullmatch(r"[0-9a-f]{16}", a.device_id)


def test_every_fingerprint_group_carries_data() -> None:
    """Each group comes from its own hash bytes: no group is constant across keys."""
    groups = [DeviceKeys.generate().fingerprint.split(" ") for _ in range(12)]
    for position in range(8):
        values = {fingerprint[position] for fingerprint in groups}
        assert len(values) > 1, f"group {position + 1} is the same for every key: {values}"


def test_public_file_round_trip(tmp_path: Path) -> None:
    keys = DeviceKeys.generate()
    path = tmp_path / "sup.json"
    write_public_keys(path, keys, "supervisor", "Els de Vries", "Utrecht")
    public = read_public_keys(path)
    assert public.fingerprint == keys.fingerprint
    assert public.device_id == keys.device_id
    assert (public.role, public.name, public.municipality) == ("supervisor", "Els de Vries", "Utrecht")
    assert "PRIVATE" not in path.read_text().upper()
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(name="Mallory"),
        lambda d: d.update(
            encryption_key=json.loads(DeviceKeys.generate().export_public("", "", ""))["encryption_key"]
        ),
        lambda d: d.update(fingerprint="00000 00000 00000 00000 00000 00000 00000 00000"),
        lambda d: d.pop("self_signature"),
        lambda d: d.update(format="iets anders"),
    ],
)
def test_altered_public_file_is_refused(change) -> None:  # type: ignore[no-untyped-def]
    document = json.loads(DeviceKeys.generate().export_public("supervisor", "Els", "Utrecht"))
    change(document)
    with pytest.raises(SyncError):
        parse_public_keys(json.dumps(document).encode())


@pytest.mark.parametrize("data", [b"", b"not json", b"[]", b"\xff\xfe", b"{" * 100_000])
def test_garbage_public_file_is_refused_in_dutch(data: bytes) -> None:
    with pytest.raises(SyncError, match="sleutelbestand"):
        parse_public_keys(data)


def test_unknown_public_file_version_is_refused() -> None:
    document = json.loads(DeviceKeys.generate().export_public("supervisor", "Els", "Utrecht"))
    document["version"] = 99
    with pytest.raises(SyncError, match="onbekende versie"):
        parse_public_keys(json.dumps(document).encode())
