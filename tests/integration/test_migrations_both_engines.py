"""One Alembic history for both stores (issue 18): every migration runs up and down on SQLite (the
engine inside SQLCipher; the encrypted store's own upgrade tests are in test_migrations.py) and on a
real PostgreSQL server (tests/integration/postgres_server.py), and at the heads the schema is exactly
what the models say."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, text

import app.models.tables  # noqa: F401  (every table)
from app.models.base import Base
from app.models.store import alembic_config


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        made = create_engine(f"sqlite:///{tmp_path / 'migraties.db'}")
    else:
        server = request.getfixturevalue("postgres")
        user, password, database = server.new_database()
        made = create_engine(server.url(user, password, database))
    yield made
    made.dispose()


def revisions_oldest_first() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions("base", "heads")))]


def migrate(engine: Engine, how: str, target: str) -> None:
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        getattr(command, how)(config, target)


def applied(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}


def schema_differences(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_every_migration_goes_up_one_by_one_and_ends_at_the_models(engine: Engine) -> None:
    order = revisions_oldest_first()
    assert len(order) >= 9
    for revision in order:
        migrate(engine, "upgrade", revision)
        assert revision in applied(engine), f"{engine.dialect.name}: {revision} not recorded"
    assert schema_differences(engine) == [], engine.dialect.name
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_every_migration_goes_down_again_and_up_once_more(engine: Engine) -> None:
    migrate(engine, "upgrade", "heads")
    order = revisions_oldest_first()
    script = ScriptDirectory.from_config(alembic_config())
    linear = all(len(script.get_revision(r).nextrev) <= 1 for r in order)
    if linear:
        # One step at a time, so a broken downgrade is named.
        for revision in reversed(order):
            parent = script.get_revision(revision).down_revision
            migrate(engine, "downgrade", parent if isinstance(parent, str) else "base")
            assert revision not in applied(engine), f"{engine.dialect.name}: {revision} still applied"
    else:
        migrate(engine, "downgrade", "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine, "upgrade", "heads")
    assert schema_differences(engine) == [], engine.dialect.name


def test_data_survives_the_upgrade_on_postgresql(postgres: Any) -> None:
    """Rows written at the first revision are there, unchanged, after every later migration."""
    user, password, database = postgres.new_database()
    engine = create_engine(postgres.url(user, password, database))
    try:
        first = revisions_oldest_first()[0]
        migrate(engine, "upgrade", first)
        with engine.begin() as connection:
            columns = {c["name"] for c in inspect(connection).get_columns("household")}
            assert {"id", "label", "version"} <= columns
            connection.execute(
                text(
                    "INSERT INTO household (id, label, version, created_at, updated_at) "
                    "VALUES ('5b1f4e2a-0c3d-4d5e-8f90-1a2b3c4d5e6f', 'H-1', 1, now(), now())"
                )
            )
        migrate(engine, "upgrade", "heads")
        with engine.connect() as connection:
            label = connection.execute(text("SELECT label FROM household")).scalar_one()
        assert label == "H-1"
    finally:
        engine.dispose()
