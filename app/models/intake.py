"""The brede intake of a client (Intake) and its conversations (IntakeSession), both synced aggregates.

Answers live in `Intake.answers` as {field_id: {"value": raw, "form_version": n, "saved_at": iso}}:
the raw value exactly as typed (also when invalid, so nothing is lost), and the version of the form
definition it was given in, so an answer to a field that a later definition removed stays readable.
Keeping the answers inside the aggregate makes one autosave one small UPDATE of one row (plus its
journal and audit entries) and lets sync move an intake as a whole. The JSON column is replaced as
a whole on every change, so the journal sees each save.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

# The vocabulary lives in the domain (the GUI reads it there); the store and the services that
# import it with the models keep finding it here.
from app.domain.intake_vocabulary import (  # noqa: F401
    INTERPRETER_LABELS,
    PLACE_LABELS,
    IntakeStatus,
    InterpreterKind,
    Place,
)
from app.models.base import Base, SyncedAggregate
from app.models.sealed import SealedJSON, SealedText


class Intake(SyncedAggregate, Base):
    __tablename__ = "intake"

    client_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("client.id", ondelete="CASCADE"), nullable=False, index=True
    )
    form_id: Mapped[str] = mapped_column(String(64), nullable=False)
    # The definition version the intake was started with; each answer records its own as well.
    form_version: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=IntakeStatus.OPEN.value)
    started_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    concluded_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    concluded_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    answers: Mapped[dict[str, Any]] = mapped_column(SealedJSON, nullable=False, default=dict)
    # Sections the klantmanager marked complete.
    completed_sections: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    # Where the klantmanager was, so reopening resumes at the same field.
    last_field_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The leerbaarheidstoets cesuur this intake applies (the municipal setting when it started).
    cesuur: Mapped[int] = mapped_column(Integer, nullable=False)
    # Consent: the privacy statement was explained, in which language, with which interpreter.
    privacy_explained: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    privacy_explained_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    privacy_language: Mapped[str | None] = mapped_column(String(16), nullable=True)
    privacy_interpreter_kind: Mapped[str] = mapped_column(
        String(16), nullable=False, default=InterpreterKind.NONE.value
    )
    privacy_interpreter_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    privacy_interpreter_register: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # The route advice when the intake was concluded, and the klantmanager's choice (the PIP binds it).
    advised_route: Mapped[str | None] = mapped_column(String(16), nullable=True)
    advice_reasons: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    chosen_route: Mapped[str | None] = mapped_column(String(16), nullable=True)
    route_justification: Mapped[str | None] = mapped_column(SealedText, nullable=True)

    sessions: Mapped[list[IntakeSession]] = relationship(
        back_populates="intake", order_by="IntakeSession.held_on", cascade="all, delete-orphan"
    )


class IntakeSession(SyncedAggregate, Base):
    """One conversation of the brede intake."""

    __tablename__ = "intake_session"

    intake_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("intake.id", ondelete="CASCADE"), nullable=False, index=True
    )
    held_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    place: Mapped[str] = mapped_column(String(16), nullable=False)
    # Who took part besides the inburgeraar and the klantmanager (e.g. VluchtelingenWerk, COA).
    participants: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    interpreter_kind: Mapped[str] = mapped_column(
        String(16), nullable=False, default=InterpreterKind.NONE.value
    )
    interpreter_language: Mapped[str | None] = mapped_column(String(16), nullable=True)
    interpreter_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    interpreter_register: Mapped[str | None] = mapped_column(String(32), nullable=True)
    notes: Mapped[str | None] = mapped_column(SealedText, nullable=True)

    intake: Mapped[Intake] = relationship(back_populates="sessions")
