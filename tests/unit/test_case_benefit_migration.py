"""Revision 0007_case_benefit: existing cases keep their dates and get no benefit (not yet known)."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.models.base import Base
from app.models.store import Store


def test_upgrade_keeps_cases_without_a_benefit(tmp_path: Path) -> None:
    store = Store(tmp_path / "wegwijs.db", b"b" * 32)
    try:
        store.upgrade_to("0006_pip_test_outcome")
        with store.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO client (id, version, created_at, updated_at, v_nummer, family_name, given_names,"
                " birth_date, languages, target_group) VALUES ('0123456789abcdef0123456789abcdef', 1,"
                " '2025-01-01 10:00:00', '2025-01-01 10:00:00', '1000000001', 'Haddad', 'Rania', '1990', '[]',"
                " 'asiel')"
            )
            connection.exec_driver_sql(
                "INSERT INTO client_case (id, version, created_at, updated_at, client_id, municipality,"
                " huisvestingsdatum) VALUES ('fedcba9876543210fedcba9876543210', 1, '2025-01-01 10:00:00',"
                " '2025-01-01 10:00:00', '0123456789abcdef0123456789abcdef', 'Utrecht', '2025-01-06')"
            )
        store.upgrade_to("0007_case_benefit")
        assert store.current_revisions() == {"0007_case_benefit"}
        # Raw SQL, not the ORM: later revisions add columns to client_case that 0007 does not have.
        with store.engine.connect() as connection:
            row = connection.exec_driver_sql(
                "SELECT municipality, huisvestingsdatum, benefit, benefit_start FROM client_case"
            ).one()
            assert tuple(row) == ("Utrecht", "2025-01-06", None, None)
            name = connection.exec_driver_sql("SELECT family_name FROM client").scalar_one()
            assert name == "Haddad"
            # The columns 0007 adds match the model's (a later column is not this revision's concern).
            diffs = [
                d
                for d in compare_metadata(MigrationContext.configure(connection), Base.metadata)
                if "client_case" in repr(d) and "benefit" in repr(d)
            ]
            assert diffs == []
    finally:
        store.close()
