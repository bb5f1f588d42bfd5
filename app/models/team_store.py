"""The supervisor's team store in PostgreSQL (issue 18): the same models and the same Alembic
history as the local SQLCipher store, through SQLAlchemy's psycopg 3 dialect.

What differs from `app.models.store.Store`, and why:
- The address follows libpq: `postgresql://user@host:port/database?sslmode=…`. A password never
  stands in the address (it would end up in profile.json): libpq finds it in `PGPASSWORD` or
  `.pgpass`, or the profile passes the one it keeps in the keyring.
- TLS: a server on this machine (loopback or a Unix socket) may be reached without; any other
  server only with `sslmode=verify-full` (the certificate and the host name checked).
- No file, so no open marker, no WAL checkpoint and no file backups: the municipality's database
  administrator backs up the database; `check` asks the server to answer instead of reading pages.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
from collections.abc import Iterator
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.i18n import _
from app.models.journal import install_journal
from app.models.sealed import TEAM_KEY_ATTRIBUTE
from app.models.store import StoreBusy, StoreError, alembic_config

SCHEMES = ("postgresql", "postgres")
# In `sync_setting` of the team database: the team's supervisor key and a check value of the team key,
# recorded by the first `keys admit-supervisor` (app/services/sync/team.py).
TEAM_SUPERVISOR_SETTING = "team_supervisor"
TEAM_KEY_CHECK_SETTING = "team_key_check"
MINIMUM_SERVER_VERSION = 15


def team_key_check(team_key: bytes) -> str:
    """A keyed hash of a constant: tells whether a team key is the team's without revealing it."""
    return hashlib.blake2b(b"wegwijs-team-key-check", key=team_key, digest_size=16).hexdigest()


class DatabaseAddressError(StoreError):
    """A database address that is refused before anything connects."""


def _is_local(host: str) -> bool:
    if not host or host.startswith("/"):
        return True  # a Unix socket: the server is on this machine
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_database_url(address: str) -> URL:
    """The SQLAlchemy URL for a libpq address, or DatabaseAddressError with the reason in Dutch."""
    text = address.strip()
    parts = urlsplit(text)
    if parts.scheme not in SCHEMES:
        raise DatabaseAddressError(
            _(
                "Het adres van de database moet beginnen met postgresql:// (bijvoorbeeld "
                "postgresql://supervisor@db.gemeente.nl:5432/wegwijs?sslmode=verify-full)."
            )
        )
    if parts.password is not None:
        raise DatabaseAddressError(
            _(
                "Zet het wachtwoord niet in het adres van de database (het zou in het profiel komen); "
                "gebruik PGPASSWORD, het bestand .pgpass of de sleutelbos."
            )
        )
    database = unquote(parts.path.lstrip("/"))
    if not parts.username or not database:
        raise DatabaseAddressError(
            _(
                "Het adres van de database noemt de gebruiker en de database: postgresql://gebruiker@server/database."
            )
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    host = parts.hostname or query.get("host", "")
    if not _is_local(host) and query.get("sslmode") != "verify-full":
        raise DatabaseAddressError(
            _(
                "Een database op een andere computer ({host}) mag alleen met een gecontroleerde versleutelde "
                "verbinding; voeg ?sslmode=verify-full aan het adres toe (en zorg voor het certificaat van de "
                "server)."
            ).format(host=host)
        )
    try:
        port = parts.port
    except ValueError as error:
        raise DatabaseAddressError(_("Het poortnummer in het adres van de database klopt niet.")) from error
    return URL.create(
        "postgresql+psycopg",
        username=unquote(parts.username),
        host=parts.hostname,
        port=port,
        database=database,
        query=query,
    )


def redacted(address: str) -> str:
    """The address as it may be shown and stored: without a password."""
    parts = urlsplit(address.strip())
    if parts.password is None:
        return address.strip()
    netloc = parts.netloc.split("@", 1)[1]
    user = parts.username or ""
    return parts._replace(netloc=f"{user}@{netloc}").geturl()


def connection_error(error: BaseException, address: str) -> StoreError:
    """A Dutch sentence for a failed connection (no server, wrong password, no TLS ...)."""
    message = str(getattr(error, "orig", error)).lower()
    where = redacted(address)
    if "password authentication failed" in message or "no password supplied" in message:
        return StoreError(
            _(
                "De database {address} weigert de aanmelding; controleer de gebruiker en het wachtwoord "
                "(PGPASSWORD, .pgpass of de sleutelbos)."
            ).format(address=where)
        )
    if "does not exist" in message:
        return StoreError(
            _("De database {address} bestaat niet (of de gebruiker niet); vraag de beheerder.").format(
                address=where
            )
        )
    if "certificate" in message or "ssl" in message:
        return StoreError(
            _(
                "De versleutelde verbinding met {address} kon niet worden gecontroleerd; vraag de beheerder "
                "om het certificaat van de server."
            ).format(address=where)
        )
    return StoreError(
        _(
            "De database {address} is niet bereikbaar; controleer het netwerk en of de server draait, en "
            "probeer het opnieuw."
        ).format(address=where)
    )


class TeamStore:
    """An open, current team store in PostgreSQL; `session()` as `Store.session()`."""

    kind = "postgresql"

    def __init__(self, address: str, team_key: bytes | None, password: str | None = None) -> None:
        import app.models.tables  # noqa: F401  (every table, before the first session)

        self.address = redacted(address)
        url = check_database_url(address)
        if password:
            url = url.set(password=password)
        # pool_pre_ping: a workstation keeps the app open for hours while the server restarts.
        self.engine: Engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
        # The special categories are sealed with the team key before they reach the server
        # (app/models/sealed.py); the key lives with this engine only, never in the database. Without
        # one (a workstation that has not joined the team yet) only the unsealed columns can be used.
        if team_key is not None:
            setattr(self.engine.dialect, TEAM_KEY_ATTRIBUTE, bytes(team_key))
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        install_journal(self._sessions)
        self.upgraded_from: str | None = None
        self.unclean_markers: list[object] = []  # the server keeps its own consistency

    # -- opening ---------------------------------------------------------------------------------
    @classmethod
    def create(cls, address: str, team_key: bytes, password: str | None = None) -> TeamStore:
        """A new team store: the database must exist and be empty of Wegwijs tables."""
        store = cls(address, team_key, password)
        try:
            store._check_server()
            if store.current_revisions():
                raise StoreError(
                    _(
                        "In de database {address} staat al een Wegwijs-opslag; gebruik die met een profiel dat "
                        "erbij hoort, of kies een lege database."
                    ).format(address=store.address)
                )
            store.upgrade_to("heads")
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def holds_store(cls, address: str, password: str | None = None) -> bool:
        """Whether the database already holds a Wegwijs store (a second workstation joins it)."""
        store = cls(address, None, password)
        try:
            store._check_server()
            return bool(store.current_revisions())
        finally:
            store.close()

    @classmethod
    def open(cls, address: str, team_key: bytes | None, password: str | None = None) -> TeamStore:
        from alembic.script import ScriptDirectory

        store = cls(address, team_key, password)
        try:
            store._check_server()
            revisions = store.current_revisions()
            script = ScriptDirectory.from_config(alembic_config())
            if not revisions:
                raise StoreError(
                    _(
                        "De database {address} heeft geen Wegwijs-opslag; richt die in met 'wegwijs init'."
                    ).format(address=store.address)
                )
            if not revisions <= {rev.revision for rev in script.walk_revisions()}:
                raise StoreError(
                    _("Deze database is gemaakt met een nieuwere versie van Wegwijs; installeer die versie.")
                )
            if revisions != set(script.get_heads()):
                # Transactional DDL: a failed migration leaves the database as it was.
                store.upgrade_to("heads")
                store.upgraded_from = "-".join(sorted(revisions))
        except BaseException:
            store.close()
            raise
        return store

    def _check_server(self) -> None:
        try:
            with self.engine.connect() as connection:
                version = connection.dialect.server_version_info or (0,)
        except (OperationalError, DBAPIError) as error:
            raise connection_error(error, self.address) from error
        if int(version[0]) < MINIMUM_SERVER_VERSION:
            raise StoreError(
                _(
                    "De server van {address} is PostgreSQL {version}; Wegwijs vraagt versie 15 of nieuwer."
                ).format(address=self.address, version=version[0])
            )

    def upgrade_to(self, revision: str) -> None:
        """Alembic on one connection, in one transaction (PostgreSQL's DDL is transactional)."""
        from alembic import command

        config = alembic_config()
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    # -- use -------------------------------------------------------------------------------------
    def current_revisions(self) -> set[str]:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return set(MigrationContext.configure(connection).get_current_heads())

    @contextlib.contextmanager
    def session(self, actor: str = "systeem", role: str = "") -> Iterator[Session]:
        session = self._sessions()
        session.info["actor"] = actor
        session.info["role"] = role
        try:
            yield session
            session.commit()
        except OperationalError as error:
            session.rollback()
            message = str(error.orig).lower()
            if "could not obtain lock" in message or "deadlock" in message:
                raise StoreBusy(
                    _(
                        "Een andere supervisor werkt op hetzelfde moment aan deze gegevens; probeer het opnieuw."
                    )
                ) from error
            raise connection_error(error, self.address) from error
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def recorded_team_key_check(self) -> str | None:
        """The team key's check value the team database records (app/services/sync/team.py), if any."""
        from app.models.sync_state import SyncSetting

        with self.session() as session:
            setting = session.get(SyncSetting, TEAM_KEY_CHECK_SETTING)
            return None if setting is None else setting.value

    def checkpoint(self) -> bool:
        return True  # no WAL file of ours: the server writes its own

    def integrity_ok(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except (OperationalError, DBAPIError):
            return False
        return True

    def close(self) -> None:
        self.engine.dispose()

    def forget_unclean_markers(self) -> None:
        self.unclean_markers = []
