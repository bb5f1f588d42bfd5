"""household label names a household within one COA list only: no longer unique

Revision ID: 0005_household_label
Revises: 0004_pip
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0005_household_label"
down_revision = "0004_pip"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_constraint("uq_household_label", type_="unique")
        batch_op.create_index(batch_op.f("ix_household_label"), ["label"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("household", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_label"))
        batch_op.create_unique_constraint("uq_household_label", ["label"])
