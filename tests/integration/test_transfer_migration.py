"""Revision 0012_transfer on SQLite and on PostgreSQL: existing cases keep their data and stay open
(no moved_to, moved_on, moved_from or transfer_id); down again, the data is still there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, inspect, text

from app.models.store import alembic_config

CLIENT_ID = "0123456789abcdef0123456789abcdef"
CASE_ID = "fedcba9876543210fedcba9876543210"


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        made = create_engine(f"sqlite:///{tmp_path / 'verhuizing.db'}")
    else:
        server = request.getfixturevalue("postgres")
        user, password, database = server.new_database()
        made = create_engine(server.url(user, password, database))
    yield made
    made.dispose()


def migrate(engine: Engine, how: str, target: str) -> None:
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        getattr(command, how)(config, target)


def case_columns(engine: Engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("client_case")}


def test_upgrade_keeps_cases_open_and_downgrade_keeps_them(engine: Engine) -> None:
    migrate(engine, "upgrade", "0011_progress_records")
    uuid_of = (
        (lambda h: h)
        if engine.dialect.name == "sqlite"
        else (lambda h: f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    )
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO client (id, version, created_at, updated_at, v_nummer, family_name,"
                " given_names, birth_date, languages, target_group) VALUES (:id, 1, :at, :at,"
                " '1000000001', 'Haddad', 'Rania', '1990', '[]', 'asiel')"
            ),
            {"id": uuid_of(CLIENT_ID), "at": dt.datetime(2025, 1, 1, 10)},
        )
        connection.execute(
            text(
                "INSERT INTO client_case (id, version, created_at, updated_at, client_id, municipality,"
                " huisvestingsdatum) VALUES (:id, 1, :at, :at, :client, 'Utrecht', :housed)"
            ),
            {
                "id": uuid_of(CASE_ID),
                "client": uuid_of(CLIENT_ID),
                "at": dt.datetime(2025, 1, 1, 10),
                "housed": dt.date(2025, 1, 6),
            },
        )
    migrate(engine, "upgrade", "0012_transfer")
    assert {"moved_to", "moved_on", "moved_from", "transfer_id"} <= case_columns(engine)
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT municipality, huisvestingsdatum, moved_to, moved_on, moved_from, transfer_id"
                " FROM client_case"
            )
        ).one()
    assert row[0] == "Utrecht" and str(row[1]) == "2025-01-06"
    assert tuple(row[2:]) == (None, None, None, None)

    migrate(engine, "downgrade", "0011_progress_records")
    assert not {"moved_to", "moved_on", "moved_from", "transfer_id"} & case_columns(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT municipality FROM client_case")).scalar_one() == "Utrecht"
        assert connection.execute(text("SELECT family_name FROM client")).scalar_one() == "Haddad"
