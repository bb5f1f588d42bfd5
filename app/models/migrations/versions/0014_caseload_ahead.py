"""The lines ahead (issue 15, the first start of a day): for a client whose stored caseload line turns
within the next days, the line(s) that will be right from each turn on, so the day's first start
finds today's line stored instead of recomputing it through SQLAlchemy.

Table caseload_ahead has the columns of caseload_state, keyed (client_id, valid_from). The triggers of
0013 are made again so that each write to a table the listing reads deletes the client's stored line
AND its lines ahead (caseload_state first: on PostgreSQL the listing's LOCK TABLE caseload_state holds
off both deletes). Downgrade: the triggers of 0013 as they were, and the table dropped.

Revision ID: 0014_caseload_ahead
Revises: 0013_caseload_state
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_caseload_ahead"
down_revision = "0013_caseload_state"
branch_labels = None
depends_on = None

# As in 0013: each watched table, how its rows name their client, and the columns whose update matters.
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
WITH_AHEAD = ("caseload_state", "caseload_ahead")
AS_IN_0013 = ("caseload_state",)


def _client_of(row: str, key: str) -> str:
    if key == _BY_PIP:
        return f"(SELECT pip.client_id FROM pip WHERE pip.id = {row}.pip_id)"
    return f"{row}.{key}"


def _sqlite_triggers(targets: tuple[str, ...]) -> None:
    for table, key, columns in WATCHED:
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            name = f"caseload_stale_{table}_{event.lower()}"
            watched = f"UPDATE OF {', '.join(columns)}" if event == "UPDATE" and columns else event
            clients = ", ".join(_client_of(row, key) for row in rows)
            deletes = " ".join(f"DELETE FROM {target} WHERE client_id IN ({clients});" for target in targets)
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(f"CREATE TRIGGER {name} AFTER {watched} ON {table} FOR EACH ROW BEGIN {deletes} END")


def _postgresql_functions(targets: tuple[str, ...]) -> None:
    """The trigger functions of 0013, replaced in place (the triggers themselves stay)."""
    for key in (_BY_ID, _BY_CLIENT, _BY_PIP):
        old = "\n        ".join(
            f"DELETE FROM {target} WHERE client_id = {_client_of('OLD', key)};" for target in targets
        )
        new = "\n        ".join(
            f"DELETE FROM {target} WHERE client_id = {_client_of('NEW', key)};" for target in targets
        )
        op.execute(
            f"""CREATE OR REPLACE FUNCTION caseload_stale_by_{key}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {old}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {new}
    END IF;
    RETURN NULL;
END
$$"""
        )


def _triggers(targets: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_functions(targets)
    else:
        _sqlite_triggers(targets)


def upgrade() -> None:
    op.create_table(
        "caseload_ahead",
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
            ["client_id"], ["client.id"], name=op.f("fk_caseload_ahead_client_id_client"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("client_id", "valid_from", name=op.f("pk_caseload_ahead")),
    )
    _triggers(WITH_AHEAD)


def downgrade() -> None:
    _triggers(AS_IN_0013)
    op.drop_table("caseload_ahead")
