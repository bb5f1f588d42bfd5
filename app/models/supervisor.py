"""What the supervisor decides about clients on their side: which device a client belongs to, and
each decision on a PIP (adopted, sent back, withdrawn, reassigned) with its day and reason.

Neither table is a SyncedAggregate: the decisions travel to the devices in decision packages.
The reason is the supervisor's own text for the klantmanager; it stays in the encrypted store and
never goes into the audit log or a log file.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime, utcnow


class ClientAssignment(Base):
    """The registered device a client's records belong to, as the supervisor assigned it."""

    __tablename__ = "supervisor_assignment"

    client_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("client.id", ondelete="CASCADE"), primary_key=True
    )
    device_id: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    assigned_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    assigned_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class SupervisorDecision(Base):
    """One decision of the supervisor on a client's PIP, in the order taken."""

    __tablename__ = "supervisor_decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("client.id", ondelete="CASCADE"), nullable=False, index=True
    )
    pip_version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    version_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    decided_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    decided_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # The device the decision is for (a reassignment: the new one).
    device_id: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    # An adoption after the 10-week deadline: the days over it (0 on time or without a deadline).
    days_over_deadline: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    reason: Mapped[str] = mapped_column(String(2000), nullable=False, default="")
