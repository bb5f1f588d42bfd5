"""pip: the PIP of each client and its versions

Revision ID: 0004_pip
Revises: 0003_sync
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_pip"
down_revision = "0003_sync"
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
        "pip",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("first_adopted_on", sa.Date(), nullable=True),
        sa.Column("extensions", sa.JSON(), nullable=False),
        sa.Column("progress_meetings", sa.JSON(), nullable=False),
        sa.Column("current_number", sa.Integer(), nullable=False),
        sa.Column("current_state", sa.String(length=16), nullable=False),
        sa.Column("current_route", sa.String(length=16), nullable=True),
        sa.Column("in_force_number", sa.Integer(), nullable=True),
        sa.Column("switched", sa.Boolean(), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_pip_client_id_client"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pip")),
        sa.UniqueConstraint("client_id", name=op.f("uq_pip_client_id")),
    )
    op.create_table(
        "pip_version",
        sa.Column("pip_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("advised_route", sa.String(length=16), nullable=True),
        sa.Column("advice_explanation", sa.String(length=4000), nullable=False),
        sa.Column("learnability_score", sa.Integer(), nullable=True),
        sa.Column("leerroute", sa.String(length=16), nullable=True),
        sa.Column("period_months", sa.Integer(), nullable=True),
        sa.Column("maatschappelijke_begeleiding", sa.Boolean(), nullable=False),
        sa.Column("begeleiding_by", sa.String(length=200), nullable=False),
        sa.Column("childcare_needed", sa.Boolean(), nullable=False),
        sa.Column("map_hours", sa.Integer(), nullable=True),
        sa.Column("map_practical_hours", sa.Integer(), nullable=True),
        sa.Column("pvt_hours", sa.Integer(), nullable=True),
        sa.Column("pvt_planned_by", sa.Date(), nullable=True),
        sa.Column("ontzorgen", sa.Boolean(), nullable=False),
        sa.Column("ontzorgen_costs", sa.JSON(), nullable=False),
        sa.Column("ontzorgen_start", sa.Date(), nullable=True),
        sa.Column("ontzorgen_end", sa.Date(), nullable=True),
        sa.Column("ontzorgen_form", sa.String(length=32), nullable=True),
        sa.Column("afschalen", sa.Boolean(), nullable=False),
        sa.Column("afschalen_parts", sa.JSON(), nullable=False),
        sa.Column("afschalen_months", sa.Integer(), nullable=True),
        sa.Column("progress_interval_months", sa.Integer(), nullable=True),
        sa.Column("planned_meetings", sa.JSON(), nullable=False),
        sa.Column("taalschool", sa.String(length=200), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("agreements", sa.JSON(), nullable=False),
        sa.Column("discussed_on", sa.Date(), nullable=True),
        sa.Column("interpreter_present", sa.Boolean(), nullable=False),
        sa.Column("interpreter_name", sa.String(length=200), nullable=False),
        sa.Column("interpreter_register", sa.String(length=32), nullable=False),
        sa.Column("signed_by_client_on", sa.Date(), nullable=True),
        sa.Column("signed_by_klantmanager_on", sa.Date(), nullable=True),
        sa.Column("signed_by_interpreter_on", sa.Date(), nullable=True),
        sa.Column("adopted_on", sa.Date(), nullable=True),
        sa.Column("adopted_by", sa.String(length=200), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=200), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(
            ["pip_id"], ["pip.id"], name=op.f("fk_pip_version_pip_id_pip"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pip_version")),
        sa.UniqueConstraint("pip_id", "number", name="uq_pip_version_pip_number"),
    )
    with op.batch_alter_table("pip_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pip_version_pip_id"), ["pip_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pip_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pip_version_pip_id"))
    op.drop_table("pip_version")
    op.drop_table("pip")
