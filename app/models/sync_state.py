"""What sync remembers: peers and their public keys, the outbox, imported packages, conflicts.

None of these tables is a SyncedAggregate: they describe the travel, they do not travel themselves.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Integer, LargeBinary, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime, new_id, utcnow
from app.models.sealed import SealedJSON

PEER_SUPERVISOR = "supervisor"
PEER_DEVICE = "device"

JOURNAL_PENDING = "pending"
JOURNAL_PACKAGED = "packaged"


class SyncSetting(Base):
    """Small named values: the next sequence number, the target, the last push and receipt times."""

    __tablename__ = "sync_setting"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(2000), nullable=False)


class SyncPeer(Base):
    """The other side's public keys: the trusted supervisor (on a device) or a registered device."""

    __tablename__ = "sync_peer"

    device_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    role: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    municipality: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    verify_key: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    registered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)


class OutboxPackage(Base):
    """A package written by this device; it stays until a signed receipt says it arrived."""

    __tablename__ = "sync_outbox"

    sequence: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    file_name: Mapped[str] = mapped_column(String(100), nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    recipient: Mapped[str] = mapped_column(String(32), nullable=False)
    record_count: Mapped[int] = mapped_column(Integer, nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    last_sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True, index=True)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # The journal entries inside, so they can be packaged again for a new supervisor key.
    journal_ids: Mapped[list[int]] = mapped_column(JSON, nullable=False, default=list)


class ImportedPackage(Base):
    """A package the supervisor applied; (device, sequence) is unique, so re-importing is a no-op."""

    __tablename__ = "sync_imported"
    __table_args__ = (UniqueConstraint("device_id", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(String(32), nullable=False)
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False)
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    outcome: Mapped[str] = mapped_column(String(16), nullable=False)
    record_count: Mapped[int] = mapped_column(Integer, nullable=False)
    conflict_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class RecordOrigin(Base):
    """Where and when a record the supervisor holds came from (shown in the read-only views)."""

    __tablename__ = "sync_record_origin"

    entity_type: Mapped[str] = mapped_column(String(64), primary_key=True)
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    arrived_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)


class SyncConflict(Base):
    """Two versions of one record that nobody may overwrite silently; both are kept until resolved."""

    __tablename__ = "sync_conflict"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    entity_type: Mapped[str] = mapped_column(String(64), nullable=False)
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    device_id: Mapped[str] = mapped_column(String(32), nullable=False)
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)
    local_version: Mapped[int] = mapped_column(Integer, nullable=False)
    incoming_version: Mapped[int] = mapped_column(Integer, nullable=False)
    incoming_base_version: Mapped[int] = mapped_column(Integer, nullable=False)
    incoming_deleted: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    local_data: Mapped[dict[str, Any]] = mapped_column(SealedJSON, nullable=False)
    incoming_data: Mapped[dict[str, Any]] = mapped_column(SealedJSON, nullable=False)
    # [{"field": name, "local": value, "incoming": value}, ...] in column order.
    differences: Mapped[list[dict[str, Any]]] = mapped_column(SealedJSON, nullable=False)
    detected_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    resolution: Mapped[str | None] = mapped_column(String(16), nullable=True)
