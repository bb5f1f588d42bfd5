"""Encrypted backups of the store, made while the app runs, kept private and expired by age and count.

A backup is made with SQLite's online backup API (through sqlcipher3) into a new file keyed with the
store's own key: a page-for-page copy, taken in one step inside one read transaction, so it is a
consistent snapshot even while the GUI writes (WAL readers do not block writers). `sqlcipher_export`
was the alternative; it rebuilds the schema by SQL and would re-key or re-tune the copy, which a
backup has no need for, and it copies less of what the file holds (the backup API copies every page).
The copy is switched to rollback-journal mode, checked (SQLCipher's and SQLite's checks) and only
then renamed into place, 0600, in the profile's `backups/` folder (0700).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import _
from app.models.store import StoreError, storage_error
from app.services.maintenance.integrity import check_file, connect
from app.services.maintenance.privacy import create_private_file, private_dir

if TYPE_CHECKING:
    from app.services.profile import Profile

BACKUP_DIR = "backups"
BACKUP_SUFFIX = ".wegwijs-backup"
# Profile settings (profile.json "options"): how many automatic backups to keep, and for how long.
KEEP_SETTING = "backup_keep"
MAX_AGE_SETTING = "backup_max_age_days"
DEFAULT_KEEP = 7
DEFAULT_MAX_AGE_DAYS = 30

REASON_MANUAL = "handmatig"
REASON_CLOSE = "afsluiten"
REASON_INIT = "inrichting"
REASON_UPGRADE = "upgrade"
# The copies beside the store that expire like backups (see BackupService.expire_copies).
_COPY_PATTERNS = ("*.voor-*.bak", "*.voor-herstel", "*.voor-herstel-wal")
_NAME = re.compile(r"^wegwijs-(\d{8}T\d{6}\d{6}Z)-([a-z]+)" + re.escape(BACKUP_SUFFIX) + "$")


@dataclass(frozen=True)
class BackupInfo:
    path: str
    made_at: dt.datetime
    reason: str
    size: int


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S%fZ")


def _parse(path: Path) -> BackupInfo | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    made_at = dt.datetime.strptime(match.group(1), "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)
    try:
        info = path.lstat()
    except OSError:
        return None
    return BackupInfo(str(path), made_at, match.group(2), info.st_size)


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def copy_store(source: object, key: bytes, destination: Path) -> None:
    """Copy an open sqlcipher3 connection's database into `destination` (replaced atomically)."""
    folder = destination.parent
    temporary = folder / f".{destination.name}.{secrets.token_hex(4)}.part"
    os.close(create_private_file(temporary))
    try:
        target = connect(temporary, key)
        try:
            source.backup(target)  # type: ignore[attr-defined]  # pages=-1: one step, one snapshot
            # A backup is one self-contained file: no -wal beside it.
            target.execute("PRAGMA journal_mode = DELETE").fetchone()
        finally:
            target.close()
        report = check_file(temporary, key)
        if not report.ok:
            raise StoreError(
                _(
                    "De reservekopie kon niet goed worden gemaakt (de controle ervan faalde); de database "
                    "is niet veranderd; voer 'wegwijs check' uit."
                )
            )
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, destination)
        _fsync_dir(folder)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        for suffix in ("-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                temporary.with_name(temporary.name + suffix).unlink()
        storage = storage_error(error, folder) if isinstance(error, Exception) else None
        if storage is not None:
            raise storage from error
        raise


class BackupService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    @classmethod
    def for_profile(cls, profile: Profile) -> BackupService:
        return cls(profile)

    @property
    def folder(self) -> Path:
        return self._profile.data_dir / BACKUP_DIR

    def _setting(self, name: str, default: int) -> int:
        value = self._profile.settings.options.get(name, default)
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else default

    @property
    def keep(self) -> int:
        return self._setting(KEEP_SETTING, DEFAULT_KEEP)

    @property
    def max_age_days(self) -> int:
        return self._setting(MAX_AGE_SETTING, DEFAULT_MAX_AGE_DAYS)

    def backup(self, out: Path | None = None, reason: str = REASON_MANUAL) -> BackupInfo:
        """A checked, encrypted copy of the store: at `out`, or in the profile's backup folder."""
        store = self._profile.store()
        key = self._profile.store_key()
        now = dt.datetime.now(dt.UTC)
        if out is None:
            destination = private_dir(self.folder) / f"wegwijs-{_stamp(now)}-{reason}{BACKUP_SUFFIX}"
        else:
            destination = out.expanduser().absolute()
            if destination.is_symlink() or (destination.exists() and not destination.is_file()):
                raise StoreError(
                    _("{path} is geen gewoon bestand; kies een andere naam voor de reservekopie.").format(
                        path=destination
                    )
                )
            if not destination.parent.is_dir():
                raise StoreError(
                    _("De map {folder} bestaat niet; kies een bestaande map voor de reservekopie.").format(
                        folder=destination.parent
                    )
                )
        raw = store.engine.raw_connection()
        try:
            copy_store(raw.driver_connection, key, destination)
        finally:
            raw.close()
        if out is None:
            self.prune(now)
        return BackupInfo(str(destination), now, reason, destination.stat().st_size)

    def automatic(self, reason: str) -> BackupInfo | None:
        """On closing the GUI and after `init` or an upgrade; older ones expire (see prune). None for
        a profile on the team database: its backups are the database administrator's (pg_dump)."""
        if self._profile.uses_team_store:
            return None
        return self.backup(None, reason)

    def backups(self) -> list[BackupInfo]:
        """The profile's own backups, newest first."""
        if not self.folder.is_dir():
            return []
        found = [info for path in self.folder.iterdir() if (info := _parse(path)) is not None]
        return sorted(found, key=lambda info: info.made_at, reverse=True)

    def prune(self, now: dt.datetime | None = None) -> list[str]:
        """Keep the newest `keep` backups younger than `max_age_days`; the newest is always kept,
        so a profile never ends up without one. Returns the paths removed."""
        now = now or dt.datetime.now(dt.UTC)
        oldest = now - dt.timedelta(days=self.max_age_days)
        removed = []
        for index, info in enumerate(self.backups()):
            if index == 0 or (index < self.keep and info.made_at >= oldest):
                continue
            with contextlib.suppress(FileNotFoundError):
                Path(info.path).unlink()
                removed.append(info.path)
        return removed + self.expire_copies(now)

    def expire_copies(self, now: dt.datetime | None = None) -> list[str]:
        """The other copies the app makes in the profile folder expire after `max_age_days` too
        (issue 14: an erased client must not live on in them): the copy before a database upgrade
        (`wegwijs.db.voor-<revisie>.bak`), the store put aside by a restore and the vault put aside
        by a recovery (`*.voor-herstel`, with their -wal). Regular files only; their age is the
        later of the modification and the status-change time (a copy keeps its source's mtime)."""
        now = now or dt.datetime.now(dt.UTC)
        oldest = (now - dt.timedelta(days=self.max_age_days)).timestamp()
        removed = []
        folder = self._profile.data_dir
        for pattern in _COPY_PATTERNS:
            for path in sorted(folder.glob(pattern)):
                try:
                    info = path.lstat()
                except OSError:
                    continue
                if not stat.S_ISREG(info.st_mode) or max(info.st_mtime, info.st_ctime) >= oldest:
                    continue
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    removed.append(str(path))
        return removed

    def last_good(self) -> BackupInfo | None:
        """The newest backup that the store's key opens and that passes every check."""
        key = self._profile.store_key()
        for info in self.backups():
            with contextlib.suppress(Exception):  # one unreadable file must not hide an older good one
                if check_file(Path(info.path), key).ok:
                    return info
        return None
