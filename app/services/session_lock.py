"""Unlocking the app after interpreter mode or idle minutes (issue 14): what the klantmanager types.

Decision. Where the store key is in a passphrase vault, that passphrase unlocks: it is checked the
way opening the vault checks it (Argon2id at MODERATE limits, every entry opened), so nothing new is
stored. Where the key is in the OS keyring there is no passphrase of the app, and the operating
system's own re-authentication (Windows Hello, polkit) has no portable interface a Python desktop
app can call; the keyring itself is open for the whole login session, so "the keyring answers" would
let anyone at the laptop in. There the klantmanager chooses an unlock passphrase once (the GUI asks
at start); only its Argon2id hash (libsodium's `crypto_pwhash_str`, MODERATE) is kept, in the keyring
beside the other secrets. The interpreter at the laptop knows neither.
"""

from __future__ import annotations

from dataclasses import dataclass

import nacl.exceptions
import nacl.pwhash

from app.domain.errors import WegwijsError
from app.i18n import _
from app.models.secrets import BACKEND_VAULT, MIN_PASSPHRASE_LENGTH, SecretError, SecretStore
from app.services.policy import option_value
from app.services.profile import STORE_KEY_NAME, Profile

LOCK_SECRET = "unlock-passphrase-hash"
IDLE_OPTION = "idle_lock_minutes"


class UnlockRefused(WegwijsError):
    pass


@dataclass(frozen=True)
class LockSettings:
    idle_minutes: int  # 0: never by itself
    asks_vault_passphrase: bool  # False: the unlock passphrase chosen for the keyring profile
    unlock_passphrase_set: bool


class LockService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    @classmethod
    def for_profile(cls, profile: Profile) -> LockService:
        return cls(profile)

    def settings(self) -> LockSettings:
        vault = self._profile.settings.secret_backend == BACKEND_VAULT
        minutes = int(option_value(self._profile.settings.options, IDLE_OPTION))
        return LockSettings(minutes, vault, vault or self._profile.secrets.get(LOCK_SECRET) is not None)

    def choose_unlock_passphrase(self, first: str, second: str) -> None:
        """For a keyring profile: the passphrase that unlocks the app (asked once)."""
        if first != second:
            raise UnlockRefused(_("De twee wachtwoorden zijn niet gelijk; typ ze opnieuw."))
        if len(first) < MIN_PASSPHRASE_LENGTH:
            raise UnlockRefused(
                _("Kies een wachtwoord van minstens {length} tekens.").format(length=MIN_PASSPHRASE_LENGTH)
            )
        hashed = nacl.pwhash.argon2id.str(
            first.encode("utf-8"),
            opslimit=nacl.pwhash.argon2id.OPSLIMIT_MODERATE,
            memlimit=nacl.pwhash.argon2id.MEMLIMIT_MODERATE,
        )
        self._profile.secrets.set(LOCK_SECRET, hashed)

    def verify(self, passphrase: str) -> None:
        """Nothing when `passphrase` unlocks; else UnlockRefused with the Dutch sentence."""
        wrong = UnlockRefused(_("Dit wachtwoord klopt niet; Wegwijs blijft vergrendeld."))
        if not passphrase:
            raise wrong
        profile = self._profile
        if profile.settings.secret_backend == BACKEND_VAULT:
            check = SecretStore(
                profile.data_dir, profile.settings.store_id, BACKEND_VAULT, lambda _new: passphrase
            )
            try:
                if check.get(STORE_KEY_NAME) != profile.store_key():
                    raise wrong
            except SecretError as error:
                raise wrong from error
            return
        hashed = profile.secrets.get(LOCK_SECRET)
        if hashed is None:
            raise UnlockRefused(
                _(
                    "Er is geen ontgrendelwachtwoord gekozen; sluit Wegwijs af en start het opnieuw, dan "
                    "vraagt het er een."
                )
            )
        try:
            nacl.pwhash.verify(hashed, passphrase.encode("utf-8"))
        except nacl.exceptions.InvalidkeyError as error:
            raise wrong from error
