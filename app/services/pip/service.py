"""What the GUI and the CLI read and call for the PIP: snapshots, history, the export section.

`PipService` opens its own unit of work per call and returns plain snapshots, never ORM objects;
the rules are applied by app/services/pip/records.py and app/domain/pip_lifecycle.py (states).
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.deadlines import (
    DeadlineStatus,
    client_deadlines,
    deadline_status,
    next_deadline,
)
from app.domain.decisions import ObjectionOutcome
from app.domain.enums import Benefit, Leerroute, Role, TargetGroup
from app.domain.pip_lifecycle import (
    STATE_LABELS,
    ChangeReason,
    PipAction,
    PipRefused,
    PipState,
    TransitionContext,
    allowed_actions,
    check_may_adopt,
    missing_parts_by_section,
    readiness_problems,
)
from app.i18n import N_, _
from app.models.client import Client
from app.models.journal import AuditEntry
from app.models.pip import PipVersion, TextEntry, TextPart
from app.services.client_records import refuse_if_moved
from app.services.pip.decisions import (
    decide_objection,
    record_appeal,
    record_appeal_ruling,
    record_benefit,
    record_exemption,
    record_objection,
    register_extension,
)
from app.services.pip.progress import add_meeting, export_progress
from app.services.pip.records import (
    SCALAR_FIELDS,
    PipNotFound,
    PipSettings,
    Signatures,
    apply_action,
    as_route,
    deadline_facts,
    draft_pip,
    get_pip,
    get_text,
    latest_version,
    load_client,
    load_version,
    new_version,
    ontzorgen_applies,
    ontzorgen_dates,
    pip_facts,
    previous_version,
    text_key,
    update_version,
)
from app.services.pip.term import (
    ExemptionEntry,
    HeldMeeting,
    ObjectionEntry,
    TermExtensionEntry,
    exemption_entries,
    objection_entries,
    term_extensions,
)
from app.services.pip.work import PipWork
from app.services.visibility import session_visibility


@dataclass(frozen=True)
class VersionSummary:
    number: int
    state: PipState
    reason: ChangeReason
    created_at: dt.datetime
    created_by: str
    adopted_on: dt.date | None
    adopted_by: str


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    actor: str
    role: str
    action: str
    version_number: int | None
    fields: str


@dataclass(frozen=True)
class PipSnapshot:
    """One version as the editor shows it; `values` uses the keys of SCALAR_FIELDS and text.<part>."""

    client_id: uuid.UUID
    client_name: str
    asylum: bool
    document_language: str | None
    pip_id: uuid.UUID
    version_id: uuid.UUID
    number: int
    state: PipState
    reason: ChangeReason
    previous_route: Leerroute | None
    advised_route: Leerroute | None
    advice_explanation: str
    learnability_score: int | None
    values: dict[str, Any]
    translations: dict[str, TextEntry]
    signed_by_client_on: dt.date | None
    signed_by_klantmanager_on: dt.date | None
    signed_by_interpreter_on: dt.date | None
    adopted_on: dt.date | None
    adopted_by: str
    first_adopted_on: dt.date | None
    actions: list[PipAction]
    problems: list[str]
    deadlines: list[DeadlineStatus]
    deadline_notes: list[str]
    versions: list[VersionSummary] = field(default_factory=list)
    # The client's whole term (app/services/pip/term.py): voortgangsgesprekken held, registered
    # extensions, DUO's exemptions and the objections against the PIP in force.
    meetings: tuple[HeldMeeting, ...] = ()
    extensions: tuple[TermExtensionEntry, ...] = ()
    exemptions: tuple[ExemptionEntry, ...] = ()
    objections: tuple[ObjectionEntry, ...] = ()
    # Before signing: each legally required part still missing, with its part of the plan
    # (app/domain/pip_lifecycle.py PLAN_SECTIONS), for the editor's section list.
    missing: tuple[tuple[str, str], ...] = ()

    @property
    def editable(self) -> bool:
        return self.state is PipState.CONCEPT

    @property
    def state_label(self) -> str:
        return _(STATE_LABELS[self.state])


def _missing(version: PipVersion, client: Client, settings: PipSettings) -> tuple[tuple[str, str], ...]:
    term = settings.deadlines.term_months + sum(int(e.get("months", 0)) for e in version.pip.extensions)
    return tuple(missing_parts_by_section(pip_facts(version, ontzorgen_applies(client), term)))


def _offered_actions(
    session: Session,
    version: PipVersion,
    first_adoption: dt.date | None,
    state: PipState,
    today: dt.date,
    settings: PipSettings,
) -> list[PipAction]:
    """The steps of this state that the acting user may take: vaststellen and intrekken only for
    whoever may adopt (role, municipal setting, four-eyes), so no button is offered that refuses."""
    role = session.info.get("role", "")
    ctx = TransitionContext(
        actor_role=Role(role) if role in {r.value for r in Role} else Role.KLANTMANAGER,
        today=today,
        klantmanager_may_adopt=settings.klantmanager_may_adopt,
        first_adoption=first_adoption,
        settings=settings.deadlines,
        actor=str(session.info.get("actor", "")),
        drafted_by=version.created_by,
        four_eyes=settings.four_eyes,
    )
    offered = []
    for action in allowed_actions(state):
        if action in (PipAction.VASTSTELLEN, PipAction.INTREKKEN):
            try:
                check_may_adopt(action, ctx)
            except PipRefused:
                continue
        offered.append(action)
    return offered


def snapshot(session: Session, version: PipVersion, today: dt.date, settings: PipSettings) -> PipSnapshot:
    pip = version.pip
    client = load_client(session, pip.client_id)
    values: dict[str, Any] = {name: copy.deepcopy(getattr(version, name)) for name in SCALAR_FIELDS}
    for part in TextPart:
        values[text_key(part)] = get_text(version, part)
    values["ontzorgen_start"], values["ontzorgen_end"] = ontzorgen_dates(version, client.case)
    seen = session_visibility(session)
    if seen.restricted:
        # Only what the role of this unit of work may see (app/services/visibility.py): blank, not gone,
        # so a screen reads every key it knows.
        for name in [n for n in values if not seen.sees_column("pip_version", n)]:
            values[name] = type(values[name])() if isinstance(values[name], bool | list | str) else None
    facts = deadline_facts(pip, client.case, client.target_group)
    deadlines, notes = client_deadlines(facts, settings.deadlines)
    state = PipState(version.state)
    previous = previous_version(version)
    return PipSnapshot(
        client_id=client.id,
        client_name=client.display_name,
        asylum=client.target_group == TargetGroup.ASIEL.value,
        document_language=client.document_language,
        pip_id=pip.id,
        version_id=version.id,
        number=version.number,
        state=state,
        reason=ChangeReason(version.reason),
        previous_route=as_route(previous.leerroute) if previous else None,
        advised_route=as_route(version.advised_route),
        advice_explanation=version.advice_explanation
        if seen.sees_column("pip_version", "advice_explanation")
        else "",
        learnability_score=version.learnability_score,
        values=values,
        translations=copy.deepcopy(version.texts),
        signed_by_client_on=version.signed_by_client_on,
        signed_by_klantmanager_on=version.signed_by_klantmanager_on,
        signed_by_interpreter_on=version.signed_by_interpreter_on,
        adopted_on=version.adopted_on,
        adopted_by=version.adopted_by,
        first_adopted_on=pip.first_adopted_on,
        actions=_offered_actions(session, version, pip.first_adopted_on, state, today, settings),
        problems=readiness_problems(pip_facts(version)) if state is PipState.CONCEPT else [],
        missing=_missing(version, client, settings)
        if state in (PipState.CONCEPT, PipState.BESPROKEN)
        else (),
        deadlines=[deadline_status(d, today, settings.deadlines) for d in deadlines],
        deadline_notes=notes,
        meetings=tuple(HeldMeeting(m.held_on, m.held_by, m.note) for m in pip.meetings),
        extensions=term_extensions(pip.extensions),
        exemptions=exemption_entries(pip.exemptions),
        objections=objection_entries(pip.objections),
        versions=[
            VersionSummary(
                v.number,
                PipState(v.state),
                ChangeReason(v.reason),
                v.created_at,
                v.created_by,
                v.adopted_on,
                v.adopted_by,
            )
            for v in pip.versions
        ],
    )


# Column names in the audit log, as a klantmanager reads them ("who changed what").
FIELD_LABELS: dict[str, str] = {
    "state": N_("status"),
    "leerroute": N_("leerroute"),
    "period_months": N_("termijn"),
    "texts": N_("teksten"),
    "agreements": N_("afspraken"),
    "map_hours": N_("MAP-uren"),
    "map_practical_hours": N_("praktijkdeel MAP"),
    "pvt_hours": N_("PVT-uren"),
    "pvt_planned_by": N_("PVT-datum"),
    "ontzorgen": N_("ontzorgen"),
    "ontzorgen_costs": N_("vaste lasten"),
    "ontzorgen_start": N_("begin ontzorgen"),
    "ontzorgen_end": N_("einde ontzorgen"),
    "ontzorgen_form": N_("vorm ontzorgen"),
    "afschalen": N_("afschalen"),
    "afschalen_parts": N_("examenonderdelen"),
    "afschalen_months": N_("duur afschalen"),
    "maatschappelijke_begeleiding": N_("maatschappelijke begeleiding"),
    "begeleiding_by": N_("begeleiding door"),
    "childcare_needed": N_("kinderopvang"),
    "progress_interval_months": N_("interval voortgangsgesprekken"),
    "planned_meetings": N_("geplande gesprekken"),
    "taalschool": N_("taalschool"),
    "interpreter_present": N_("tolk aanwezig"),
    "interpreter_name": N_("naam tolk"),
    "interpreter_register": N_("registernummer tolk"),
    "discussed_on": N_("besproken op"),
    "signed_by_client_on": N_("handtekening inburgeraar"),
    "signed_by_klantmanager_on": N_("handtekening klantmanager"),
    "signed_by_interpreter_on": N_("handtekening tolk"),
    "adopted_on": N_("vastgesteld op"),
    "adopted_by": N_("vastgesteld door"),
    "withdrawn_on": N_("ingetrokken op"),
    "withdrawn_by": N_("ingetrokken door"),
    "first_adopted_on": N_("eerste vaststelling"),
    "extensions": N_("verlengingen"),
    "progress_meetings": N_("gehouden gesprekken"),
    "exemptions": N_("ontheffingen"),
    "objections": N_("bezwaar en beroep"),
    "in_force_number": N_("geldende versie"),
}
# Bookkeeping copies on the Pip record; not worth a line in the history.
_HIDDEN_FIELDS = {"current_number", "current_state", "current_route", "switched"}


def _readable_fields(detail: str) -> str:
    names = [name for name in detail.split(",") if name and name not in _HIDDEN_FIELDS]
    return ", ".join(_(FIELD_LABELS[name]) if name in FIELD_LABELS else name for name in names)


def version_history(session: Session, client_id: uuid.UUID) -> list[HistoryEntry]:
    """Who changed what in every version (field names, never values), oldest first."""
    pip = get_pip(session, client_id)
    if pip is None:
        return []
    numbers = {v.id: v.number for v in pip.versions}
    # Progress records of the term (app/models/progress.py) show as what was recorded.
    progress = (
        {m.id: N_("voortgangsgesprek") for m in pip.meetings}
        | {m.id: N_("MAP of PVT") for m in pip.modules}
        | {e.id: N_("examenuitslag") for e in pip.exams}
        | {h.id: N_("uren Z-route") for h in pip.hours}
    )
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_id.in_([pip.id, *numbers, *progress]))
        .order_by(AuditEntry.id)
    ).all()
    history = []
    for e in entries:
        fields = _(progress[e.entity_id]) if e.entity_id in progress else _readable_fields(e.detail)
        if e.detail and not fields:
            continue  # only bookkeeping changed
        history.append(
            HistoryEntry(
                e.at, e.actor, e.role, e.action, numbers.get(e.entity_id) if e.entity_id else None, fields
            )
        )
    return history


class PipService(PipWork):
    """What the PIP editor calls: every method is one unit of work and returns plain values."""

    def _may_change(self, client_id: uuid.UUID | None = None, version_id: uuid.UUID | None = None) -> None:
        if self.role is Role.INTERPRETER:
            raise PipRefused(
                _(
                    "Een tolk kan het PIP niet wijzigen; de tolk beoordeelt alleen de vertalingen van de teksten."
                )
            )
        with self._session() as session:  # a moved client's case is closed here (verhuizing)
            if version_id is not None:
                version = session.get(PipVersion, version_id)
                client_id = version.pip.client_id if version is not None else None
            if client_id is not None:
                refuse_if_moved(session, client_id)

    def current(self, client_id: uuid.UUID, today: dt.date | None = None) -> PipSnapshot | None:
        with self._session() as session:
            pip = get_pip(session, client_id)
            if pip is None:
                return None
            return snapshot(session, latest_version(pip), today or dt.date.today(), self.settings)

    def version(self, client_id: uuid.UUID, number: int, today: dt.date | None = None) -> PipSnapshot:
        with self._session() as session:
            pip = get_pip(session, client_id)
            match = [v for v in (pip.versions if pip else []) if v.number == number]
            if not match:
                raise PipNotFound(_("Deze PIP-versie bestaat niet; kies een versie uit de lijst."))
            return snapshot(session, match[0], today or dt.date.today(), self.settings)

    def draft(self, client_id: uuid.UUID, today: dt.date | None = None) -> PipSnapshot:
        self._may_change(client_id=client_id)
        today = today or dt.date.today()
        with self._session() as session:
            version = draft_pip(session, client_id, self.actor, today, self.settings)
            return snapshot(session, version, today, self.settings)

    def open_or_draft(self, client_id: uuid.UUID, today: dt.date | None = None) -> PipSnapshot:
        return self.current(client_id, today) or self.draft(client_id, today)

    def save(
        self, version_id: uuid.UUID, changes: Mapping[str, Any], today: dt.date | None = None
    ) -> PipSnapshot:
        self._may_change(version_id=version_id)
        today = today or dt.date.today()
        with self._session() as session:
            version = update_version(session, version_id, changes)
            return snapshot(session, version, today, self.settings)

    def act(
        self,
        version_id: uuid.UUID,
        action: PipAction,
        today: dt.date | None = None,
        signatures: Signatures | None = None,
    ) -> PipSnapshot:
        self._may_change(version_id=version_id)
        today = today or dt.date.today()
        with self._session() as session:
            apply_action(session, version_id, action, self.actor, self.role, today, self.settings, signatures)
            return snapshot(session, load_version(session, version_id), today, self.settings)

    def new_version(
        self, client_id: uuid.UUID, reason: ChangeReason, explanation: str = "", today: dt.date | None = None
    ) -> PipSnapshot:
        self._may_change(client_id=client_id)
        today = today or dt.date.today()
        with self._session() as session:
            version = new_version(session, client_id, reason, self.actor, today, self.settings, explanation)
            return snapshot(session, version, today, self.settings)

    def record_meeting(
        self, client_id: uuid.UUID, on: dt.date, note: str = "", today: dt.date | None = None
    ) -> PipSnapshot:
        """A voortgangsgesprek was held: the next one is counted from it."""
        self._may_change(client_id=client_id)
        today = today or dt.date.today()
        with self._session() as session:
            add_meeting(session, client_id, on, self.actor, today, note=note)
            pip = get_pip(session, client_id)
            assert pip is not None
            return snapshot(session, latest_version(pip), today, self.settings)

    def register_extension(
        self, client_id: uuid.UUID, months: int, days: int, reason: str, today: dt.date | None = None
    ) -> PipSnapshot:
        """A registered extension of the inburgeringstermijn (moves only the term end)."""
        self._may_change(client_id=client_id)
        today = today or dt.date.today()
        with self._session() as session:
            register_extension(
                session,
                client_id,
                months,
                days,
                reason,
                self.actor,
                today,
                self.role,
                self.settings.deadlines,
            )
            pip = get_pip(session, client_id)
            assert pip is not None
            return snapshot(session, latest_version(pip), today, self.settings)

    def record_benefit(
        self, client_id: uuid.UUID, benefit: Benefit, start: dt.date | None, today: dt.date | None = None
    ) -> PipSnapshot | None:
        """The client's benefit (bijstand and its first day): ontzorgen follows it."""
        self._may_change(client_id=client_id)
        today = today or dt.date.today()
        with self._session() as session:
            record_benefit(session, client_id, benefit, start)
            pip = get_pip(session, client_id)
            return snapshot(session, latest_version(pip), today, self.settings) if pip else None

    def record_exemption(
        self,
        client_id: uuid.UUID,
        kind: str,
        decided_on: dt.date,
        parts: list[str],
        today: dt.date | None = None,
    ) -> PipSnapshot:
        """DUO's ontheffing: no parts named ends the whole duty, otherwise those parts."""
        self._may_change(client_id=client_id)
        today = today or dt.date.today()
        with self._session() as session:
            record_exemption(session, client_id, kind, decided_on, parts, self.actor, today)
            return self._latest(session, client_id, today)

    def record_objection(
        self, client_id: uuid.UUID, made_known_on: dt.date, received_on: dt.date, today: dt.date | None = None
    ) -> PipSnapshot:
        self._may_change(client_id=client_id)
        today = today or dt.date.today()
        with self._session() as session:
            record_objection(session, client_id, made_known_on, received_on, self.actor, today)
            return self._latest(session, client_id, today)

    def decide_objection(
        self,
        client_id: uuid.UUID,
        index: int,
        outcome: ObjectionOutcome,
        decided_on: dt.date,
        explanation: str = "",
        today: dt.date | None = None,
    ) -> PipSnapshot:
        """Gegrond: the snapshot is the new concept version that follows from it."""
        self._may_change(client_id=client_id)
        today = today or dt.date.today()
        with self._session() as session:
            decide_objection(
                session, client_id, index, outcome, decided_on, explanation, self.actor, today, self.settings
            )
            return self._latest(session, client_id, today)

    def record_appeal(
        self, client_id: uuid.UUID, index: int, filed_on: dt.date, today: dt.date | None = None
    ) -> PipSnapshot:
        self._may_change(client_id=client_id)
        today = today or dt.date.today()
        with self._session() as session:
            record_appeal(session, client_id, index, filed_on, today)
            return self._latest(session, client_id, today)

    def record_appeal_ruling(
        self,
        client_id: uuid.UUID,
        index: int,
        outcome: ObjectionOutcome,
        ruled_on: dt.date,
        explanation: str = "",
        today: dt.date | None = None,
    ) -> PipSnapshot:
        """The court's ruling ends the appeal; gegrond: the snapshot is the new concept version."""
        self._may_change(client_id=client_id)
        today = today or dt.date.today()
        with self._session() as session:
            record_appeal_ruling(
                session, client_id, index, outcome, ruled_on, explanation, self.actor, today, self.settings
            )
            return self._latest(session, client_id, today)

    def _latest(self, session: Session, client_id: uuid.UUID, today: dt.date) -> PipSnapshot:
        pip = get_pip(session, client_id)
        assert pip is not None
        return snapshot(session, latest_version(pip), today, self.settings)

    def history(self, client_id: uuid.UUID) -> list[HistoryEntry]:
        with self._session() as session:
            return version_history(session, client_id)

    def next_deadline(self, client_id: uuid.UUID, today: dt.date | None = None) -> DeadlineStatus | None:
        with self._session() as session:
            client = load_client(session, client_id)
            facts = deadline_facts(get_pip(session, client_id), client.case, client.target_group)
            return next_deadline(facts, today or dt.date.today(), self.settings.deadlines)


# -- right of access: the PIP's section of `wegwijs export` (composed in app/services/clients.py) ----


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return copy.deepcopy(value)


def export_pip(session: Session, client: Client) -> dict[str, Any] | None:
    """The client's PIP with every version (AVG right of access), for `wegwijs export`."""
    pip = get_pip(session, client.id)
    if pip is None:
        return None
    seen = session_visibility(session)  # only what the role of this unit of work may see
    skip = {"pip_id"} | {
        c.key for c in PipVersion.__table__.columns if not seen.sees_column("pip_version", c.key)
    }
    return {
        "id": str(pip.id),
        "eerste_vaststelling": _plain(pip.first_adopted_on),
        "verlengingen": _plain(pip.extensions),
        **export_progress(session, pip),
        "ontheffingen": _plain(pip.exemptions),
        "bezwaren": _plain(pip.objections),
        "versies": [
            {c.key: _plain(getattr(v, c.key)) for c in PipVersion.__table__.columns if c.key not in skip}
            for v in pip.versions
        ],
    }
