"""Revision 0003_sync: upgrading keeps every existing record (and the change journal still pending),
and the sync tables match the models."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from app.models import sync_state
from app.models.base import Base
from app.models.client import Client, Household
from app.models.journal import ChangeJournalEntry
from app.models.store import Store, alembic_config

SYNC_TABLES = {
    sync_state.SyncSetting.__tablename__,
    sync_state.SyncPeer.__tablename__,
    sync_state.OutboxPackage.__tablename__,
    sync_state.ImportedPackage.__tablename__,
    sync_state.RecordOrigin.__tablename__,
    sync_state.SyncConflict.__tablename__,
}


def test_upgrade_from_foundation_keeps_records(tmp_path: Path) -> None:
    store = Store(tmp_path / "wegwijs.db", b"s" * 32)
    try:
        store.upgrade_to("0001_foundation")
        with store.session(actor="test") as session:
            household = Household(label="Familie Tesfay")
            session.add(household)
            session.add(
                Client(
                    v_nummer="1234567890",
                    family_name="Tesfay",
                    given_names="Yonas",
                    name_original="ዮናስ ተስፋይ",
                    birth_date="1988-07",
                    languages=["ti"],
                    target_group="asiel",
                    household=household,
                )
            )
        store.upgrade_to("0003_sync")
        assert "0003_sync" in store.current_revisions()
        with store.session() as session:
            kept = session.scalars(select(Client)).one()
            assert (kept.name_original, kept.household.label) == ("ዮናስ ተስፋይ", "Familie Tesfay")
            states = list(session.scalars(select(ChangeJournalEntry.sync_state)))
            assert states == ["pending", "pending"]  # the changes made before sync existed still travel
            session.add(sync_state.SyncSetting(name="next_sequence", value="1"))
        with store.engine.connect() as connection:
            context = MigrationContext.configure(connection)
            diffs = [
                d for d in compare_metadata(context, Base.metadata) if any(t in repr(d) for t in SYNC_TABLES)
            ]
            assert diffs == []
        with store.engine.begin() as connection:  # the downgrade works too
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0001_foundation")
        assert store.current_revisions() == {"0001_foundation"}
    finally:
        store.close()
