"""intake: the brede intake of each client and its conversations

Revision ID: 0002_intake
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_intake"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def _synced() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "intake",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("form_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("concluded_on", sa.Date(), nullable=True),
        sa.Column("concluded_by", sa.String(length=200), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("completed_sections", sa.JSON(), nullable=False),
        sa.Column("last_field_id", sa.String(length=64), nullable=True),
        sa.Column("cesuur", sa.Integer(), nullable=False),
        sa.Column("privacy_explained", sa.Boolean(), nullable=False),
        sa.Column("privacy_explained_on", sa.Date(), nullable=True),
        sa.Column("privacy_language", sa.String(length=16), nullable=True),
        sa.Column("privacy_interpreter_kind", sa.String(length=16), nullable=False),
        sa.Column("privacy_interpreter_name", sa.String(length=200), nullable=True),
        sa.Column("privacy_interpreter_register", sa.String(length=32), nullable=True),
        sa.Column("advised_route", sa.String(length=16), nullable=True),
        sa.Column("advice_reasons", sa.JSON(), nullable=False),
        sa.Column("chosen_route", sa.String(length=16), nullable=True),
        sa.Column("route_justification", sa.Text(), nullable=True),
        *_synced(),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_intake_client_id_client"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake")),
    )
    with op.batch_alter_table("intake", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intake_client_id"), ["client_id"], unique=False)

    op.create_table(
        "intake_session",
        sa.Column("intake_id", sa.Uuid(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=16), nullable=False),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("interpreter_kind", sa.String(length=16), nullable=False),
        sa.Column("interpreter_language", sa.String(length=16), nullable=True),
        sa.Column("interpreter_name", sa.String(length=200), nullable=True),
        sa.Column("interpreter_register", sa.String(length=32), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        *_synced(),
        sa.ForeignKeyConstraint(
            ["intake_id"], ["intake.id"], name=op.f("fk_intake_session_intake_id_intake"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_session")),
    )
    with op.batch_alter_table("intake_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intake_session_intake_id"), ["intake_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("intake_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_session_intake_id"))
    op.drop_table("intake_session")
    with op.batch_alter_table("intake", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_intake_client_id"))
    op.drop_table("intake")
