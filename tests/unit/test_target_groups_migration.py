"""Revision 0008_target_groups: the doelgroep column gets room for "tijdelijke_bescherming"; every
existing client keeps its group."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from app.models.base import Base
from app.models.client import Client
from app.models.store import Store


def test_upgrade_keeps_groups_and_takes_the_long_ones(tmp_path: Path) -> None:
    store = Store(tmp_path / "wegwijs.db", b"g" * 32)
    try:
        store.upgrade_to("0007_case_benefit")
        with store.engine.begin() as connection:
            for number, group in (("1000000001", "asiel"), ("1000000002", "gezinsmigrant")):
                connection.exec_driver_sql(
                    "INSERT INTO client (id, version, created_at, updated_at, v_nummer, family_name, given_names,"
                    " birth_date, languages, target_group) VALUES (?, 1, '2025-01-01 10:00:00',"
                    " '2025-01-01 10:00:00', ?, 'Haddad', 'Rania', '1990', '[]', ?)",
                    (number + "0" * 22, number, group),
                )
        store.upgrade_to("0008_target_groups")
        assert store.current_revisions() == {"0008_target_groups"}
        with store.session(actor="test") as session:
            groups = {c.v_nummer: c.target_group for c in session.scalars(select(Client))}
            assert groups == {"1000000001": "asiel", "1000000002": "gezinsmigrant"}
            session.add(
                Client(
                    v_nummer="1000000003",
                    family_name="Kovalenko",
                    given_names="Olena",
                    birth_date="1985",
                    languages=["uk"],
                    target_group="tijdelijke_bescherming",
                )
            )
        with store.engine.connect() as connection:
            diffs = [
                d
                for d in compare_metadata(MigrationContext.configure(connection), Base.metadata)
                if "'client'" in repr(d) or "target_group" in repr(d)
            ]
            assert diffs == []
    finally:
        store.close()
