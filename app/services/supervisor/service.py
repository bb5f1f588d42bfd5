"""What the supervisor's screen and `review list` / `adopt` call: one unit of work per method,
plain frozen values back (app/services convention: `SupervisorService.for_profile(profile)`)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from app.domain.enums import Role
from app.i18n import _
from app.models.store import StoreLike
from app.services.pip.records import PipSettings
from app.services.profile import Profile
from app.services.supervisor.assignment import (
    DeviceInfo,
    SupervisorRefused,
    reassign,
    recipient_device_for,
    registered_devices,
)
from app.services.supervisor.decisions import DecisionOutcome, adopt, send_back, withdraw
from app.services.supervisor.queue import AdoptedPip, ReviewQueue, adopted_pips, queue_json, review_queue
from app.services.supervisor.view import PipReview, pip_review


class SupervisorService:
    """The supervisor's workspace for one profile."""

    def __init__(self, store: StoreLike, actor: str, role: Role, settings: PipSettings | None = None) -> None:
        self._store = store
        self._actor = actor
        self._role = role
        self._settings = settings or PipSettings()

    @classmethod
    def for_profile(cls, profile: Profile) -> SupervisorService:
        return cls(
            profile.store(),
            profile.actor,
            Role(profile.settings.role),
            PipSettings.from_options(profile.settings.options),
        )

    def _session(self) -> Any:
        return self._store.session(actor=self._actor, role=self._role.value)

    def _supervisor_only(self) -> None:
        if self._role is not Role.SUPERVISOR:
            raise SupervisorRefused(
                _(
                    "Dit hoort bij de supervisor (rol supervisor); op dit apparaat met de rol {role} kan dat "
                    "niet, vraag de teamleider."
                ).format(role=self._role.value)
            )

    def queue(self, today: dt.date | None = None) -> ReviewQueue:
        """Signed PIPs waiting for adoption (oldest first) and conflicts to resolve."""
        self._supervisor_only()
        with self._session() as session:
            return review_queue(session, today or dt.date.today(), self._settings.deadlines)

    def queue_json(self, today: dt.date | None = None) -> dict[str, Any]:
        return queue_json(self.queue(today))

    def adopted(self) -> list[AdoptedPip]:
        """The versions in force, most recently adopted first (what can be withdrawn)."""
        self._supervisor_only()
        with self._session() as session:
            return adopted_pips(session)

    def review(self, client_id: uuid.UUID) -> PipReview | None:
        """The PIP side by side with the intake summary the supervisor may see."""
        self._supervisor_only()
        with self._session() as session:
            return pip_review(session, client_id, self._role)

    def adopt(self, client: str, on: dt.date | None = None, today: dt.date | None = None) -> DecisionOutcome:
        """Vaststellen; `on` records a decision taken earlier (never in the future or before the
        signatures). A klantmanager may only where the municipality allows it, never their own draft."""
        with self._session() as session:
            return adopt(
                session, client, self._actor, self._role, self._settings, today or dt.date.today(), on
            )

    def send_back(self, client: str, reason: str, today: dt.date | None = None) -> DecisionOutcome:
        self._supervisor_only()
        with self._session() as session:
            return send_back(session, client, self._actor, self._role, reason, today or dt.date.today())

    def withdraw(self, client: str, reason: str, today: dt.date | None = None) -> DecisionOutcome:
        self._supervisor_only()
        with self._session() as session:
            return withdraw(
                session, client, self._actor, self._role, self._settings, reason, today or dt.date.today()
            )

    def devices(self) -> list[DeviceInfo]:
        self._supervisor_only()
        with self._session() as session:
            return registered_devices(session)

    def reassign(self, client: str, device_id: str, today: dt.date | None = None) -> DeviceInfo:
        self._supervisor_only()
        with self._session() as session:
            return reassign(session, client, device_id, self._actor, today or dt.date.today())

    def recipient_device(self, client_id: uuid.UUID) -> str | None:
        with self._session() as session:
            return recipient_device_for(session, client_id)
