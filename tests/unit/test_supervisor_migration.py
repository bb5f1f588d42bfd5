"""Revision 0010_supervisor_assignment: the supervisor's assignment and decision tables arrive empty,
existing clients keep their data, and the schema matches the models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from app.models.base import Base
from app.models.client import Client
from app.models.store import Store
from app.models.supervisor import ClientAssignment, SupervisorDecision


def test_upgrade_adds_empty_assignment_and_decision_tables(tmp_path: Path) -> None:
    store = Store(tmp_path / "wegwijs.db", b"s" * 32)
    try:
        store.upgrade_to("0009_exemptions_objections")
        with store.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO client (id, version, created_at, updated_at, v_nummer, family_name, given_names,"
                " birth_date, languages, target_group) VALUES (?, 1, '2025-01-01 10:00:00',"
                " '2025-01-01 10:00:00', '1000000001', 'Haddad', 'Rania', '1990', '[]', 'asiel')",
                ("1" * 32,),
            )
        store.upgrade_to("0010_supervisor_assignment")
        assert store.current_revisions() == {"0010_supervisor_assignment"}
        with store.session() as session:
            client = session.scalars(select(Client)).one()
            assert client.family_name == "Haddad"
            assert session.scalars(select(ClientAssignment)).all() == []
            assert session.scalars(select(SupervisorDecision)).all() == []
            session.add(ClientAssignment(client_id=client.id, device_id="abc", assigned_by="Sam"))
        with store.engine.connect() as connection:
            diffs = [
                d
                for d in compare_metadata(MigrationContext.configure(connection), Base.metadata)
                if "supervisor_" in repr(d)
            ]
            assert diffs == []
    finally:
        store.close()
