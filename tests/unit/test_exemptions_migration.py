"""Revision 0009_exemptions_objections: existing PIPs keep their data and start with no exemptions
and no objections."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from app.models.base import Base
from app.models.pip import Pip
from app.models.store import Store


def test_upgrade_gives_existing_pips_empty_lists(tmp_path: Path) -> None:
    store = Store(tmp_path / "wegwijs.db", b"e" * 32)
    try:
        store.upgrade_to("0008_target_groups")
        client_id, pip_id = "1" * 32, "2" * 32
        with store.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO client (id, version, created_at, updated_at, v_nummer, family_name, given_names,"
                " birth_date, languages, target_group) VALUES (?, 1, '2025-01-01 10:00:00',"
                " '2025-01-01 10:00:00', '1000000001', 'Haddad', 'Rania', '1990', '[]', 'asiel')",
                (client_id,),
            )
            connection.exec_driver_sql(
                "INSERT INTO pip (id, version, created_at, updated_at, client_id, first_adopted_on, extensions,"
                " progress_meetings, current_number, current_state, switched) VALUES (?, 1,"
                " '2025-01-01 10:00:00', '2025-01-01 10:00:00', ?, '2025-02-28',"
                ' \'[{"months": 6, "days": 0, "reason": "ziekte"}]\', \'[]\', 1, \'vastgesteld\', 0)',
                (pip_id, client_id),
            )
        store.upgrade_to("0009_exemptions_objections")
        assert store.current_revisions() == {"0009_exemptions_objections"}
        with store.session() as session:
            pip = session.scalars(select(Pip)).one()
            assert pip.extensions[0]["reason"] == "ziekte" and str(pip.first_adopted_on) == "2025-02-28"
            assert pip.exemptions == [] and pip.objections == []
        with store.engine.connect() as connection:
            diffs = [
                d
                for d in compare_metadata(MigrationContext.configure(connection), Base.metadata)
                if "'pip'" in repr(d) or "exemptions" in repr(d) or "objections" in repr(d)
            ]
            # The old list of meetings is still there at 0009; 0011_progress_records removes it.
            diffs = [d for d in diffs if "progress_meetings" not in repr(d)]
            assert diffs == []
    finally:
        store.close()
