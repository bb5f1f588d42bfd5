"""PIP versions keep DUO's leerbaarheidstoets uitslag (a route against it needs an onderbouwing) and
the day they were drafted (signatures cannot be older); existing versions get created_at's day.

Revision ID: 0006_pip_test_outcome
Revises: 0005_household_label
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_pip_test_outcome"
down_revision = "0005_household_label"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pip_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("learnability_outcome", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("drafted_on", sa.Date(), nullable=True))
    op.execute("UPDATE pip_version SET drafted_on = date(created_at) WHERE drafted_on IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("pip_version", schema=None) as batch_op:
        batch_op.drop_column("drafted_on")
        batch_op.drop_column("learnability_outcome")
