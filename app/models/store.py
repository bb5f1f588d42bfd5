"""The encrypted local store: SQLCipher through SQLAlchemy, checked before it is touched.

Opening never writes to a file it has not recognised: the header, the size, the key and the
schema revision are checked first, so a wrong key or a foreign file leaves it byte-for-byte intact.
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import errno
import hashlib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import sqlcipher3.dbapi2 as sqlcipher

from app.domain.errors import RetryLater, WegwijsError
from app.i18n import _

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

# SQLAlchemy loads when a Store is made, not on import: the start of the GUI checks the file, the key
# and the revision, and reads the stored caseload, with sqlcipher3 alone (issue 15).

STORE_FILE = "wegwijs.db"
SQLITE_MAGIC = b"SQLite format 3\x00"
PAGE_SIZE = 4096
KEY_BYTES = 32
BUSY_TIMEOUT_SECONDS = 5.0
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# One marker per process that has the store open, held locked while it is; one left unlocked means a
# process ended without closing (killed, power cut), and the next start checks the store's integrity.
OPEN_MARKER_INFIX = ".open-"


class StoreError(WegwijsError):
    """The store cannot be used; the message is one Dutch sentence saying what and what to do."""


class StoreBusy(StoreError, RetryLater):
    """Another connection held the write lock past the busy timeout: trying again later may work."""


class DiskFullError(StoreError):
    """The disk (or the user's quota) is full: nothing was saved, nothing is lost or damaged."""


def disk_full_error() -> DiskFullError:
    return DiskFullError(
        _(
            "De schijf is vol: deze wijziging is niet opgeslagen, maar er is niets verloren en de database "
            "is in orde; maak ruimte vrij en probeer het opnieuw."
        )
    )


def io_error() -> StoreError:
    return StoreError(
        _(
            "De schijf gaf een lees- of schrijffout: deze wijziging is niet opgeslagen; controleer de "
            "schijf (of de netwerkverbinding naar de map) en probeer het opnieuw."
        )
    )


def storage_error(error: BaseException, folder: Path | None = None) -> StoreError | None:
    """The right sentence for a full disk or an I/O fault, from SQLite's code or the OS's errno."""
    original = getattr(error, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's error
    if isinstance(original, BaseException):
        error = original
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        primary = int(code) & 0xFF
        if primary == sqlcipher.SQLITE_FULL:
            return disk_full_error()
        if primary == sqlcipher.SQLITE_IOERR:
            # SQLite reports some writes that hit a full disk as a plain write error.
            return disk_full_error() if folder is not None and _nearly_full(folder) else io_error()
        return None
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return disk_full_error()
        if error.errno == errno.EIO:
            return io_error()
    return None


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 16 * PAGE_SIZE
    except OSError:
        return False


def key_check_value(key: bytes) -> str:
    """A keyed hash of a constant: tells a wrong key from a damaged file without revealing the key."""
    return hashlib.blake2b(b"wegwijs-store-key-check", key=key, digest_size=16).hexdigest()


def alembic_config() -> Config:
    # Alembic (with mako and its dialects) loads only when a migration is due or asked about.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revisions() -> set[str]:
    """The newest revisions; more than one while use cases add tables on separate branches."""
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def plain_heads(folder: Path) -> set[str] | None:
    """The heads read from the revision files' own `revision`/`down_revision` assignments, without
    importing Alembic (a third of the start-up); None when a file has another shape, and then
    Alembic decides. tests/unit/test_store_revisions.py checks that both agree."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((folder / "versions").glob("*.py")):
        try:
            values = _revision_assignments(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
            return None
        revision, down = values.get("revision"), values.get("down_revision")
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):
            parents.update(str(each) for each in down)
        elif down is not None:
            return None
    return (revisions - parents) or None


_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def _revision_assignments(source: str) -> dict[str, object]:
    """`revision` and `down_revision` of a revision file: from their own lines when each is one
    plain assignment (a start reads a dozen files), else from the module's syntax tree."""
    found = _ASSIGNMENT.findall(source)
    names = [name for name, _value in found]
    if sorted(names) == ["down_revision", "revision"]:
        try:
            return {name: ast.literal_eval(value) for name, value in found}
        except (ValueError, SyntaxError):
            pass  # a value over several lines: the whole module is read below
    values: dict[str, object] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
            values[target.id] = ast.literal_eval(value)
    return values


def _connect_raw(path: Path, key: bytes) -> sqlcipher.Connection:
    connection = sqlcipher.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)
    # SQLCipher writes decryption failures to stderr by default; we report them ourselves.
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return connection


def _check_writable(path: Path) -> None:
    folder = path.parent
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        if (storage := storage_error(error, folder)) is not None:
            raise storage from error
        raise StoreError(
            _(
                "De map {folder} is alleen-lezen, maar Wegwijs moet daar kunnen schrijven; kies een "
                "andere gegevensmap of vraag de beheerder om schrijfrechten."
            ).format(folder=folder)
        ) from error
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(
            _("Het databasebestand {path} is alleen-lezen; vraag de beheerder om schrijfrechten.").format(
                path=path
            )
        )


def _check_file_shape(path: Path) -> None:
    if not path.exists():
        # Only an existing profile gets here, and 'wegwijs init' refuses an existing profile.
        raise StoreError(
            _(
                "Er is geen Wegwijs-database in {folder}; zet de laatste reservekopie terug of kies een "
                "andere gegevensmap."
            ).format(folder=path.parent)
        )
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        raise StoreError(
            _(
                "{path} is een onversleutelde SQLite-database en geen Wegwijs-database; Wegwijs opent "
                "geen onversleutelde gegevens."
            ).format(path=path)
        )
    if size == 0 or size % PAGE_SIZE != 0:
        raise StoreError(
            _(
                "Het databasebestand {path} is beschadigd (afgekapt); zet de laatste reservekopie terug."
            ).format(path=path)
        )


def _verify(connection: sqlcipher.Connection, path: Path, key: bytes, key_check: str | None) -> set[str]:
    """Read the schema with the key; returns the Alembic revisions the store is at."""
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as error:
        if (storage := storage_error(error, path.parent)) is not None:
            raise storage from error  # a full disk is not a damaged store: no restore is needed
        message = str(error).lower()
        if "locked" in message or "busy" in message:
            raise StoreError(
                _(
                    "De database is in gebruik door een ander programma; sluit dat programma en probeer het "
                    "opnieuw."
                )
            ) from error
        if key_check is not None and key_check != key_check_value(key):
            raise StoreError(
                _("De sleutel past niet bij deze database; controleer het wachtwoord of de sleutelbos.")
            ) from error
        raise StoreError(
            _(
                "{path} is geen leesbare Wegwijs-database (beschadigd of een ander bestand); zet de "
                "laatste reservekopie terug."
            ).format(path=path)
        ) from error
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tables:
        raise StoreError(_("{path} is geen Wegwijs-database; kies de juiste gegevensmap.").format(path=path))
    revisions = {str(r[0]) for r in connection.execute("SELECT version_num FROM alembic_version")}
    page_count = connection.execute("PRAGMA page_count").fetchone()[0]
    wal = path.with_name(path.name + "-wal")
    if page_count * PAGE_SIZE > path.stat().st_size and not (wal.exists() and wal.stat().st_size):
        raise StoreError(
            _(
                "Het databasebestand {path} is beschadigd (afgekapt); zet de laatste reservekopie terug."
            ).format(path=path)
        )
    if not revisions:
        raise StoreError(_("{path} is geen Wegwijs-database; kies de juiste gegevensmap.").format(path=path))
    return revisions


def open_checked(
    path: Path, key: bytes, key_check: str | None = None
) -> tuple[sqlcipher.Connection, set[str]]:
    """A plain sqlcipher3 connection to a store file whose shape and key were checked, and the
    Alembic revisions it is at; nothing is written. Refusals as `Store.open` says them."""
    _check_file_shape(path)
    connection = _connect_raw(path, key)
    try:
        return connection, _verify(connection, path, key, key_check)
    except BaseException:
        connection.close()
        raise


class StoreLike(Protocol):
    """What a use case needs of a store: units of work. Both the local SQLCipher `Store` and the
    supervisor's team store in PostgreSQL (`app.models.team_store.TeamStore`) are one."""

    def session(self, actor: str = "systeem", role: str = "") -> AbstractContextManager[Session]: ...


class Store:
    """An open, verified, current store. Use `session()` for every unit of work."""

    def __init__(self, path: Path, key: bytes) -> None:
        from sqlalchemy import create_engine, event
        from sqlalchemy.orm import sessionmaker
        from sqlalchemy.pool import QueuePool

        import app.models.tables  # noqa: F401  (every table, before the first session)
        from app.models.journal import install_journal

        self.path = path
        self._key = key
        self.engine: Engine = create_engine(
            "sqlite://", creator=self._connect, module=sqlcipher, poolclass=QueuePool
        )
        event.listen(self.engine, "connect", self._on_connect)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        install_journal(self._sessions)
        self.upgraded_from: str | None = None
        self.unclean_markers: list[Path] = []
        self._marker: Path | None = None
        self._marker_handle: int | None = None

    def _connect(self) -> sqlcipher.Connection:
        return _connect_raw(self.path, self._key)

    @staticmethod
    def _on_connect(connection: sqlcipher.Connection, _record: object) -> None:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode survives a killed process; only a power cut can lose the last commit.
        connection.execute("PRAGMA synchronous = NORMAL")
        # 64 MiB of page cache: large transactions (demo data, imports) stop spilling to disk.
        connection.execute("PRAGMA cache_size = -65536")
        # Temporary tables and sorts stay in memory, never in a shared temporary folder.
        connection.execute("PRAGMA temp_store = MEMORY")

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, key: bytes) -> Store:
        if path.exists():
            raise StoreError(
                _("Er staat al een database in {path}; kies een lege gegevensmap.").format(path=path)
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        _check_writable(path)
        store = cls(path, key)
        try:
            store.upgrade_to("heads")
        except BaseException:
            store.close()
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            raise
        store._mark_open()
        return store

    @classmethod
    def open(cls, path: Path, key: bytes, key_check: str | None = None) -> Store:
        _check_writable(path)
        connection, revisions = open_checked(path, key, key_check)
        connection.close()
        if revisions == plain_heads(MIGRATIONS_DIR):
            # Current: the usual start, without loading Alembic.
            store = cls(path, key)
            store.unclean_markers = unclean_markers(path)
            store._mark_open()
            return store
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(alembic_config())
        if not revisions <= {rev.revision for rev in script.walk_revisions()}:
            raise StoreError(
                _("Deze database is gemaakt met een nieuwere versie van Wegwijs; installeer die versie.")
            )
        store = cls(path, key)
        store.unclean_markers = unclean_markers(path)
        store._mark_open()
        if revisions != set(script.get_heads()):
            store._upgrade_with_backup("-".join(sorted(revisions)))
            store.upgraded_from = "-".join(sorted(revisions))
        return store

    def upgrade_to(self, revision: str) -> None:
        """Upgrade to `revision` ("heads" for the newest) in one transaction; `open` does this with a
        backup first, and a migration's test uses it to fill a store at the revision before.

        Alembic's recipe for SQLite: foreign keys off while batch migrations copy tables (a drop
        would otherwise cascade), then checked before the transaction commits."""
        from alembic import command

        config = alembic_config()
        with self.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            connection.commit()
            try:
                with connection.begin():
                    config.attributes["connection"] = connection
                    command.upgrade(config, revision)
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"{len(broken)} verwijzingen kloppen niet na de migratie")
            finally:
                connection.exec_driver_sql("PRAGMA foreign_keys = ON")
                connection.commit()

    def _upgrade_with_backup(self, from_revision: str) -> None:
        backup = self.path.with_name(f"{self.path.name}.voor-{from_revision}.bak")
        if not self.checkpoint():
            # Another program is writing: a copy now would miss its changes, and restoring one would
            # pull the file from under it.
            self.close()
            raise StoreError(
                _(
                    "De database is in gebruik door een ander programma en kan nu niet worden bijgewerkt; "
                    "sluit dat programma en probeer het opnieuw."
                )
            )
        shutil.copy2(self.path, backup)
        try:
            self.upgrade_to("heads")
        except Exception as error:
            self.engine.dispose()
            for suffix in ("-wal", "-shm"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
            shutil.copy2(backup, self.path)
            raise StoreError(
                _(
                    "Het bijwerken van de database naar deze versie van Wegwijs is mislukt; de reservekopie "
                    "is teruggezet ({name}); neem contact op met de beheerder."
                ).format(name=backup.name)
            ) from error

    # -- use ---------------------------------------------------------------------------------
    def current_revisions(self) -> set[str]:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return set(MigrationContext.configure(connection).get_current_heads())

    @contextlib.contextmanager
    def session(self, actor: str = "systeem", role: str = "") -> Iterator[Session]:
        """A unit of work that commits on success and rolls back on any error."""
        from sqlalchemy.exc import OperationalError

        session = self._sessions()
        session.info["actor"] = actor
        session.info["role"] = role
        try:
            yield session
            session.commit()
        except OperationalError as error:
            session.rollback()
            if (storage := storage_error(error, self.path.parent)) is not None:
                raise storage from error
            message = str(error.orig).lower()
            if "locked" in message or "busy" in message:
                # Another program holds the write lock past the busy timeout: a refusal, not a crash.
                raise StoreBusy(
                    _(
                        "De database is in gebruik door een ander programma; sluit dat programma en probeer het "
                        "opnieuw."
                    )
                ) from error
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def checkpoint(self) -> bool:
        """Write the WAL into the database file; False when another connection kept it from finishing."""
        with self.engine.connect() as connection:
            busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()[0]
        return not busy

    def integrity_ok(self) -> bool:
        with self.engine.connect() as connection:
            return connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"

    def close(self) -> None:
        self.engine.dispose()
        self._release_marker()

    # -- the open marker -----------------------------------------------------------------------
    def _mark_open(self) -> None:
        marker = self.path.with_name(f"{self.path.name}{OPEN_MARKER_INFIX}{os.getpid()}")
        handle = os.open(marker, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        if not _try_lock(handle):
            os.close(handle)  # this process has the store open twice; the first marker stands
            return
        self._marker, self._marker_handle = marker, handle
        atexit.register(self._release_marker)  # a normal exit is a clean one, closed or not

    def _release_marker(self) -> None:
        if self._marker_handle is None or self._marker is None:
            return
        with contextlib.suppress(OSError):
            self._marker.unlink()
        os.close(self._marker_handle)
        self._marker_handle = self._marker = None
        atexit.unregister(self._release_marker)

    def forget_unclean_markers(self) -> None:
        """Called once the store passed its integrity check after an unclean shutdown."""
        for marker in self.unclean_markers:
            marker.unlink(missing_ok=True)
        self.unclean_markers = []


def _try_lock(handle: int) -> bool:
    """An exclusive, non-blocking lock on an open file; the OS drops it when the process dies."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def unclean_markers(path: Path) -> list[Path]:
    """Markers of processes that had the store open and ended without closing it."""
    found = []
    for marker in path.parent.glob(f"{path.name}{OPEN_MARKER_INFIX}*"):
        if marker.is_symlink() or not marker.is_file():
            continue
        try:
            handle = os.open(marker, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            if _try_lock(handle):
                found.append(marker)
        finally:
            os.close(handle)  # closing drops the lock we may just have taken
    return found


def store_in_use(path: Path) -> bool:
    """True while another process holds the store open (its marker is locked)."""
    own = f"{path.name}{OPEN_MARKER_INFIX}{os.getpid()}"
    others = [m for m in path.parent.glob(f"{path.name}{OPEN_MARKER_INFIX}*") if m.name != own]
    stale = set(unclean_markers(path))
    return any(marker not in stale for marker in others)
