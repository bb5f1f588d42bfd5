"""`unless_empty_list` (app/models/sealed.py): the caseload opens only the sealed lists that hold
something. On SQLite the lists are plain JSON; in the team store (PostgreSQL) each one is sealed,
and the empty one is told apart by its length in the query, without opening it (issue 18)."""

from __future__ import annotations

from typing import Any

import nacl.utils
from sqlalchemy import JSON, Column, Integer, MetaData, Table, create_engine, select, type_coerce
from sqlalchemy.engine import Engine

from app.models.sealed import TEAM_KEY_ATTRIBUTE, SealedJSON, is_sealed, unless_empty_list

LISTS: list[list[Any]] = [
    [],
    [0],
    [{}],
    [{"months": 6, "days": 0, "reason": "ziek"}],
    [{"kind": "ontheffing", "decided_on": "2026-03-01", "parts": []}],
]


def _read_back(engine: Engine) -> tuple[list[Any], list[Any]]:
    table = Table("lists", MetaData(), Column("id", Integer, primary_key=True), Column("entries", SealedJSON))
    table.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(table.insert(), [{"id": i, "entries": entries} for i, entries in enumerate(LISTS)])
    with engine.connect() as connection:
        order = table.c.id
        stored = list(
            connection.execute(select(type_coerce(table.c.entries, JSON)).order_by(order)).scalars()
        )
        read = list(connection.execute(select(unless_empty_list(table.c.entries)).order_by(order)).scalars())
    return stored, read


def test_on_sqlite_only_the_empty_list_reads_as_null() -> None:
    stored, read = _read_back(create_engine("sqlite://"))
    assert not any(is_sealed(value) for value in stored)
    assert read == [None, *LISTS[1:]]


def test_in_the_team_store_the_sealed_empty_list_reads_as_null_and_the_others_are_opened(
    postgres: Any,
) -> None:
    user, password, database = postgres.new_database()
    engine = create_engine(postgres.url(user, password, database))
    setattr(engine.dialect, TEAM_KEY_ATTRIBUTE, nacl.utils.random(32))
    try:
        stored, read = _read_back(engine)
    finally:
        engine.dispose()
    assert all(is_sealed(value) for value in stored)  # the database holds no plain list
    assert read == [None, *LISTS[1:]]
