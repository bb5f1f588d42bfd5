"""The import's inserts into the team store in PostgreSQL (issue 18): one statement per table, its
rows passed as one array per column and unpacked by the server (`INSERT … SELECT * FROM unnest(…)`).

psycopg's executemany sends a Bind and an Execute per row (pipeline mode), and the server plans and
runs each: more than half of PostgreSQL's apply. With arrays a table's rows cost one statement, the
same text for every batch (psycopg prepares it after a few executions), and a handful of parameters.

The values go through the columns' own bind processors for this dialect, as SQLAlchemy's Core path
does: the sealed columns (app/models/sealed.py) are sealed by SealedJSON and SealedText themselves,
JSON is wrapped as psycopg's Json, times become naive UTC (UtcDateTime). The arrays are cast to the
columns' base types (`varchar[]`, not `varchar(64)[]`: an explicit cast would cut a value that is too
long, where the assignment to the column refuses it, as a plain INSERT does).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from app.models.base import Base, UtcDateTime

_LENGTH = re.compile(r"\(.*?\)")


@dataclass(frozen=True)
class _ArrayPlan:
    sql: str
    names: tuple[str, ...]
    # the column's bind processor (or None), and whether equal values convert alike (a time)
    converters: tuple[tuple[Callable[[Any], Any] | None, bool], ...]
    conflict: tuple[int, ...]  # positions of the upsert's key: one row per key, the last one


def _array_type(column: Any, dialect: Any) -> str:
    return _LENGTH.sub("", column.type.compile(dialect=dialect)) + "[]"


# Per dialect: a plan holds the columns' bind processors, and a team store's dialect carries its
# team key (app/models/sealed.py), so a plan made for one store never seals for another.
_plans: weakref.WeakKeyDictionary[
    Any, dict[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], _ArrayPlan | None]
] = weakref.WeakKeyDictionary()


def _plan(
    table: str, keys: tuple[str, ...], conflict: tuple[str, ...], update: tuple[str, ...], dialect: Any
) -> _ArrayPlan | None:
    cached = (table, keys, conflict, update)
    plans = _plans.setdefault(dialect, {})
    if cached in plans:
        return plans[cached]
    columns = Base.metadata.tables[table].c
    plan: _ArrayPlan | None = None
    left_out = [c for c in columns if c.key not in keys and not (c.primary_key and c.autoincrement is True)]
    if all(key in columns for key in keys) and not any(c.default is not None for c in left_out):
        names = tuple(keys)
        quote = dialect.identifier_preparer.quote
        arrays = ", ".join(f"%(p{i})b::{_array_type(columns[name], dialect)}" for i, name in enumerate(names))
        sql = (
            f"INSERT INTO {quote(table)} ({', '.join(quote(name) for name in names)}) "
            f"SELECT * FROM unnest({arrays})"
        )
        if conflict:
            sql += f" ON CONFLICT ({', '.join(quote(name) for name in conflict)}) DO UPDATE SET " + ", ".join(
                f"{quote(name)} = excluded.{quote(name)}" for name in update
            )
        converters = tuple(
            (columns[name].type._cached_bind_processor(dialect), isinstance(columns[name].type, UtcDateTime))
            for name in names
        )
        plan = _ArrayPlan(sql, names, converters, tuple(names.index(name) for name in conflict))
    plans[cached] = plan
    return plan


def insert_arrays(
    connection: Connection,
    table: str,
    rows: list[dict[str, Any]],
    conflict: tuple[str, ...] = (),
    update: tuple[str, ...] = (),
) -> bool:
    """Insert rows that all have the same keys in one statement (an upsert on `conflict` setting
    `update` when given); False when this table's rows need the Core statement (a column left out
    has a Python-side default, or the rows' keys differ)."""
    keys = tuple(rows[0])
    plan = _plan(table, keys, conflict, update, connection.dialect)
    if plan is None or any(len(row) != len(keys) for row in rows):
        return False
    if plan.conflict:
        # ON CONFLICT DO UPDATE may touch a row once per statement; one after the other, the last won.
        last: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in rows:
            last[tuple(row[plan.names[i]] for i in plan.conflict)] = row
        rows = list(last.values())
    parameters: dict[str, list[Any]] = {}
    try:
        _fill(parameters, plan, rows)
    except KeyError:
        return False  # a row with other keys than the first
    connection.exec_driver_sql(plan.sql, parameters)
    return True


def _fill(parameters: dict[str, list[Any]], plan: _ArrayPlan, rows: list[dict[str, Any]]) -> None:
    for index, (name, (convert, memoised)) in enumerate(zip(plan.names, plan.converters, strict=True)):
        values = [row[name] for row in rows]
        if convert is not None:
            if memoised:  # a batch's rows share the import's own moment (audit, origins)
                done: dict[Any, Any] = {}
                for value in values:
                    if value not in done:
                        done[value] = convert(value)
                values = [done[value] for value in values]
            else:
                values = [convert(value) for value in values]
        parameters[f"p{index}"] = values


def rows_where_in_arrays(
    connection: Connection,
    table: str,
    selected: tuple[str, ...],
    columns: tuple[str, ...],
    keys: list[tuple[Any, ...]],
) -> list[tuple[Any, ...]]:
    """`rows_where_in` (app/sync/incoming.py) for PostgreSQL: the keys as one array per column,
    `= ANY(…)` for one column and `IN (SELECT * FROM unnest(…))` for several, so the statement's text
    is the same for every batch (SQLAlchemy renders a placeholder per key and psycopg parses them)."""
    dialect = connection.dialect
    schema = Base.metadata.tables[table].c
    quote = dialect.identifier_preparer.quote
    arrays = [f"%(k{i})b::{_array_type(schema[name], dialect)}" for i, name in enumerate(columns)]
    if len(columns) == 1:
        where = f"{quote(columns[0])} = ANY({arrays[0]})"
    else:
        where = (
            f"({', '.join(quote(name) for name in columns)}) IN (SELECT * FROM unnest({', '.join(arrays)}))"
        )
    parameters: dict[str, list[Any]] = {}
    for index, name in enumerate(columns):
        convert = schema[name].type._cached_bind_processor(dialect)
        values = [key[index] for key in keys]
        parameters[f"k{index}"] = values if convert is None else [convert(value) for value in values]
    results = [schema[name].type._cached_result_processor(dialect, None) for name in selected]
    found = connection.exec_driver_sql(
        f"SELECT {', '.join(quote(name) for name in selected)} FROM {quote(table)} WHERE {where}", parameters
    )
    if not any(results):
        return [tuple(row) for row in found]
    return [
        tuple(
            value if convert is None else convert(value) for value, convert in zip(row, results, strict=True)
        )
        for row in found
    ]
