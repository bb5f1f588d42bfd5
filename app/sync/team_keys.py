"""The team-keys file (issue 18): how a supervisor hands the team's keys to a second supervisor
workstation of the same team database.

The team's keys are the supervisor key pair the klantmanagers' devices encrypt to and verify (signing
and encryption, as `app/sync/keys.py`) and the team key that seals the special categories in
PostgreSQL (`app/models/sealed.py`). The file holds them sealed to the new workstation's own public
key (libsodium's sealed box: only that workstation's private key opens it), and the whole file,
the sealed part included, is signed by the admitting supervisor with the team's signing key. So:

- nobody but the named workstation can read the keys: not the database, not whoever carries the file;
- a changed byte, or keys of another team swapped in, breaks the signature or the check that the
  keys inside are the signer's own;
- the receiving side still checks the signer against the team it knows (the supervisor key recorded
  in the team database, and the fingerprint read aloud): see `app/services/sync/team.py`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import nacl.exceptions
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

from app.i18n import _
from app.sync.errors import SyncError
from app.sync.keys import DeviceKeys, PublicKeys

TEAM_KEYS_FORMAT = "wegwijs-teamsleutels"
TEAM_KEYS_VERSION = 1
MAX_TEAM_KEYS_FILE = 64 * 1024
_PURPOSE = "wegwijs-teamsleutels-v1"


@dataclass(frozen=True)
class TeamKeys:
    """What an opened team-keys file gives: the team's supervisor keys, its team key, who admitted."""

    supervisor_keys: DeviceKeys
    team_key: bytes
    admitted_by: PublicKeys
    made_at: str


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _public_fields(keys: PublicKeys) -> dict[str, str]:
    return {
        "name": keys.name,
        "municipality": keys.municipality,
        "signing_key": _b64(keys.verify_key),
        "encryption_key": _b64(keys.public_key),
        "fingerprint": keys.fingerprint,
    }


def seal_team_keys(
    supervisor: DeviceKeys, admitter: PublicKeys, team_key: bytes, recipient: PublicKeys
) -> bytes:
    """The team-keys file for `recipient`, signed with the team's signing key."""
    payload = {
        "purpose": _PURPOSE,
        "signing_key": _b64(bytes(supervisor.signing_key)),
        "encryption_key": _b64(bytes(supervisor.private_key)),
        "team_key": _b64(team_key),
    }
    sealed = SealedBox(PublicKey(recipient.public_key)).encrypt(_canonical(payload))
    fields = {
        "format": TEAM_KEYS_FORMAT,
        "version": TEAM_KEYS_VERSION,
        "recipient": _public_fields(recipient),
        "admitted_by": _public_fields(admitter),
        "made_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "sealed": _b64(bytes(sealed)),
    }
    signature = supervisor.signing_key.sign(_canonical(fields)).signature
    return json.dumps(dict(fields, signature=_b64(signature)), indent=2, ensure_ascii=False).encode() + b"\n"


def _not_team_keys() -> SyncError:
    return SyncError(
        _(
            "Dit is geen bestand met teamsleutels van Wegwijs; vraag de supervisor om het bestand van 'wegwijs keys "
            "admit-supervisor'."
        )
    )


def _tampered() -> SyncError:
    return SyncError(
        _(
            "Het bestand met teamsleutels is veranderd of beschadigd (de handtekening klopt niet); er is niets "
            "overgenomen: vraag de supervisor om een nieuw bestand."
        )
    )


def _public_keys(fields: Any) -> PublicKeys:
    keys = PublicKeys(
        verify_key=base64.b64decode(fields["signing_key"], validate=True),
        public_key=base64.b64decode(fields["encryption_key"], validate=True),
        role="supervisor",
        name=str(fields.get("name", "")),
        municipality=str(fields.get("municipality", "")),
    )
    if len(keys.verify_key) != 32 or len(keys.public_key) != 32:
        raise ValueError("wrong key length")
    return keys


def open_team_keys(data: bytes, own_keys: list[DeviceKeys]) -> TeamKeys:
    """Read a team-keys file sealed to one of `own_keys`; refuse anything else in Dutch."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise _not_team_keys() from error
    if not isinstance(document, dict) or document.get("format") != TEAM_KEYS_FORMAT:
        raise _not_team_keys()
    if document.get("version") != TEAM_KEYS_VERSION:
        raise SyncError(
            _(
                "Dit bestand met teamsleutels heeft een onbekende versie; werk Wegwijs bij en probeer het opnieuw."
            )
        )
    try:
        fields = {name: value for name, value in document.items() if name != "signature"}
        admitter = _public_keys(fields["admitted_by"])
        recipient = _public_keys(fields["recipient"])
        sealed = base64.b64decode(fields["sealed"], validate=True)
        VerifyKey(admitter.verify_key).verify(
            _canonical(fields), base64.b64decode(document["signature"], validate=True)
        )
    except (ValueError, KeyError, TypeError, nacl.exceptions.BadSignatureError) as error:
        raise _tampered() from error
    mine = [keys for keys in own_keys if bytes(keys.public_key) == recipient.public_key]
    if not mine:
        raise SyncError(
            _(
                "Dit bestand met teamsleutels is voor een andere werkplek gemaakt; stuur de supervisor het bestand "
                "van 'wegwijs keys export-public' van deze werkplek en vraag een nieuw bestand."
            )
        )
    try:
        payload = json.loads(SealedBox(mine[0].private_key).decrypt(sealed))
        if payload.get("purpose") != _PURPOSE:
            raise ValueError("purpose")
        supervisor = DeviceKeys(
            SigningKey(base64.b64decode(payload["signing_key"], validate=True)),
            PrivateKey(base64.b64decode(payload["encryption_key"], validate=True)),
        )
        team_key = base64.b64decode(payload["team_key"], validate=True)
        if len(team_key) != 32:
            raise ValueError("team key length")
    except (ValueError, KeyError, TypeError, AttributeError, nacl.exceptions.CryptoError) as error:
        raise _tampered() from error
    # The team signs with its own key: the keys inside must be the signer's, or they were swapped.
    if (
        bytes(supervisor.verify_key) != admitter.verify_key
        or bytes(supervisor.public_key) != admitter.public_key
    ):
        raise _tampered()
    return TeamKeys(supervisor, team_key, admitter, str(fields.get("made_at", "")))
