"""The supervisor's side: which device a client is assigned to, and the decisions on PIPs
(adopted, sent back, withdrawn, reassigned) with their day, lateness and reason.

Revision ID: 0010_supervisor_assignment
Revises: 0009_exemptions_objections
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_supervisor_assignment"
down_revision = "0009_exemptions_objections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "supervisor_assignment",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.Column("assigned_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_supervisor_assignment_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_supervisor_assignment")),
    )
    op.create_index(
        op.f("ix_supervisor_assignment_device_id"), "supervisor_assignment", ["device_id"], unique=False
    )
    op.create_table(
        "supervisor_decision",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("pip_version_id", sa.Uuid(), nullable=True),
        sa.Column("version_number", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("days_over_deadline", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_supervisor_decision_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervisor_decision")),
    )
    op.create_index(
        op.f("ix_supervisor_decision_client_id"), "supervisor_decision", ["client_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_supervisor_decision_client_id"), table_name="supervisor_decision")
    op.drop_table("supervisor_decision")
    op.drop_index(op.f("ix_supervisor_assignment_device_id"), table_name="supervisor_assignment")
    op.drop_table("supervisor_assignment")
