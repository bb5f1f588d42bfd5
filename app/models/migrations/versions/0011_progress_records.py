"""Progress as records (issue 13): voortgangsgesprekken, MAP and PVT, exam results and the
Z-route's hours get tables of their own; the meetings in the old list `pip.progress_meetings` move
into `progress_meeting` (same date, who and note; an id derived from them, so every store that
migrates gets the same records) and the list is dropped. Downgrading puts them back in the list.

Revision ID: 0011_progress_records
Revises: 0010_supervisor_assignment
Create Date: 2026-12-02
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op

from app.models.progress import legacy_meeting_id
from app.models.sealed import SealedJSON, SealedText

revision = "0011_progress_records"
down_revision = "0010_supervisor_assignment"
branch_labels = None
depends_on = None


def _synced() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def _on_pip(table: str, *columns: Any) -> None:
    op.create_table(
        table,
        sa.Column("pip_id", sa.Uuid(), nullable=False),
        *columns,
        *_synced(),
        sa.ForeignKeyConstraint(
            ["pip_id"], ["pip.id"], name=op.f(f"fk_{table}_pip_id_pip"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    )
    op.create_index(op.f(f"ix_{table}_pip_id"), table, ["pip_id"], unique=False)


# The sealed types read and write as the models do: sealed with the team key in PostgreSQL.
_pip = sa.table("pip", sa.column("id", sa.Uuid()), sa.column("progress_meetings", SealedJSON()))
_meeting = sa.table(
    "progress_meeting",
    sa.column("id", sa.Uuid()),
    sa.column("version", sa.Integer()),
    sa.column("created_at", sa.DateTime()),
    sa.column("updated_at", sa.DateTime()),
    sa.column("pip_id", sa.Uuid()),
    sa.column("held_on", sa.Date()),
    sa.column("held_by", sa.String()),
    sa.column("outcome", sa.String()),
    sa.column("next_on", sa.Date()),
    sa.column("note", SealedText()),
)


def upgrade() -> None:
    _on_pip(
        "progress_meeting",
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("held_by", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("next_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
    )
    _on_pip(
        "module_progress",
        sa.Column("module", sa.String(length=8), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.UniqueConstraint("pip_id", "module", name="uq_module_progress_pip_module"),
    )
    _on_pip(
        "exam_result",
        sa.Column("part", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.UniqueConstraint("pip_id", "part", "attempt", name="uq_exam_result_pip_part_attempt"),
    )
    _on_pip(
        "route_hours",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
    )
    bind = op.get_bind()
    rows: list[dict[str, Any]] = []
    for pip_id, meetings in bind.execute(sa.select(_pip.c.id, _pip.c.progress_meetings)):
        for index, entry in enumerate(meetings or []):
            held_on = _date(entry.get("date")) if isinstance(entry, dict) else None
            if held_on is None:
                continue  # the old service always wrote an ISO date; nothing else is a meeting
            rows.append(
                {
                    "id": legacy_meeting_id(pip_id, index, held_on.isoformat()),
                    "version": 1,
                    # The day it was held, 00:00 UTC: the same on every store and in what
                    # app/sync/legacy.py makes of an old device's package.
                    "created_at": dt.datetime.combine(held_on, dt.time()),
                    "updated_at": dt.datetime.combine(held_on, dt.time()),
                    "pip_id": pip_id,
                    "held_on": held_on,
                    "held_by": str(entry.get("by") or "")[:200],
                    "outcome": None,
                    "next_on": None,
                    "note": str(entry.get("note") or ""),
                }
            )
    if rows:
        bind.execute(_meeting.insert(), rows)
    with op.batch_alter_table("pip", schema=None) as batch_op:
        batch_op.drop_column("progress_meetings")


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def downgrade() -> None:
    with op.batch_alter_table("pip", schema=None) as batch_op:
        batch_op.add_column(sa.Column("progress_meetings", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("pip", schema=None) as batch_op:
        batch_op.alter_column(
            "progress_meetings", server_default=None, existing_type=sa.JSON(), existing_nullable=False
        )
    bind = op.get_bind()
    lists: dict[uuid.UUID, list[dict[str, str]]] = {}
    query = sa.select(_meeting.c.pip_id, _meeting.c.held_on, _meeting.c.held_by, _meeting.c.note).order_by(
        _meeting.c.pip_id, _meeting.c.held_on
    )
    for pip_id, held_on, held_by, note in bind.execute(query):
        lists.setdefault(pip_id, []).append({"date": held_on.isoformat(), "by": held_by, "note": note})
    for pip_id, meetings in lists.items():
        bind.execute(_pip.update().where(_pip.c.id == pip_id).values(progress_meetings=meetings))
    for table in ("route_hours", "exam_result", "module_progress", "progress_meeting"):
        op.drop_index(op.f(f"ix_{table}_pip_id"), table_name=table)
        op.drop_table(table)
