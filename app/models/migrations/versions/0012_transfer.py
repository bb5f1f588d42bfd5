"""Verhuizing: the case records where the client moved to and on which day (the old municipality
closes it), and where a case came from and which hand-over created it (the new municipality).
Existing cases stay open: every new column is empty.

Revision ID: 0012_transfer
Revises: 0010_supervisor_assignment
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_transfer"
down_revision = "0011_progress_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("client_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moved_to", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("moved_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("moved_from", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("transfer_id", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_client_case_transfer_id"), ["transfer_id"])


def downgrade() -> None:
    with op.batch_alter_table("client_case", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_client_case_transfer_id"), type_="unique")
        batch_op.drop_column("transfer_id")
        batch_op.drop_column("moved_from")
        batch_op.drop_column("moved_on")
        batch_op.drop_column("moved_to")
