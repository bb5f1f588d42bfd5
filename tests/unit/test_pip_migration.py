"""Revision 0004_pip: upgrading keeps every existing record, and the tables match the models."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from app.models.base import Base
from app.models.client import Case, Client
from app.models.store import Store


def test_upgrade_from_foundation_keeps_records(tmp_path: Path) -> None:
    store = Store(tmp_path / "wegwijs.db", b"k" * 32)
    try:
        store.upgrade_to("0001_foundation")
        with store.session(actor="test") as session:
            client = Client(
                v_nummer="1234567890",
                family_name="Tesfay",
                given_names="Yonas",
                name_original="ዮናስ ተስፋይ",
                birth_date="1988-07",
                languages=["ti"],
                target_group="asiel",
            )
            session.add(client)
            session.flush()
            # Core insert of the columns revision 0001 has (later revisions add more to the model).
            session.execute(
                Case.__table__.insert().values(
                    client_id=client.id, municipality="Zwolle", huisvestingsdatum=dt.date(2025, 2, 1)
                )
            )
        store.upgrade_to("0004_pip")
        assert "0004_pip" in store.current_revisions()
        # Read through today's model: the later revisions add columns to it.
        store.upgrade_to("head")
        with store.session() as session:
            kept = session.scalars(select(Client)).one()
            assert (kept.name_original, kept.birth_date) == ("ዮናስ ተስፋይ", "1988-07")
            assert kept.case is not None and kept.case.huisvestingsdatum == dt.date(2025, 2, 1)
        with store.engine.connect() as connection:
            context = MigrationContext.configure(connection)
            pip_tables = {
                name: table for name, table in Base.metadata.tables.items() if name.startswith("pip")
            }
            diffs = [
                d
                for d in compare_metadata(context, Base.metadata)
                if any(table in repr(d) for table in pip_tables)
            ]
            assert diffs == []
    finally:
        store.close()
