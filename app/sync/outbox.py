"""The device side: pending journal entries become packages in the outbox, which travel to the target.

A package leaves the outbox only when a receipt signed by the trusted supervisor names it with the
same content hash. Until then every push checks the target and sends it again when it is missing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.i18n import _
from app.models.base import utcnow
from app.models.journal import ChangeJournalEntry
from app.models.sync_state import JOURNAL_PACKAGED, JOURNAL_PENDING, OutboxPackage, SyncSetting
from app.sync.atomic import atomic_write_bytes
from app.sync.envelope import package_name, recipient_id, seal_package, split_package
from app.sync.errors import TransportError
from app.sync.keys import DeviceKeys, PublicKeys
from app.sync.receipts import READABLE_RECEIPTS, RECEIPT_SUFFIX, parse_receipts
from app.sync.records import serialise, synced_models, table_order
from app.sync.transport import INBOX, RECEIPTS, Transport

PAYLOAD_SCHEMA = 1
RECORDS_PER_PACKAGE = 500
NEXT_SEQUENCE = "next_sequence"
LAST_PUSH = "last_push_at"
LAST_RECEIPT = "last_receipt_at"


def get_setting(session: Session, name: str) -> str | None:
    row = session.get(SyncSetting, name)
    return None if row is None else row.value


def set_setting(session: Session, name: str, value: str) -> None:
    row = session.get(SyncSetting, name)
    if row is None:
        session.add(SyncSetting(name=name, value=value))
    else:
        row.value = value


def _take_sequence(session: Session) -> int:
    value = int(get_setting(session, NEXT_SEQUENCE) or "1")
    set_setting(session, NEXT_SEQUENCE, str(value + 1))
    return value


def pending_change_count(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count(func.distinct(ChangeJournalEntry.entity_id))).where(
                ChangeJournalEntry.sync_state == JOURNAL_PENDING
            )
        )
        or 0
    )


def _records_for(
    session: Session, entries: Iterable[ChangeJournalEntry]
) -> list[tuple[dict[str, Any], list[int]]]:
    """The full current state of each changed record, with the version it was edited from, and the
    journal entries it stands for."""
    groups: dict[tuple[str, uuid.UUID], list[ChangeJournalEntry]] = {}
    for entry in entries:
        groups.setdefault((entry.entity_type, entry.entity_id), []).append(entry)
    models = synced_models()
    records: list[tuple[dict[str, Any], list[int]]] = []
    for (table, entity_id), changes in groups.items():
        model = models.get(table)
        if model is None:
            continue
        base = min(change.base_version for change in changes)
        record = session.get(model, entity_id)
        item: dict[str, Any]
        if record is None:
            if base == 0:
                continue  # created and deleted before it ever travelled
            item = {
                "table": table,
                "id": str(entity_id),
                "version": max(change.version for change in changes),
                "base_version": base,
                "deleted": True,
            }
        else:
            item = {
                "table": table,
                "id": str(entity_id),
                "version": record.version,
                "base_version": base,
                "deleted": False,
                "data": serialise(record),
            }
        records.append((item, [change.id for change in changes]))
    order = table_order()
    records.sort(key=lambda r: (r[0]["deleted"], order.get(r[0]["table"], 0), r[0]["id"]))
    return records


def package_pending(
    session: Session,
    keys: DeviceKeys,
    supervisor: PublicKeys,
    outbox_dir: Path,
    now: dt.datetime | None = None,
    records_per_package: int = RECORDS_PER_PACKAGE,
) -> list[OutboxPackage]:
    """Turn every pending journal entry into outbox packages, in the caller's transaction."""
    now = now or utcnow()
    entries = list(
        session.scalars(
            select(ChangeJournalEntry)
            .where(ChangeJournalEntry.sync_state == JOURNAL_PENDING)
            .order_by(ChangeJournalEntry.id)
        )
    )
    if not entries:
        return []
    # After a restore (app/sync/restore_guard.py) a record's first change carries the version it had
    # before the restore raised it: its `restored` journal entry joins the pending ones.
    if session.scalar(
        select(ChangeJournalEntry.id).where(ChangeJournalEntry.sync_state == "restored").limit(1)
    ):
        ids = sorted({entry.entity_id for entry in entries})
        for start in range(0, len(ids), 900):
            entries += session.scalars(
                select(ChangeJournalEntry).where(
                    ChangeJournalEntry.sync_state == "restored",
                    ChangeJournalEntry.entity_id.in_(ids[start : start + 900]),
                )
            )
    records = _records_for(session, entries)
    packages: list[OutboxPackage] = []
    for start in range(0, len(records), records_per_package):
        part = records[start : start + records_per_package]
        chunk = [item for item, _ids in part]
        journal_ids = [number for _item, ids in part for number in ids]
        sequence = _take_sequence(session)
        payload = {"schema": PAYLOAD_SCHEMA, "records": chunk}
        # The header says this device reads batch receipts too (app/sync/receipts.py).
        data = seal_package(
            payload,
            keys=keys,
            recipient=supervisor,
            sequence=sequence,
            created_at=now,
            receipt_versions=READABLE_RECEIPTS,
        )
        name = package_name(keys.device_id, sequence)
        # The file is complete on disk before the transaction that lists it commits; a crash in
        # between leaves an unlisted file that the next package with this sequence overwrites.
        atomic_write_bytes(outbox_dir / name, data)
        package = OutboxPackage(
            sequence=sequence,
            file_name=name,
            content_hash=split_package(data).header.content_hash,
            recipient=recipient_id(supervisor.public_key),
            record_count=len(chunk),
            size=len(data),
            created_at=now,
            attempts=0,
            journal_ids=journal_ids,
        )
        session.add(package)
        packages.append(package)
    session.execute(
        update(ChangeJournalEntry)
        .where(ChangeJournalEntry.id.in_([entry.id for entry in entries]))
        .values(sync_state=JOURNAL_PACKAGED)
    )
    return packages


@dataclass(frozen=True)
class PushResult:
    packaged: int = 0
    sent: list[str] = field(default_factory=list)
    delivered: list[int] = field(default_factory=list)
    pending: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


SessionFactory = Callable[[], Any]


def collect_receipts(
    session: Session, transport: Transport, keys: DeviceKeys, supervisor: PublicKeys, outbox_dir: Path
) -> list[int]:
    """Mark packages delivered for every genuine receipt, one per package (version 1) or one per
    import batch (version 2); returns their sequence numbers. Only a package whose content hash the
    receipt repeats is marked: a batch receipt never covers a package it does not name."""
    delivered: list[int] = []
    prefix = keys.device_id + "-"
    for name in sorted(transport.list(RECEIPTS)):
        if not (name.startswith(prefix) and name.endswith(RECEIPT_SUFFIX)):
            continue
        receipts = parse_receipts(transport.read(RECEIPTS, name), supervisor)
        if not receipts or any(receipt.device_id != keys.device_id for receipt in receipts):
            continue
        matched = 0
        for receipt in receipts:
            package = session.get(OutboxPackage, receipt.sequence)
            if package is None or package.content_hash != receipt.content_hash:
                continue
            matched += 1
            if package.delivered_at is None:
                package.delivered_at = receipt.received_at
                package.outcome = receipt.outcome
                delivered.append(package.sequence)
                set_setting(session, LAST_RECEIPT, receipt.received_at.isoformat())
            (outbox_dir / package.file_name).unlink(missing_ok=True)
        if not matched:
            continue
        # Commit before the receipt goes: a crash in between only means reading it again. A receipt
        # naming something this device did not send stays, as a version 1 receipt always did.
        session.commit()
        if matched == len(receipts):
            transport.delete(RECEIPTS, name)
    return delivered


def send_undelivered(
    session: Session, transport: Transport, outbox_dir: Path, now: dt.datetime | None = None
) -> list[str]:
    """Send, in sequence order, every undelivered package that is missing (or incomplete) at the target."""
    now = now or utcnow()
    present = transport.list(INBOX)
    sent: list[str] = []
    undelivered = session.scalars(
        select(OutboxPackage).where(OutboxPackage.delivered_at.is_(None)).order_by(OutboxPackage.sequence)
    )
    for package in list(undelivered):
        if present.get(package.file_name) == package.size:
            continue
        path = outbox_dir / package.file_name
        try:
            data = path.read_bytes()
        except OSError as error:
            raise TransportError(
                _(
                    "Het pakket {name} ontbreekt in de map outbox van dit profiel en kan niet worden "
                    "verstuurd; neem contact op met de beheerder."
                ).format(name=package.file_name)
            ) from error
        package.attempts += 1
        package.last_sent_at = now
        session.commit()
        # Stop at the first failure: later packages would only arrive out of order.
        transport.write(INBOX, package.file_name, data)
        sent.append(package.file_name)
        set_setting(session, LAST_PUSH, now.isoformat())
        session.commit()
    return sent


def requeue_for_new_recipient(session: Session, recipient: str, outbox_dir: Path) -> int:
    """Undelivered packages sealed for another supervisor key can never be read by the new one:
    their journal entries become pending again (to be packaged for the new key) and they go."""
    stale = list(
        session.scalars(
            select(OutboxPackage).where(
                OutboxPackage.delivered_at.is_(None), OutboxPackage.recipient != recipient
            )
        )
    )
    for package in stale:
        if package.journal_ids:
            session.execute(
                update(ChangeJournalEntry)
                .where(ChangeJournalEntry.id.in_(package.journal_ids))
                .values(sync_state=JOURNAL_PENDING)
            )
        (outbox_dir / package.file_name).unlink(missing_ok=True)
        session.delete(package)
    return len(stale)
