"""The profile folder: settings, the encrypted store and where its key is kept."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import logging
import os
import platform
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nacl.utils
import platformdirs

from app.domain.enums import Role
from app.domain.errors import WegwijsError
from app.i18n import _
from app.models.secrets import (
    BACKEND_KEYRING,
    BACKEND_VAULT,
    PASSPHRASE_ENV,
    PassphraseProvider,
    SecretStore,
    passphrase_from_environment,
    usable_keyring,
    write_atomically,
)
from app.models.store import KEY_BYTES, STORE_FILE, Store, key_check_value
from app.services.maintenance.privacy import private_dir, tighten
from app.services.policy import current_policy, enforce_fixed_options

if TYPE_CHECKING:
    # SQLAlchemy and psycopg: loaded only for a team-store profile (issue 15: the GUI's start).
    from app.models.team_store import TeamStore

PROFILE_FILE = "profile.json"
PROFILE_FORMAT = 1
STORE_KEY_NAME = "store-key"
DATA_DIR_ENV = "WEGWIJS_DATA_DIR"


class ProfileError(WegwijsError):
    pass


class PassphraseRefused(ProfileError):
    """No passphrase came, or the two typed ones differ: nothing was opened or made."""


# The environment variable that gives the passphrase where there is no OS keyring (CLI.md); the GUI
# and the command line ask for it here, so neither reaches into the store's secrets module.
PASSPHRASE_VARIABLE = PASSPHRASE_ENV


def passphrase_in_environment() -> str | None:
    return os.environ.get(PASSPHRASE_VARIABLE) or None


def default_data_dir() -> Path:
    return platformdirs.user_data_path("wegwijs", appauthor=False)


def resolve_data_dir(argument: str | os.PathLike[str] | None) -> Path:
    if argument:
        return Path(argument).expanduser().resolve()
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV]).expanduser().resolve()
    return default_data_dir()


@dataclass
class ProfileSettings:
    store_id: str
    role: str
    municipality: str
    user_name: str
    device_name: str
    secret_backend: str
    key_check: str
    created_at: str
    ui_language: str = "nl"
    # The person's own name (issue 19), printed as the klantmanager in the PIP; never the OS login.
    # Empty in a profile made before it was asked: the GUI asks it once.
    person_name: str = ""
    format: int = PROFILE_FORMAT
    # Municipal choices (DOMAIN.md: "where a rule is a municipal choice, the software makes it a setting").
    options: dict[str, Any] = field(default_factory=dict)
    # Issue 18: a supervisor's team store in PostgreSQL (a libpq address without password); empty:
    # the local SQLCipher file in the data folder.
    database: str = ""


class Profile:
    def __init__(
        self, data_dir: Path, settings: ProfileSettings, passphrase_provider: PassphraseProvider
    ) -> None:
        self.data_dir = data_dir
        self.settings = settings
        self._ask_passphrase = passphrase_provider
        self.secrets = SecretStore(data_dir, settings.store_id, settings.secret_backend, passphrase_provider)
        self._store: Store | TeamStore | None = None

    @property
    def store_path(self) -> Path:
        return self.data_dir / STORE_FILE

    @property
    def role(self) -> Role:
        return Role(self.settings.role)

    @property
    def actor(self) -> str:
        return self.settings.user_name

    @property
    def person_name(self) -> str:
        return self.settings.person_name.strip()

    def set_person_name(self, name: str) -> None:
        """Keep the person's own name (asked once in the GUI for an older profile)."""
        name = " ".join(name.split())
        if not name:
            raise ProfileError(_("Vul uw naam in; die staat als klantmanager in het PIP."))
        if len(name) > 200:
            raise ProfileError(_("Deze naam is te lang; gebruik hoogstens 200 tekens."))
        self.settings.person_name = name
        self.save_settings()

    def save_settings(self) -> None:
        write_atomically(
            self.data_dir / PROFILE_FILE,
            json.dumps(asdict(self.settings), indent=2, ensure_ascii=False).encode("utf-8"),
        )

    def store_key(self) -> bytes:
        if self.uses_team_store:
            # Backup, restore, check and the recovery sheet are about the local encrypted file.
            raise ProfileError(
                _(
                    "Dit profiel werkt met de teamdatabase {address}; daar horen geen eigen reservekopie of "
                    "bestandscontrole bij: de databasebeheerder van de gemeente maakt de reservekopieën "
                    "(pg_dump) en bewaakt de database."
                ).format(address=self.settings.database)
            )
        key = self.secrets.get(STORE_KEY_NAME)
        if key is None:
            if self.settings.secret_backend == BACKEND_KEYRING:
                message = _(
                    "De sleutel van deze database ontbreekt in de sleutelbos van het besturingssysteem, en "
                    "zonder die sleutel is de database niet te openen; zet de sleutel terug met 'wegwijs keys "
                    "recover' (herstelblad) of neem contact op met de beheerder."
                )
            else:
                message = _(
                    "De sleutel van deze database ontbreekt in het sleutelbestand, en zonder die sleutel is de "
                    "database niet te openen; zet de sleutel terug met 'wegwijs keys recover' (herstelblad) of "
                    "neem contact op met de beheerder."
                )
            raise ProfileError(message)
        return key

    @property
    def uses_team_store(self) -> bool:
        """Issue 18: this supervisor's store is the team's PostgreSQL database, not a local file."""
        return bool(self.settings.database)

    def team_key(self) -> bytes:
        """Issue 18: the key that seals the special categories in the team database."""
        key = self.secrets.get(TEAM_KEY_NAME)
        if key is None and not self.settings.key_check:
            # Set up on a team database that already existed: the keys come from a supervisor.
            raise ProfileError(
                _(
                    "Deze werkplek is nog niet aangesloten bij de teamdatabase; stuur het bestand van 'wegwijs keys "
                    "export-public' naar een supervisor van het team en lees zijn antwoord in met 'wegwijs keys "
                    "join-team BESTAND'."
                )
            )
        if key is None:
            raise ProfileError(
                _(
                    "De teamsleutel ontbreekt in de sleutelbos van deze werkplek, en zonder die sleutel zijn de "
                    "intakeantwoorden en vrije teksten in de teamdatabase niet te lezen; zet hem terug met 'wegwijs "
                    "keys recover' (herstelblad) of neem contact op met de beheerder."
                )
            )
        return key

    @property
    def has_joined_team(self) -> bool:
        """A team-store profile that holds the team key (made it, or joined with it)."""
        return self.uses_team_store and self.secrets.get(TEAM_KEY_NAME) is not None

    def database_password(self) -> str | None:
        """The team database's password from the keyring or vault, if one was put there; otherwise
        libpq's own conventions (PGPASSWORD, .pgpass) apply."""
        stored = self.secrets.get(DATABASE_PASSWORD_NAME)
        return stored.decode("utf-8") if stored else None

    def store(self) -> Store | TeamStore:
        """The open store; opened (and upgraded if needed) on first use."""
        if self._store is None and self.settings.database:
            from app.models.team_store import TeamStore

            self._store = TeamStore.open(self.settings.database, self.team_key(), self.database_password())
        if self._store is None:
            store = Store.open(self.store_path, self.store_key(), self.settings.key_check)
            if store.unclean_markers:
                # The last process that had it open did not close it: check it before it is used.
                from app.services.maintenance.health import check_after_unclean_shutdown

                check_after_unclean_shutdown(self, store)
            self._store = store
            if store.upgraded_from is not None:
                from app.services.maintenance.backup import REASON_UPGRADE, BackupService

                try:
                    BackupService.for_profile(self).automatic(REASON_UPGRADE)
                except (WegwijsError, OSError) as error:
                    # The upgrade itself succeeded and its .voor-<revision>.bak copy exists.
                    logging.getLogger(__name__).warning("no backup after the upgrade: %s", error)
        return self._store

    def reset_secrets(self) -> None:
        """After the secret backend changed (keys recover): a fresh secret store for it."""
        self.secrets = SecretStore(
            self.data_dir, self.settings.store_id, self.settings.secret_backend, self._ask_passphrase
        )

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


DATABASE_PASSWORD_NAME = "database-wachtwoord"
TEAM_KEY_NAME = "team-sleutel"


def _read_settings(data_dir: Path) -> ProfileSettings:
    path = data_dir / PROFILE_FILE
    if not path.exists():
        raise ProfileError(
            _(
                "Er is geen Wegwijs-profiel in {folder}; richt het in met 'wegwijs init' of start de app."
            ).format(folder=data_dir)
        )
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("format") != PROFILE_FORMAT:
            raise ProfileError(
                _(
                    "Het profiel in {folder} heeft een onbekend formaat; gebruik de Wegwijs-versie die het "
                    "maakte."
                ).format(folder=data_dir)
            )
        known = set(ProfileSettings.__dataclass_fields__)
        return ProfileSettings(**{k: v for k, v in raw.items() if k in known})
    except (ValueError, TypeError, AttributeError) as error:
        raise ProfileError(
            _("Het profielbestand {path} is beschadigd; zet een reservekopie terug.").format(path=path)
        ) from error


def profile_exists(data_dir: Path) -> bool:
    return (data_dir / PROFILE_FILE).exists()


def open_profile(
    data_dir: Path, passphrase_provider: PassphraseProvider = passphrase_from_environment
) -> Profile:
    settings = _read_settings(data_dir)
    enforce_fixed_options(
        settings.options, current_policy()
    )  # what the municipality fixes wins at each start
    tighten(data_dir)  # a profile from an older version: its folders 0700 and files 0600
    return Profile(data_dir, settings, passphrase_provider)


def keyring_available() -> bool:
    """Whether the operating system's keyring can keep the store key on this machine."""
    return usable_keyring() is not None


def init_profile(
    data_dir: Path,
    role: Role,
    municipality: str,
    user_name: str | None = None,
    passphrase_provider: PassphraseProvider = passphrase_from_environment,
    person_name: str | None = None,
    database: str | None = None,
    database_password: str | None = None,
    secret_backend: str | None = None,
) -> Profile:
    """First run: a store key in the keyring (or a passphrase vault), an empty encrypted store.

    `person_name` (issue 19) is the person's own name; it is also who this installation records as the
    actor, so the supervisor sees the name and not a login. `secret_backend` (BACKEND_KEYRING or
    BACKEND_VAULT) is where the key lives, as the first-run wizard asks; None: the keyring when there
    is one, else the vault."""
    if secret_backend not in (None, BACKEND_KEYRING, BACKEND_VAULT):
        raise ValueError(secret_backend)
    if secret_backend == BACKEND_KEYRING and not keyring_available():
        raise ProfileError(
            _(
                "Er is op deze computer geen sleutelbos van het besturingssysteem beschikbaar; kies een "
                "sleutelbestand met wachtwoord."
            )
        )
    person = " ".join((person_name or "").split())
    if len(person) > 200:
        raise ProfileError(_("Deze naam is te lang; gebruik hoogstens 200 tekens."))
    if profile_exists(data_dir):
        raise ProfileError(
            _("De gegevensmap {folder} is al ingericht; er is niets veranderd.").format(folder=data_dir)
        )
    if not municipality.strip():
        raise ProfileError(_("Geef de naam van de gemeente op."))
    if database is not None:
        if role is not Role.SUPERVISOR:
            raise ProfileError(
                _(
                    "Alleen een supervisor kan een gedeelde teamdatabase (--database) gebruiken; een klantmanager werkt met de versleutelde opslag op de laptop."
                )
            )
        from app.models.team_store import check_database_url

        check_database_url(database)  # refused before anything is written
    private_dir(data_dir)
    if (data_dir / STORE_FILE).exists():
        raise ProfileError(
            _("In {folder} staat al een database zonder profiel; kies een lege map.").format(folder=data_dir)
        )
    key = nacl.utils.random(KEY_BYTES)
    settings = ProfileSettings(
        store_id=str(uuid.uuid4()),
        role=role.value,
        municipality=municipality.strip(),
        user_name=user_name or person or getpass.getuser(),
        person_name=person,
        device_name=platform.node() or "onbekend",
        secret_backend=secret_backend or (BACKEND_KEYRING if keyring_available() else BACKEND_VAULT),
        key_check=key_check_value(key),
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    if database is not None:
        # Issue 18: the store is the team's PostgreSQL database; no local file and no store key.
        from app.models.team_store import TeamStore, redacted, team_key_check

        settings.database = redacted(database)
        settings.key_check = ""
        profile = Profile(data_dir, settings, passphrase_provider)
        if TeamStore.holds_store(database, database_password):
            # A second workstation of the team: no team key of its own; `keys join-team` brings the
            # team's keys, sealed to this workstation's key by a supervisor who has them.
            if database_password:
                profile.secrets.set(DATABASE_PASSWORD_NAME, database_password.encode("utf-8"))
            profile.save_settings()
            return profile
        team_key = nacl.utils.random(KEY_BYTES)
        settings.key_check = team_key_check(team_key)
        profile.secrets.set(TEAM_KEY_NAME, team_key)
        try:
            profile._store = TeamStore.create(database, team_key, database_password)
        except BaseException:
            profile.secrets.delete(TEAM_KEY_NAME)
            raise
        if database_password:
            profile.secrets.set(DATABASE_PASSWORD_NAME, database_password.encode("utf-8"))
        profile.save_settings()
        return profile
    profile = Profile(data_dir, settings, passphrase_provider)
    profile.secrets.set(STORE_KEY_NAME, key)
    try:
        profile._store = Store.create(profile.store_path, key)
    except BaseException:
        profile.secrets.delete(STORE_KEY_NAME)
        raise
    profile.save_settings()
    return profile
