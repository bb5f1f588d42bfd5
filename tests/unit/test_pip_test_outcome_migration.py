"""Revision 0006_pip_test_outcome: existing PIP versions keep their data, get the day they were
created as their drafting day, and no test outcome (none was recorded)."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from app.models.base import Base
from app.models.store import Store


def test_upgrade_keeps_versions_and_backfills_the_drafting_day(tmp_path: Path) -> None:
    store = Store(tmp_path / "wegwijs.db", b"t" * 32)
    try:
        store.upgrade_to("0005_household_label")
        client_id, pip_id, version_id = (uuid.uuid4().hex for _ in range(3))
        with store.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO client (id, version, created_at, updated_at, v_nummer, family_name, given_names,"
                    " birth_date, languages, target_group) VALUES (:id, 1, :at, :at, '1000000001', 'Haddad',"
                    " 'Rania', '1990', '[]', 'asiel')"
                ),
                {"id": client_id, "at": "2025-02-20 10:00:00"},
            )
            connection.execute(
                text(
                    "INSERT INTO pip (id, version, created_at, updated_at, client_id, extensions,"
                    " progress_meetings, current_number, current_state, switched)"
                    " VALUES (:id, 1, :at, :at, :client, '[]', '[]', 1, 'concept', 0)"
                ),
                {"id": pip_id, "at": "2025-02-20 10:00:00", "client": client_id},
            )
            connection.execute(
                text(
                    "INSERT INTO pip_version (id, version, created_at, updated_at, pip_id, number, state, reason,"
                    " created_by, advice_explanation, maatschappelijke_begeleiding, begeleiding_by,"
                    " childcare_needed, ontzorgen, ontzorgen_costs, afschalen, afschalen_parts, planned_meetings,"
                    " taalschool, texts, agreements, interpreter_present, interpreter_name, interpreter_register,"
                    " adopted_by, withdrawn_by, leerroute, map_hours) VALUES (:id, 1, :at, :at, :pip, 1,"
                    " 'concept', 'eerste', 'km', '', 0, '', 0, 0, '[]', 0, '[]', '[]', 'Taalhuis', '{}', '[]',"
                    " 0, '', '', '', '', 'b1', 64)"
                ),
                {"id": version_id, "at": "2025-02-20 10:00:00", "pip": pip_id},
            )
        store.upgrade_to("0006_pip_test_outcome")
        assert store.current_revisions() == {"0006_pip_test_outcome"}
        with store.engine.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT leerroute, map_hours, taalschool, drafted_on, learnability_outcome FROM pip_version"
                )
            ).one()
            assert tuple(row[:3]) == ("b1", 64, "Taalhuis")
            assert dt.date.fromisoformat(str(row[3])) == dt.date(2025, 2, 20)
            assert row[4] is None
            diffs = [
                d
                for d in compare_metadata(MigrationContext.configure(connection), Base.metadata)
                # Tables added by later migrations (one refers to pip_version) are not this one's.
                if "pip_version" in repr(d) and not (isinstance(d, tuple) and d[0] == "add_table")
            ]
            assert diffs == []
    finally:
        store.close()
