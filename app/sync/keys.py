"""Device keys: an Ed25519 signing pair and an X25519 encryption pair per installation.

The private halves live in a secret store (OS keyring or passphrase vault, see app/models/secrets.py);
only the public halves ever leave the machine, in a small self-signed JSON file. Trust is explicit:
people compare fingerprints by phone before a supervisor key is trusted or a device is registered.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from nacl.exceptions import BadSignatureError
from nacl.public import PrivateKey, PublicKey
from nacl.signing import SigningKey, VerifyKey

from app.i18n import _
from app.sync.atomic import atomic_write_bytes
from app.sync.errors import SyncError

SIGNING_SECRET = "sync-signing-key"
ENCRYPTION_SECRET = "sync-encryption-key"
PUBLIC_FILE_FORMAT = "wegwijs-public-keys"
PUBLIC_FILE_VERSION = 1
_FINGERPRINT_DOMAIN = b"wegwijs-fingerprint-v1"
_MAX_PUBLIC_FILE = 64 * 1024


class SecretBackend(Protocol):
    def get(self, name: str) -> bytes | None: ...

    def set(self, name: str, value: bytes) -> None: ...


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, length: int) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not text")
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    if len(raw) != length:
        raise ValueError("wrong length")
    return raw


def fingerprint(verify_key: bytes, public_key: bytes) -> str:
    """Forty digits in eight groups of five, easy to read aloud (Signal's safety numbers do the same).

    Each group is its own five bytes of SHA-512 (40 of the 64 bytes are used) reduced modulo 100000,
    so each group carries about 16.6 bits and the eight together about 132 bits: enough that nobody
    can make a key with the same fingerprint. (SHA-256 has only 32 bytes: too few for 8 x 5.)
    """
    digest = hashlib.sha512(_FINGERPRINT_DOMAIN + verify_key + public_key).digest()
    groups = [f"{int.from_bytes(digest[i * 5 : i * 5 + 5], 'big') % 100000:05d}" for i in range(8)]
    return " ".join(groups)


def device_id_for(verify_key: bytes) -> str:
    """A device is named by its signing key, so a name can never be claimed by another key."""
    return hashlib.sha256(b"wegwijs-device-v1" + verify_key).hexdigest()[:16]


@dataclass(frozen=True)
class PublicKeys:
    """The public half of an installation, as exchanged between klantmanager and supervisor."""

    verify_key: bytes
    public_key: bytes
    role: str = ""
    name: str = ""
    municipality: str = ""

    @property
    def device_id(self) -> str:
        return device_id_for(self.verify_key)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.verify_key, self.public_key)

    def _signed_fields(self) -> dict[str, Any]:
        return {
            "format": PUBLIC_FILE_FORMAT,
            "version": PUBLIC_FILE_VERSION,
            "role": self.role,
            "name": self.name,
            "municipality": self.municipality,
            "device_id": self.device_id,
            "signing_key": _b64(self.verify_key),
            "encryption_key": _b64(self.public_key),
            "fingerprint": self.fingerprint,
        }


def _canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class DeviceKeys:
    """This installation's private keys."""

    signing_key: SigningKey
    private_key: PrivateKey

    @classmethod
    def generate(cls) -> DeviceKeys:
        return cls(SigningKey.generate(), PrivateKey.generate())

    @property
    def verify_key(self) -> VerifyKey:
        return self.signing_key.verify_key

    @property
    def public_key(self) -> PublicKey:
        return self.private_key.public_key

    @property
    def device_id(self) -> str:
        return device_id_for(bytes(self.verify_key))

    @property
    def fingerprint(self) -> str:
        return fingerprint(bytes(self.verify_key), bytes(self.public_key))

    def public(self, role: str = "", name: str = "", municipality: str = "") -> PublicKeys:
        return PublicKeys(bytes(self.verify_key), bytes(self.public_key), role, name, municipality)

    def export_public(self, role: str, name: str, municipality: str) -> bytes:
        """The public-key file: the fields, signed by the key they describe (proof of possession)."""
        fields = self.public(role, name, municipality)._signed_fields()
        signature = self.signing_key.sign(_canonical(fields)).signature
        document = dict(fields, self_signature=_b64(signature))
        return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"

    def save(self, secrets: SecretBackend) -> None:
        secrets.set(SIGNING_SECRET, bytes(self.signing_key))
        secrets.set(ENCRYPTION_SECRET, bytes(self.private_key))

    @classmethod
    def load(cls, secrets: SecretBackend) -> DeviceKeys | None:
        signing = secrets.get(SIGNING_SECRET)
        private = secrets.get(ENCRYPTION_SECRET)
        if signing is None or private is None:
            return None
        if len(signing) != 32 or len(private) != 32:
            raise SyncError(
                _("De sleutels van deze installatie zijn beschadigd; neem contact op met de beheerder.")
            )
        return cls(SigningKey(signing), PrivateKey(private))

    @classmethod
    def load_or_create(cls, secrets: SecretBackend) -> DeviceKeys:
        keys = cls.load(secrets)
        if keys is None:
            keys = cls.generate()
            keys.save(secrets)
        return keys


def parse_public_keys(data: bytes) -> PublicKeys:
    """Read a public-key file; refuse anything malformed, altered or not self-signed."""
    refused = SyncError(
        _("Dit is geen geldig Wegwijs-sleutelbestand; vraag de andere kant het opnieuw te exporteren.")
    )
    if not data or len(data) > _MAX_PUBLIC_FILE:
        raise refused
    try:
        document = json.loads(data.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != PUBLIC_FILE_FORMAT:
            raise refused
        if document.get("version") != PUBLIC_FILE_VERSION:
            raise SyncError(
                _("Dit sleutelbestand heeft een onbekende versie; werk Wegwijs bij en probeer het opnieuw.")
            )
        keys = PublicKeys(
            verify_key=_unb64(document["signing_key"], 32),
            public_key=_unb64(document["encryption_key"], 32),
            role=str(document.get("role", "")),
            name=str(document.get("name", "")),
            municipality=str(document.get("municipality", "")),
        )
        signature = _unb64(document["self_signature"], 64)
    except SyncError:
        raise
    except (ValueError, KeyError, UnicodeDecodeError) as error:
        raise refused from error
    fields = keys._signed_fields()
    if any(document.get(name) != value for name, value in fields.items()):
        raise refused
    try:
        VerifyKey(keys.verify_key).verify(_canonical(fields), signature)
    except BadSignatureError as error:
        raise refused from error
    return keys


def read_public_keys(path: Path) -> PublicKeys:
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_PUBLIC_FILE + 1)
    except OSError as error:
        raise SyncError(
            _("Het sleutelbestand {path} kan niet worden gelezen; controleer de naam.").format(path=path)
        ) from error
    return parse_public_keys(data)


def write_public_keys(path: Path, keys: DeviceKeys, role: str, name: str, municipality: str) -> None:
    atomic_write_bytes(path, keys.export_public(role, name, municipality))
