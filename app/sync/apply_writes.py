"""How an incoming package's records are written (supervisor side): one record weighed against what
is here (new, changed, superseded, or kept aside as a conflict), and the rows of one package or of a
whole batch written with a few statements per table. app/sync/importer.py decides what goes in
together and keeps each package all or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.models.base import Base, SyncedAggregate, UtcDateTime
from app.models.journal import ACTION_CREATE, ACTION_DELETE, ACTION_UPDATE, AuditEntry
from app.models.sync_state import ImportedPackage, RecordOrigin, SyncConflict
from app.sync.envelope import PackageHeader
from app.sync.incoming import IncomingRecord, Known, table_position
from app.sync.lifecycle import adopted_change_problem
from app.sync.postgres_writes import insert_arrays
from app.sync.records import differences, fields_of, serialise

OUTCOME_IMPORTED = "imported"
OUTCOME_DUPLICATE = "duplicate"
OUTCOME_CONFLICT = "conflict"
OUTCOME_REFUSED = "refused"
ACTION_IMPORTED = "gesynchroniseerd"
_APPLIED, _CONFLICT, _SUPERSEDED = "applied", "conflict", "superseded"


@dataclass(frozen=True)
class ApplyResult:
    outcome: str
    device_id: str
    sequence: int
    content_hash: str
    records: int = 0
    conflicts: int = 0
    superseded: int = 0
    # The receipt versions the sending device reads (its package header): batch receipts or not.
    receipt_versions: tuple[int, ...] = ()


def result_for(
    header: PackageHeader, outcome: str, records: int = 0, conflicts: int = 0, superseded: int = 0
) -> ApplyResult:
    return ApplyResult(
        outcome,
        header.device_id,
        header.sequence,
        header.content_hash,
        records,
        conflicts,
        superseded,
        header.receipt_versions,
    )


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
    # Asked only when there is anything to ask (a first import finds nothing here): hashing a
    # (table, UUID) key is Python code, run several times per record otherwise.
    origin = known.origins.get(key) if known.origins else None
    if origin is not None and origin[0] == device_id and origin[1] >= record.version:
        # An older package from the same device that arrived late (USB sticks, single files):
        # what is here already came from a newer one of its packages, so there is nothing to weigh.
        return _SUPERSEDED
    held = bool(known.held_back) and key in known.held_back
    assigned = known.assigned.get(key) if known.assigned else None
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
    local = known.records.get(key) if known.records else None
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
        row = row_of(record)
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


def row_of(record: IncomingRecord) -> dict[str, Any]:
    """The record's values by column name (its values are by attribute name, usually the same)."""
    renamed = _renamed_columns(record.model)
    if not renamed:
        return dict(record.values)
    return {renamed.get(key, key): value for key, value in record.values.items()}


_RENAMED: dict[type, dict[str, str]] = {}


def _renamed_columns(model: type[SyncedAggregate]) -> dict[str, str]:
    renamed = _RENAMED.get(model)
    if renamed is None:
        renamed = _RENAMED[model] = {f.key: f.column.key for f in fields_of(model) if f.key != f.column.key}
    return renamed


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


_ORIGIN_KEY = ("entity_type", "entity_id")
_ORIGIN_UPDATE = ("device_id", "sequence", "version", "arrived_at")


@cache
def _origin_upsert(dialect: str = "sqlite") -> Any:
    # The newest arrival per record; SQLite and PostgreSQL (issue 18) spell it alike, in their dialects.
    make = postgresql_insert if dialect == "postgresql" else sqlite_insert
    origin = make(Base.metadata.tables[RecordOrigin.__tablename__])
    return origin.on_conflict_do_update(
        index_elements=list(_ORIGIN_KEY), set_={name: origin.excluded[name] for name in _ORIGIN_UPDATE}
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
        insert_many(connection, table, writes.inserts[table])
    if writes.origins:
        insert_many(connection, RecordOrigin.__tablename__, writes.origins, upsert=True)
    if writes.audit:
        insert_many(connection, AuditEntry.__tablename__, writes.audit)


def insert_many(connection: Connection, table: str, rows: list[dict[str, Any]], upsert: bool = False) -> None:
    """Insert rows that all have the same keys. On SQLite the statement is compiled once per table
    and key set and the values converted by the columns' own bind processors, then handed to the
    driver's executemany: SQLAlchemy's per-row parameter processing was a quarter of the apply. On
    PostgreSQL one statement of arrays per table (app/sync/postgres_writes.py). Otherwise (a column
    left out has a Python-side default), the Core statement."""
    if not rows:
        return
    dialect = connection.dialect
    if dialect.name == "postgresql" and dialect.paramstyle == "pyformat":
        conflict, update = (_ORIGIN_KEY, _ORIGIN_UPDATE) if upsert else ((), ())
        if insert_arrays(connection, table, rows, conflict, update):
            return
    statement = _origin_upsert(dialect.name) if upsert else _insert(table)
    plan = _driver_plan(table, tuple(rows[0]), upsert, dialect) if dialect.name == "sqlite" else None
    if plan is None or any(len(row) != len(plan.keys) for row in rows):
        connection.execute(statement, rows)
        return
    take, converted = plan.take, plan.converted
    values = [take(row) for row in rows]  # a tuple per row, in the statement's order (C speed)
    if converted:
        changed = [list(row) for row in values]
        for position, convert, memoised in converted:
            if memoised:  # a time: a batch's rows share the import's own moment (audit, origins)
                done: dict[Any, Any] = {}
                for row in changed:
                    value = row[position]
                    if value not in done:
                        done[value] = convert(value)
                    row[position] = done[value]
            else:
                for row in changed:
                    row[position] = convert(row[position])
        values = [tuple(row) for row in changed]
    connection.exec_driver_sql(plan.sql, values)


@dataclass(frozen=True)
class _DriverPlan:
    sql: str
    keys: tuple[str, ...]
    take: Callable[[dict[str, Any]], Any]  # a row's values in the statement's order
    # (position, bind processor, same value same result: a time) where the column has a processor
    converted: tuple[tuple[int, Callable[[Any], Any], bool], ...]


_plans: dict[tuple[str, tuple[str, ...], bool, str], _DriverPlan | None] = {}


def _driver_plan(table: str, keys: tuple[str, ...], upsert: bool, dialect: Any) -> _DriverPlan | None:
    cached = (table, keys, upsert, dialect.name)
    if cached in _plans:
        return _plans[cached]
    columns = Base.metadata.tables[table].c
    plan: _DriverPlan | None = None
    left_out = [c for c in columns if c.key not in keys and not (c.primary_key and c.autoincrement is True)]
    defaults = any(c.default is not None for c in left_out)
    if not defaults and all(key in columns for key in keys) and dialect.paramstyle == "qmark":
        statement = _origin_upsert(dialect.name) if upsert else _insert(table)
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        names = tuple(compiled.positiontup or ())
        if sorted(names) == sorted(keys):
            processors = [_bind_processor(columns[name].type, dialect) for name in names]
            converted = tuple(
                (i, convert, _is_time(columns[names[i]].type))
                for i, convert in enumerate(processors)
                if convert is not None
            )
            take = itemgetter(*names) if len(names) > 1 else (lambda row, name=names[0]: (row[name],))
            plan = _DriverPlan(compiled.string, keys, take, converted)
    _plans[cached] = plan
    return plan


def _bind_processor(column_type: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """The column's own bind processor; for a UTC time on SQLite the same text made by datetime's own
    isoformat, once it has been seen to give what the processor gives (the processor is a chain of
    Python calls: a tenth of the import's CPU time went to the times of its rows, issue 15)."""
    convert = column_type._cached_bind_processor(dialect)
    if convert is None or not isinstance(column_type, UtcDateTime):
        return convert
    probes = [
        dt.datetime(2026, 3, 29, 1, 59, 59, 999999, dt.UTC),
        dt.datetime(1999, 12, 31, 23, 0, tzinfo=_AMSTERDAM),
    ]
    if all(convert(probe) == _utc_text(probe) for probe in probes) and convert(None) is None:
        return _utc_text
    return convert


_AMSTERDAM = dt.timezone(dt.timedelta(hours=1))


def _utc_text(value: dt.datetime | None) -> str | None:
    """How SQLite stores a UtcDateTime (naive UTC, microseconds): UtcDateTime's rules, datetime's C."""
    if value is None:
        return None
    zone = value.tzinfo
    if zone is None:
        raise ValueError("Tijdstempels moeten een tijdzone hebben (UTC).")
    if zone is not dt.UTC:  # most are UTC already (packages carry UTC)
        value = value.astimezone(dt.UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


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


def _is_time(column_type: Any) -> bool:
    # Only UtcDateTime: equal instants in two zones compare equal and are stored alike (in UTC);
    # a plain DateTime would store their wall-clock times, which differ.
    return isinstance(column_type, UtcDateTime)
