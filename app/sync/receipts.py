"""Signed receipts: the supervisor's proof that a package arrived and was applied.

A receipt holds no personal data (device, sequence, content hash, outcome, time), so it is signed
but not encrypted. The device accepts it only with a valid signature of its trusted supervisor and a
content hash equal to the package it sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from app.sync.keys import DeviceKeys, PublicKeys

RECEIPT_SUFFIX = ".receipt"
RECEIPT_FORMAT = "wegwijs-receipt"
_MAX_RECEIPT = 16 * 1024


@dataclass(frozen=True)
class Receipt:
    device_id: str
    sequence: int
    content_hash: str
    outcome: str
    received_at: datetime
    supervisor: str


def receipt_name(device_id: str, sequence: int) -> str:
    return f"{device_id}-{sequence:010d}{RECEIPT_SUFFIX}"


def make_receipt(
    keys: DeviceKeys, device_id: str, sequence: int, content_hash: str, outcome: str, received_at: datetime
) -> bytes:
    document = {
        "format": RECEIPT_FORMAT,
        "version": 1,
        "device_id": device_id,
        "sequence": sequence,
        "content_hash": content_hash,
        "outcome": outcome,
        "received_at": received_at.astimezone(UTC).isoformat(),
        "supervisor": keys.device_id,
    }
    message = json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return bytes(keys.signing_key.sign(message))


def parse_receipt(data: bytes, supervisor: PublicKeys) -> Receipt | None:
    """The receipt when it is genuine and well-formed, otherwise None (it is then ignored)."""
    if not data or len(data) > _MAX_RECEIPT:
        return None
    try:
        message = VerifyKey(supervisor.verify_key).verify(data)
        document = json.loads(message.decode("utf-8"))
        if document.get("format") != RECEIPT_FORMAT or document.get("version") != 1:
            return None
        received = datetime.fromisoformat(document["received_at"])
        return Receipt(
            device_id=str(document["device_id"]),
            sequence=int(document["sequence"]),
            content_hash=str(document["content_hash"]),
            outcome=str(document["outcome"]),
            received_at=received.astimezone(UTC),
            supervisor=str(document["supervisor"]),
        )
    except (BadSignatureError, ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return None
