"""A restored laptop is not locked out: what the device does once after `restore`.

`restore` (app/services/maintenance/restore.py) leaves a `sync_setting` row "restore" with the time
and the backup's next package number. The store is then older than what the supervisor holds: the
package numbers since the backup were already imported (a re-used number is refused as replayed),
and the records' versions since the backup came from this same device (a version not newer than
that is dropped as superseded, which would lose the edits made after the restore).

Handled once per restore, in one transaction, before anything is packaged or pulled:

1. package numbers skip ahead: past the supervisor's high-water mark (the highest number it
   imported from this device, sent in every decision package), past every package file in the
   outbox, and at least to the restore time in seconds, so that even without word from the
   supervisor no number can repeat one used before the restore;
2. every synced record's version is raised by VERSION_GAP, with a journal entry in the state
   `restored` that remembers the version it had (not sent by itself); the first change after the
   restore travels with that older version as its base. At the supervisor it is then newer than
   anything this device sent (never dropped as superseded) and, where the supervisor holds edits
   made after the backup, a conflict kept for inspection instead of an overwrite;
3. outbox packages the restored store still lists whose files are gone were delivered after the
   backup (files go only with their receipt): they are marked delivered; package files in the
   outbox the restored store does not know (made after the backup, not yet acknowledged) are
   listed again, so they are sent and nothing made before the restore is lost;
4. the next pull leaves a note signed by this device on the target, and the supervisor's next push
   sends every record of this device's clients again (`resync`), so what the laptop had fetched
   or made after the backup comes back.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.orm import Session

from app.i18n import _
from app.models.base import Base, utcnow
from app.models.journal import ChangeJournalEntry
from app.models.sync_state import OutboxPackage
from app.sync.envelope import PACKAGE_SUFFIX, recipient_id, split_package
from app.sync.errors import PackageRefused
from app.sync.keys import DeviceKeys, PublicKeys
from app.sync.outbox import NEXT_SEQUENCE, get_setting, set_setting
from app.sync.records import synced_models

RESTORE_SETTING = "restore"  # written by app/services/maintenance/restore.py
HANDLED_SETTING = "restore_handled"
NOTICE_SETTING = "restore_notice"
# Set here, cleared by the next pull once it has asked the supervisor for everything again.
RESTORE_REQUEST = "restore_request"
WATERMARK_SETTING = "supervisor_watermark"
JOURNAL_RESTORED = "restored"
VERSION_GAP = 1_000_000
OUTCOME_RESTORED = "restored"


@dataclass(frozen=True)
class RestoreNotice:
    restored_at: str
    next_sequence: int
    records: int
    relisted: int

    def message(self) -> str:
        return _(
            "Deze laptop is op {when} teruggezet uit een reservekopie. Wegwijs gaat verder met nieuwe "
            "pakketnummers; wat u daarna wijzigt, wordt gewoon verstuurd, en waar de supervisor al "
            "nieuwere gegevens had, blijven beide versies bewaard."
        ).format(when=self.restored_at[:16].replace("T", " "))


def pending_restore(session: Session) -> dict[str, object] | None:
    """The restore record when this restore has not been handled yet."""
    text = get_setting(session, RESTORE_SETTING)
    if not text:
        return None
    try:
        record = json.loads(text)
    except ValueError:
        record = {"restored_at": text}
    if not isinstance(record, dict):
        return None
    if get_setting(session, HANDLED_SETTING) == str(record.get("restored_at")):
        return None
    return record


def _restored_seconds(record: dict[str, object]) -> int:
    try:
        moment = dt.datetime.fromisoformat(str(record.get("restored_at")))
    except ValueError:
        moment = utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp())


def _relist_orphans(
    session: Session, outbox_dir: Path, keys: DeviceKeys, supervisor: PublicKeys | None
) -> tuple[int, int]:
    """Outbox files the restored store does not list (made after the backup); returns how many and
    the highest package number found in the outbox folder."""
    relisted = highest = 0
    if not outbox_dir.is_dir():
        return 0, 0
    known = {row.file_name for row in session.scalars(select(OutboxPackage))}
    for path in sorted(outbox_dir.glob(f"{keys.device_id}-*{PACKAGE_SUFFIX}")):
        try:
            data = path.read_bytes()
            header = split_package(data).header
        except (OSError, PackageRefused):
            continue
        highest = max(highest, header.sequence)
        if path.name in known or header.device_id != keys.device_id:
            continue
        if session.get(OutboxPackage, header.sequence) is not None:
            continue
        session.add(
            OutboxPackage(
                sequence=header.sequence,
                file_name=path.name,
                content_hash=header.content_hash,
                recipient=header.recipient if supervisor is None else recipient_id(supervisor.public_key),
                record_count=0,
                size=len(data),
                created_at=header.created_at,
                attempts=0,
                journal_ids=[],
            )
        )
        relisted += 1
    return relisted, highest


def handle_restore(
    session: Session, keys: DeviceKeys, supervisor: PublicKeys | None, outbox_dir: Path
) -> RestoreNotice | None:
    """Do the once-per-restore steps (see the module text) in the caller's transaction."""
    record = pending_restore(session)
    if record is None:
        return None
    now = utcnow()
    # 3. the outbox as it really is
    for package in list(session.scalars(select(OutboxPackage).where(OutboxPackage.delivered_at.is_(None)))):
        if not (outbox_dir / package.file_name).is_file():
            package.delivered_at = now
            package.outcome = OUTCOME_RESTORED
    relisted, highest = _relist_orphans(session, outbox_dir, keys, supervisor)
    # 1. package numbers
    current = int(get_setting(session, NEXT_SEQUENCE) or "1")
    watermark = int(get_setting(session, WATERMARK_SETTING) or "0")
    listed = int(session.scalar(select(func.max(OutboxPackage.sequence))) or 0)
    next_sequence = max(current, watermark + 1, highest + 1, listed + 1, _restored_seconds(record))
    set_setting(session, NEXT_SEQUENCE, str(next_sequence))
    # 2. versions, with the old one remembered for the base of the first change
    count = 0
    for table_name in synced_models():
        table = Base.metadata.tables[table_name]
        columns = [
            "entity_type",
            "entity_id",
            "operation",
            "version",
            "base_version",
            "changed_at",
            "actor",
            "sync_state",
        ]
        source = select(
            literal(table_name),
            table.c.id,
            literal("update"),
            table.c.version + VERSION_GAP,
            table.c.version,
            literal(now, ChangeJournalEntry.__table__.c.changed_at.type),
            literal("herstel"),
            literal(JOURNAL_RESTORED),
        )
        result = session.execute(insert(ChangeJournalEntry).from_select(columns, source))
        count += max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
        session.execute(update(table).values(version=table.c.version + VERSION_GAP))
    restored_at = str(record.get("restored_at"))
    notice = RestoreNotice(restored_at, next_sequence, count, relisted)
    set_setting(session, HANDLED_SETTING, restored_at)
    set_setting(session, NOTICE_SETTING, restored_at)
    set_setting(session, RESTORE_REQUEST, restored_at)
    return notice
