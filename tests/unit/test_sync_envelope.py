"""The package envelope: round trip and every way a package can be wrong."""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime

import pytest

from app.sync.envelope import (
    MAGIC,
    MAX_PAYLOAD,
    TrustedDevice,
    open_package,
    seal_compressed,
    seal_package,
)
from app.sync.errors import PackageRefused, RefusalReason
from app.sync.keys import DeviceKeys

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
DEVICE = DeviceKeys.generate()
SUPERVISOR = DeviceKeys.generate()
PAYLOAD = {"schema": 1, "records": [{"table": "clients", "naam": "Ærøskøbing ሰላም مرحبا"}]}


def lookup(device_id: str) -> TrustedDevice | None:
    return TrustedDevice(DEVICE.public()) if device_id == DEVICE.device_id else None


def sealed(sequence: int = 1) -> bytes:
    return seal_package(
        PAYLOAD, keys=DEVICE, recipient=SUPERVISOR.public(), sequence=sequence, created_at=NOW
    )


def reason_of(data: bytes, keys: DeviceKeys = SUPERVISOR, lookup_device=lookup) -> RefusalReason:  # type: ignore[no-untyped-def]
    with pytest.raises(PackageRefused) as caught:
        open_package(data, keys=keys, lookup_device=lookup_device)
    assert caught.value.args[0]  # a Dutch sentence
    return caught.value.reason


def test_round_trip() -> None:
    opened = open_package(sealed(7), keys=SUPERVISOR, lookup_device=lookup)
    assert opened.header.device_id == DEVICE.device_id
    assert opened.header.sequence == 7
    assert opened.header.created_at == NOW
    assert opened.payload["records"] == PAYLOAD["records"]


def test_payload_is_not_readable_in_the_file() -> None:
    data = sealed()
    assert b"records" not in data and "Ærøskøbing".encode() not in data


def test_empty() -> None:
    assert reason_of(b"") is RefusalReason.EMPTY


def test_random_file() -> None:
    assert reason_of(b"%PDF-1.7 this is a letter") is RefusalReason.NOT_A_PACKAGE


def test_truncated_everywhere() -> None:
    data = sealed()
    for cut in (len(MAGIC) + 3, 20, len(data) // 2, len(data) - 1):
        assert reason_of(data[:cut]) is RefusalReason.TRUNCATED


def test_flipped_byte_in_ciphertext_and_signature() -> None:
    data = sealed()
    for position in (len(data) - 10, len(data) - 100, len(data) - 64 - 5):
        flipped = bytearray(data)
        flipped[position] ^= 0x01
        assert reason_of(bytes(flipped)) is RefusalReason.TAMPERED


def test_every_flipped_byte_is_refused() -> None:
    data = sealed()
    for position in range(len(data)):
        flipped = bytearray(data)
        flipped[position] ^= 0x40
        with pytest.raises(PackageRefused):
            open_package(bytes(flipped), keys=SUPERVISOR, lookup_device=lookup)


def test_wrong_recipient() -> None:
    other = DeviceKeys.generate()
    data = seal_package(PAYLOAD, keys=DEVICE, recipient=other.public(), sequence=1, created_at=NOW)
    assert reason_of(data) is RefusalReason.WRONG_RECIPIENT


def test_unknown_and_revoked_device() -> None:
    assert reason_of(sealed(), lookup_device=lambda _id: None) is RefusalReason.UNKNOWN_DEVICE
    revoked = lambda _id: TrustedDevice(DEVICE.public(), revoked=True)  # noqa: E731
    assert reason_of(sealed(), lookup_device=revoked) is RefusalReason.REVOKED_DEVICE


def test_signed_by_another_key_claiming_the_device() -> None:
    impostor = DeviceKeys.generate()
    data = bytearray(
        seal_package(PAYLOAD, keys=impostor, recipient=SUPERVISOR.public(), sequence=1, created_at=NOW)
    )
    # The device id is derived from the key, so claiming another id means editing the signed header.
    data = data.replace(impostor.device_id.encode(), DEVICE.device_id.encode())
    assert reason_of(bytes(data)) is RefusalReason.TAMPERED


def test_unknown_format_version() -> None:
    data = bytearray(sealed())
    struct.pack_into(">H", data, len(MAGIC), 99)
    assert reason_of(bytes(data)) is RefusalReason.UNKNOWN_FORMAT
    resigned = seal_compressed(
        zlib.compress(b"{}"),
        2,
        keys=DEVICE,
        recipient=SUPERVISOR.public(),
        sequence=1,
        created_at=NOW,
        format_version=2,
    )
    assert reason_of(resigned) is RefusalReason.UNKNOWN_FORMAT


def test_zip_bomb_that_lies_about_its_size() -> None:
    # Identical deflate blocks after full flushes: about 1 GiB of zeros without compressing it.
    chunk = b"\0" * (4 * 1024 * 1024)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    bomb = b"\x78\xda" + block * 256 + deflate.flush() + b"\0\0\0\0"
    assert len(bomb) < MAX_PAYLOAD // 16
    data = seal_compressed(bomb, 100, keys=DEVICE, recipient=SUPERVISOR.public(), sequence=1, created_at=NOW)
    assert reason_of(data) is RefusalReason.OVERSIZE


def test_declared_oversize() -> None:
    data = seal_compressed(
        zlib.compress(b"{}"), 2**40, keys=DEVICE, recipient=SUPERVISOR.public(), sequence=1, created_at=NOW
    )
    assert reason_of(data) is RefusalReason.OVERSIZE


def test_payload_naming_another_sequence_is_refused() -> None:
    raw = b'{"device_id":"%s","sequence":5}' % DEVICE.device_id.encode()
    data = seal_compressed(
        zlib.compress(raw), len(raw), keys=DEVICE, recipient=SUPERVISOR.public(), sequence=6, created_at=NOW
    )
    assert reason_of(data) is RefusalReason.TAMPERED


def test_not_json_payload() -> None:
    raw = b"\x00\x01 no json"
    data = seal_compressed(
        zlib.compress(raw), len(raw), keys=DEVICE, recipient=SUPERVISOR.public(), sequence=1, created_at=NOW
    )
    assert reason_of(data) is RefusalReason.INVALID_PAYLOAD


@pytest.mark.parametrize("reason", list(RefusalReason))
def test_every_refusal_is_one_plain_dutch_sentence(reason: RefusalReason) -> None:
    from app.sync.errors import reason_message

    message = reason_message(reason)
    assert message[0].isupper() and message.endswith(".")
    assert ". " not in message[:-1] and message.count(".") == 1
