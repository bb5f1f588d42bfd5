"""The hand-over's envelope (verhuizing): the sync envelope whose header names its sender by the
sender's own public-key file, so a supervisor who never registered the device can check it."""

from __future__ import annotations

import json
import struct
from datetime import UTC, datetime

import pytest

from app.sync.envelope import PackageHeader, open_package, open_self_signed, seal_package, split_package
from app.sync.errors import PackageRefused, RefusalReason
from app.sync.keys import DeviceKeys

NOW = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
SENDER = DeviceKeys.generate()
RECEIVER = DeviceKeys.generate()
PAYLOAD = {"kind": "wegwijs-verhuizing", "client": {"family_name": "Çelik"}}


def sender_file(keys: DeviceKeys = SENDER) -> str:
    return keys.export_public("klantmanager", "km.jansen", "Utrecht").decode("utf-8")


def handover(sender_key: str | None = None, keys: DeviceKeys = SENDER) -> bytes:
    return seal_package(
        PAYLOAD,
        keys=keys,
        recipient=RECEIVER.public(),
        sequence=424242,
        created_at=NOW,
        sender_key=sender_file() if sender_key is None else sender_key,
    )


def test_the_receiver_opens_it_without_registering_the_sender() -> None:
    opened, sender = open_self_signed(handover(), keys=RECEIVER)
    assert opened.payload["client"] == {"family_name": "Çelik"}
    assert sender.municipality == "Utrecht" and sender.fingerprint == SENDER.fingerprint
    # A normal import (registered devices only) does not know this sender.
    with pytest.raises(PackageRefused) as caught:
        open_package(handover(), keys=RECEIVER, lookup_device=lambda _device: None)
    assert caught.value.reason is RefusalReason.UNKNOWN_DEVICE


def test_a_sync_package_has_no_sender_key_and_its_header_is_as_before() -> None:
    plain = seal_package(PAYLOAD, keys=SENDER, recipient=RECEIVER.public(), sequence=1, created_at=NOW)
    header = split_package(plain).header
    assert header.sender_key == "" and b"sender_key" not in header.to_json()
    assert PackageHeader.from_json(header.to_json()) == header
    with pytest.raises(PackageRefused) as caught:
        open_self_signed(plain, keys=RECEIVER)
    assert caught.value.reason is RefusalReason.UNKNOWN_DEVICE


def test_a_sender_key_of_another_device_or_an_altered_one_is_refused() -> None:
    other = DeviceKeys.generate()
    with pytest.raises(PackageRefused) as caught:
        open_self_signed(handover(sender_key=sender_file(other)), keys=RECEIVER)
    assert caught.value.reason is RefusalReason.TAMPERED
    document = json.loads(sender_file())
    document["municipality"] = "Amsterdam"
    with pytest.raises(PackageRefused) as caught:
        open_self_signed(handover(sender_key=json.dumps(document)), keys=RECEIVER)
    assert caught.value.reason is RefusalReason.TAMPERED


def test_it_is_for_one_receiver_and_any_changed_byte_is_refused() -> None:
    with pytest.raises(PackageRefused) as caught:
        open_self_signed(handover(), keys=DeviceKeys.generate())
    assert caught.value.reason is RefusalReason.WRONG_RECIPIENT
    data = handover()
    header_length = struct.unpack_from(">I", data, 10)[0]
    for position in (16 + header_length // 2, len(data) - 100, len(data) - 1):
        changed = bytearray(data)
        changed[position] ^= 0x01
        with pytest.raises(PackageRefused):
            open_self_signed(bytes(changed), keys=RECEIVER)
