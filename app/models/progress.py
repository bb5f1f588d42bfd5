"""Progress during the term as records (issue 13): voortgangsgesprekken, the MAP and the PVT,
exam results per part and attempt, and the Z-route's hours. Each hangs on the client's Pip (not on a
version: progress belongs to the whole term, and an adopted version never changes) and travels
through sync as its own record. The meeting's note is free text and sealed in the team store
(app/models/sealed.py); the rules are app/domain/progress.py's.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncedAggregate
from app.models.sealed import SealedText


class ProgressMeeting(SyncedAggregate, Base):
    __tablename__ = "progress_meeting"

    pip_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("pip.id", ondelete="CASCADE"), nullable=False, index=True
    )
    held_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    held_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # app.domain.progress.MeetingOutcome; None for meetings carried over from the old list.
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)
    next_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(SealedText, nullable=False, default="")


class ModuleProgress(SyncedAggregate, Base):
    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("pip_id", "module", name="uq_module_progress_pip_module"),)

    pip_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("pip.id", ondelete="CASCADE"), nullable=False, index=True
    )
    module: Mapped[str] = mapped_column(String(8), nullable=False)  # ModuleKind
    started_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    completed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class ExamResult(SyncedAggregate, Base):
    __tablename__ = "exam_result"
    __table_args__ = (UniqueConstraint("pip_id", "part", "attempt", name="uq_exam_result_pip_part_attempt"),)

    pip_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("pip.id", ondelete="CASCADE"), nullable=False, index=True
    )
    part: Mapped[str] = mapped_column(String(16), nullable=False)  # ExamSubject
    level: Mapped[str | None] = mapped_column(String(4), nullable=True)  # ExamLevel; None for KNM
    attempt: Mapped[int] = mapped_column(Integer, nullable=False)
    taken_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    outcome: Mapped[str] = mapped_column(String(16), nullable=False)  # ExamOutcome
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class RouteHours(SyncedAggregate, Base):
    __tablename__ = "route_hours"

    pip_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("pip.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # HoursKind
    period_start: Mapped[dt.date] = mapped_column(Date, nullable=False)
    period_end: Mapped[dt.date] = mapped_column(Date, nullable=False)
    hours: Mapped[int] = mapped_column(Integer, nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")


# Meetings carried over from the old list `pip.progress_meetings` (migration 0011, and packages of a
# device that still sends that list) get an id derived from what they are, so the device and the
# supervisor, each migrating on its own, end with the same record and not with two.
LEGACY_MEETING_NAMESPACE = uuid.UUID("6f1d7c52-3a0e-4a59-9b8e-0c11c0a5e013")


def legacy_meeting_id(pip_id: uuid.UUID, index: int, held_on: str) -> uuid.UUID:
    return uuid.uuid5(LEGACY_MEETING_NAMESPACE, f"{pip_id}:{index}:{held_on}")
