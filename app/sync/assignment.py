"""Which device a record belongs to on the supervisor's side.

A client is assigned to the device whose packages brought it (its `sync_record_origin` row, kind
`client`); every record that hangs on that client (case, intake, intake sessions, PIP, PIP versions)
belongs to the same device, found by following the foreign keys up to the client. A record without
a path to a client (a household) belongs to the device it came from. A device may change only what
belongs to it: the importer keeps another device's change as a conflict. Reassigning a client means
changing its origin row (the supervisor's reassignment does that, not this module).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.base import Base

CLIENT_TABLE = "client"
Key = tuple[str, uuid.UUID]


class Incoming(Protocol):
    @property
    def table(self) -> str: ...

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def deleted(self) -> bool: ...

    @property
    def values(self) -> dict[str, Any]: ...


@cache
def client_path(table: str) -> tuple[tuple[str, str, str], ...] | None:
    """The foreign keys from `table` up to the client, as (attribute, column, parent table) steps:
    () for the client itself, None for a table with no path to a client."""
    if table == CLIENT_TABLE:
        return ()
    schema = Base.metadata.tables[table]
    for fk in sorted(schema.foreign_keys, key=lambda fk: fk.parent.name):
        parent = fk.column.table.name
        if parent == table:
            continue
        rest = client_path(parent)
        if rest is not None:
            return ((_attribute(table, fk.parent.key), fk.parent.key, parent), *rest)
    return None


@cache
def _attribute(table: str, column: str) -> str:
    """The mapped attribute of a column (records carry attribute names)."""
    from app.sync.records import fields_of, synced_models

    model = synced_models().get(table)
    if model is not None:
        for field in fields_of(model):
            if field.column.key == column:
                return field.key
    return column


def owning_clients(session: Session, records: Iterable[Incoming]) -> dict[Key, uuid.UUID | None]:
    """For each record, the id of the client it belongs to (None: no client; see the module text).

    Parents in the same package are followed there; others are read from the store, one query
    per step that needs it (none in the common case: a new client comes with its records)."""
    records = list(records)
    in_package: Mapping[Key, Incoming] = {(r.table, r.id): r for r in records}
    owners: dict[Key, uuid.UUID | None] = {}
    for record in records:
        owners[(record.table, record.id)] = _owner(session, record.table, record.id, record, in_package)
    return owners


def _owner(
    session: Session,
    table: str,
    record_id: uuid.UUID,
    record: Incoming | None,
    in_package: Mapping[Key, Incoming],
) -> uuid.UUID | None:
    path = client_path(table)
    if path is None:
        return None
    current_table, current_id, current = table, record_id, record
    for attribute, column, parent in path:
        value: Any = None
        if current is not None and not current.deleted:
            value = current.values.get(attribute)
        else:
            schema = Base.metadata.tables[current_table]
            value = session.execute(select(schema.c[column]).where(schema.c.id == current_id)).scalar()
        if value is None:
            return None
        parent_id = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
        current_table, current_id = parent, parent_id
        current = in_package.get((parent, parent_id))
    return current_id
