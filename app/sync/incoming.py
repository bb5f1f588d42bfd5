"""What an incoming package holds and what the store already has for it (supervisor side).

`validate_payload` checks every record against the local schema before anything is written;
`prefetch` reads, in a few queries, what the store already holds for the records of one package or a
whole batch (existing rows, open conflicts, origins, and the device each record is assigned to);
`hold_back` finds records that would break a unique rule. app/sync/importer.py applies them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import UniqueConstraint, bindparam, literal, select, tuple_, union_all
from sqlalchemy.orm import Session

from app.models.base import Base, SyncedAggregate
from app.models.sync_state import RecordOrigin, SyncConflict
from app.sync.assignment import CLIENT_TABLE, owning_clients
from app.sync.errors import PackageRefused, RefusalReason
from app.sync.legacy import expand_old_records
from app.sync.postgres_writes import rows_where_in_arrays
from app.sync.records import MAX_INTEGER, RecordError, deserialise, fields_of, synced_models, table_order

SUPPORTED_SCHEMAS = frozenset({1})
# The schema does not change while the program runs: the foreign-key order of the tables (which
# SQLAlchemy sorts anew on every call) and the unique rules are worked out once.
table_position = cache(table_order)


class IncomingRecord(NamedTuple):
    """One checked record of a package (a tuple: a frozen dataclass's __init__ was a tenth of the
    payload's checking, issue 15)."""

    model: type[SyncedAggregate]
    table: str
    id: uuid.UUID
    version: int
    base_version: int
    deleted: bool
    raw: dict[str, Any]
    values: dict[str, Any]


def _int(value: Any, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= MAX_INTEGER:
        raise RecordError("bad integer")
    return value


def validate_payload(payload: dict[str, Any]) -> list[IncomingRecord]:
    """Every record checked against the local schema before anything is written."""
    if payload.get("schema") not in SUPPORTED_SCHEMAS:
        raise PackageRefused(RefusalReason.INVALID_PAYLOAD, f"schema {payload.get('schema')!r}")
    items = payload.get("records")
    if not isinstance(items, list):
        raise PackageRefused(RefusalReason.INVALID_PAYLOAD, "records missing")
    items = expand_old_records(items)  # a device before issue 13 sends meetings as a list
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
    order = table_position()
    records.sort(key=lambda r: (order.get(r.table, 0), r.id.int))  # the order of str(r.id): fixed-width hex
    return records


Key = tuple[str, uuid.UUID]


@dataclass
class Known:
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


def rows_where_in(
    connection: Any,
    table: str,
    selected: tuple[str, ...],
    columns: tuple[str, ...],
    keys: list[tuple[Any, ...]],
) -> list[tuple[Any, ...]] | None:
    """The `selected` columns of `table`'s rows whose `columns` are one of `keys`, on SQLite written
    for the driver (the IN list's placeholders joined here, values and results converted by the
    columns' own processors): SQLAlchemy renders and converts an expanding IN list anew on every
    execution, a tenth of the apply. On PostgreSQL the keys go as arrays (app/sync/postgres_writes.py).
    None elsewhere: the caller's Core query."""
    dialect = connection.dialect
    if not keys:
        return None
    if dialect.name == "postgresql" and dialect.paramstyle == "pyformat":
        return rows_where_in_arrays(connection, table, selected, columns, keys)
    if dialect.name != "sqlite" or dialect.paramstyle != "qmark":
        return None
    schema = Base.metadata.tables[table].c
    binds = [schema[name].type._cached_bind_processor(dialect) for name in columns]
    results = [schema[name].type._cached_result_processor(dialect, None) for name in selected]
    names = ", ".join(f'"{name}"' for name in selected)
    if len(columns) == 1:
        where = f'"{columns[0]}" IN ({", ".join("?" * len(keys))})'
    else:
        row = "(" + ", ".join("?" * len(columns)) + ")"
        where = f"({', '.join(chr(34) + c + chr(34) for c in columns)}) IN (VALUES {', '.join([row] * len(keys))})"
    values = [
        value if convert is None else convert(value)
        for key in keys
        for value, convert in zip(key, binds, strict=True)
    ]
    found = connection.exec_driver_sql(f'SELECT {names} FROM "{table}" WHERE {where}', tuple(values))
    return [
        tuple(
            value if convert is None else convert(value) for value, convert in zip(row, results, strict=True)
        )
        for row in found
    ]


def prefetch(session: Session, records: list[IncomingRecord]) -> Known:
    by_model: dict[str, tuple[type[SyncedAggregate], list[uuid.UUID]]] = {}
    for record in records:
        by_model.setdefault(record.table, (record.model, []))[1].append(record.id)
    known = Known({}, set(), {})
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
    origins: Sequence[Any] | None = rows_where_in(
        connection,
        RecordOrigin.__tablename__,
        ("entity_type", "entity_id", "device_id", "version"),
        ("entity_type", "entity_id"),
        pairs,
    )
    if origins is None:
        origins = connection.execute(
            origin.where(tuple_(RecordOrigin.entity_type, RecordOrigin.entity_id).in_(pairs))
        ).all()
    for entity_type, entity_id, device_id, version in origins:
        known.origins[(entity_type, entity_id)] = (device_id, version)
    for key, owner in owners.items():
        came_from = known.origins.get((CLIENT_TABLE, owner) if owner is not None else key)
        if came_from is not None:
            known.assigned[key] = came_from[0]
    existing: dict[str, list[Any]] = {}
    found_ids = {
        name: rows_where_in(connection, name, ("id",), ("id",), [(i,) for i in by_model[name][1]])
        for name in tables
    }
    if all(found is not None for found in found_ids.values()):
        existing = {name: [row[0] for row in found] for name, found in found_ids.items() if found}
    else:
        parameters = {f"ids{index}": by_model[name][1] for index, name in enumerate(tables)}
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
def unique_column_sets(name: str) -> list[list[Any]]:
    table = Base.metadata.tables[name]
    sets: list[list[Any]] = [[column] for column in table.columns if column.unique and not column.primary_key]
    sets += [list(c.columns) for c in table.constraints if isinstance(c, UniqueConstraint)]
    sets += [list(index.columns) for index in table.indexes if index.unique]
    return sets


def hold_back(session: Session, records: list[IncomingRecord], known: Known) -> None:
    """Find records that would break a unique rule of the store, and everything that hangs on them."""
    for record in records:
        if record.deleted:
            continue
        table = Base.metadata.tables[record.table]
        row = {f.column.key: record.values[f.key] for f in fields_of(record.model)}
        for columns in unique_column_sets(record.table):
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
