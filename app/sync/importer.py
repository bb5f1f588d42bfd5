"""The supervisor side: verify, decrypt, validate and apply one package in one transaction.

Everything that can refuse a package is checked before the first write, and the writes happen in
one transaction with foreign keys checked at commit, so a package is applied entirely or not at all.
A record edited from an older version than the one here is never overwritten: both versions are
kept in sync_conflict with the differences field by field.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from sqlalchemy import Connection, UniqueConstraint, bindparam, insert, literal, select, tuple_, union_all
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from app.models.base import Base, SyncedAggregate, utcnow
from app.models.journal import ACTION_CREATE, ACTION_DELETE, ACTION_UPDATE, AuditEntry
from app.models.sync_state import (
    PEER_DEVICE,
    ImportedPackage,
    RecordOrigin,
    SyncConflict,
    SyncPeer,
)
from app.sync.assignment import CLIENT_TABLE, owning_clients
from app.sync.envelope import OpenedPackage, TrustedDevice, open_package
from app.sync.errors import PackageRefused, RefusalReason
from app.sync.keys import DeviceKeys, PublicKeys
from app.sync.records import (
    RecordError,
    deserialise,
    differences,
    fields_of,
    serialise,
    synced_models,
    table_order,
)

_log = logging.getLogger(__name__)
# A device's clock may run somewhat ahead; a package made later than this after our "now" is refused.
FUTURE_TOLERANCE = dt.timedelta(hours=24)

# The schema does not change while the program runs: the foreign-key order of the tables (which
# SQLAlchemy sorts anew on every call) and the unique rules are worked out once.
_table_order = cache(table_order)

OUTCOME_IMPORTED = "imported"
OUTCOME_DUPLICATE = "duplicate"
OUTCOME_CONFLICT = "conflict"
OUTCOME_REFUSED = "refused"
SUPPORTED_SCHEMAS = frozenset({1})
ACTION_IMPORTED = "gesynchroniseerd"
_APPLIED, _CONFLICT, _SUPERSEDED = "applied", "conflict", "superseded"


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
    superseded: int = 0


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
    order = _table_order()
    records.sort(key=lambda r: (order.get(r.table, 0), str(r.id)))
    return records


Key = tuple[str, uuid.UUID]


@dataclass
class _Known:
    """What the store already holds for a package's records, read in a few queries up front."""

    records: dict[Key, SyncedAggregate]
    open_conflicts: set[Key]
    # The device and version each record here last came from (kept after a deletion too).
    origins: dict[Key, tuple[str, int]] = field(default_factory=dict)
    # Records that cannot go in beside what is here (same V-nummer under another id, or a parent
    # that is held back): kept as conflicts, with the colliding record here where there is one.
    held_back: dict[Key, SyncedAggregate | None] = field(default_factory=dict)
    # The device each record belongs to (app/sync/assignment.py), where one is assigned already.
    assigned: dict[Key, str] = field(default_factory=dict)


@cache
def _existence_query(tables: tuple[str, ...]) -> Any:
    """One statement saying which of a package's ids exist, per table; built once per table set."""
    parts = []
    for index, name in enumerate(tables):
        table = Base.metadata.tables[name]
        parts.append(
            select(literal(name).label("t"), table.c.id.label("id")).where(
                table.c.id.in_(bindparam(f"ids{index}", expanding=True))
            )
        )
    return union_all(*parts)


def _prefetch(session: Session, records: list[IncomingRecord]) -> _Known:
    by_model: dict[str, tuple[type[SyncedAggregate], list[uuid.UUID]]] = {}
    for record in records:
        by_model.setdefault(record.table, (record.model, []))[1].append(record.id)
    known = _Known({}, set(), {})
    tables = tuple(sorted(by_model))
    if not tables:
        return known
    owners = owning_clients(session, records)
    # By (type, id) pairs, so the lookup uses the origin table's primary key; the clients the
    # records belong to are asked for in the same query.
    pairs = list(
        {(record.table, record.id) for record in records}
        | {(CLIENT_TABLE, owner) for owner in owners.values() if owner is not None}
    )
    origin = select(
        RecordOrigin.entity_type, RecordOrigin.entity_id, RecordOrigin.device_id, RecordOrigin.version
    )
    connection = session.connection()
    for entity_type, entity_id, device_id, version in connection.execute(
        origin.where(tuple_(RecordOrigin.entity_type, RecordOrigin.entity_id).in_(pairs))
    ):
        known.origins[(entity_type, entity_id)] = (device_id, version)
    for key, owner in owners.items():
        came_from = known.origins.get((CLIENT_TABLE, owner) if owner is not None else key)
        if came_from is not None:
            known.assigned[key] = came_from[0]
    parameters = {f"ids{index}": by_model[name][1] for index, name in enumerate(tables)}
    existing: dict[str, list[Any]] = {}
    for name, raw_id in connection.execute(_existence_query(tables), parameters):
        existing.setdefault(name, []).append(raw_id)
    if not existing:
        return known  # the usual case in a first import: everything is new
    for name, found in existing.items():
        model = by_model[name][0]
        ids = [value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)) for value in found]
        for local in session.scalars(select(model).where(model.id.in_(ids))):
            known.records[(name, local.id)] = local
    ids = [key[1] for key in known.records]
    for entity_type, entity_id in session.execute(
        select(SyncConflict.entity_type, SyncConflict.entity_id).where(
            SyncConflict.entity_id.in_(ids), SyncConflict.resolved_at.is_(None)
        )
    ):
        known.open_conflicts.add((entity_type, entity_id))
    return known


@cache
def _unique_column_sets(name: str) -> list[list[Any]]:
    table = Base.metadata.tables[name]
    sets: list[list[Any]] = [[column] for column in table.columns if column.unique and not column.primary_key]
    sets += [list(c.columns) for c in table.constraints if isinstance(c, UniqueConstraint)]
    sets += [list(index.columns) for index in table.indexes if index.unique]
    return sets


def _hold_back(session: Session, records: list[IncomingRecord], known: _Known) -> None:
    """Find records that would break a unique rule of the store, and everything that hangs on them."""
    for record in records:
        if record.deleted:
            continue
        table = Base.metadata.tables[record.table]
        row = {f.column.key: record.values[f.key] for f in fields_of(record.model)}
        for columns in _unique_column_sets(record.table):
            values = [row.get(column.key) for column in columns]
            if any(value is None for value in values):
                continue
            query = select(table.c.id).where(table.c.id != record.id)
            for column, value in zip(columns, values, strict=True):
                query = query.where(column == value)
            other = session.execute(query.limit(1)).scalar()
            if other is not None:
                known.held_back[(record.table, record.id)] = session.get(record.model, other)
                break
    held_ids = {key[1] for key in known.held_back}
    changed = bool(held_ids)
    while changed:
        changed = False
        for record in records:
            key = (record.table, record.id)
            if key in known.held_back or record.deleted:
                continue
            table = Base.metadata.tables[record.table]
            row = {f.column.key: record.values[f.key] for f in fields_of(record.model)}
            if any(row.get(fk.parent.key) in held_ids for fk in table.foreign_keys):
                known.held_back[key] = None
                held_ids.add(record.id)
                changed = True


@dataclass
class _Writes:
    """New rows of one package, inserted per table in a few statements (the common case is all new)."""

    inserts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    audit: list[dict[str, Any]] = field(default_factory=list)
    origins: list[dict[str, Any]] = field(default_factory=list)


def _audit(writes: _Writes, action: str, record: IncomingRecord, device_id: str, now: dt.datetime) -> None:
    writes.audit.append(
        {
            "at": now,
            "actor": "synchronisatie",
            "role": "supervisor",
            "action": action,
            "entity_type": record.table,
            "entity_id": record.id,
            "detail": f"{ACTION_IMPORTED}:{device_id}",
        }
    )


def _apply_record(
    session: Session,
    known: _Known,
    writes: _Writes,
    record: IncomingRecord,
    device_id: str,
    sequence: int,
    now: dt.datetime,
) -> str:
    """Apply one record; returns APPLIED, CONFLICT (kept aside) or SUPERSEDED (nothing written)."""
    key = (record.table, record.id)
    origin = known.origins.get(key)
    if origin is not None and origin[0] == device_id and origin[1] >= record.version:
        # An older package from the same device that arrived late (USB sticks, single files):
        # what is here already came from a newer one of its packages, so there is nothing to weigh.
        return _SUPERSEDED
    held = key in known.held_back
    assigned = known.assigned.get(key)
    if held or (assigned is not None and assigned != device_id):
        # Held back (a unique rule), or the record belongs to another device: kept as a conflict.
        other = known.held_back[key] if held else known.records.get(key)
        other_data = serialise(other) if other is not None else {}
        session.add(
            SyncConflict(
                entity_type=record.table,
                entity_id=record.id,
                device_id=device_id,
                sequence=sequence,
                local_version=other.version if other is not None else 0,
                incoming_version=record.version,
                incoming_base_version=record.base_version,
                incoming_deleted=int(record.deleted),
                local_data=other_data,
                incoming_data=record.raw,
                differences=differences(other_data, record.raw) if not record.deleted else [],
                detected_at=now,
            )
        )
        return _CONFLICT
    local = known.records.get(key)
    if local is None:
        if record.deleted:
            return _APPLIED
        row = {f.column.key: record.values[f.key] for f in fields_of(record.model)}
        writes.inserts.setdefault(record.table, []).append(row)
        _audit(writes, ACTION_CREATE, record, device_id, now)
    else:
        local_data = serialise(local)
        same = not record.deleted and local.version == record.version and local_data == record.raw
        if same:
            return _APPLIED
        # A record edited from an older version than ours, or one already in conflict, is kept aside.
        if local.version > record.base_version or key in known.open_conflicts:
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
            return _CONFLICT
        if record.deleted:
            session.delete(local)
            _audit(writes, ACTION_DELETE, record, device_id, now)
        else:
            for name, value in record.values.items():
                setattr(local, name, value)
            _audit(writes, ACTION_UPDATE, record, device_id, now)
    writes.origins.append(
        {
            "entity_type": record.table,
            "entity_id": record.id,
            "device_id": device_id,
            "sequence": sequence,
            "version": record.version,
            "arrived_at": now,
        }
    )
    return _APPLIED


@cache
def _insert(table: str) -> Any:
    return insert(Base.metadata.tables[table])


@cache
def _origin_upsert() -> Any:
    # The store is always SQLite (SQLCipher): an upsert keeps the newest arrival per record.
    origin = sqlite_insert(Base.metadata.tables[RecordOrigin.__tablename__])
    return origin.on_conflict_do_update(
        index_elements=["entity_type", "entity_id"],
        set_={name: origin.excluded[name] for name in ("device_id", "sequence", "version", "arrived_at")},
    )


@cache
def _previous_query() -> Any:
    table = Base.metadata.tables[ImportedPackage.__tablename__]
    return select(table.c.content_hash, table.c.record_count, table.c.conflict_count).where(
        table.c.device_id == bindparam("device_id"), table.c.sequence == bindparam("sequence")
    )


def _write(connection: Connection, writes: _Writes) -> None:
    """Core statements built once, on the session's connection (no ORM execution per statement)."""
    order = _table_order()
    for table in sorted(writes.inserts, key=lambda name: order.get(name, 0)):
        connection.execute(_insert(table), writes.inserts[table])
    if writes.origins:
        connection.execute(_origin_upsert(), writes.origins)
    if writes.audit:
        connection.execute(_insert(AuditEntry.__tablename__), writes.audit)


def trusted_devices(session: Session) -> dict[str, TrustedDevice]:
    """Every registered device, read once for a whole import run."""
    return {
        peer.device_id: TrustedDevice(
            PublicKeys(peer.verify_key, peer.public_key, peer.role, peer.name, peer.municipality),
            revoked=peer.revoked_at is not None,
        )
        for peer in session.scalars(select(SyncPeer).where(SyncPeer.kind == PEER_DEVICE))
    }


def apply_package(
    store: SessionSource,
    data: bytes,
    keys: DeviceKeys,
    now: dt.datetime | None = None,
    lookup_device: Callable[[str], TrustedDevice | None] | None = None,
) -> ApplyResult:
    """Verify and apply one package in one transaction; raises PackageRefused (nothing applied).

    When the store refuses the package as a whole (a unique rule), it is applied once more with
    the records that collide held back as conflicts, so one clash never blocks a whole package.
    """
    now = now or utcnow()
    try:
        return _apply_package(store, data, keys, now, lookup_device, careful=False)
    except IntegrityError:
        pass
    try:
        return _apply_package(store, data, keys, now, lookup_device, careful=True)
    except IntegrityError as error:
        raise PackageRefused(RefusalReason.MISSING_REFERENCE, type(error.orig).__name__) from error


def apply_packages(
    store: SessionSource,
    packages: Sequence[bytes],
    keys: DeviceKeys,
    now: dt.datetime | None = None,
    lookup_device: Callable[[str], TrustedDevice | None] | None = None,
) -> list[ApplyResult | PackageRefused]:
    """Apply several packages in one transaction, each inside its own SAVEPOINT: every package is
    still all or nothing (a refused one leaves nothing behind and the others go in), and the batch
    costs one commit instead of one per package. The result for each package, in order: what it
    applied, or why it was refused. Nothing is committed until all are done, so the caller writes
    receipts only after this returns."""
    now = now or utcnow()
    results: list[ApplyResult | PackageRefused] = []
    with store.session(actor="synchronisatie", role="supervisor") as session:
        session.info["journal"] = False
        lookup = lookup_device or device_lookup(session)
        for data in packages:
            results.append(_apply_in_savepoint(session, data, keys, now, lookup))
    return results


def _apply_in_savepoint(
    session: Session,
    data: bytes,
    keys: DeviceKeys,
    now: dt.datetime,
    lookup_device: Callable[[str], TrustedDevice | None],
) -> ApplyResult | PackageRefused:
    for careful in (False, True):
        try:
            with session.begin_nested():
                # Foreign keys are checked per statement here (a deferred check would wait for the
                # batch's commit); records go in parents first, so that is the same rule.
                result = _apply_in(session, data, keys, now, lookup_device, careful, defer_foreign_keys=False)
                session.flush()
            return result
        except IntegrityError as error:
            failure = error
        except PackageRefused as refusal:
            return refusal
        except (DBAPIError, MemoryError):
            raise  # the store itself failed (a full disk, a lost connection): the whole batch stops
        except Exception as error:  # the boundary: this package is refused, the batch goes on
            _log.exception("import: a package could not be applied (%s)", type(error).__name__)
            return PackageRefused(RefusalReason.UNEXPECTED, type(error).__name__)
    return PackageRefused(RefusalReason.MISSING_REFERENCE, type(failure.orig).__name__)


def _apply_package(
    store: SessionSource,
    data: bytes,
    keys: DeviceKeys,
    now: dt.datetime,
    lookup_device: Callable[[str], TrustedDevice | None] | None,
    careful: bool,
) -> ApplyResult:
    with store.session(actor="synchronisatie", role="supervisor") as session:
        # The importer sets versions itself: the journal listener must not renumber them, and
        # the supervisor does not send these records on.
        session.info["journal"] = False
        lookup = lookup_device or device_lookup(session)
        return _apply_in(session, data, keys, now, lookup, careful, defer_foreign_keys=True)


def _apply_in(
    session: Session,
    data: bytes,
    keys: DeviceKeys,
    now: dt.datetime,
    lookup_device: Callable[[str], TrustedDevice | None],
    careful: bool,
    defer_foreign_keys: bool,
) -> ApplyResult:
    opened: OpenedPackage = open_package(data, keys=keys, lookup_device=lookup_device)
    header = opened.header
    # The wall clock, not `now` (which callers may set to record an import time of their own).
    if header.created_at > utcnow() + FUTURE_TOLERANCE:
        raise PackageRefused(RefusalReason.FROM_THE_FUTURE, f"created {header.created_at.isoformat()}")
    connection = session.connection()
    previous = connection.execute(
        _previous_query(), {"device_id": header.device_id, "sequence": header.sequence}
    ).first()
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
    if defer_foreign_keys:
        # Within the package, parents and children may come in any order; check at commit.
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    results: dict[str, int] = {_APPLIED: 0, _CONFLICT: 0, _SUPERSEDED: 0}
    known = _prefetch(session, records)
    if careful:
        _hold_back(session, records, known)
    writes = _Writes()
    # One flush at the end instead of one per lookup: the lookups were all done above.
    with session.no_autoflush:
        for record in records:
            results[
                _apply_record(session, known, writes, record, header.device_id, header.sequence, now)
            ] += 1
    _write(connection, writes)
    conflicts, superseded = results[_CONFLICT], results[_SUPERSEDED]
    if conflicts:
        outcome = OUTCOME_CONFLICT
    elif records and superseded == len(records):
        outcome = OUTCOME_DUPLICATE  # every record already came here in a newer package
    else:
        outcome = OUTCOME_IMPORTED
    connection.execute(
        _insert(ImportedPackage.__tablename__),
        {
            "device_id": header.device_id,
            "sequence": header.sequence,
            "content_hash": header.content_hash,
            "created_at": header.created_at,
            "imported_at": now,
            "outcome": outcome,
            "record_count": len(records),
            "conflict_count": conflicts,
        },
    )
    return ApplyResult(
        outcome, header.device_id, header.sequence, header.content_hash, len(records), conflicts, superseded
    )
