"""The PIP of a client (Pip) and its versions (PipVersion), both synced aggregates.

A Pip holds what belongs to the client's whole term: the first adoption date (the term counts from
it and never moves), registered extensions, exemptions and objections; the progress records hang on
it (app/models/progress.py). Each PipVersion holds
one complete plan with every part the Wet inburgering 2021 requires; an adopted version is never
changed (the service refuses it, see app/domain/pip_lifecycle.py).

Free texts are stored in `texts` as {part: {"nl", "lang", "translation", "review"}}: the Dutch
legal text, the client's document language, its translation and who reviewed that translation
(filled by the interpreter review). Agreements are a list of dicts with the same text shape for
"what". JSON columns are replaced as a whole on change, so the journal sees every edit. The values
of the fixed lists (vaste lasten, forms of ontzorgen, agreement states) are app/domain/pip_plan.py's.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import TYPE_CHECKING, Any, TypedDict

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.pip_lifecycle import PipState
from app.i18n import N_
from app.models.base import Base, SyncedAggregate
from app.models.sealed import SealedJSON

if TYPE_CHECKING:
    from app.models.progress import ExamResult, ModuleProgress, ProgressMeeting, RouteHours


class TextPart(enum.StrEnum):
    """Every free text of a PIP version; each has a Dutch text and room for a translation."""

    FINAL_GOAL = "einddoel"
    ONDERBOUWING = "onderbouwing"
    GUIDANCE = "begeleiding"
    MAATSCHAPPELIJKE_BEGELEIDING = "maatschappelijke_begeleiding"
    PRECONDITIONS = "randvoorwaarden"
    MAP = "map"
    MAP_PRACTICAL = "map_praktijk"
    PVT = "pvt"
    ONTZORGEN = "ontzorgen"
    AFSCHALEN = "afschalen"
    MONITORING = "monitoring"
    TAALSCHOOL = "taalschool"
    DUAAL = "duaal"
    FINANCIAL_TRAINING = "financiele_training"
    REMARKS = "opmerkingen"
    REASON = "reden"


TEXT_PART_LABELS: dict[TextPart, str] = {
    TextPart.FINAL_GOAL: N_("Einddoel"),
    TextPart.ONDERBOUWING: N_("Onderbouwing van de leerroute"),
    TextPart.GUIDANCE: N_("Begeleiding en ondersteuning"),
    TextPart.MAATSCHAPPELIJKE_BEGELEIDING: N_("Maatschappelijke begeleiding"),
    TextPart.PRECONDITIONS: N_("Randvoorwaarden (zoals kinderopvang)"),
    TextPart.MAP: N_("Module Arbeidsmarkt en Participatie (MAP)"),
    TextPart.MAP_PRACTICAL: N_("Praktijkdeel van de MAP"),
    TextPart.PVT: N_("Participatieverklaringstraject (PVT)"),
    TextPart.ONTZORGEN: N_("Ontzorgen"),
    TextPart.AFSCHALEN: N_("Afschalen"),
    TextPart.MONITORING: N_("Voortgang en monitoring"),
    TextPart.TAALSCHOOL: N_("Taalschool"),
    TextPart.DUAAL: N_("Duaal: (vrijwilligers)werk naast de taal"),
    TextPart.FINANCIAL_TRAINING: N_("Training financiële zelfredzaamheid"),
    TextPart.REMARKS: N_("Overige opmerkingen"),
    TextPart.REASON: N_("Toelichting op de nieuwe versie"),
}


# Review states of a translation; only an approved translation is printed as the translation.
REVIEW_NOT_REVIEWED = "niet_beoordeeld"
REVIEW_APPROVED = "goedgekeurd"
REVIEW_REJECTED = "afgekeurd"
REVIEW_STALE = "verouderd"  # the Dutch text changed after the translation was made


class TextReview(TypedDict, total=False):
    status: str  # one of the REVIEW_* values
    by: str
    at: str  # ISO timestamp, UTC
    note: str


class TextEntry(TypedDict, total=False):
    nl: str
    lang: str | None
    translation: str
    review: TextReview


class Pip(SyncedAggregate, Base):
    __tablename__ = "pip"

    client_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("client.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    # The term counts from the day after this date; later versions never move it.
    first_adopted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # [{"months": int, "days": int, "reason": str, "registered_on": iso, "by": str}]
    extensions: Mapped[list[dict[str, Any]]] = mapped_column(SealedJSON, nullable=False, default=list)
    # A copy of the current version's state and route, so the caseload needs no per-client query.
    current_number: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    current_state: Mapped[str] = mapped_column(String(16), nullable=False, default=PipState.CONCEPT.value)
    current_route: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # The number of the version in force (vastgesteld), if any.
    in_force_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    switched: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # DUO's exemptions: [{"kind", "decided_on": iso, "parts": [...] (none: the whole duty), "by"}]
    exemptions: Mapped[list[dict[str, Any]]] = mapped_column(SealedJSON, nullable=False, default=list)
    # Objections and appeals against a version: [{"version", "made_known_on", "received_on", "late",
    # "outcome", "decided_on", "appeal_filed_on", "appeal_ruled_on", "appeal_outcome", "by"}]; none of
    # them moves the term.
    objections: Mapped[list[dict[str, Any]]] = mapped_column(SealedJSON, nullable=False, default=list)

    versions: Mapped[list[PipVersion]] = relationship(
        back_populates="pip", order_by="PipVersion.number", cascade="all, delete-orphan"
    )
    # Progress during the term (app/models/progress.py): records of their own, not version parts.
    # Deleted one by one like every synced record (erasure lists them, so each gets its tombstone);
    # the ORM leaves them alone when the Pip goes, the foreign key's ON DELETE CASCADE does the rest.
    meetings: Mapped[list[ProgressMeeting]] = relationship(
        order_by="ProgressMeeting.held_on", cascade="save-update, merge", passive_deletes="all"
    )
    modules: Mapped[list[ModuleProgress]] = relationship(cascade="save-update, merge", passive_deletes="all")
    exams: Mapped[list[ExamResult]] = relationship(
        order_by="(ExamResult.part, ExamResult.attempt)", cascade="save-update, merge", passive_deletes="all"
    )
    hours: Mapped[list[RouteHours]] = relationship(
        order_by="RouteHours.period_start", cascade="save-update, merge", passive_deletes="all"
    )


class PipVersion(SyncedAggregate, Base):
    __tablename__ = "pip_version"
    __table_args__ = (UniqueConstraint("pip_id", "number", name="uq_pip_version_pip_number"),)

    pip_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("pip.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False, default=PipState.CONCEPT.value)
    reason: Mapped[str] = mapped_column(String(16), nullable=False, default="eerste")
    created_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    # Leerroute: the advice from the intake (snapshot when drafted) beside the choice.
    advised_route: Mapped[str | None] = mapped_column(String(16), nullable=True)
    advice_explanation: Mapped[str] = mapped_column(String(4000), nullable=False, default="")
    learnability_score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # DUO's uitslag as the intake recorded it (haalbaar / niet_haalbaar / geen_uitslag / niet_afgenomen):
    # a route against it needs an onderbouwing.
    learnability_outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # The day this version was drafted (signatures cannot be older).
    drafted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    leerroute: Mapped[str | None] = mapped_column(String(16), nullable=True)
    period_months: Mapped[int | None] = mapped_column(Integer, nullable=True)

    maatschappelijke_begeleiding: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    begeleiding_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    childcare_needed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    map_hours: Mapped[int | None] = mapped_column(Integer, nullable=True)
    map_practical_hours: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pvt_hours: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pvt_planned_by: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    # Ontzorgen (asylum statushouders): which fixed costs, from/to, the chosen form.
    ontzorgen: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    ontzorgen_costs: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    ontzorgen_start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    ontzorgen_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    ontzorgen_form: Mapped[str | None] = mapped_column(String(32), nullable=True)

    # Afschalen: whether, which exam parts go to A2, for how long.
    afschalen: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    afschalen_parts: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    afschalen_months: Mapped[int | None] = mapped_column(Integer, nullable=True)

    # Monitoring: the interval and the planned voortgangsgesprekken (ISO dates).
    progress_interval_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    planned_meetings: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    taalschool: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    texts: Mapped[dict[str, Any]] = mapped_column(SealedJSON, nullable=False, default=dict)
    agreements: Mapped[list[dict[str, Any]]] = mapped_column(SealedJSON, nullable=False, default=list)

    # Conversation and signatures.
    discussed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    interpreter_present: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    interpreter_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    interpreter_register: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    signed_by_client_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    signed_by_klantmanager_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    signed_by_interpreter_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    adopted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    adopted_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    withdrawn_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    pip: Mapped[Pip] = relationship(back_populates="versions")
