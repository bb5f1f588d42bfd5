"""The sync package: a versioned, signed envelope around an encrypted, compressed payload.

Layout (all integers big-endian):

    magic      8 bytes   b"WEGWIJS\\x1a"
    version    2 bytes   format version (1)
    hlen       4 bytes   length of the header
    header     hlen      canonical JSON: format, device_id, sequence, created_at (UTC), recipient,
                         compression, payload_size, content_hash (SHA-256 of the ciphertext),
                         and optionally sender_key (below) and receipts: the receipt format
                         versions the sending device reads (app/sync/receipts.py; absent in
                         packages of devices that read only version 1)
    clen       8 bytes   length of the ciphertext
    ciphertext clen      libsodium sealed box for the supervisor's X25519 key, holding the
                         zlib-compressed JSON payload
    signature  64 bytes  Ed25519 by the device key over everything before it

Why this order: the header is readable without the private key, so a package can be refused
(unknown device, wrong recipient, replay) before any decryption; the signature covers header and
ciphertext, so nothing can be swapped; the payload repeats device and sequence, so a registered device
cannot re-sign another device's ciphertext as its own.

A hand-over to another municipality (verhuizing, app/services/transfer) goes to a supervisor that
never registered the sending device: its header carries `sender_key`, the sender's self-signed
public-key file (app/sync/keys.py), so the receiver can check the signature and show the sender's
fingerprint and municipality. Sync packages leave it out; their header bytes are as before.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PublicKey, SealedBox
from nacl.signing import VerifyKey

from app.sync.errors import PackageRefused, RefusalReason, SyncError
from app.sync.keys import DeviceKeys, PublicKeys, parse_public_keys

MAGIC = b"WEGWIJS\x1a"
FORMAT_VERSION = 1
SUPPORTED_VERSIONS = frozenset({FORMAT_VERSION})
PACKAGE_SUFFIX = ".wgw"
SIGNATURE_SIZE = 64
MAX_HEADER = 64 * 1024
MAX_CIPHERTEXT = 512 * 1024 * 1024
# A hard cap on the inflated payload: a package that claims or inflates to more is refused
# before it can exhaust memory (zip bomb). 64 MiB holds tens of thousands of records.
MAX_PAYLOAD = 64 * 1024 * 1024
# The store's integers are signed 64-bit: a larger sequence could never be stored (OverflowError).
MAX_INTEGER = 2**63 - 1
_PREFIX = struct.Struct(">8sHI")
_CLEN = struct.Struct(">Q")
# The largest file that can be a package: checked against the file size before anything is read.
MAX_PACKAGE_FILE = _PREFIX.size + MAX_HEADER + _CLEN.size + MAX_CIPHERTEXT + SIGNATURE_SIZE


@dataclass(frozen=True)
class TrustedDevice:
    keys: PublicKeys
    revoked: bool = False


@dataclass(frozen=True)
class PackageHeader:
    format: int
    device_id: str
    sequence: int
    created_at: datetime
    recipient: str
    compression: str
    payload_size: int
    content_hash: str
    sender_key: str = ""  # the sender's public-key file, only in a hand-over (verhuizing)
    # The receipt versions the device reads; () for a device that predates batch receipts (v1 only).
    receipt_versions: tuple[int, ...] = ()

    def to_json(self) -> bytes:
        fields = {
            "format": self.format,
            "device_id": self.device_id,
            "sequence": self.sequence,
            "created_at": self.created_at.astimezone(UTC).isoformat(),
            "recipient": self.recipient,
            "compression": self.compression,
            "payload_size": self.payload_size,
            "content_hash": self.content_hash,
        }
        if self.sender_key:
            fields["sender_key"] = self.sender_key
        if self.receipt_versions:
            fields["receipts"] = list(self.receipt_versions)
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> PackageHeader:
        try:
            fields = json.loads(data.decode("utf-8"))
            if not isinstance(fields, dict):
                raise ValueError("header is not an object")
            created = datetime.fromisoformat(fields["created_at"])
            if created.tzinfo is None:
                raise ValueError("naive time")
            header = cls(
                format=_int(fields["format"]),
                device_id=_str(fields["device_id"]),
                sequence=_int(fields["sequence"]),
                created_at=created.astimezone(UTC),
                recipient=_str(fields["recipient"]),
                compression=_str(fields["compression"]),
                payload_size=_int(fields["payload_size"]),
                content_hash=_str(fields["content_hash"]),
                sender_key=_str(fields.get("sender_key", "")),
                receipt_versions=_versions(fields.get("receipts", [])),
            )
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError) as error:
            raise PackageRefused(RefusalReason.TAMPERED, "unreadable header") from error
        if not 1 <= header.sequence <= MAX_INTEGER or not 0 <= header.payload_size <= MAX_INTEGER:
            raise PackageRefused(RefusalReason.TAMPERED, "impossible header values")
        return header


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("not an integer")
    return value


def _versions(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or len(value) > 16:
        raise ValueError("receipts is not a short list")
    return tuple(_int(item) for item in value)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


def recipient_id(public_key: bytes) -> str:
    return hashlib.sha256(b"wegwijs-recipient-v1" + public_key).hexdigest()[:32]


def package_name(device_id: str, sequence: int) -> str:
    return f"{device_id}-{sequence:010d}{PACKAGE_SUFFIX}"


def compress_payload(payload: dict[str, Any]) -> tuple[bytes, int]:
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return zlib.compress(raw, 6), len(raw)


def seal_compressed(
    compressed: bytes,
    payload_size: int,
    *,
    keys: DeviceKeys,
    recipient: PublicKeys,
    sequence: int,
    created_at: datetime,
    format_version: int = FORMAT_VERSION,
    sender_key: str = "",
    receipt_versions: tuple[int, ...] = (),
) -> bytes:
    """Encrypt and sign already-compressed bytes (tests use this to build hostile packages)."""
    ciphertext = SealedBox(PublicKey(recipient.public_key)).encrypt(compressed)
    header = PackageHeader(
        format=format_version,
        device_id=keys.device_id,
        sequence=sequence,
        created_at=created_at.astimezone(UTC),
        recipient=recipient_id(recipient.public_key),
        compression="zlib",
        payload_size=payload_size,
        content_hash=hashlib.sha256(ciphertext).hexdigest(),
        sender_key=sender_key,
        receipt_versions=receipt_versions,
    ).to_json()
    body = (
        _PREFIX.pack(MAGIC, format_version, len(header)) + header + _CLEN.pack(len(ciphertext)) + ciphertext
    )
    return body + keys.signing_key.sign(body).signature


def seal_package(
    payload: dict[str, Any],
    *,
    keys: DeviceKeys,
    recipient: PublicKeys,
    sequence: int,
    created_at: datetime,
    sender_key: str = "",
    receipt_versions: tuple[int, ...] = (),
) -> bytes:
    """A complete package; device and sequence are repeated inside the encrypted payload."""
    inner = dict(payload, device_id=keys.device_id, sequence=sequence)
    compressed, size = compress_payload(inner)
    if size > MAX_PAYLOAD:
        raise ValueError("payload too large for one package")
    return seal_compressed(
        compressed,
        size,
        keys=keys,
        recipient=recipient,
        sequence=sequence,
        created_at=created_at,
        sender_key=sender_key,
        receipt_versions=receipt_versions,
    )


@dataclass(frozen=True)
class SplitPackage:
    header: PackageHeader
    header_bytes: bytes
    ciphertext: bytes
    signed: bytes
    signature: bytes


def split_package(data: bytes) -> SplitPackage:
    """Check the framing only (no keys needed): empty, not ours, unknown version, truncated."""
    if not data:
        raise PackageRefused(RefusalReason.EMPTY)
    if len(data) < len(MAGIC) or data[: len(MAGIC)] != MAGIC:
        raise PackageRefused(RefusalReason.NOT_A_PACKAGE)
    if len(data) < _PREFIX.size:
        raise PackageRefused(RefusalReason.TRUNCATED, "shorter than the prefix")
    _magic, version, header_length = _PREFIX.unpack_from(data)
    if version not in SUPPORTED_VERSIONS:
        raise PackageRefused(RefusalReason.UNKNOWN_FORMAT, f"format {version}")
    if header_length > MAX_HEADER:
        raise PackageRefused(RefusalReason.TAMPERED, "header length out of range")
    position = _PREFIX.size + header_length
    if len(data) < position + _CLEN.size:
        raise PackageRefused(RefusalReason.TRUNCATED, "header cut off")
    header_bytes = data[_PREFIX.size : position]
    (cipher_length,) = _CLEN.unpack_from(data, position)
    if cipher_length > MAX_CIPHERTEXT:
        raise PackageRefused(RefusalReason.OVERSIZE, "ciphertext length out of range")
    position += _CLEN.size
    end = position + cipher_length
    if len(data) < end + SIGNATURE_SIZE:
        raise PackageRefused(RefusalReason.TRUNCATED, "body cut off")
    if len(data) > end + SIGNATURE_SIZE:
        raise PackageRefused(RefusalReason.TAMPERED, "trailing bytes")
    header = PackageHeader.from_json(header_bytes)
    if header.format != version:
        raise PackageRefused(RefusalReason.TAMPERED, "format mismatch")
    return SplitPackage(header, header_bytes, data[position:end], data[:end], data[end:])


def names_a_sender(data: bytes) -> bool:
    """Whether the header bytes mention `sender_key` (a hand-over might), without splitting the
    whole package: a cheap first look before `split_package` for every package of an import."""
    if len(data) < _PREFIX.size or data[: len(MAGIC)] != MAGIC:
        return False
    header_length = _PREFIX.unpack_from(data)[2]
    return b'"sender_key"' in data[_PREFIX.size : _PREFIX.size + min(header_length, MAX_HEADER)]


@dataclass(frozen=True)
class OpenedPackage:
    header: PackageHeader
    payload: dict[str, Any]


def verify_package(data: bytes, lookup_device: Callable[[str], TrustedDevice | None]) -> SplitPackage:
    """Framing, device and signature; what can be checked without the private key."""
    split = split_package(data)
    device = lookup_device(split.header.device_id)
    if device is None:
        raise PackageRefused(RefusalReason.UNKNOWN_DEVICE, split.header.device_id)
    if device.revoked:
        raise PackageRefused(RefusalReason.REVOKED_DEVICE, split.header.device_id)
    try:
        VerifyKey(device.keys.verify_key).verify(split.signed, split.signature)
    except BadSignatureError as error:
        raise PackageRefused(RefusalReason.TAMPERED, "bad signature") from error
    if hashlib.sha256(split.ciphertext).hexdigest() != split.header.content_hash:
        raise PackageRefused(RefusalReason.TAMPERED, "content hash differs")
    return split


def open_package(
    data: bytes,
    *,
    keys: DeviceKeys,
    lookup_device: Callable[[str], TrustedDevice | None],
    max_payload: int = MAX_PAYLOAD,
) -> OpenedPackage:
    """Verify, decrypt and inflate; raises PackageRefused with the precise reason."""
    split = verify_package(data, lookup_device)
    header = split.header
    if header.recipient != recipient_id(bytes(keys.public_key)):
        raise PackageRefused(RefusalReason.WRONG_RECIPIENT)
    if header.compression != "zlib":
        raise PackageRefused(RefusalReason.INVALID_PAYLOAD, "unknown compression")
    if header.payload_size > max_payload:
        raise PackageRefused(RefusalReason.OVERSIZE, "declared size")
    try:
        compressed = SealedBox(keys.private_key).decrypt(split.ciphertext)
    except CryptoError as error:
        raise PackageRefused(RefusalReason.WRONG_RECIPIENT, "cannot decrypt") from error
    raw = _inflate(compressed, max_payload)
    if len(raw) != header.payload_size:
        raise PackageRefused(RefusalReason.INVALID_PAYLOAD, "size differs from header")
    try:
        payload = json.loads(raw.decode("utf-8"))
    except RecursionError as error:  # nested deeper than the parser goes
        raise PackageRefused(RefusalReason.INVALID_PAYLOAD, "nested too deep") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise PackageRefused(RefusalReason.INVALID_PAYLOAD, "not JSON") from error
    if not isinstance(payload, dict):
        raise PackageRefused(RefusalReason.INVALID_PAYLOAD, "not an object")
    if payload.get("device_id") != header.device_id or payload.get("sequence") != header.sequence:
        raise PackageRefused(RefusalReason.TAMPERED, "payload names another device or sequence")
    return OpenedPackage(header, payload)


def _inflate(compressed: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(compressed, limit + 1)
    except zlib.error as error:
        raise PackageRefused(RefusalReason.INVALID_PAYLOAD, "not zlib") from error
    if len(raw) > limit or inflater.unconsumed_tail:
        raise PackageRefused(RefusalReason.OVERSIZE, "inflates beyond the cap")
    if not inflater.eof or inflater.unused_data:
        raise PackageRefused(RefusalReason.INVALID_PAYLOAD, "incomplete compressed stream")
    return raw


def sender_of(split: SplitPackage) -> PublicKeys:
    """The sender a package names in its header (a hand-over), its key file checked; the signature
    over the package is checked by `open_self_signed` with these keys."""
    if not split.header.sender_key:
        raise PackageRefused(RefusalReason.UNKNOWN_DEVICE, "no sender key")
    try:
        sender = parse_public_keys(split.header.sender_key.encode("utf-8"))
    except SyncError as error:
        raise PackageRefused(RefusalReason.TAMPERED, "sender key unreadable") from error
    if sender.device_id != split.header.device_id:
        raise PackageRefused(RefusalReason.TAMPERED, "sender key names another device")
    return sender


def open_self_signed(
    data: bytes, *, keys: DeviceKeys, max_payload: int = MAX_PAYLOAD
) -> tuple[OpenedPackage, PublicKeys]:
    """Open a package whose sender is named by its own header (a hand-over between municipalities):
    the same checks as `open_package`, with the header's sender key as the only trusted device."""
    sender = sender_of(split_package(data))
    opened = open_package(
        data,
        keys=keys,
        lookup_device=lambda device_id: TrustedDevice(sender) if device_id == sender.device_id else None,
        max_payload=max_payload,
    )
    return opened, sender
