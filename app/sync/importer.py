"""The supervisor side: verify, decrypt, validate and apply one package in one transaction.

Everything that can refuse a package is checked before the first write, and the writes happen in
one transaction with foreign keys checked at commit, so a package is applied entirely or not at all.
A record edited from an older version than the one here is never overwritten: both versions are
kept in sync_conflict with the differences field by field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models.base import SyncedAggregate, utcnow
from app.models.journal import ACTION_CREATE, ACTION_DELETE, ACTION_UPDATE, record_audit
from app.models.sync_state import (
    PEER_DEVICE,
    ImportedPackage,
    RecordOrigin,
    SyncConflict,
    SyncPeer,
)
from app.sync.envelope import OpenedPackage, TrustedDevice, open_package
from app.sync.errors import PackageRefused, RefusalReason
from app.sync.keys import DeviceKeys, PublicKeys
from app.sync.records import RecordError, deserialise, differences, serialise, synced_models, table_order

OUTCOME_IMPORTED = "imported"
OUTCOME_DUPLICATE = "duplicate"
OUTCOME_CONFLICT = "conflict"
OUTCOME_REFUSED = "refused"
SUPPORTED_SCHEMAS = frozenset({1})
ACTION_IMPORTED = "gesynchroniseerd"


class SessionSource(Protocol):
    def session(self, actor: str = ..., role: str = ...) -> Any: ...


@dataclass(frozen=True)
class IncomingRecord:
    model: type[SyncedAggregate]
    table: str
    id: uuid.UUID
    version: int
    base_version: int
    deleted: bool
    raw: dict[str, Any]
    values: dict[str, Any]


@dataclass(frozen=True)
class ApplyResult:
    outcome: str
    device_id: str
    sequence: int
    content_hash: str
    records: int = 0
    conflicts: int = 0


def device_lookup(session: Session) -> Any:
    def lookup(device_id: str) -> TrustedDevice | None:
        peer = session.get(SyncPeer, device_id)
        if peer is None or peer.kind != PEER_DEVICE:
            return None
        keys = PublicKeys(peer.verify_key, peer.public_key, peer.role, peer.name, peer.municipality)
        return TrustedDevice(keys, revoked=peer.revoked_at is not None)

    return lookup


def _int(value: Any, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise RecordError("bad integer")
    return value


def validate_payload(payload: dict[str, Any]) -> list[IncomingRecord]:
    """Every record checked against the local schema before anything is written."""
    if payload.get("schema") not in SUPPORTED_SCHEMAS:
        raise PackageRefused(RefusalReason.INVALID_PAYLOAD, f"schema {payload.get('schema')!r}")
    items = payload.get("records")
    if not isinstance(items, list):
        raise PackageRefused(RefusalReason.INVALID_PAYLOAD, "records missing")
    models = synced_models()
    records: list[IncomingRecord] = []
    seen: set[tuple[str, uuid.UUID]] = set()
    for index, item in enumerate(items):
        try:
            if not isinstance(item, dict):
                raise RecordError("record is not an object")
            table = item.get("table")
            model = models.get(table) if isinstance(table, str) else None
            if model is None or not isinstance(table, str):
                raise RecordError(f"unknown table {table!r}")
            record_id = uuid.UUID(str(item.get("id")))
            version = _int(item.get("version"), 1)
            base = _int(item.get("base_version"), 0)
            deleted = item.get("deleted")
            if not isinstance(deleted, bool) or base >= version:
                raise RecordError("bad versions or deleted flag")
            raw = item.get("data", {}) if not deleted else {}
            values = {} if deleted else deserialise(model, raw)
            if not deleted and (values.get("id") != record_id or values.get("version") != version):
                raise RecordError("data disagrees with id or version")
            if (table, record_id) in seen:
                raise RecordError("record twice in one package")
            seen.add((table, record_id))
        except (RecordError, ValueError) as error:
            raise PackageRefused(RefusalReason.INVALID_PAYLOAD, f"record {index}: {error}") from error
        records.append(IncomingRecord(model, table, record_id, version, base, deleted, raw, values))
    order = table_order()
    records.sort(key=lambda r: (order.get(r.table, 0), str(r.id)))
    return records


def _has_open_conflict(session: Session, record: IncomingRecord) -> bool:
    return (
        session.scalar(
            select(SyncConflict.id)
            .where(SyncConflict.entity_id == record.id, SyncConflict.entity_type == record.table)
            .where(SyncConflict.resolved_at.is_(None))
            .limit(1)
        )
        is not None
    )


def _apply_record(
    session: Session, record: IncomingRecord, device_id: str, sequence: int, now: dt.datetime
) -> bool:
    """Apply one record; returns False when it became a conflict instead."""
    local = session.get(record.model, record.id)
    if local is None:
        if record.deleted:
            return True
        session.add(record.model(**record.values))
        record_audit(session, ACTION_CREATE, record.table, record.id, f"{ACTION_IMPORTED}:{device_id}")
    else:
        local_data = serialise(local)
        same = not record.deleted and local.version == record.version and local_data == record.raw
        if same:
            return True
        if local.version > record.base_version or _has_open_conflict(session, record):
            session.add(
                SyncConflict(
                    entity_type=record.table,
                    entity_id=record.id,
                    device_id=device_id,
                    sequence=sequence,
                    local_version=local.version,
                    incoming_version=record.version,
                    incoming_base_version=record.base_version,
                    incoming_deleted=int(record.deleted),
                    local_data=local_data,
                    incoming_data=record.raw,
                    differences=differences(local_data, record.raw) if not record.deleted else [],
                    detected_at=now,
                )
            )
            return False
        if record.deleted:
            session.delete(local)
            record_audit(session, ACTION_DELETE, record.table, record.id, f"{ACTION_IMPORTED}:{device_id}")
        else:
            for key, value in record.values.items():
                setattr(local, key, value)
            record_audit(session, ACTION_UPDATE, record.table, record.id, f"{ACTION_IMPORTED}:{device_id}")
    origin = session.get(RecordOrigin, (record.table, record.id))
    if origin is None:
        session.add(
            RecordOrigin(
                entity_type=record.table,
                entity_id=record.id,
                device_id=device_id,
                sequence=sequence,
                version=record.version,
                arrived_at=now,
            )
        )
    else:
        origin.device_id, origin.sequence, origin.version, origin.arrived_at = (
            device_id,
            sequence,
            record.version,
            now,
        )
    return True


def apply_package(
    store: SessionSource, data: bytes, keys: DeviceKeys, now: dt.datetime | None = None
) -> ApplyResult:
    """Verify and apply one package in one transaction; raises PackageRefused (nothing applied)."""
    now = now or utcnow()
    try:
        with store.session(actor="synchronisatie", role="supervisor") as session:
            # The importer sets versions itself: the journal listener must not renumber them, and
            # the supervisor does not send these records on.
            session.info["journal"] = False
            opened: OpenedPackage = open_package(data, keys=keys, lookup_device=device_lookup(session))
            header = opened.header
            previous = session.scalar(
                select(ImportedPackage).where(
                    ImportedPackage.device_id == header.device_id, ImportedPackage.sequence == header.sequence
                )
            )
            if previous is not None:
                if previous.content_hash != header.content_hash:
                    raise PackageRefused(RefusalReason.REPLAYED, f"sequence {header.sequence}")
                return ApplyResult(
                    OUTCOME_DUPLICATE,
                    header.device_id,
                    header.sequence,
                    header.content_hash,
                    previous.record_count,
                    previous.conflict_count,
                )
            records = validate_payload(opened.payload)
            # Within the package, parents and children may come in any order; check at commit.
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            conflicts = 0
            for record in records:
                if not _apply_record(session, record, header.device_id, header.sequence, now):
                    conflicts += 1
            outcome = OUTCOME_CONFLICT if conflicts else OUTCOME_IMPORTED
            session.add(
                ImportedPackage(
                    device_id=header.device_id,
                    sequence=header.sequence,
                    content_hash=header.content_hash,
                    created_at=header.created_at,
                    imported_at=now,
                    outcome=outcome,
                    record_count=len(records),
                    conflict_count=conflicts,
                )
            )
            session.flush()
    except IntegrityError as error:
        raise PackageRefused(RefusalReason.MISSING_REFERENCE, type(error.orig).__name__) from error
    return ApplyResult(
        outcome, header.device_id, header.sequence, header.content_hash, len(records), conflicts
    )
