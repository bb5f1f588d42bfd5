"""Revision 0005_household_label: households keep their members, and two COA lists may both use
the label "1" afterwards."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from app.models.base import Base
from app.models.client import Client, Household
from app.models.store import Store


def test_upgrade_keeps_households_and_allows_a_label_twice(tmp_path: Path) -> None:
    store = Store(tmp_path / "wegwijs.db", b"h" * 32)
    try:
        store.upgrade_to("0004_pip")
        with store.session(actor="test") as session:
            household = Household(label="1")
            session.add(household)
            session.add_all(
                [
                    Client(
                        v_nummer="1000000001",
                        family_name="Ahmadi",
                        given_names="Ali",
                        birth_date="1980",
                        household=household,
                        languages=["fa_AF"],
                    ),
                    Client(
                        v_nummer="1000000002",
                        family_name="Ahmadi",
                        given_names="Sara",
                        birth_date="1984-05",
                        household=household,
                        languages=["fa_AF"],
                    ),
                ]
            )
        store.upgrade_to("0005_household_label")
        assert store.current_revisions() == {"0005_household_label"}
        with store.session(actor="test") as session:
            kept = session.scalars(select(Household)).one()
            assert sorted(member.given_names for member in kept.members) == ["Ali", "Sara"]
            session.add(Household(label="1"))  # another list's household "1"
        with store.session() as session:
            assert [h.label for h in session.scalars(select(Household))] == ["1", "1"]
        with store.engine.connect() as connection:
            diffs = [
                d
                for d in compare_metadata(MigrationContext.configure(connection), Base.metadata)
                if "household" in repr(d)
            ]
            assert diffs == []
    finally:
        store.close()
