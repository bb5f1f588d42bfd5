"""The intake use cases for the GUI and the CLI: `IntakeService`, one short transaction per call."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from app.domain.enums import Leerroute, Role
from app.domain.intake_rules import (
    IntakeFacts,
    RouteAdvice,
)
from app.models.intake import Intake, InterpreterKind
from app.models.journal import ACTION_READ, record_audit
from app.models.store import StoreLike
from app.services.client_records import intake_unless_moved, refuse_if_moved
from app.services.intake.advice import advice_for, conclude
from app.services.intake.records import (
    IntakeSettings,
    IntakeSnapshot,
    SessionInput,
    _get,
    add_session,
    current_intake,
    mark_section,
    record_consent,
    save_answer,
    set_last_field,
    snapshot,
    start_or_resume,
)
from app.services.profile import Profile
from app.services.visibility import visibility_for

# -- the GUI's entry point -----------------------------------------------------------------------


class IntakeService:
    """The intake use cases for one user, each call one short transaction on the store."""

    def __init__(
        self, store: StoreLike, actor: str, role: Role, settings: IntakeSettings | None = None
    ) -> None:
        self.store = store
        self.actor = actor
        self.role = role
        self.settings = settings or IntakeSettings()

    @classmethod
    def for_profile(cls, profile: Profile) -> IntakeService:
        """For the profile's user, role and municipal settings (the cesuur)."""
        return cls(
            profile.store(),
            profile.actor,
            Role(profile.settings.role),
            IntakeSettings.from_options(profile.settings.options),
        )

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self.store.session(self.actor, self.role.value) as session:
            yield session

    def open(self, client_id: uuid.UUID, today: dt.date | None = None) -> IntakeSnapshot:
        """Start or resume the client's intake; opening is logged as a read (special personal data)."""
        with self._session() as session:
            if current_intake(session, client_id) is None:
                refuse_if_moved(session, client_id)  # a closed case gets no new intake
            intake = start_or_resume(session, client_id, self.settings, today or dt.date.today())
            session.flush()
            record_audit(session, ACTION_READ, "intake", intake.id)
            return snapshot(session, intake, self.role)

    def reload(self, intake_id: uuid.UUID) -> IntakeSnapshot:
        with self._session() as session:
            return snapshot(session, _get(session, intake_id), self.role)

    def save_answer(self, intake_id: uuid.UUID, field_id: str, raw: Any) -> None:
        """The autosave: one small transaction, committed before it returns."""
        with self._session() as session:
            # The intake is kept while the answer is saved: a session holds an unchanged object only
            # weakly, so `save_answer` would read it again (one of an autosave's five statements).
            intake = _refuse_if_moved(session, intake_id)
            save_answer(session, intake.id, field_id, raw, self.role)

    def set_last_field(self, intake_id: uuid.UUID, field_id: str | None) -> None:
        with self._session() as session:
            set_last_field(session, intake_id, field_id)

    def mark_section(self, intake_id: uuid.UUID, section_id: str, complete: bool) -> IntakeSnapshot:
        with self._session() as session:
            intake = _refuse_if_moved(session, intake_id)  # kept: see save_answer
            mark_section(session, intake.id, section_id, complete)
            session.flush()
            return snapshot(session, _get(session, intake_id), self.role)

    def add_session(
        self, intake_id: uuid.UUID, data: SessionInput, today: dt.date | None = None
    ) -> IntakeSnapshot:
        with self._session() as session:
            intake = _refuse_if_moved(session, intake_id)  # kept: see save_answer
            add_session(session, intake.id, data, today or dt.date.today())
            session.flush()
            return snapshot(session, _get(session, intake_id), self.role)

    def record_consent(
        self,
        intake_id: uuid.UUID,
        on: dt.date,
        language: str,
        kind: InterpreterKind,
        name: str | None = None,
        register: str | None = None,
    ) -> IntakeSnapshot:
        with self._session() as session:
            intake = _refuse_if_moved(session, intake_id)  # kept: see save_answer
            record_consent(session, intake.id, on, language, kind, name, register)
            session.flush()
            return snapshot(session, _get(session, intake_id), self.role)

    def advice(self, intake_id: uuid.UUID, today: dt.date | None = None) -> tuple[RouteAdvice, IntakeFacts]:
        with self._session() as session:
            advice, facts = advice_for(
                session, _get(session, intake_id), self.settings, today or dt.date.today()
            )
        if not visibility_for(self.role).sees_column("intake", "advice_reasons"):
            # The reasons and the facts name the health answers this role may not see.
            advice, facts = replace(advice, reasons=()), replace(facts, health_limits=False)
        return advice, facts

    def conclude(
        self, intake_id: uuid.UUID, route: Leerroute, justification: str, today: dt.date | None = None
    ) -> IntakeSnapshot:
        with self._session() as session:
            intake = _refuse_if_moved(session, intake_id)  # kept: see save_answer
            conclude(
                session,
                intake.id,
                route,
                justification,
                self.actor,
                self.role,
                self.settings,
                today or dt.date.today(),
            )
            session.flush()
            return snapshot(session, _get(session, intake_id), self.role)


def _refuse_if_moved(session: Session, intake_id: uuid.UUID) -> Intake:
    """The intake, refused when its client moved (verhuizing: the case is closed here)."""
    intake = intake_unless_moved(session, intake_id)
    return intake if intake is not None else _get(session, intake_id)  # _get: the refusal of none
