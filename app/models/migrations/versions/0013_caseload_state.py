"""The stored caseload (issue 15, issue 18): what the caseload shows per client, kept so listing it
is one query, and the triggers that keep it honest.

Every table the listing reads from (client, client_case, intake, pip, pip_version, progress_meeting)
gets a trigger after insert, update and delete that deletes the client's stored row, so any writer
(ORM, raw Core, executemany, restore, the supervisor's importer) leaves it missing, never stale; the
next listing recomputes the missing rows with the one computation (app/services/caseload.py). The
intake's trigger only watches the columns the caseload shows (status, chosen_route): an autosave of
answers does not touch the stored row. The table starts empty: the first listing fills it.

Revision ID: 0013_caseload_state
Revises: 0012_transfer
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_caseload_state"
down_revision = "0012_transfer"
branch_labels = None
depends_on = None

# Each watched table, how its rows name their client, and the columns whose update matters (None: all).
_BY_CLIENT = "client_id"
_BY_ID = "id"
_BY_PIP = "pip_id"
WATCHED: tuple[tuple[str, str, tuple[str, ...] | None], ...] = (
    ("client", _BY_ID, None),
    ("client_case", _BY_CLIENT, None),
    ("intake", _BY_CLIENT, ("status", "chosen_route", "client_id")),
    ("pip", _BY_CLIENT, None),
    ("pip_version", _BY_PIP, None),
    ("progress_meeting", _BY_PIP, None),
)


def _client_of(row: str, key: str) -> str:
    """SQL naming the client of trigger row `row` ("NEW" or "OLD")."""
    if key == _BY_PIP:
        return f"(SELECT pip.client_id FROM pip WHERE pip.id = {row}.pip_id)"
    return f"{row}.{key}"


def _sqlite_triggers() -> None:
    for table, key, columns in WATCHED:
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            watched = f"UPDATE OF {', '.join(columns)}" if event == "UPDATE" and columns else event
            clients = ", ".join(_client_of(row, key) for row in rows)
            op.execute(
                f"CREATE TRIGGER caseload_stale_{table}_{event.lower()} AFTER {watched} ON {table} "
                f"FOR EACH ROW BEGIN DELETE FROM caseload_state WHERE client_id IN ({clients}); END"
            )


def _postgresql_triggers() -> None:
    for key in (_BY_ID, _BY_CLIENT, _BY_PIP):
        op.execute(
            f"""CREATE FUNCTION caseload_stale_by_{key}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM caseload_state WHERE client_id = {_client_of("OLD", key)};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        DELETE FROM caseload_state WHERE client_id = {_client_of("NEW", key)};
    END IF;
    RETURN NULL;
END
$$"""
        )
    for table, key, columns in WATCHED:
        update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
        op.execute(
            f"CREATE TRIGGER caseload_stale AFTER INSERT OR {update} OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION caseload_stale_by_{key}()"
        )


def upgrade() -> None:
    op.create_table(
        "caseload_state",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("v_nummer", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=1001), nullable=False),
        sa.Column("name_original", sa.String(length=1000), nullable=False),
        sa.Column("birth_date", sa.String(length=10), nullable=False),
        sa.Column("coa_location", sa.String(length=200), nullable=False),
        sa.Column("klantmanager", sa.String(length=200), nullable=False),
        sa.Column("housing_date", sa.Date(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("leerroute", sa.String(length=100), nullable=False),
        sa.Column("pip_state", sa.String(length=32), nullable=True),
        sa.Column("flags", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.String(length=60), nullable=True),
        sa.Column("exemption", sa.String(length=250), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_caseload_state_client_id_client"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_caseload_state")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, _key, _columns in WATCHED:
            op.execute(f"DROP TRIGGER caseload_stale ON {table}")
        for key in (_BY_ID, _BY_CLIENT, _BY_PIP):
            op.execute(f"DROP FUNCTION caseload_stale_by_{key}()")
    else:
        for table, _key, _columns in WATCHED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER caseload_stale_{table}_{event}")
    op.drop_table("caseload_state")
