"""Demo data as plain rows: one compiled INSERT per table per batch instead of ORM objects.

The demo fillers (app/services/demo.py, app/services/intake/demo.py, app/services/pip/demo.py) add
rows here; `write` inserts them with one executemany per table and adds the change-journal and audit
lines that the journal listener (app/models/journal.py) writes for new records, in the same order.
A 50,000-client demo spent most of its time in SQLAlchemy's unit of work (issue 15).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Connection, Table, insert
from sqlalchemy.orm import Session

from app.domain.dates import PartialDate
from app.models.base import Base, utcnow
from app.models.client import Client
from app.models.journal import ACTION_CREATE, AuditEntry, ChangeJournalEntry

Row = dict[str, Any]
_LEFT_OUT = object()


@cache
def _columns(table: Table) -> tuple[tuple[str, Callable[[], Any] | None, bool], ...]:
    """(column, its default or None, whether None is a value of its own) per column."""
    found = []
    for column in table.columns:
        default: Callable[[], Any] | None = None
        # `updated_at` is the moment of the write, set by `write` for the whole batch.
        if column.default is not None and column.key != "updated_at":
            arg = column.default.arg  # type: ignore[attr-defined]
            if column.default.is_callable:  # SQLAlchemy wraps a plain callable to take a context
                default = lambda arg=arg: arg(None)  # noqa: E731
            else:
                default = lambda arg=arg: arg  # noqa: E731
        found.append((column.key, default, bool(column.type.should_evaluate_none)))
    return tuple(found)


@cache
def _table_order() -> dict[Table, int]:
    return {table: index for index, table in enumerate(Base.metadata.sorted_tables)}


class DemoRows:
    """The rows of one demo batch, per table in the order they were made."""

    def __init__(self, actor: str, role: str, journal: bool = True) -> None:
        self._actor, self._role, self._journal = actor, role, journal
        self._rows: dict[Table, list[Row]] = {}
        self._made: list[tuple[str, uuid.UUID]] = []

    @classmethod
    def for_session(cls, session: Session) -> DemoRows:
        info = session.info
        return cls(info.get("actor", "systeem"), info.get("role", ""), info.get("journal", True))

    def add(self, model: type[Base], **values: Any) -> Row:
        """A new record's full row, as the ORM would insert it: a column left out or given as None
        gets its default (as the ORM does), version 1. Change the returned dict until `write`."""
        table = model.__table__
        assert isinstance(table, Table)
        row: Row = {}
        for key, default, none_is_value in _columns(table):
            value = values.pop(key, _LEFT_OUT)
            if value is _LEFT_OUT or (value is None and not none_is_value):
                # Left out, or None where None means "not set" (the ORM then leaves the column out):
                # the column's default. A JSON column given None keeps it (JSON null, as in the ORM).
                value = default() if default is not None else None
            row[key] = value
        if values:
            raise TypeError(f"{table.name} has no column {sorted(values)}")
        row["version"] = 1
        self._rows.setdefault(table, []).append(row)
        self._made.append((table.name, row["id"]))
        return row

    def write(self, connection: Connection) -> None:
        """Insert what was added since the last write (tables in foreign-key order), journal and audit
        lines included, on the caller's transaction."""
        now = utcnow()
        insert_rows = _plain_insert if connection.dialect.name == "sqlite" else _core_insert
        for table in sorted(self._rows, key=_table_order().__getitem__):
            rows = self._rows[table]
            stamped = "created_at" in rows[0]
            if stamped:
                for row in rows:
                    row["created_at"] = row["created_at"] or now
            changed = "updated_at" in rows[0]
            keys = tuple(key for key in rows[0] if key != "updated_at")
            insert_rows(
                connection, table, keys, [[row[key] for key in keys] for row in rows], _now(changed, now)
            )
        if self._made and self._journal:
            # A list per insert: an insert may process the values in place.
            made = [[name, entity_id] for name, entity_id in self._made]
            journal = {"operation": "insert", "version": 1, "base_version": 0, "changed_at": now}
            journal.update(actor=self._actor, sync_state="pending")
            insert_rows(connection, ChangeJournalEntry.__table__, ("entity_type", "entity_id"), made, journal)
            audit = {
                "at": now,
                "actor": self._actor,
                "role": self._role,
                "action": ACTION_CREATE,
                "detail": "",
            }
            made = [[name, entity_id] for name, entity_id in self._made]
            insert_rows(connection, AuditEntry.__table__, ("entity_type", "entity_id"), made, audit)
        self._rows.clear()
        self._made.clear()


def _now(changed: bool, now: dt.datetime) -> Row:
    return {"updated_at": now} if changed else {}


def _core_insert(
    connection: Connection, table: Any, keys: tuple[str, ...], rows: list[list[Any]], same: Row
) -> None:
    """One compiled INSERT (executemany) with SQLAlchemy's own parameter processing per row."""
    connection.execute(insert(table), [dict(zip(keys, values, strict=True), **same) for values in rows])


@cache
def _plain_plan(
    table: Table, keys: tuple[str, ...], same: tuple[str, ...], dialect: Any
) -> tuple[str, tuple[Any, ...]]:
    """The INSERT statement (qmark) for the columns `keys` then `same`, and each column's bind
    processor (None: the value goes as it is): what SQLAlchemy would apply to each parameter."""
    quote = dialect.identifier_preparer.quote
    columns = [table.columns[key] for key in (*keys, *same)]
    statement = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(table.name), ", ".join(quote(column.name) for column in columns), ", ".join("?" * len(columns))
    )
    return statement, tuple(column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns)


def _plain_insert(
    connection: Connection, table: Any, keys: tuple[str, ...], rows: list[list[Any]], same: Row
) -> None:
    """The same INSERT as `_core_insert` (`rows` processed in place), on SQLite, without SQLAlchemy's work per row (issue 15):
    each column's bind processor (the one SQLAlchemy uses) on each value, the values that are the same
    for every row (`same`: the moment of writing, the actor) processed once, then one executemany."""
    statement, processors = _plain_plan(table, keys, tuple(same), connection.dialect)
    tail = [
        value if process is None else process(value)
        for process, value in zip(processors[len(keys) :], same.values(), strict=True)
    ]
    varying = [
        (index, process) for index, process in enumerate(processors[: len(keys)]) if process is not None
    ]
    for values in rows:
        for index, process in varying:
            values[index] = process(values[index])
        values.extend(tail)
    connection.exec_driver_sql(statement, [tuple(values) for values in rows])


@dataclass
class DemoClient:
    """What the fillers read of a demo client: its row, its case's row and its household's members
    (rows, this client included; None without a household). A filler may leave what the next one
    needs (the intake filler: `intake`, the row of the intake it made)."""

    row: Row
    case: Row | None
    members: list[Row] | None
    intake: Row | None = field(default=None)

    @property
    def id(self) -> uuid.UUID:
        value: uuid.UUID = self.row["id"]
        return value

    @classmethod
    def of(cls, client: Client) -> DemoClient:
        """The view of a stored client (a filler called on its own, as some tests do)."""

        def row(record: Base | None) -> Row | None:
            if record is None:
                return None
            table = record.__table__
            assert isinstance(table, Table)
            return {column.key: getattr(record, column.key) for column in table.columns}

        members = [row(m) for m in client.household.members] if client.household is not None else None
        return cls(row(client) or {}, row(client.case), members)  # type: ignore[arg-type]


def display_name(client: Row) -> str:
    """As `Client.display_name`."""
    return f"{client['given_names']} {client['family_name']}".strip()


def age_on(client: Row, day: dt.date) -> int:
    return PartialDate.parse(client["birth_date"]).age_on(day)


def write_for_session(session: Session, fill: Callable[[DemoRows], None]) -> None:
    """Run a filler on its own for a stored client: its rows go in on the session's transaction."""
    session.flush()
    rows = DemoRows.for_session(session)
    fill(rows)
    rows.write(session.connection())
