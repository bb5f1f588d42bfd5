"""Signed receipts: the supervisor's proof that a package arrived and was applied.

A receipt holds no personal data (device, sequence, content hash, outcome, time), so it is signed
but not encrypted. The device accepts it only with a valid signature of its trusted supervisor and a
content hash equal to the package it sent.

Two versions of the same format `wegwijs-receipt`:

- version 1, one file per package: `<device>-<sequence>.receipt`, naming one sequence;
- version 2, a batch receipt: one file per device per import batch,
  `<device>-<first>-<last>-<digest>.receipt`, listing the sequences it covers (each with its content
  hash and outcome). Creating one file per package was most of an import's cost outside the apply.

A device that reads version 2 says so in the header of every package it sends (`receipts: [1, 2]`,
app/sync/envelope.py); the supervisor writes batch receipts only for packages that carry it, and
version 1 receipts for every other package (a device on an older Wegwijs ignores version 2 and would
send its packages again forever).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from app.sync.keys import DeviceKeys, PublicKeys

RECEIPT_SUFFIX = ".receipt"
RECEIPT_FORMAT = "wegwijs-receipt"
SINGLE_RECEIPT = 1
BATCH_RECEIPT = 2
# What this Wegwijs reads; a device announces it in its packages' headers.
READABLE_RECEIPTS = (SINGLE_RECEIPT, BATCH_RECEIPT)
_MAX_RECEIPT = 16 * 1024
# A batch holds at most a few hundred packages (BATCH_PACKAGES in app/services/sync/supervisor_import.py).
_MAX_BATCH_RECEIPT = 1024 * 1024
_MAX_BATCH_ENTRIES = 4096


@dataclass(frozen=True)
class Receipt:
    device_id: str
    sequence: int
    content_hash: str
    outcome: str
    received_at: datetime
    supervisor: str


@dataclass(frozen=True)
class Delivered:
    """One package a batch receipt covers."""

    sequence: int
    content_hash: str
    outcome: str


def receipt_name(device_id: str, sequence: int) -> str:
    return f"{device_id}-{sequence:010d}{RECEIPT_SUFFIX}"


def batch_receipt_name(device_id: str, packages: list[Delivered], data: bytes) -> str:
    """Named by its range and a digest of its bytes: two batches over the same range never share a name."""
    sequences = [package.sequence for package in packages]
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"{device_id}-{min(sequences):010d}-{max(sequences):010d}-{digest}{RECEIPT_SUFFIX}"


def _signed(keys: DeviceKeys, document: dict[str, Any]) -> bytes:
    message = json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return bytes(keys.signing_key.sign(message))


def make_receipt(
    keys: DeviceKeys, device_id: str, sequence: int, content_hash: str, outcome: str, received_at: datetime
) -> bytes:
    return _signed(
        keys,
        {
            "format": RECEIPT_FORMAT,
            "version": SINGLE_RECEIPT,
            "device_id": device_id,
            "sequence": sequence,
            "content_hash": content_hash,
            "outcome": outcome,
            "received_at": received_at.astimezone(UTC).isoformat(),
            "supervisor": keys.device_id,
        },
    )


def make_batch_receipt(
    keys: DeviceKeys, device_id: str, packages: list[Delivered], received_at: datetime
) -> bytes:
    """One signed receipt (version 2) for several packages of one device."""
    return _signed(
        keys,
        {
            "format": RECEIPT_FORMAT,
            "version": BATCH_RECEIPT,
            "device_id": device_id,
            "packages": [
                {"sequence": p.sequence, "content_hash": p.content_hash, "outcome": p.outcome}
                for p in packages
            ],
            "received_at": received_at.astimezone(UTC).isoformat(),
            "supervisor": keys.device_id,
        },
    )


_UNREADABLE = (BadSignatureError, ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError)


def _document(data: bytes, supervisor: PublicKeys, limit: int) -> dict[str, Any] | None:
    if not data or len(data) > limit:
        return None
    try:
        document = json.loads(VerifyKey(supervisor.verify_key).verify(data).decode("utf-8"))
    except (*_UNREADABLE, RecursionError):
        return None
    if not isinstance(document, dict) or document.get("format") != RECEIPT_FORMAT:
        return None
    return document


def _single(document: dict[str, Any]) -> Receipt:
    return Receipt(
        device_id=str(document["device_id"]),
        sequence=int(document["sequence"]),
        content_hash=str(document["content_hash"]),
        outcome=str(document["outcome"]),
        received_at=datetime.fromisoformat(document["received_at"]).astimezone(UTC),
        supervisor=str(document["supervisor"]),
    )


def parse_receipt(data: bytes, supervisor: PublicKeys) -> Receipt | None:
    """A version 1 receipt when it is genuine and well-formed, otherwise None (it is then ignored)."""
    document = _document(data, supervisor, _MAX_RECEIPT)
    if document is None or document.get("version") != SINGLE_RECEIPT:
        return None
    try:
        return _single(document)
    except _UNREADABLE:
        return None


def parse_receipts(data: bytes, supervisor: PublicKeys) -> list[Receipt]:
    """The packages a genuine receipt of either version covers; [] when it is not genuine or not
    well-formed (a batch receipt is taken whole or not at all)."""
    document = _document(data, supervisor, _MAX_BATCH_RECEIPT)
    if document is None:
        return []
    try:
        if document.get("version") == SINGLE_RECEIPT:
            return [_single(document)] if len(data) <= _MAX_RECEIPT else []
        if document.get("version") != BATCH_RECEIPT:
            return []
        packages = document["packages"]
        if not isinstance(packages, list) or not 0 < len(packages) <= _MAX_BATCH_ENTRIES:
            return []
        received = datetime.fromisoformat(document["received_at"]).astimezone(UTC)
        device_id, signer = str(document["device_id"]), str(document["supervisor"])
        receipts = []
        for entry in packages:
            sequence = entry["sequence"]
            if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
                return []
            receipts.append(
                Receipt(
                    device_id, sequence, str(entry["content_hash"]), str(entry["outcome"]), received, signer
                )
            )
        if len({receipt.sequence for receipt in receipts}) != len(receipts):
            return []
        return receipts
    except _UNREADABLE:
        return []
