"""The way back, supervisor side: the supervisor's own record changes become decision packages, one
stream per device, in the same envelope as the device's packages (app/sync/envelope.py).

What travels is the generic record sync, not a format per decision: adopting, sending back,
withdrawing, reassigning and deciding a conflict are all changes to synced records (PipVersion's
state and adopted date, Pip's term start, ...), which the journal listener writes to
`change_journal` in the same transaction on the supervisor too. A push turns the pending entries
into packages with the full current state of each record, per device that holds the client
(`recipient_device_for`). The supervisor's reviewed standard texts travel in the same packages
(the services layer adds them, see app/services/sync/pull.py).

Target layout, beside `inbox/` and `receipts/` of the device packages:

    <doel>/devices/<apparaat>/inbox/<supervisor>-<volgnummer>.wgw      for that device
    <doel>/devices/<apparaat>/receipts/<supervisor>-<volgnummer>.receipt  signed by that device

The supervisor's sequence numbers are one counter over all devices (so the supervisor's own
`sync_outbox` table holds them, one row per package, with the device's recipient id); each device
sees its own, rising, with gaps.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.models.base import Base, SyncedAggregate, utcnow
from app.models.client import Client
from app.models.journal import ChangeJournalEntry
from app.models.supervisor import ClientAssignment
from app.models.sync_state import (
    JOURNAL_PACKAGED,
    JOURNAL_PENDING,
    PEER_DEVICE,
    ImportedPackage,
    OutboxPackage,
    RecordOrigin,
    SyncConflict,
    SyncPeer,
    SyncSetting,
)
from app.sync.atomic import atomic_write_bytes
from app.sync.envelope import package_name, recipient_id, seal_package, split_package
from app.sync.keys import DeviceKeys, PublicKeys
from app.sync.outbox import get_setting, set_setting
from app.sync.receipts import RECEIPT_SUFFIX, parse_receipt
from app.sync.records import serialise, synced_models, table_order
from app.sync.transport import FolderTransport, Transport, WebDavTransport

DEVICES = "devices"
DECISION_KIND = "decisions"
DECISION_SCHEMA = 1
RECORDS_PER_DECISION = 500
NEXT_DECISION = "next_decision_sequence"
LAST_DECISIONS = "last_decisions_at"
# A waiting reassignment: sync_setting "reassign:<client id>" = "<old device>><new device>".
REASSIGN_PREFIX = "reassign:"
# A restored device asked for everything again: sync_setting "resync:<device>" = the restore time.
RESYNC_PREFIX = "resync:"
RESTORE_OUTCOME = "restore"  # the outcome of a device's signed "I was restored" note


def device_inbox(device_id: str) -> str:
    return f"{DEVICES}/{device_id}/inbox"


def device_receipts(device_id: str) -> str:
    return f"{DEVICES}/{device_id}/receipts"


def ensure_device_folders(transport: Transport, device_id: str) -> None:
    """Create `devices/<apparaat>/inbox` and `receipts` (the transport's prepare() makes only the
    top-level folders)."""
    if isinstance(transport, FolderTransport):
        for folder in (device_inbox(device_id), device_receipts(device_id)):
            (transport.root / folder).mkdir(parents=True, exist_ok=True)
        return
    if isinstance(transport, WebDavTransport):
        parts = [DEVICES, f"{DEVICES}/{device_id}", device_inbox(device_id), device_receipts(device_id)]
        for folder in parts:
            with contextlib.suppress(Exception):  # 405: exists; a real failure shows on write
                transport.session.request("MKCOL", transport.url + quote(folder) + "/", timeout=15)


# -- who gets what -----------------------------------------------------------------------------------


def recipient_device_for(session: Session, client_id: uuid.UUID) -> str | None:
    """The device whose decisions about this client go to: the registered, not revoked device the
    supervisor assigned the client to (app/services/supervisor), else the one whose packages
    brought the client (its RecordOrigin)."""
    return _recipients(session, [client_id]).get(client_id)


def _recipients(session: Session, client_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    ids = list(set(client_ids))
    if not ids:
        return {}
    devices = {
        peer.device_id
        for peer in session.scalars(
            select(SyncPeer).where(SyncPeer.kind == PEER_DEVICE, SyncPeer.revoked_at.is_(None))
        )
    }
    found: dict[uuid.UUID, str] = {}
    for start in range(0, len(ids), 900):
        rows = session.execute(
            select(RecordOrigin.entity_id, RecordOrigin.device_id).where(
                RecordOrigin.entity_type == Client.__tablename__,
                RecordOrigin.entity_id.in_(ids[start : start + 900]),
            )
        )
        for entity_id, device_id in rows:
            if device_id in devices:
                found[entity_id] = device_id
        assigned = session.execute(
            select(ClientAssignment.client_id, ClientAssignment.device_id).where(
                ClientAssignment.client_id.in_(ids[start : start + 900])
            )
        )
        for client_id, device_id in assigned:  # the supervisor's choice wins over the origin
            if device_id in devices:
                found[client_id] = device_id
    return found


def _client_column(model: type[SyncedAggregate]) -> tuple[str, str] | None:
    """(column, parent table) of the foreign key that leads towards the client, if any."""
    table = Base.metadata.tables[model.__tablename__]  # type: ignore[attr-defined]
    for fk in table.foreign_keys:
        if fk.column.table.name == Client.__tablename__:
            return fk.parent.key, Client.__tablename__
    for fk in table.foreign_keys:
        if fk.column.table.name in synced_models() and fk.column.table.name != "household":
            return fk.parent.key, fk.column.table.name
    return None


def clients_of(session: Session, record: SyncedAggregate) -> list[uuid.UUID]:
    """The clients a record belongs to, following its foreign keys generically (a household:
    its members)."""
    models = synced_models()
    current: SyncedAggregate | None = record
    for _step in range(8):
        if current is None:
            return []
        table = current.__tablename__  # type: ignore[attr-defined]
        if table == Client.__tablename__:
            return [current.id]
        if table == "household":
            return list(session.scalars(select(Client.id).where(Client.household_id == current.id)))
        link = _client_column(type(current))
        if link is None:
            return []
        column, parent = link
        parent_id = getattr(current, column)
        if parent_id is None:
            return []
        if parent == Client.__tablename__:
            return [parent_id]  # no need to load the client itself
        current = session.get(models[parent], parent_id)
    return []


# -- packaging ------------------------------------------------------------------------------------------


@dataclass
class DeviceBatch:
    """What one push has for one device."""

    device_id: str
    records: list[dict[str, Any]] = field(default_factory=list)
    journal_ids: list[int] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def _item(session: Session, table: str, entity_id: uuid.UUID, entries: list[ChangeJournalEntry]) -> Any:
    model = synced_models().get(table)
    if model is None:
        return None, None
    record = session.get(model, entity_id)
    # No entries: a conflict decided "keep the version here", sent so the device has it too.
    base = (
        min(entry.base_version for entry in entries)
        if entries
        else max((record.version if record else 1) - 1, 0)
    )
    if record is None:
        item = {
            "table": table,
            "id": str(entity_id),
            "version": max(entry.version for entry in entries),
            "base_version": base,
            "deleted": True,
        }
        return item, None
    item = {
        "table": table,
        "id": str(entity_id),
        "version": record.version,
        "base_version": base,
        "deleted": False,
        "data": serialise(record),
    }
    return item, record


def whole_client(session: Session, client_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every record of one client, full state, for the device it is reassigned to (`whole`: the
    device may not have them yet, so they may be new there)."""
    return [
        {
            "table": record.__tablename__,  # type: ignore[attr-defined]
            "id": str(record.id),
            "version": record.version,
            "base_version": 0,
            "deleted": False,
            "whole": True,
            "data": serialise(record),
        }
        for record in client_records(session, client_id)
    ]


def preload(session: Session, keys: Iterable[tuple[str, uuid.UUID]]) -> list[SyncedAggregate]:
    """Load the records in a few queries per table, so the lookups that follow (session.get, and
    the parents a record's client is found through) come from the session's identity map; the
    caller keeps the returned list while it looks (the identity map holds records weakly)."""
    loaded: list[SyncedAggregate] = []
    by_table: dict[str, list[uuid.UUID]] = {}
    for table, entity_id in keys:
        by_table.setdefault(table, []).append(entity_id)
    models = synced_models()
    for table, ids in by_table.items():
        model = models.get(table)
        if model is None:
            continue
        for start in range(0, len(ids), 900):
            loaded.extend(session.scalars(select(model).where(model.id.in_(ids[start : start + 900]))))
    return loaded


def kept_local_since(session: Session, since: str | None) -> list[tuple[str, uuid.UUID]]:
    """Records of conflicts the supervisor decided as "keep the version here" since the last push:
    nothing changed here, but the device holds the other version and must get this one."""
    query = select(SyncConflict.entity_type, SyncConflict.entity_id).where(SyncConflict.resolution == "local")
    if since:
        query = query.where(SyncConflict.resolved_at > dt.datetime.fromisoformat(since))
    keys = {(str(row[0]), row[1]) for row in session.execute(query)}
    return sorted(keys, key=lambda key: (key[0], str(key[1])))


def decision_batches(session: Session) -> tuple[dict[str, DeviceBatch], list[int]]:
    """Pending supervisor changes grouped per device; returns the batches and the journal entries
    that go nowhere (no device holds the client: they are settled, there is nobody to tell)."""
    entries = list(
        session.scalars(
            select(ChangeJournalEntry)
            .where(ChangeJournalEntry.sync_state == JOURNAL_PENDING)
            .order_by(ChangeJournalEntry.id)
        )
    )
    groups: dict[tuple[str, uuid.UUID], list[ChangeJournalEntry]] = {}
    for entry in entries:
        groups.setdefault((entry.entity_type, entry.entity_id), []).append(entry)
    kept = kept_local_since(session, get_setting(session, LAST_DECISIONS))
    loaded = preload(session, list(groups) + [key for key in kept if key not in groups])
    items: list[tuple[dict[str, Any], list[int], list[uuid.UUID]]] = []
    for key in kept:
        if key not in groups:
            item, record = _item(session, key[0], key[1], [])
            if item is not None and record is not None:
                items.append((item, [], clients_of(session, record)))
    for (table, entity_id), changes in groups.items():
        item, record = _item(session, table, entity_id, changes)
        ids = [change.id for change in changes]
        if item is None:
            items.append(({}, ids, []))
            continue
        clients = clients_of(session, record) if record is not None else []
        items.append((item, ids, clients))
    recipients = _recipients(session, [c for _item, _ids, clients in items for c in clients])
    # A deleted record no longer says whose it was: the device it came from gets it.
    deleted = [uuid.UUID(item["id"]) for item, _ids, _clients in items if item.get("deleted")]
    origins: dict[tuple[str, uuid.UUID], str] = {}
    for start in range(0, len(deleted), 900):
        for row in session.scalars(
            select(RecordOrigin).where(RecordOrigin.entity_id.in_(deleted[start : start + 900]))
        ):
            origins[(row.entity_type, row.entity_id)] = row.device_id
    del loaded
    batches: dict[str, DeviceBatch] = {}
    nowhere: list[int] = []
    for item, ids, clients in items:
        devices = {recipients[c] for c in clients if c in recipients}
        if not devices and item.get("deleted"):
            origin = origins.get((item["table"], uuid.UUID(item["id"])))
            devices = {origin} if origin else set()
        if not item or not devices:
            nowhere.extend(ids)
            continue
        for device in sorted(devices):
            batch = batches.setdefault(device, DeviceBatch(device))
            batch.records.append(item)
            batch.journal_ids.extend(ids)
    order = table_order()
    for batch in batches.values():
        batch.records.sort(key=lambda r: (r["deleted"], order.get(r["table"], 0), r["id"]))
    return batches, nowhere


def client_records(session: Session, client_id: uuid.UUID) -> list[SyncedAggregate]:
    """Every synced record of one client (its household first, parents before children)."""
    client = session.get(Client, client_id)
    if client is None:
        return []
    found: list[SyncedAggregate] = []
    if client.household_id is not None:
        household = session.get(synced_models()["household"], client.household_id)
        if household is not None:
            found.append(household)
    found.append(client)
    order = table_order()
    ids = {client.id}
    for table, model in sorted(synced_models().items(), key=lambda pair: order.get(pair[0], 0)):
        link = _client_column(model)
        if table in ("client", "household") or link is None:
            continue
        rows = list(session.scalars(select(model).where(getattr(model, link[0]).in_(list(ids)))))
        found.extend(rows)
        ids |= {row.id for row in rows}
    return found


def reassign_client(session: Session, client_id: uuid.UUID, to_device: str) -> str | None:
    """Give a client to another device: the next push sends that device the whole record and the
    previous one a release (it drops the client). The records' origin moves to the new device, so
    `recipient_device_for` answers it and a late package of the old device about this client is a
    conflict, not an update. Returns the previous device."""
    previous = recipient_device_for(session, client_id)
    if previous == to_device:
        return previous
    set_setting(session, REASSIGN_PREFIX + str(client_id), f"{previous or ''}>{to_device}")
    now = utcnow()
    for record in client_records(session, client_id):
        table = record.__tablename__  # type: ignore[attr-defined]
        origin = session.get(RecordOrigin, (table, record.id))
        if origin is None:
            session.add(
                RecordOrigin(
                    entity_type=table, entity_id=record.id, device_id=to_device, sequence=0,
                    version=record.version, arrived_at=now,
                )
            )  # fmt: skip
        else:
            origin.device_id, origin.version, origin.arrived_at = to_device, record.version, now
    return previous


def resyncs(session: Session, batches: dict[str, DeviceBatch]) -> list[str]:
    """Restored devices get every record of their clients again (`resync`: the device takes what it
    lacks or holds older, and keeps what it changed since and has not sent). Returns the settings to
    remove once sealed."""
    done: list[str] = []
    for row in list(session.scalars(select(SyncSetting).where(SyncSetting.name.startswith(RESYNC_PREFIX)))):
        device_id = row.name[len(RESYNC_PREFIX) :]
        clients = session.scalars(
            select(RecordOrigin.entity_id).where(
                RecordOrigin.entity_type == Client.__tablename__, RecordOrigin.device_id == device_id
            )
        )
        batch = batches.setdefault(device_id, DeviceBatch(device_id))
        known = {(r["table"], r["id"]) for r in batch.records}
        for client_id in list(clients):
            for item in whole_client(session, client_id):
                if (item["table"], item["id"]) not in known:
                    batch.records.append(dict(item, whole=False, resync=True))
        done.append(row.name)
    return done


def reassignments(session: Session, batches: dict[str, DeviceBatch]) -> list[str]:
    """Waiting reassignments into the batches: the whole record for the new device, a release for
    the old one. Returns the setting names to remove once the packages are sealed."""
    done: list[str] = []
    for row in session.scalars(select(SyncSetting).where(SyncSetting.name.startswith(REASSIGN_PREFIX))):
        client_id = uuid.UUID(row.name[len(REASSIGN_PREFIX) :])
        old, _sep, new = row.value.partition(">")
        batch = batches.setdefault(new, DeviceBatch(new))
        known = {(r["table"], r["id"]) for r in batch.records}
        whole = [r for r in whole_client(session, client_id) if (r["table"], r["id"]) not in known]
        batch.records[:0] = whole
        if old:
            batches.setdefault(old, DeviceBatch(old)).extra.setdefault("release", []).append(str(client_id))
        done.append(row.name)
    return done


def last_imported_sequence(session: Session, device_id: str) -> int:
    """The supervisor's high-water mark for a device: its highest imported package number."""
    return int(
        session.scalar(
            select(func.max(ImportedPackage.sequence)).where(ImportedPackage.device_id == device_id)
        )
        or 0
    )


def _take_sequence(session: Session) -> int:
    value = int(get_setting(session, NEXT_DECISION) or "1")
    set_setting(session, NEXT_DECISION, str(value + 1))
    return value


def seal_batches(
    session: Session,
    keys: DeviceKeys,
    devices: dict[str, PublicKeys],
    batches: dict[str, DeviceBatch],
    outbox_dir: Path,
    now: dt.datetime | None = None,
    records_per_package: int = RECORDS_PER_DECISION,
) -> list[OutboxPackage]:
    """Seal every batch into packages in the supervisor's outbox, in the caller's transaction."""
    now = now or utcnow()
    set_setting(session, LAST_DECISIONS, now.isoformat())
    packages: list[OutboxPackage] = []
    for device_id, batch in sorted(batches.items()):
        device = devices.get(device_id)
        if device is None:
            continue
        watermark = last_imported_sequence(session, device_id)
        chunks = [
            batch.records[i : i + records_per_package]
            for i in range(0, len(batch.records), records_per_package)
        ]
        for index, chunk in enumerate(chunks or [[]]):
            if not chunk and not batch.extra:
                continue
            sequence = _take_sequence(session)
            payload: dict[str, Any] = {
                "schema": DECISION_SCHEMA,
                "kind": DECISION_KIND,
                "recipient_device": device_id,
                "watermark": watermark,
                "records": chunk,
            }
            if index == len(chunks) - 1 or not chunks:
                payload.update(batch.extra)  # releases and catalogs ride with the last one
            data = seal_package(payload, keys=keys, recipient=device, sequence=sequence, created_at=now)
            name = package_name(keys.device_id, sequence)
            atomic_write_bytes(outbox_dir / device_id / name, data)
            package = OutboxPackage(
                sequence=sequence,
                file_name=f"{device_id}/{name}",
                content_hash=split_package(data).header.content_hash,
                recipient=recipient_id(device.public_key),
                record_count=len(chunk),
                size=len(data),
                created_at=now,
                attempts=0,
                journal_ids=batch.journal_ids if index == 0 else [],
            )
            session.add(package)
            packages.append(package)
        if batch.journal_ids:
            _settle(session, batch.journal_ids)
    return packages


def _settle(session: Session, ids: list[int]) -> None:
    for start in range(0, len(ids), 900):
        session.execute(
            update(ChangeJournalEntry)
            .where(ChangeJournalEntry.id.in_(ids[start : start + 900]))
            .values(sync_state=JOURNAL_PACKAGED)
        )


def settle_nowhere(session: Session, ids: list[int]) -> None:
    _settle(session, ids)


# -- receipts and sending --------------------------------------------------------------------------------


def collect_device_receipts(
    session: Session, transport: Transport, keys: DeviceKeys, devices: dict[str, PublicKeys], outbox_dir: Path
) -> list[int]:
    """Mark decision packages delivered for every receipt signed by their device with the same hash."""
    delivered: list[int] = []
    prefix = keys.device_id + "-"
    for device_id, device in sorted(devices.items()):
        folder = device_receipts(device_id)
        for name in sorted(transport.list(folder)):
            if not (name.startswith(prefix) and name.endswith(RECEIPT_SUFFIX)):
                continue
            receipt = parse_receipt(transport.read(folder, name), device)
            if receipt is None or receipt.device_id != keys.device_id or receipt.supervisor != device_id:
                continue
            if receipt.outcome == RESTORE_OUTCOME and receipt.sequence == 0:
                # The device was restored from a backup: it gets the whole of its clients again.
                set_setting(session, RESYNC_PREFIX + device_id, receipt.received_at.isoformat())
                session.commit()
                transport.delete(folder, name)
                continue
            package = session.get(OutboxPackage, receipt.sequence)
            if package is None or package.content_hash != receipt.content_hash:
                continue
            if package.delivered_at is None:
                package.delivered_at = receipt.received_at
                package.outcome = receipt.outcome
                delivered.append(package.sequence)
            (outbox_dir / package.file_name).unlink(missing_ok=True)
            session.commit()
            transport.delete(folder, name)
    return delivered


def send_decisions(
    session: Session, transport: Transport, outbox_dir: Path, now: dt.datetime | None = None
) -> list[str]:
    """Send every undelivered decision package that its device's inbox lacks, in sequence order."""
    now = now or utcnow()
    present: dict[str, dict[str, int]] = {}
    sent: list[str] = []
    for package in list(
        session.scalars(
            select(OutboxPackage).where(OutboxPackage.delivered_at.is_(None)).order_by(OutboxPackage.sequence)
        )
    ):
        device_id, _sep, name = package.file_name.partition("/")
        if not name:
            continue
        if device_id not in present:
            ensure_device_folders(transport, device_id)
            present[device_id] = transport.list(device_inbox(device_id))
        if present[device_id].get(name) == package.size:
            continue
        path = outbox_dir / package.file_name
        if not path.is_file():
            continue  # gone with its receipt in an earlier run
        package.attempts += 1
        package.last_sent_at = now
        transport.write(device_inbox(device_id), name, path.read_bytes())
        sent.append(name)
    session.commit()
    return sent
