"""The case records the client's benefit and its first day: ontzorgen is for asylum statushouders on
bijstand and counts from the benefit's first day. Existing cases get no benefit (not yet known).

Revision ID: 0007_case_benefit
Revises: 0006_pip_test_outcome
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_case_benefit"
down_revision = "0006_pip_test_outcome"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("client_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("benefit", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("benefit_start", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("client_case", schema=None) as batch_op:
        batch_op.drop_column("benefit_start")
        batch_op.drop_column("benefit")
