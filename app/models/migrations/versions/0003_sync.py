"""sync: peers, outbox, imported packages, record origins, conflicts, settings

Revision ID: 0003_sync
Revises: 0002_intake
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_sync"
down_revision = "0002_intake"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_setting",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=2000), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_sync_setting")),
    )
    op.create_table(
        "sync_peer",
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("municipality", sa.String(length=200), nullable=False),
        sa.Column("verify_key", sa.LargeBinary(length=32), nullable=False),
        sa.Column("public_key", sa.LargeBinary(length=32), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_sync_peer")),
    )
    op.create_table(
        "sync_outbox",
        sa.Column("sequence", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("file_name", sa.String(length=100), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("recipient", sa.String(length=32), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("journal_ids", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("sequence", name=op.f("pk_sync_outbox")),
    )
    with op.batch_alter_table("sync_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_outbox_delivered_at"), ["delivered_at"], unique=False)
    op.create_table(
        "sync_imported",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("conflict_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_imported")),
        sa.UniqueConstraint("device_id", "sequence", name=op.f("uq_sync_imported_device_id")),
    )
    op.create_table(
        "sync_record_origin",
        sa.Column("entity_type", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("arrived_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("entity_type", "entity_id", name=op.f("pk_sync_record_origin")),
    )
    with op.batch_alter_table("sync_record_origin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_record_origin_device_id"), ["device_id"], unique=False)
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entity_type", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("local_version", sa.Integer(), nullable=False),
        sa.Column("incoming_version", sa.Integer(), nullable=False),
        sa.Column("incoming_base_version", sa.Integer(), nullable=False),
        sa.Column("incoming_deleted", sa.Integer(), nullable=False),
        sa.Column("local_data", sa.JSON(), nullable=False),
        sa.Column("incoming_data", sa.JSON(), nullable=False),
        sa.Column("differences", sa.JSON(), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolution", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_conflict_entity_id"), ["entity_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_conflict_entity_id"))
    op.drop_table("sync_conflict")
    with op.batch_alter_table("sync_record_origin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_record_origin_device_id"))
    op.drop_table("sync_record_origin")
    op.drop_table("sync_imported")
    with op.batch_alter_table("sync_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_outbox_delivered_at"))
    op.drop_table("sync_outbox")
    op.drop_table("sync_peer")
    op.drop_table("sync_setting")
