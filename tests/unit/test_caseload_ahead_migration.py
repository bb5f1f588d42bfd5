"""Revision 0014_caseload_ahead: the lines ahead arrive empty, the triggers of 0013 now drop a client's
lines ahead with its stored line on a write to any table the listing reads, and a downgrade takes
the table away and leaves the triggers of 0013 as they were. PostgreSQL:
tests/integration/test_migrations_both_engines.py and tests/integration/test_caseload_state_team.py."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from app.models.store import Store

CLIENT_ID = "1" * 32
TRIGGERED = ("client", "client_case", "intake", "pip", "pip_version", "progress_meeting")
LINE = (
    " (client_id, position, valid_from, v_nummer, name, name_original, birth_date, coa_location,"
    """ klantmanager, status, leerroute, flags) VALUES (?, 1, ?, '1000000001', 'Rania Haddad', '', '1990',"""
    """ '', '', '{"m":"in AZC"}', '', 9)"""
)


def _store_at_0013(tmp_path: Path) -> Store:
    store = Store(tmp_path / "wegwijs.db", b"p" * 32)
    store.upgrade_to("0013_caseload_state")
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO client (id, version, created_at, updated_at, v_nummer, family_name, given_names,"
            " birth_date, languages, target_group) VALUES (?, 1, '2025-01-01 10:00:00',"
            " '2025-01-01 10:00:00', '1000000001', 'Haddad', 'Rania', '1990', '[]', 'asiel')",
            (CLIENT_ID,),
        )
    return store


def _lines(store: Store, table: str) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _stored_line_and_two_ahead(store: Store) -> None:
    with store.engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO caseload_state" + LINE, (CLIENT_ID, "2025-01-01"))
        for day in ("2025-01-05", "2025-01-09"):
            connection.exec_driver_sql("INSERT INTO caseload_ahead" + LINE, (CLIENT_ID, day))


def test_upgrade_adds_the_empty_table_and_a_write_drops_the_lines_ahead(tmp_path: Path) -> None:
    store = _store_at_0013(tmp_path)
    try:
        store.upgrade_to("0014_caseload_ahead")
        assert store.current_revisions() == {"0014_caseload_ahead"}
        assert _lines(store, "caseload_ahead") == 0
        with store.engine.connect() as connection:
            triggers = set(
                connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars()
            )
        assert triggers == {
            f"caseload_stale_{t}_{e}" for t in TRIGGERED for e in ("insert", "update", "delete")
        }
        _stored_line_and_two_ahead(store)
        assert (_lines(store, "caseload_state"), _lines(store, "caseload_ahead")) == (1, 2)
        with store.engine.begin() as connection:
            connection.exec_driver_sql("UPDATE client SET nationality = 'SYR' WHERE id = ?", (CLIENT_ID,))
        assert (_lines(store, "caseload_state"), _lines(store, "caseload_ahead")) == (0, 0)
        # Lines ahead without the stored line (it was set aside as out of date): a write drops them too.
        with store.engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO caseload_ahead" + LINE, (CLIENT_ID, "2025-01-05"))
            connection.exec_driver_sql(
                "INSERT INTO client_case (id, version, created_at, updated_at, client_id, municipality)"
                " VALUES (?, 1, '2025-01-01 10:00:00', '2025-01-01 10:00:00', ?, 'Utrecht')",
                ("2" * 32, CLIENT_ID),
            )
        assert _lines(store, "caseload_ahead") == 0
        _stored_line_and_two_ahead(store)
        with store.engine.begin() as connection:  # an erasure takes the lines ahead with it
            connection.exec_driver_sql("DELETE FROM client_case WHERE client_id = ?", (CLIENT_ID,))
            connection.exec_driver_sql("DELETE FROM client WHERE id = ?", (CLIENT_ID,))
        assert (_lines(store, "caseload_state"), _lines(store, "caseload_ahead")) == (0, 0)
    finally:
        store.close()


def test_downgrade_takes_the_table_away_and_leaves_the_triggers_of_0013(tmp_path: Path) -> None:
    store = _store_at_0013(tmp_path)
    try:
        store.upgrade_to("0014_caseload_ahead")
        _stored_line_and_two_ahead(store)
        from alembic import command

        from app.models.store import alembic_config

        with store.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0013_caseload_state")
        assert "caseload_ahead" not in inspect(store.engine).get_table_names()
        assert store.current_revisions() == {"0013_caseload_state"}
        with store.engine.connect() as connection:
            bodies = (
                connection.execute(text("SELECT sql FROM sqlite_master WHERE type = 'trigger'"))
                .scalars()
                .all()
            )
        assert len(bodies) == 18 and not any("caseload_ahead" in body for body in bodies)
        assert _lines(store, "caseload_state") == 1
        with store.engine.begin() as connection:  # the triggers of 0013 still drop the stored line
            connection.exec_driver_sql("UPDATE client SET nationality = 'SYR' WHERE id = ?", (CLIENT_ID,))
        assert _lines(store, "caseload_state") == 0
        store.upgrade_to("0014_caseload_ahead")  # and up again
        _stored_line_and_two_ahead(store)
        assert _lines(store, "caseload_ahead") == 2
    finally:
        store.close()
