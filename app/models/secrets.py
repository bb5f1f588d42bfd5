"""Secrets (the store key, the device's private keys): the OS keyring, or a passphrase vault.

The keyring package decides which OS keyring to use and honours its standard configuration
(PYTHON_KEYRING_BACKEND, keyringrc.cfg). Where no usable keyring exists, secrets are kept in a
vault file encrypted with a key derived from a passphrase by Argon2id (libsodium via PyNaCl).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import keyring
import keyring.errors
import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils
from keyring.backend import KeyringBackend

from app.domain.errors import WegwijsError
from app.i18n import _

KEYRING_SERVICE = "wegwijs"
VAULT_FILE = "secrets.vault"
BACKEND_KEYRING = "keyring"
BACKEND_VAULT = "vault"
PASSPHRASE_ENV = "WEGWIJS_PASSPHRASE"
MIN_PASSPHRASE_LENGTH = 8
# Vault format 2: Argon2id at libsodium's MODERATE limits, each entry sealed with XChaCha20-Poly1305
# and its name as associated data, so an entry moved to another name no longer opens. Format 1
# (SecretBox, INTERACTIVE limits, entries not bound to their names) still opens and is rewritten.
VAULT_FORMAT = 2
VAULT_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MODERATE
VAULT_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MODERATE

PassphraseProvider = Callable[[bool], str]
"""Asks for the passphrase; the argument says whether a new one is being chosen."""


class SecretError(WegwijsError):
    """A secret cannot be stored or read; the message is one Dutch sentence for the user."""


def usable_keyring() -> KeyringBackend | None:
    """The configured keyring when it can really keep secrets, else None."""
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if name in {"keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"}:
        return None
    if name == "keyring.backends.chainer.ChainerBackend" and not getattr(backend, "backends", None):
        return None
    return backend


def passphrase_from_environment(_new: bool) -> str:
    value = os.environ.get(PASSPHRASE_ENV)
    if not value:
        raise SecretError(
            _(
                "Er is geen sleutelbos van het besturingssysteem beschikbaar en geen wachtwoord "
                "opgegeven; geef het wachtwoord op of zet het in {variable}."
            ).format(variable=PASSPHRASE_ENV)
        )
    return value


def write_atomically(path: Path, data: bytes) -> None:
    """Temporary file, fsync, rename: a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class SecretStore:
    def __init__(
        self,
        data_dir: Path,
        namespace: str,
        backend: str,
        passphrase_provider: PassphraseProvider = passphrase_from_environment,
    ) -> None:
        self._data_dir = data_dir
        self._namespace = namespace
        self.backend = backend
        self._ask_passphrase = passphrase_provider
        self._vault_key: bytes | None = None

    # -- public API ---------------------------------------------------------------------------
    def get(self, name: str) -> bytes | None:
        if self.backend == BACKEND_KEYRING:
            try:
                value = self._keyring().get_password(KEYRING_SERVICE, self._username(name))
            except keyring.errors.KeyringError as error:
                raise SecretError(
                    _(
                        "De sleutelbos van het besturingssysteem gaf geen toegang; ontgrendel hem en probeer het "
                        "opnieuw."
                    )
                ) from error
            return None if value is None else base64.b64decode(value)
        if name not in self._read_vault().get("entries", {}):
            return None
        self._unlock(new=False)
        sealed = self._read_vault().get("entries", {}).get(name)
        if sealed is None:
            return None
        try:
            return self._open_entry(name, sealed)
        except (TypeError, ValueError, nacl.exceptions.CryptoError) as error:
            raise self._damaged() from error

    def set(self, name: str, value: bytes) -> None:
        if self.backend == BACKEND_KEYRING:
            try:
                self._keyring().set_password(
                    KEYRING_SERVICE, self._username(name), base64.b64encode(value).decode("ascii")
                )
            except keyring.errors.KeyringError as error:
                raise SecretError(
                    _(
                        "De sleutel kon niet in de sleutelbos van het besturingssysteem worden bewaard; "
                        "ontgrendel de sleutelbos en probeer het opnieuw."
                    )
                ) from error
            return
        self._unlock(new=not self._read_vault())
        vault = self._read_vault()
        vault.setdefault("entries", {})[name] = self._seal_entry(name, value)
        self._write_vault(vault)

    def delete(self, name: str) -> None:
        if self.backend == BACKEND_KEYRING:
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                self._keyring().delete_password(KEYRING_SERVICE, self._username(name))
            return
        vault = self._read_vault()
        if vault.get("entries", {}).pop(name, None) is not None:
            self._write_vault(vault)

    # -- keyring -----------------------------------------------------------------------------
    def _username(self, name: str) -> str:
        return f"{self._namespace}/{name}"

    def _keyring(self) -> KeyringBackend:
        backend = usable_keyring()
        if backend is None:
            raise SecretError(
                _(
                    "De sleutelbos van het besturingssysteem is niet bereikbaar, maar deze installatie "
                    "bewaart haar sleutels daarin; start de sleutelbos (bijvoorbeeld door opnieuw in te "
                    "loggen)."
                )
            )
        return backend

    # -- vault -------------------------------------------------------------------------------
    @property
    def _vault_path(self) -> Path:
        return self._data_dir / VAULT_FILE

    def _read_vault(self) -> dict:
        if not self._vault_path.exists():
            return {}
        try:
            vault = json.loads(self._vault_path.read_text(encoding="utf-8"))
            if (
                not isinstance(vault, dict)
                or vault.get("kdf") != "argon2id"
                or not isinstance(vault.get("entries", {}), dict)
            ):
                raise ValueError
            return vault
        except (ValueError, OSError) as error:
            raise SecretError(
                _("Het sleutelbestand {path} is beschadigd; zet een reservekopie terug.").format(
                    path=self._vault_path
                )
            ) from error

    def _damaged(self) -> SecretError:
        return SecretError(
            _("Het sleutelbestand {path} is beschadigd; zet een reservekopie terug.").format(
                path=self._vault_path
            )
        )

    def _write_vault(self, vault: dict) -> None:
        write_atomically(self._vault_path, json.dumps(vault, indent=1).encode("utf-8"))

    def _aad(self, name: str) -> bytes:
        return f"wegwijs-vault/{self._namespace}/{name}".encode()

    def _seal_entry(self, name: str, value: bytes) -> str:
        assert self._vault_key is not None
        sealed = nacl.secret.Aead(self._vault_key).encrypt(value, self._aad(name))
        return base64.b64encode(sealed).decode("ascii")

    def _open_entry(
        self, name: str, sealed: str, key: bytes | None = None, format: int = VAULT_FORMAT
    ) -> bytes:
        key = key or self._vault_key
        assert key is not None
        data = base64.b64decode(sealed, validate=True)
        if format < 2:
            return nacl.secret.SecretBox(key).decrypt(data)
        return nacl.secret.Aead(key).decrypt(data, self._aad(name))

    @staticmethod
    def _derive(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
        return nacl.pwhash.argon2id.kdf(
            nacl.secret.SecretBox.KEY_SIZE,
            passphrase.encode("utf-8"),
            salt,
            opslimit=opslimit,
            memlimit=memlimit,
        )

    def _unlock(self, new: bool) -> None:
        """Ask the passphrase once, check every entry with it, and bring an older vault up to date."""
        if self._vault_key is not None:
            return
        vault = self._read_vault()
        passphrase = self._ask_passphrase(new or not vault)
        if (new or not vault) and len(passphrase) < MIN_PASSPHRASE_LENGTH:
            raise SecretError(
                _("Kies een wachtwoord van minstens {length} tekens.").format(length=MIN_PASSPHRASE_LENGTH)
            )
        if not vault:
            salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
            self._vault_key = self._derive(passphrase, salt, VAULT_OPSLIMIT, VAULT_MEMLIMIT)
            self._write_vault(self._fresh_vault(salt, {}))
            return
        try:
            format = int(vault.get("format", 1))
            opslimit, memlimit = int(vault["opslimit"]), int(vault["memlimit"])
            key = self._derive(passphrase, base64.b64decode(vault["salt"]), opslimit, memlimit)
        except (KeyError, TypeError, ValueError) as error:  # nacl's and binascii's errors are ValueErrors
            raise self._damaged() from error
        values = self._check_entries(vault, key, format)
        if format >= VAULT_FORMAT and opslimit >= VAULT_OPSLIMIT and memlimit >= VAULT_MEMLIMIT:
            self._vault_key = key
            return
        # Made by an older version: the same passphrase, a new salt, today's limits and bound entries.
        salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
        self._vault_key = self._derive(passphrase, salt, VAULT_OPSLIMIT, VAULT_MEMLIMIT)
        entries = {name: self._seal_entry(name, value) for name, value in values.items()}
        self._write_vault(self._fresh_vault(salt, entries))

    @staticmethod
    def _fresh_vault(salt: bytes, entries: dict[str, str]) -> dict:
        return {
            "kdf": "argon2id",
            "format": VAULT_FORMAT,
            "salt": base64.b64encode(salt).decode("ascii"),
            "opslimit": VAULT_OPSLIMIT,
            "memlimit": VAULT_MEMLIMIT,
            "entries": entries,
        }

    def _check_entries(self, vault: dict, key: bytes, format: int) -> dict[str, bytes]:
        """Every entry opens under its own name. None opening means a wrong passphrase; some opening
        and one not means that one is damaged or was moved to another name. Returns the values."""
        values: dict[str, bytes] = {}
        failed: list[str] = []
        for name, sealed in vault.get("entries", {}).items():
            try:
                values[name] = self._open_entry(name, sealed, key, format)
            except (TypeError, ValueError) as error:  # not a wrong passphrase: a cut-off or mangled entry
                raise SecretError(
                    _("Het sleutelbestand is beschadigd; zet een reservekopie terug.")
                ) from error
            except nacl.exceptions.CryptoError:
                failed.append(name)
        if failed and not values:
            raise SecretError(_("Het wachtwoord is onjuist; probeer het opnieuw."))
        if failed:
            raise SecretError(
                _(
                    "De sleutel '{name}' in het sleutelbestand is beschadigd of verwisseld; zet een "
                    "reservekopie van het sleutelbestand terug."
                ).format(name=failed[0])
            )
        return values
