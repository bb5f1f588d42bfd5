"""foundation: clients, households, cases, journal, audit

Revision ID: 0001_foundation
Revises: (none)
Create Date: 2026-11-22 19:13:38.947388
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("entity_type", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=True),
        sa.Column("detail", sa.String(length=1000), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "change_journal",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity_type", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("operation", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("sync_state", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_journal")),
    )
    with op.batch_alter_table("change_journal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_journal_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_change_journal_sync_state"), ["sync_state"], unique=False)

    op.create_table(
        "household",
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
        sa.UniqueConstraint("label", name=op.f("uq_household_label")),
    )
    op.create_table(
        "client",
        sa.Column("v_nummer", sa.String(length=10), nullable=False),
        sa.Column("bsn", sa.String(length=9), nullable=True),
        sa.Column("family_name", sa.String(length=500), nullable=False),
        sa.Column("given_names", sa.String(length=500), nullable=False),
        sa.Column("name_original", sa.String(length=1000), nullable=True),
        sa.Column("birth_date", sa.String(length=10), nullable=False),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("document_language", sa.String(length=16), nullable=True),
        sa.Column("target_group", sa.String(length=16), nullable=False),
        sa.Column("household_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_client_household_id_household"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client")),
        sa.UniqueConstraint("bsn", name=op.f("uq_client_bsn")),
        sa.UniqueConstraint("v_nummer", name=op.f("uq_client_v_nummer")),
    )
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_household_id"), ["household_id"], unique=False)

    op.create_table(
        "client_case",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("municipality", sa.String(length=200), nullable=False),
        sa.Column("klantmanager", sa.String(length=200), nullable=True),
        sa.Column("coa_location", sa.String(length=200), nullable=True),
        sa.Column("koppeldatum", sa.Date(), nullable=True),
        sa.Column("huisvestingsdatum", sa.Date(), nullable=True),
        sa.Column("melddatum", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_client_case_client_id_client"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_case")),
        sa.UniqueConstraint("client_id", name=op.f("uq_client_case_client_id")),
    )


def downgrade() -> None:

    op.drop_table("client_case")
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_household_id"))

    op.drop_table("client")
    op.drop_table("household")
    with op.batch_alter_table("change_journal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_journal_sync_state"))
        batch_op.drop_index(batch_op.f("ix_change_journal_entity_id"))

    op.drop_table("change_journal")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_entity_id"))

    op.drop_table("audit_log")
