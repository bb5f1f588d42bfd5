"""A PIP records DUO's exemptions and the objections and appeals against its versions; existing
PIPs start with none.

Revision ID: 0009_exemptions_objections
Revises: 0008_target_groups
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_exemptions_objections"
down_revision = "0008_target_groups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pip", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exemptions", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("objections", sa.JSON(), nullable=False, server_default="[]"))
    # The model has no server default; drop it so the schema matches.
    with op.batch_alter_table("pip", schema=None) as batch_op:
        batch_op.alter_column(
            "exemptions", server_default=None, existing_type=sa.JSON(), existing_nullable=False
        )
        batch_op.alter_column(
            "objections", server_default=None, existing_type=sa.JSON(), existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pip", schema=None) as batch_op:
        batch_op.drop_column("objections")
        batch_op.drop_column("exemptions")
