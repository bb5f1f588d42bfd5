"""The recovery key: a printed sheet that reopens the store when the keyring entry is lost.

`keys recovery-sheet` makes a new random recovery key (160 bits), seals the profile's secrets (the
store key and the device's private keys) under a key derived from it with Argon2id (libsodium's
MODERATE limits; the recovery key is typed by a person) and libsodium's SecretBox, with the profile's
id and the purpose inside the sealed payload, and writes `recovery.json` into the profile. The
recovery key itself is only on the sheet: a new sheet replaces the old one, which then opens nothing.

The key is written in base32 (A-Z, 2-7; typing 0, 1 or 8 is read as O, I or B) in ten groups of four:
eight groups carry the key, the last two a checksum, so a typing error is told from a wrong sheet.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils

from app.i18n import _
from app.models.secrets import (
    BACKEND_KEYRING,
    BACKEND_VAULT,
    VAULT_FILE,
    SecretError,
    usable_keyring,
    write_atomically,
)
from app.models.store import Store, key_check_value
from app.models.team_store import TeamStore, team_key_check
from app.services.maintenance.privacy import create_private_file
from app.sync.keys import ENCRYPTION_SECRET, SIGNING_SECRET, DeviceKeys

if TYPE_CHECKING:
    from app.services.profile import Profile

RECOVERY_FILE = "recovery.json"
RECOVERY_KEY_ENV = "WEGWIJS_RECOVERY_KEY"
KEY_BYTES = 20
CHECK_BYTES = 5
GROUP = 4
PURPOSE = "wegwijs-herstel"
OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MODERATE
MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MODERATE
_TYPOS = str.maketrans({"0": "O", "1": "I", "8": "B"})


class RecoveryError(SecretError):
    pass


def _checksum(key: bytes) -> bytes:
    return hashlib.blake2b(key, digest_size=CHECK_BYTES, person=b"wegwijs-herstel").digest()


def format_recovery_key(key: bytes) -> str:
    text = base64.b32encode(key + _checksum(key)).decode("ascii")
    return "-".join(text[i : i + GROUP] for i in range(0, len(text), GROUP))


def parse_recovery_key(text: str) -> bytes:
    """The key from what a person typed: spaces, dashes and lower case allowed; checksum verified."""
    cleaned = "".join(ch for ch in text.upper() if not ch.isspace() and ch != "-").translate(_TYPOS)
    expected = (KEY_BYTES + CHECK_BYTES) * 8 // 5
    if len(cleaned) != expected:
        raise RecoveryError(
            _(
                "De herstelsleutel heeft {expected} tekens (tien groepen van vier), niet {count}; tik hem "
                "opnieuw over van het herstelblad."
            ).format(expected=expected, count=len(cleaned))
        )
    try:
        raw = base64.b32decode(cleaned)
    except binascii.Error as error:
        raise RecoveryError(
            _(
                "De herstelsleutel bevat tekens die er niet in horen (alleen A-Z en 2-7); tik hem opnieuw over."
            )
        ) from error
    key, check = raw[:KEY_BYTES], raw[KEY_BYTES:]
    if _checksum(key) != check:
        raise RecoveryError(
            _(
                "De herstelsleutel is niet goed overgetikt (de controlegroepen kloppen niet); controleer elke groep."
            )
        )
    return key


def _derive(key: bytes, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    return nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE, key, salt, opslimit=opslimit, memlimit=memlimit
    )


@dataclass(frozen=True)
class RecoverySheet:
    path: str
    made_at: dt.datetime
    secrets: tuple[str, ...]


@dataclass(frozen=True)
class RecoveryResult:
    secret_backend: str
    secrets: tuple[str, ...]


def recovery_secret_names() -> tuple[str, ...]:
    from app.services.profile import DATABASE_PASSWORD_NAME, STORE_KEY_NAME, TEAM_KEY_NAME

    # A team-store supervisor (issue 18) has no store key but the team key (and perhaps the
    # database password): the sheet brings back whichever the profile holds.
    return (STORE_KEY_NAME, SIGNING_SECRET, ENCRYPTION_SECRET, TEAM_KEY_NAME, DATABASE_PASSWORD_NAME)


class RecoveryService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    @classmethod
    def for_profile(cls, profile: Profile) -> RecoveryService:
        return cls(profile)

    @property
    def _file(self) -> Path:
        return self._profile.data_dir / RECOVERY_FILE

    def write_sheet(self, out: Path, today: dt.date | None = None) -> RecoverySheet:
        """A new recovery key on a printable PDF; the previous sheet stops working."""
        from app.services.maintenance.recovery_sheet import render_sheet

        profile = self._profile
        profile.store()  # the store must open with the key we are about to seal
        DeviceKeys.load_or_create(profile.secrets)  # the device's identity belongs on the sheet too
        values = {
            name: value
            for name in recovery_secret_names()
            if (value := profile.secrets.get(name)) is not None
        }
        out = out.expanduser().absolute()
        if out.is_symlink() or out.exists():
            raise RecoveryError(
                _("{path} bestaat al; kies een nieuwe bestandsnaam voor het herstelblad.").format(path=out)
            )
        recovery_key = nacl.utils.random(KEY_BYTES)
        salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
        payload = {
            "purpose": PURPOSE,
            "store_id": profile.settings.store_id,
            "secrets": {name: base64.b64encode(value).decode("ascii") for name, value in values.items()},
        }
        sealed = nacl.secret.SecretBox(_derive(recovery_key, salt, OPSLIMIT, MEMLIMIT)).encrypt(
            json.dumps(payload, sort_keys=True).encode("utf-8")
        )
        made_at = dt.datetime.now(dt.UTC)
        document = {
            "format": 1,
            "kdf": "argon2id",
            "opslimit": OPSLIMIT,
            "memlimit": MEMLIMIT,
            "salt": base64.b64encode(salt).decode("ascii"),
            "sealed": base64.b64encode(sealed).decode("ascii"),
            "made_at": made_at.isoformat(timespec="seconds"),
        }
        pdf = render_sheet(
            format_recovery_key(recovery_key),
            municipality=profile.settings.municipality,
            user_name=profile.settings.user_name,
            device_name=profile.settings.device_name,
            role=profile.settings.role,
            store_id=profile.settings.store_id,
            day=today or made_at.date(),
            team_database=profile.settings.database,
        )
        handle = create_private_file(out)
        with os.fdopen(handle, "wb") as stream:
            stream.write(pdf)
        write_atomically(self._file, json.dumps(document, indent=1).encode("utf-8"))
        return RecoverySheet(str(out), made_at, tuple(sorted(values)))

    def _unseal(self, recovery_key: bytes) -> dict[str, bytes]:
        try:
            document = json.loads(self._file.read_text(encoding="utf-8"))
            salt = base64.b64decode(document["salt"])
            sealed = base64.b64decode(document["sealed"])
            opslimit, memlimit = int(document["opslimit"]), int(document["memlimit"])
        except FileNotFoundError as error:
            raise RecoveryError(
                _(
                    "Dit profiel heeft geen herstelsleutel ({file} ontbreekt); zonder de sleutel uit de sleutelbos "
                    "of het wachtwoord is de database niet te openen."
                ).format(file=RECOVERY_FILE)
            ) from error
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise RecoveryError(
                _("Het herstelbestand {path} is beschadigd; neem contact op met de beheerder.").format(
                    path=self._file
                )
            ) from error
        try:
            payload = json.loads(
                nacl.secret.SecretBox(_derive(recovery_key, salt, opslimit, memlimit)).decrypt(sealed)
            )
        except nacl.exceptions.CryptoError as error:
            raise RecoveryError(
                _(
                    "Deze herstelsleutel past niet bij dit profiel (een ouder herstelblad, of dat van een ander "
                    "profiel); gebruik het nieuwste herstelblad van deze installatie."
                )
            ) from error
        if payload.get("purpose") != PURPOSE or payload.get("store_id") != self._profile.settings.store_id:
            raise RecoveryError(_("Deze herstelsleutel hoort bij een ander profiel; er is niets veranderd."))
        return {name: base64.b64decode(value) for name, value in payload["secrets"].items()}

    def _check_team_key(self, values: dict[str, bytes]) -> None:
        """The sheet's team key must be the team's: the profile's check value, and the one the team
        database records; and the database must open with it."""
        from app.services.profile import DATABASE_PASSWORD_NAME, TEAM_KEY_NAME

        profile = self._profile
        team_key = values.get(TEAM_KEY_NAME)
        refused = RecoveryError(
            _("Dit herstelblad heeft niet de teamsleutel van deze teamdatabase; er is niets veranderd.")
        )
        if team_key is None:
            raise refused
        check = team_key_check(team_key)
        if profile.settings.key_check and check != profile.settings.key_check:
            raise refused
        password = values.get(DATABASE_PASSWORD_NAME)
        store = TeamStore.open(
            profile.settings.database, team_key, password.decode("utf-8") if password else None
        )
        try:
            recorded = store.recorded_team_key_check()
        finally:
            store.close()
        if recorded is not None and recorded != check:
            raise refused

    def recover(self, recovery_key_text: str) -> RecoveryResult:
        """Reopen the store with the recovery key and put its keys back in the keyring (or a new vault)."""
        from app.services.profile import STORE_KEY_NAME

        profile = self._profile
        values = self._unseal(parse_recovery_key(recovery_key_text))
        if profile.uses_team_store:
            self._check_team_key(values)
        else:
            key = values.get(STORE_KEY_NAME)
            if key is None or key_check_value(key) != profile.settings.key_check:
                raise RecoveryError(
                    _("Het herstelbestand hoort niet bij deze database; er is niets veranderd.")
                )
            Store.open(profile.store_path, key, profile.settings.key_check).close()  # it really opens
        profile.close()
        backend = BACKEND_KEYRING if usable_keyring() is not None else BACKEND_VAULT
        vault = profile.data_dir / VAULT_FILE
        if backend == BACKEND_VAULT and vault.exists():
            # Its passphrase is what was lost: keep the old file aside, start a vault with a new one.
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
            os.replace(vault, vault.with_name(f"{VAULT_FILE}.{stamp}.voor-herstel"))
        if profile.settings.secret_backend != backend:
            profile.settings.secret_backend = backend
            profile.save_settings()
        profile.reset_secrets()
        for name, value in values.items():
            profile.secrets.set(name, value)
        profile.store()  # and now through the new entry
        return RecoveryResult(backend, tuple(sorted(values)))
