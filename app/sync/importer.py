"""The supervisor side: verify, decrypt, validate and apply one package in one transaction.

Everything that can refuse a package is checked before the first write, and the writes happen in
one transaction with foreign keys checked at commit, so a package is applied entirely or not at all.
A record edited from an older version than the one here is never overwritten: both versions are
kept in sync_conflict with the differences field by field.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from sqlalchemy import Connection, bindparam, delete, insert, select, text, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from app.models.base import Base, utcnow
from app.models.journal import ACTION_CREATE, ACTION_DELETE, ACTION_UPDATE, AuditEntry
from app.models.sync_state import PEER_DEVICE, ImportedPackage, RecordOrigin, SyncConflict, SyncPeer
from app.sync.envelope import OpenedPackage, PackageHeader, TrustedDevice, open_package
from app.sync.errors import PackageRefused, RefusalReason
from app.sync.incoming import (
    SUPPORTED_SCHEMAS,
    IncomingRecord,
    Key,
    Known,
    hold_back,
    prefetch,
    table_position,
    validate_payload,
)
from app.sync.keys import DeviceKeys, PublicKeys
from app.sync.lifecycle import adopted_change_problem
from app.sync.records import differences, fields_of, serialise

__all__ = ["SUPPORTED_SCHEMAS", "IncomingRecord", "Key", "validate_payload"]

_log = logging.getLogger(__name__)
# A device's clock may run somewhat ahead; a package made later than this after our "now" is refused.
FUTURE_TOLERANCE = dt.timedelta(hours=24)


OUTCOME_IMPORTED = "imported"
OUTCOME_DUPLICATE = "duplicate"
OUTCOME_CONFLICT = "conflict"
OUTCOME_REFUSED = "refused"
ACTION_IMPORTED = "gesynchroniseerd"
_APPLIED, _CONFLICT, _SUPERSEDED = "applied", "conflict", "superseded"


class SessionSource(Protocol):
    def session(self, actor: str = ..., role: str = ...) -> Any: ...


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
    known: Known,
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
    if record.deleted and local is not None:
        # Devices delete only to erase a person (AVG, app/services/maintenance/erase.py): the tombstone
        # wins over a later change here and over an open conflict, whose two versions hold their data.
        session.execute(
            delete(SyncConflict).where(
                SyncConflict.entity_type == record.table, SyncConflict.entity_id == record.id
            )
        )
        known.open_conflicts.discard(key)
        session.delete(local)
        _audit(writes, ACTION_DELETE, record, device_id, now)
        writes.origins.append(
            {"entity_type": record.table, "entity_id": record.id, "device_id": device_id,
             "sequence": sequence, "version": record.version, "arrived_at": now}
        )  # fmt: skip
        return _APPLIED
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
        # A record edited from an older version than ours, or one already in conflict, is kept aside;
        # so is a change to an adopted PIP version or to the term start (app/sync/lifecycle.py).
        if (
            local.version > record.base_version
            or key in known.open_conflicts
            or adopted_change_problem(record.table, local_data, None if record.deleted else record.raw)
        ):
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


def _lock_streams(connection: Connection, devices: list[str]) -> None:
    """Several workstations on one team database (issue 18): a lock per device stream, taken in one
    order, keeps two copies of a package from colliding or deadlocking; other streams go on."""
    if connection.dialect.name != "postgresql":
        return
    for device in sorted(set(devices)):
        connection.execute(_stream_lock(), {"stream": f"wegwijs-import:{device}"})


@cache
def _stream_lock() -> Any:
    return text("SELECT pg_advisory_xact_lock(hashtextextended(:stream, 0))")


@cache
def _insert(table: str) -> Any:
    return insert(Base.metadata.tables[table])


@cache
def _origin_upsert(dialect: str = "sqlite") -> Any:
    # The newest arrival per record; SQLite and PostgreSQL (issue 18) spell it alike, in their dialects.
    make = postgresql_insert if dialect == "postgresql" else sqlite_insert
    origin = make(Base.metadata.tables[RecordOrigin.__tablename__])
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
    order = table_position()
    for table in sorted(writes.inserts, key=lambda name: order.get(name, 0)):
        connection.execute(_insert(table), writes.inserts[table])
    if writes.origins:
        connection.execute(_origin_upsert(connection.dialect.name), writes.origins)
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


@dataclass(frozen=True)
class _Prepared:
    """A package opened and checked once for a batch: its header, and its records or why not."""

    header: PackageHeader
    records: list[IncomingRecord] | None
    refusal: PackageRefused | None  # the payload's refusal: given after the duplicate check


# Records per batch applied together: the lookups' IN lists stay far within SQLite's parameter limit.
_TOGETHER_RECORDS = 4000


def apply_packages(
    store: SessionSource,
    packages: Sequence[bytes],
    keys: DeviceKeys,
    now: dt.datetime | None = None,
    lookup_device: Callable[[str], TrustedDevice | None] | None = None,
) -> list[ApplyResult | PackageRefused]:
    """Apply several packages in one transaction, each still all or nothing: a refused one leaves
    nothing behind and the others go in, and the batch costs one commit instead of one per package.
    The result for each package, in order: what it applied, or why it was refused. Nothing is
    committed until all are done, so the caller writes receipts only after this returns.

    The common case, packages whose records are all new here, goes in together: the lookups for the
    whole batch in three queries and one multi-row INSERT per table, inside one SAVEPOINT. If the
    store refuses that (a unique rule, a missing parent), or for every other package, each package is
    applied in its own SAVEPOINT as before."""
    now = now or utcnow()
    with store.session(actor="synchronisatie", role="supervisor") as session:
        session.info["journal"] = False
        lookup = lookup_device or device_lookup(session)
        durable = _durable_commit(session, True)
        _begin(session)
        prepared = [_prepare(data, keys, lookup) for data in packages]
        together = _apply_together(session, prepared, now)
        results: list[ApplyResult | PackageRefused] = []
        for index, data in enumerate(packages):
            ready = prepared[index]
            if index in together:
                results.append(together[index])
            elif isinstance(ready, PackageRefused):
                results.append(ready)
            else:
                results.append(_apply_in_savepoint(session, data, keys, now, lookup, ready))
        if durable:
            session.commit()
            _durable_commit(session, False)
    return results


def _durable_commit(session: Session, on: bool) -> bool:
    """Receipts and the emptied inbox follow this commit, so on SQLite (WAL, NORMAL: a power cut may
    lose the last commit) it syncs the log, one fsync per batch; PostgreSQL's commit is durable."""
    if (connection := session.connection()).dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA synchronous = {'FULL' if on else 'NORMAL'}")
    return connection.dialect.name == "sqlite"


def _begin(session: Session) -> None:
    """An explicit BEGIN: the driver opens a transaction only before a write, and a SAVEPOINT outside
    a transaction would commit on its RELEASE (one commit per package after all)."""
    connection = session.connection()
    driver = connection.connection.driver_connection
    if driver is not None and not getattr(driver, "in_transaction", True):
        connection.exec_driver_sql("BEGIN")


def _prepare(
    data: bytes, keys: DeviceKeys, lookup: Callable[[str], TrustedDevice | None]
) -> _Prepared | PackageRefused:
    """Open, date-check and validate one package, inside its own boundary."""
    try:
        header = _opened_header(opened := open_package(data, keys=keys, lookup_device=lookup))
        try:
            return _Prepared(header, validate_payload(opened.payload), None)
        except PackageRefused as refusal:
            return _Prepared(header, None, refusal)
    except PackageRefused as refusal:
        return refusal
    except (DBAPIError, MemoryError):
        raise
    except Exception as error:  # the boundary: this package is refused, the batch goes on
        _log.exception("import: a package could not be opened (%s)", type(error).__name__)
        return PackageRefused(RefusalReason.UNEXPECTED, type(error).__name__)


def _opened_header(opened: OpenedPackage) -> PackageHeader:
    # The wall clock, not `now` (which callers may set to record an import time of their own).
    if opened.header.created_at > utcnow() + FUTURE_TOLERANCE:
        raise PackageRefused(RefusalReason.FROM_THE_FUTURE, f"created {opened.header.created_at.isoformat()}")
    return opened.header


def _apply_together(
    session: Session, prepared: Sequence[_Prepared | PackageRefused], now: dt.datetime
) -> dict[int, ApplyResult]:
    """The packages of a batch that only bring new records, applied in one go (see apply_packages);
    {} when there are none or the store refused them together."""
    chosen: dict[int, _Prepared] = {}
    keys_seen: set[Key] = set()
    sequences: set[tuple[str, int]] = set()
    count = 0
    for index, ready in enumerate(prepared):
        if not isinstance(ready, _Prepared) or ready.records is None:
            continue
        own = {(r.table, r.id) for r in ready.records}
        number = (ready.header.device_id, ready.header.sequence)
        if own & keys_seen or number in sequences or count + len(own) > _TOGETHER_RECORDS:
            continue  # a record in two packages of one batch: those go one by one, in order
        chosen[index] = ready
        keys_seen |= own
        sequences.add(number)
        count += len(own)
    if not chosen:
        return {}
    table = Base.metadata.tables[ImportedPackage.__tablename__]
    connection = session.connection()
    seen_before = {
        (device_id, sequence)
        for device_id, sequence in connection.execute(
            select(table.c.device_id, table.c.sequence).where(
                tuple_(table.c.device_id, table.c.sequence).in_(sorted(sequences))
            )
        )
    }
    chosen = {i: r for i, r in chosen.items() if (r.header.device_id, r.header.sequence) not in seen_before}
    records = [record for ready in chosen.values() for record in ready.records or []]
    known = prefetch(session, records)
    for index, ready in list(chosen.items()):
        device = ready.header.device_id
        for record in ready.records or []:
            key = (record.table, record.id)
            assigned = known.assigned.get(key)
            if key in known.records or key in known.origins or (assigned is not None and assigned != device):
                del chosen[index]  # something of it is here already: weighed one by one
                break
    if not chosen:
        return {}
    writes = _Writes()
    imported: list[dict[str, Any]] = []
    results: dict[int, ApplyResult] = {}
    try:
        with session.begin_nested(), session.no_autoflush:
            # Asked for again inside: the SAVEPOINT is emitted when the nested transaction first
            # takes the connection (a connection taken before would run outside the savepoint).
            connection = session.connection()
            _lock_streams(connection, [ready.header.device_id for ready in chosen.values()])
            for index, ready in chosen.items():
                header, brought = ready.header, ready.records or []
                for record in brought:
                    _apply_record(session, known, writes, record, header.device_id, header.sequence, now)
                imported.append(_imported_row(header, now, OUTCOME_IMPORTED, len(brought), 0))
                results[index] = ApplyResult(
                    OUTCOME_IMPORTED, header.device_id, header.sequence, header.content_hash, len(brought)
                )
            _write(connection, writes)
            connection.execute(_insert(ImportedPackage.__tablename__), imported)
    except IntegrityError:
        return {}  # rolled back to the savepoint: each package goes on its own
    return results


def _imported_row(
    header: PackageHeader, now: dt.datetime, outcome: str, records: int, conflicts: int
) -> dict[str, Any]:
    return {
        "device_id": header.device_id,
        "sequence": header.sequence,
        "content_hash": header.content_hash,
        "created_at": header.created_at,
        "imported_at": now,
        "outcome": outcome,
        "record_count": records,
        "conflict_count": conflicts,
    }


def _apply_in_savepoint(
    session: Session,
    data: bytes,
    keys: DeviceKeys,
    now: dt.datetime,
    lookup_device: Callable[[str], TrustedDevice | None],
    prepared: _Prepared | None = None,
) -> ApplyResult | PackageRefused:
    for careful in (False, True):
        try:
            with session.begin_nested():
                # Foreign keys are checked per statement here (a deferred check would wait for the
                # batch's commit); records go in parents first, so that is the same rule.
                result = _apply_in(
                    session,
                    data,
                    keys,
                    now,
                    lookup_device,
                    careful,
                    defer_foreign_keys=False,
                    prepared=prepared,
                )
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
    prepared: _Prepared | None = None,
) -> ApplyResult:
    opened: OpenedPackage | None = None
    if prepared is None:
        opened = open_package(data, keys=keys, lookup_device=lookup_device)
        header = _opened_header(opened)
    else:
        header = prepared.header
    connection = session.connection()
    _lock_streams(connection, [header.device_id])
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
    if prepared is None:
        assert opened is not None
        records = validate_payload(opened.payload)
    elif prepared.records is None:
        raise prepared.refusal or PackageRefused(RefusalReason.INVALID_PAYLOAD)
    else:
        records = prepared.records
    if defer_foreign_keys and connection.dialect.name == "sqlite":
        # Within the package, parents and children may come in any order; check at commit. (In
        # PostgreSQL the new rows are inserted parents first, `_write`, and checked per statement.)
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    results: dict[str, int] = {_APPLIED: 0, _CONFLICT: 0, _SUPERSEDED: 0}
    known = prefetch(session, records)
    if careful:
        hold_back(session, records, known)
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
        _insert(ImportedPackage.__tablename__), _imported_row(header, now, outcome, len(records), conflicts)
    )
    return ApplyResult(
        outcome, header.device_id, header.sequence, header.content_hash, len(records), conflicts, superseded
    )
