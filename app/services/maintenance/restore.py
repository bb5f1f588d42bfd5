"""Putting a backup back: checked before anything is replaced, the current store kept beside it,
and the sync state told (a `sync_setting` row), so the sync layer can tell that a restore happened.

What is recorded, under `sync_setting.name = "restore"` (JSON): when, which file, the backup's own
`next_sequence` and the one of the store it replaced (when that store could still be read). The
device's package numbers went back to the backup's; the supervisor may already have imported the
numbers in between. The replay-protection redesign (issue 12) reads this row to skip ahead or to
renumber; until then it is also the evidence for support of what happened.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3.dbapi2 as sqlcipher
from alembic.script import ScriptDirectory

from app.i18n import _
from app.models.store import PAGE_SIZE, SQLITE_MAGIC, StoreError, alembic_config, storage_error, store_in_use
from app.models.store import unclean_markers as find_unclean_markers
from app.models.sync_state import SyncSetting
from app.services.maintenance.integrity import check_file, connect
from app.services.maintenance.privacy import create_private_file

if TYPE_CHECKING:
    from app.services.profile import Profile

RESTORE_SETTING = "restore"
NEXT_SEQUENCE_SETTING = "next_sequence"  # app/sync/outbox.py's name
BEFORE_RESTORE_SUFFIX = ".voor-herstel"


@dataclass(frozen=True)
class RestoreResult:
    restored_from: str
    kept_as: str | None
    revisions: tuple[str, ...]
    upgraded: bool


def _setting(path: Path, key: bytes, name: str) -> str | None:
    """One sync setting read straight from a store file; None when it cannot be read."""
    with contextlib.suppress(sqlcipher.Error, OSError):
        connection = connect(path, key)
        try:
            row = connection.execute("SELECT value FROM sync_setting WHERE name = ?", (name,)).fetchone()
            return None if row is None else str(row[0])
        finally:
            connection.close()
    return None


def _revisions(path: Path, key: bytes) -> set[str]:
    connection = connect(path, key)
    try:
        return {str(row[0]) for row in connection.execute("SELECT version_num FROM alembic_version")}
    except sqlcipher.DatabaseError:
        return set()
    finally:
        connection.close()


class RestoreService:
    def __init__(self, profile: Profile) -> None:
        self._profile = profile

    @classmethod
    def for_profile(cls, profile: Profile) -> RestoreService:
        return cls(profile)

    def restore(self, source: Path) -> RestoreResult:
        profile = self._profile
        store_path = profile.store_path
        key = profile.store_key()
        source = source.expanduser().absolute()
        try:
            info = source.lstat()
        except OSError as error:
            raise StoreError(
                _("Het bestand {path} bestaat niet of is niet leesbaar.").format(path=source)
            ) from error
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(
                _("{path} is geen gewoon bestand; kies de reservekopie zelf.").format(path=source)
            )
        profile.close()
        if store_in_use(store_path):
            raise StoreError(
                _("Wegwijs heeft deze database nog open (een ander venster of programma); sluit dat eerst.")
            )
        temporary = store_path.with_name(f".{store_path.name}.herstel.{secrets.token_hex(4)}.part")
        try:
            self._copy_in(source, temporary)
            revisions = self._check_candidate(source, temporary, key)
            kept = self._move_current_aside(store_path)
            os.replace(temporary, store_path)
        except BaseException as error:
            for path in (temporary, temporary.with_name(temporary.name + "-journal")):
                with contextlib.suppress(OSError):
                    path.unlink()
            storage = storage_error(error, store_path.parent) if isinstance(error, Exception) else None
            if storage is not None:
                raise storage from error
            raise
        for marker in find_unclean_markers(store_path):  # they spoke of the store that was replaced
            marker.unlink(missing_ok=True)
        store = profile.store()  # opens, and upgrades a backup from an older version
        record = {
            "restored_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "backup_file": source.name,
            "backup_modified_at": dt.datetime.fromtimestamp(info.st_mtime, dt.UTC).isoformat(
                timespec="seconds"
            ),
            "next_sequence_in_backup": _setting(store_path, key, NEXT_SEQUENCE_SETTING),
            "next_sequence_before": _setting(Path(kept), key, NEXT_SEQUENCE_SETTING) if kept else None,
            "revisions_in_backup": sorted(revisions),
        }
        with store.session(profile.actor, profile.settings.role) as session:
            row = session.get(SyncSetting, RESTORE_SETTING)
            if row is None:
                session.add(SyncSetting(name=RESTORE_SETTING, value=json.dumps(record, sort_keys=True)))
            else:
                row.value = json.dumps(record, sort_keys=True)
        return RestoreResult(str(source), kept, tuple(sorted(revisions)), store.upgraded_from is not None)

    @staticmethod
    def _copy_in(source: Path, temporary: Path) -> None:
        handle = create_private_file(temporary)
        with os.fdopen(handle, "wb") as target, source.open("rb") as reader:
            shutil.copyfileobj(reader, target, 1 << 20)
            target.flush()
            os.fsync(target.fileno())

    @staticmethod
    def _check_candidate(source: Path, temporary: Path, key: bytes) -> set[str]:
        size = temporary.stat().st_size
        with temporary.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
        if head == SQLITE_MAGIC:
            raise StoreError(
                _(
                    "{path} is een onversleutelde SQLite-database en geen reservekopie van Wegwijs; er is niets veranderd."
                ).format(path=source)
            )
        if size == 0 or size % PAGE_SIZE:
            raise StoreError(_("{path} is beschadigd (afgekapt); er is niets veranderd.").format(path=source))
        report = check_file(temporary, key)
        if not report.readable:
            raise StoreError(
                _(
                    "{path} past niet bij de sleutel van dit profiel (een reservekopie van een ander profiel, "
                    "of geen reservekopie van Wegwijs); er is niets veranderd."
                ).format(path=source)
            )
        if not report.ok:
            raise StoreError(
                _(
                    "De reservekopie {path} is beschadigd; er is niets veranderd; kies een andere reservekopie."
                ).format(path=source)
            )
        revisions = _revisions(temporary, key)
        known = {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
        if not revisions:
            raise StoreError(
                _("{path} is geen reservekopie van Wegwijs; er is niets veranderd.").format(path=source)
            )
        if not revisions <= known:
            raise StoreError(
                _(
                    "De reservekopie {path} is gemaakt met een nieuwere versie van Wegwijs; er is niets veranderd, "
                    "installeer eerst die versie."
                ).format(path=source)
            )
        return revisions

    @staticmethod
    def _move_current_aside(store_path: Path) -> str | None:
        """Rename the store (with its -wal, so nothing committed is left behind) to *.voor-herstel."""
        if not store_path.exists():
            return None
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        kept = store_path.with_name(f"{store_path.name}.{stamp}{BEFORE_RESTORE_SUFFIX}")
        wal = store_path.with_name(store_path.name + "-wal")
        if wal.exists():
            os.replace(wal, kept.with_name(kept.name + "-wal"))
            os.chmod(kept.with_name(kept.name + "-wal"), 0o600)
        store_path.with_name(store_path.name + "-shm").unlink(missing_ok=True)
        os.replace(store_path, kept)
        os.chmod(kept, 0o600)  # private, whatever the store it was had (an older version's 0644)
        return str(kept)
