"""Revision 0013_caseload_state: the stored caseload arrives empty with a trigger on every table the
listing reads from (a write there drops the client's stored line), and a downgrade takes both away.
The same history on PostgreSQL: tests/integration/test_migrations_both_engines.py and
tests/integration/test_caseload_state_team.py."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from app.models.store import Store

CLIENT_ID = "1" * 32
TRIGGERED = ("client", "client_case", "intake", "pip", "pip_version", "progress_meeting")


def _store_at_0012(tmp_path: Path) -> Store:
    store = Store(tmp_path / "wegwijs.db", b"p" * 32)
    store.upgrade_to("0012_transfer")
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO client (id, version, created_at, updated_at, v_nummer, family_name, given_names,"
            " birth_date, languages, target_group) VALUES (?, 1, '2025-01-01 10:00:00',"
            " '2025-01-01 10:00:00', '1000000001', 'Haddad', 'Rania', '1990', '[]', 'asiel')",
            (CLIENT_ID,),
        )
    return store


def _stored_line(store: Store) -> None:
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO caseload_state (client_id, position, valid_from, v_nummer, name, name_original,"
            " birth_date, coa_location, klantmanager, status, leerroute, flags)"
            """ VALUES (?, 1, '2025-01-01', '1000000001', 'Rania Haddad', '', '1990', '', '',"""
            """ '{"m":"in AZC"}', '', 9)""",
            (CLIENT_ID,),
        )


def _lines(store: Store) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM caseload_state")).scalar_one())


def test_upgrade_adds_the_empty_table_and_its_triggers(tmp_path: Path) -> None:
    store = _store_at_0012(tmp_path)
    try:
        store.upgrade_to("0013_caseload_state")
        assert store.current_revisions() == {"0013_caseload_state"}
        assert _lines(store) == 0
        with store.engine.connect() as connection:
            triggers = set(
                connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars()
            )
        assert {
            f"caseload_stale_{t}_{e}" for t in TRIGGERED for e in ("insert", "update", "delete")
        } <= triggers
        _stored_line(store)
        assert _lines(store) == 1
        with store.engine.begin() as connection:
            connection.exec_driver_sql("UPDATE client SET nationality = 'SYR' WHERE id = ?", (CLIENT_ID,))
        assert _lines(store) == 0
        _stored_line(store)
        with store.engine.begin() as connection:  # a case arriving for the client
            connection.exec_driver_sql(
                "INSERT INTO client_case (id, version, created_at, updated_at, client_id, municipality)"
                " VALUES (?, 1, '2025-01-01 10:00:00', '2025-01-01 10:00:00', ?, 'Utrecht')",
                ("2" * 32, CLIENT_ID),
            )
        assert _lines(store) == 0
        _stored_line(store)
        with store.engine.begin() as connection:  # an erasure takes the stored line with it
            connection.exec_driver_sql("DELETE FROM client WHERE id = ?", (CLIENT_ID,))
        assert _lines(store) == 0
    finally:
        store.close()


def test_downgrade_takes_the_table_and_the_triggers_away(tmp_path: Path) -> None:
    store = _store_at_0012(tmp_path)
    try:
        store.upgrade_to("0013_caseload_state")
        _stored_line(store)
        store.upgrade_to("0013_caseload_state")  # nothing to do
        from alembic import command

        from app.models.store import alembic_config

        with store.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0012_transfer")
        assert "caseload_state" not in inspect(store.engine).get_table_names()
        with store.engine.begin() as connection:
            triggers = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).all()
            assert triggers == []
            connection.exec_driver_sql("UPDATE client SET nationality = 'SYR' WHERE id = ?", (CLIENT_ID,))
    finally:
        store.close()
