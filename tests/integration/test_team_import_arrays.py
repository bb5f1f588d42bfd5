"""The import's statements of arrays on PostgreSQL (app/sync/postgres_writes.py, issue 18) write what
SQLAlchemy's Core INSERT writes, column by column, on the real server: sealed columns sealed, plain
ones alike to the byte, a value too long refused rather than cut, the origins' upsert keeping the
last arrival, and the batch lookups finding by one column and by two."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, insert, types
from sqlalchemy.exc import DBAPIError

import app.models.tables  # noqa: F401  (every table)
from app.models.base import Base, UtcDateTime
from app.models.sealed import TEAM_KEY_ATTRIBUTE, SealedJSON, SealedText
from app.models.sync_state import RecordOrigin
from app.sync.apply_writes import insert_many
from app.sync.postgres_writes import insert_arrays, rows_where_in_arrays

HEALTH = "rugpijn sinds de vlucht"


def _value(column: Any, index: int) -> Any:
    kind = column.type
    if index % 2 and column.nullable and not column.primary_key:
        return None  # every other row: NULL where the column allows it (JSON: its null)
    if isinstance(kind, SealedJSON):
        return {"gezondheid_toelichting": f"{HEALTH} {index}", "lijst": [1, None, "ü"]}
    if isinstance(kind, SealedText):
        return f"{HEALTH}, notitie {index}"
    if isinstance(kind, UtcDateTime):
        return dt.datetime(2026, 12, 3, 10, index, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    if isinstance(kind, types.Uuid):
        return uuid.uuid4()
    if isinstance(kind, types.JSON):
        return ["nl", {"taal": "é"}, index]
    if isinstance(kind, types.Boolean):
        return bool(index % 2)
    if isinstance(kind, types.Date):
        return dt.date(2026, 1, 1 + index)
    if isinstance(kind, types.Integer):
        return 1000 + index
    if isinstance(kind, types.LargeBinary):
        return bytes([index, 0, 255])
    assert isinstance(kind, types.String), kind
    return (f"é'\"%s{index}" * 4)[: min(kind.length or 20, 15)]


@pytest.fixture
def two_databases(postgres: Any) -> Iterator[tuple[Engine, Engine]]:
    key = secrets.token_bytes(32)
    engines = []
    for _ in range(2):
        name = f"wegwijs_arrays_{secrets.token_hex(4)}"
        postgres.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
        engine = create_engine(postgres.admin_url(name))
        setattr(engine.dialect, TEAM_KEY_ATTRIBUTE, key)
        Base.metadata.create_all(engine)
        engines.append(engine)
    yield engines[0], engines[1]
    for engine in engines:
        engine.dispose()


def test_every_table_is_written_by_arrays_as_by_the_core_insert(two_databases: tuple[Engine, Engine]) -> None:
    core, arrays = two_databases
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.c if not (c.primary_key and c.autoincrement is True)]
        rows = [{c.key: _value(c, index) for c in columns} for index in range(4)]
        for engine in (core, arrays):
            with engine.begin() as connection:
                connection.exec_driver_sql("SET session_replication_role = replica")  # no parents here
                if engine is core:
                    connection.execute(insert(table), rows)
                else:
                    assert insert_arrays(connection, table.name, rows), table.name
        order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
        as_text = ", ".join(f'"{c.name}"::text' for c in table.c)
        stored, read = [], []
        for engine in (core, arrays):
            with engine.connect() as connection:
                stored.append(
                    connection.exec_driver_sql(f'SELECT {as_text} FROM "{table.name}" ORDER BY {order}').all()
                )
                read.append(connection.execute(table.select().order_by(*table.primary_key.columns)).all())
        assert len(stored[1]) == len(rows), table.name
        assert read[0] == read[1], table.name  # read back through the models' types: the same values
        for by_core, by_arrays in zip(stored[0], stored[1], strict=True):
            for column, one, other in zip(table.c, by_core, by_arrays, strict=True):
                if isinstance(column.type, (SealedJSON, SealedText)):
                    assert (one is None) == (other is None), (table.name, column.name)
                    assert other is None or ("wegwijs-verzegeld:1:" in other and HEALTH not in other)
                elif not (column.primary_key and column.autoincrement is True):
                    assert one == other, (table.name, column.name)


def test_a_value_too_long_is_refused_not_cut(two_databases: tuple[Engine, Engine]) -> None:
    _core, arrays = two_databases
    table = Base.metadata.tables[RecordOrigin.__tablename__]
    row = {c.key: _value(c, 0) for c in table.c}
    row["device_id"] = "x" * 1000
    with pytest.raises(DBAPIError), arrays.begin() as connection:
        insert_arrays(connection, table.name, [row])
    with arrays.connect() as connection:
        assert connection.exec_driver_sql(f'SELECT count(*) FROM "{table.name}"').scalar() == 0


def test_the_origins_keep_the_last_arrival_and_the_lookups_find_them(
    two_databases: tuple[Engine, Engine],
) -> None:
    _core, arrays = two_databases
    now = dt.datetime(2026, 12, 3, 11, 0, tzinfo=dt.UTC)
    first, second = uuid.uuid4(), uuid.uuid4()

    def arrival(entity_id: uuid.UUID, device: str, version: int) -> dict[str, Any]:
        return {"entity_type": "client", "entity_id": entity_id, "device_id": device, "sequence": version,
                "version": version, "arrived_at": now}  # fmt: skip

    with arrays.begin() as connection:
        insert_many(connection, RecordOrigin.__tablename__, [arrival(first, "a", 1)], upsert=True)
        # One batch that brings `first` anew and `second` twice: the last of each wins.
        insert_many(
            connection,
            RecordOrigin.__tablename__,
            [arrival(first, "b", 2), arrival(second, "a", 1), arrival(second, "c", 3)],
            upsert=True,
        )
        found = rows_where_in_arrays(
            connection,
            RecordOrigin.__tablename__,
            ("entity_id", "device_id", "version"),
            ("entity_type", "entity_id"),
            [("client", first), ("client", second), ("household", first)],
        )
        assert sorted(found, key=lambda row: row[2]) == [(first, "b", 2), (second, "c", 3)]
        by_id = rows_where_in_arrays(
            connection, RecordOrigin.__tablename__, ("device_id",), ("entity_id",), [(second,)]
        )
        assert by_id == [("c",)]
