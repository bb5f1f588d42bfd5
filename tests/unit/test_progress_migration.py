"""Revision 0011_progress_records: the meetings in the old list `pip.progress_meetings` become
records of `progress_meeting` (date, who and note kept; the same id on every store that migrates),
the list is gone, the other progress tables arrive empty, and a downgrade puts the list back."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from app.models.base import Base
from app.models.pip import Pip
from app.models.progress import ExamResult, ModuleProgress, ProgressMeeting, RouteHours
from app.models.store import Store, alembic_config

CLIENT_ID, PIP_ID = "1" * 32, "2" * 32
MEETINGS = (
    '[{"date": "2025-06-01", "by": "Sam", "note": "Gaat goed."},'
    ' {"date": "2025-09-03", "by": "Noor", "note": ""}, {"date": "geen datum"}]'
)


def _store_at_0010(tmp_path: Path) -> Store:
    store = Store(tmp_path / "wegwijs.db", b"p" * 32)
    store.upgrade_to("0010_supervisor_assignment")
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO client (id, version, created_at, updated_at, v_nummer, family_name, given_names,"
            " birth_date, languages, target_group) VALUES (?, 1, '2025-01-01 10:00:00',"
            " '2025-01-01 10:00:00', '1000000001', 'Haddad', 'Rania', '1990', '[]', 'asiel')",
            (CLIENT_ID,),
        )
        connection.exec_driver_sql(
            "INSERT INTO pip (id, version, created_at, updated_at, client_id, first_adopted_on, extensions,"
            " progress_meetings, current_number, current_state, switched, exemptions, objections) VALUES (?, 4,"
            " '2025-01-01 10:00:00', '2025-01-01 10:00:00', ?, '2025-02-28', '[]', ?, 1, 'vastgesteld', 0,"
            " '[]', '[]')",
            (PIP_ID, CLIENT_ID, MEETINGS),
        )
    return store


def test_upgrade_moves_the_meetings_into_records(tmp_path: Path) -> None:
    store = _store_at_0010(tmp_path)
    try:
        store.upgrade_to("0011_progress_records")
        assert store.current_revisions() == {"0011_progress_records"}
        with store.session() as session:
            pip = session.scalars(select(Pip)).one()
            assert str(pip.first_adopted_on) == "2025-02-28" and pip.version == 4
            held = [(str(m.held_on), m.held_by, m.note, m.outcome, m.next_on) for m in pip.meetings]
            assert held == [
                ("2025-06-01", "Sam", "Gaat goed.", None, None),
                ("2025-09-03", "Noor", "", None, None),
            ]
            assert session.scalars(select(ModuleProgress)).all() == []
            assert session.scalars(select(ExamResult)).all() == []
            assert session.scalars(select(RouteHours)).all() == []
            ids = sorted(str(m.id) for m in session.scalars(select(ProgressMeeting)))
        assert "progress_meetings" not in {c["name"] for c in inspect(store.engine).get_columns("pip")}
        with store.engine.connect() as connection:
            diffs = [
                d
                for d in compare_metadata(MigrationContext.configure(connection), Base.metadata)
                if "'pip'" in repr(d)
                or "progress" in repr(d)
                or "exam_result" in repr(d)
                or "route_hours" in repr(d)
            ]
            assert diffs == []
    finally:
        store.close()
    # A second store with the same list (the supervisor's copy) gets the same records.
    (tmp_path / "ander").mkdir(mode=0o700)
    other = _store_at_0010(tmp_path / "ander")
    try:
        other.upgrade_to("0011_progress_records")
        with other.session() as session:
            assert sorted(str(m.id) for m in session.scalars(select(ProgressMeeting))) == ids
    finally:
        other.close()


def test_downgrade_puts_the_meetings_back_in_the_list(tmp_path: Path) -> None:
    store = _store_at_0010(tmp_path)
    try:
        store.upgrade_to("0011_progress_records")
        config = alembic_config()
        # As Store.upgrade_to does: foreign keys off while the batch copy of `pip` runs.
        with store.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            connection.commit()
            with connection.begin():
                config.attributes["connection"] = connection
                command.downgrade(config, "0010_supervisor_assignment")
        with store.engine.connect() as connection:
            stored = connection.exec_driver_sql("SELECT progress_meetings FROM pip").scalar_one()
            tables = set(inspect(connection).get_table_names())
        assert '"date": "2025-06-01"' in stored.replace('":"', '": "') or "2025-06-01" in stored
        assert "Gaat goed." in stored and "2025-09-03" in stored
        assert "progress_meeting" not in tables and "exam_result" not in tables
    finally:
        store.close()
