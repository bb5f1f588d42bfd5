"""Target groups overige_migrant and tijdelijke_bescherming: the column gets room for the longer
value (32); every existing client keeps its group.

Revision ID: 0008_target_groups
Revises: 0007_case_benefit
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_target_groups"
down_revision = "0007_case_benefit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.alter_column(
            "target_group",
            existing_type=sa.String(length=16),
            type_=sa.String(length=32),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.alter_column(
            "target_group",
            existing_type=sa.String(length=32),
            type_=sa.String(length=16),
            existing_nullable=False,
        )
