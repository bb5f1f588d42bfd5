"""The PIP use cases: draft, edit, transitions, new versions, deadlines for the caseload.

The GUI and the CLI call `PipService` (which opens its own units of work) and get plain snapshots
back, never ORM objects. The rules themselves live in app/domain/pip_lifecycle.py and
app/domain/deadlines.py; this module applies them to stored versions.
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
    DEFAULT_SETTINGS,
    ClientDeadlineFacts,
    DeadlineSettings,
    DeadlineStatus,
    TermExtension,
    client_deadlines,
    deadline_status,
    next_deadline,
    ontzorgen_end,
)
from app.domain.enums import Leerroute, Role, TargetGroup
from app.domain.errors import WegwijsError
from app.domain.pip_lifecycle import (
    STATE_LABELS,
    ChangeReason,
    ExamPart,
    PipAction,
    PipFacts,
    PipRefused,
    PipState,
    TransitionContext,
    allowed_actions,
    check_editable,
    check_new_version,
    check_transition,
    readiness_problems,
    route_label,
)
from app.i18n import _
from app.models.client import Case, Client
from app.models.intake import Intake, IntakeStatus
from app.models.journal import AuditEntry
from app.models.pip import AGREEMENT_STATUS_LABELS as AGREEMENT_STATUS_LABELS
from app.models.pip import FIXED_COST_LABELS as FIXED_COST_LABELS
from app.models.pip import ONTZORGEN_FORM_LABELS as ONTZORGEN_FORM_LABELS
from app.models.pip import TEXT_PART_LABELS as TEXT_PART_LABELS
from app.models.pip import FixedCost, OntzorgenForm, Pip, PipVersion, TextEntry, TextPart
from app.models.store import Store

# Law and common practice for the prefill; every value stays editable in the PIP.
DEFAULT_PERIOD_MONTHS = 36
DEFAULT_MAP_HOURS = 64
DEFAULT_BEGELEIDING_BY = "VluchtelingenWerk"


class PipNotFound(WegwijsError):
    pass


@dataclass(frozen=True)
class PipSettings:
    """The municipal choices that touch the PIP, read from the profile's options."""

    klantmanager_may_adopt: bool = False
    deadlines: DeadlineSettings = DEFAULT_SETTINGS

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> PipSettings:
        deadlines = DeadlineSettings(
            progress_interval_months=int(options.get("progress_interval_months", 3)),
            due_soon_days=int(options.get("due_soon_days", 14)),
        )
        return cls(bool(options.get("klantmanager_may_adopt", False)), deadlines)


# The fields a concept may change, with the Python type each value must have (None allowed).
SCALAR_FIELDS: dict[str, tuple[type, ...]] = {
    "leerroute": (str,),
    "period_months": (int,),
    "maatschappelijke_begeleiding": (bool,),
    "begeleiding_by": (str,),
    "childcare_needed": (bool,),
    "map_hours": (int,),
    "map_practical_hours": (int,),
    "pvt_hours": (int,),
    "pvt_planned_by": (dt.date,),
    "ontzorgen": (bool,),
    "ontzorgen_costs": (list,),
    "ontzorgen_start": (dt.date,),
    "ontzorgen_end": (dt.date,),
    "ontzorgen_form": (str,),
    "afschalen": (bool,),
    "afschalen_parts": (list,),
    "afschalen_months": (int,),
    "progress_interval_months": (int,),
    "planned_meetings": (list,),
    "taalschool": (str,),
    "discussed_on": (dt.date,),
    "interpreter_present": (bool,),
    "interpreter_name": (str,),
    "interpreter_register": (str,),
    "agreements": (list,),
}
_NOT_NULL = {"begeleiding_by", "taalschool", "interpreter_name", "interpreter_register"}
TEXT_PREFIX = "text."


def text_key(part: TextPart) -> str:
    return TEXT_PREFIX + part.value


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

    @property
    def editable(self) -> bool:
        return self.state is PipState.CONCEPT

    @property
    def state_label(self) -> str:
        return _(STATE_LABELS[self.state])

    @property
    def deviates(self) -> bool:
        chosen = self.values.get("leerroute")
        return bool(self.advised_route and chosen and chosen != self.advised_route.value)


# -- reading -------------------------------------------------------------------------------------


def get_pip(session: Session, client_id: uuid.UUID) -> Pip | None:
    return session.scalars(select(Pip).where(Pip.client_id == client_id)).first()


def latest_version(pip: Pip) -> PipVersion:
    return max(pip.versions, key=lambda v: v.number)


def _version(session: Session, version_id: uuid.UUID) -> PipVersion:
    version = session.get(PipVersion, version_id)
    if version is None:
        raise PipNotFound(_("Deze PIP-versie bestaat niet (meer); open het PIP opnieuw vanuit de caseload."))
    return version


def _client(session: Session, client_id: uuid.UUID) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        raise PipNotFound(_("Deze cliënt bestaat niet (meer); kies een cliënt in de caseload."))
    return client


def _previous(version: PipVersion) -> PipVersion | None:
    older = [v for v in version.pip.versions if v.number < version.number]
    return max(older, key=lambda v: v.number) if older else None


def _route(value: str | None) -> Leerroute | None:
    return Leerroute(value) if value else None


def get_text(version: PipVersion, part: TextPart) -> str:
    entry = version.texts.get(part.value) or {}
    return str(entry.get("nl", ""))


def pip_facts(version: PipVersion) -> PipFacts:
    previous = _previous(version)
    return PipFacts(
        chosen_route=_route(version.leerroute),
        advised_route=_route(version.advised_route),
        onderbouwing=get_text(version, TextPart.ONDERBOUWING),
        final_goal=get_text(version, TextPart.FINAL_GOAL),
        period_months=version.period_months,
        reason=ChangeReason(version.reason),
        previous_route=_route(previous.leerroute) if previous else None,
        afschalen=version.afschalen,
        afschalen_parts=frozenset(ExamPart(p) for p in version.afschalen_parts),
        interpreter_present=version.interpreter_present,
        signed_by_client=version.signed_by_client_on is not None,
        signed_by_klantmanager=version.signed_by_klantmanager_on is not None,
        signed_by_interpreter=version.signed_by_interpreter_on is not None,
    )


def deadline_facts(pip: Pip | None, case: Case | None, target_group: str) -> ClientDeadlineFacts:
    meetings = [dt.date.fromisoformat(m["date"]) for m in (pip.progress_meetings if pip else [])]
    return ClientDeadlineFacts(
        housing=case.huisvestingsdatum if case else None,
        first_adoption=pip.first_adopted_on if pip else None,
        pip_in_force=bool(pip and pip.in_force_number is not None),
        asylum=target_group == TargetGroup.ASIEL.value,
        extensions=tuple(
            TermExtension(int(e.get("months", 0)), int(e.get("days", 0)), str(e.get("reason", "")))
            for e in (pip.extensions if pip else [])
        ),
        last_progress_meeting=max(meetings) if meetings else None,
        switched=bool(pip and pip.switched),
    )


def snapshot(session: Session, version: PipVersion, today: dt.date, settings: PipSettings) -> PipSnapshot:
    pip = version.pip
    client = _client(session, pip.client_id)
    values: dict[str, Any] = {name: copy.deepcopy(getattr(version, name)) for name in SCALAR_FIELDS}
    for part in TextPart:
        values[text_key(part)] = get_text(version, part)
    facts = deadline_facts(pip, client.case, client.target_group)
    deadlines, notes = client_deadlines(facts, settings.deadlines)
    state = PipState(version.state)
    previous = _previous(version)
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
        previous_route=_route(previous.leerroute) if previous else None,
        advised_route=_route(version.advised_route),
        advice_explanation=version.advice_explanation,
        learnability_score=version.learnability_score,
        values=values,
        translations=copy.deepcopy(version.texts),
        signed_by_client_on=version.signed_by_client_on,
        signed_by_klantmanager_on=version.signed_by_klantmanager_on,
        signed_by_interpreter_on=version.signed_by_interpreter_on,
        adopted_on=version.adopted_on,
        adopted_by=version.adopted_by,
        first_adopted_on=pip.first_adopted_on,
        actions=allowed_actions(state),
        problems=readiness_problems(pip_facts(version)) if state is PipState.CONCEPT else [],
        deadlines=[deadline_status(d, today, settings.deadlines) for d in deadlines],
        deadline_notes=notes,
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


def version_history(session: Session, client_id: uuid.UUID) -> list[HistoryEntry]:
    """Who changed what in every version (field names, never values), oldest first."""
    pip = get_pip(session, client_id)
    if pip is None:
        return []
    numbers = {v.id: v.number for v in pip.versions}
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity_id.in_([pip.id, *numbers])).order_by(AuditEntry.id)
    ).all()
    return [
        HistoryEntry(
            e.at, e.actor, e.role, e.action, numbers.get(e.entity_id) if e.entity_id else None, e.detail
        )
        for e in entries
    ]


# -- drafting and editing ------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakePrefill:
    """What the brede intake hands to the PIP: the route advice with its reasons, and a few answers."""

    advised_route: Leerroute | None = None
    explanation: str = ""
    chosen_route: Leerroute | None = None
    justification: str = ""
    score: int | None = None
    childcare_needed: bool | None = None
    begeleiding: bool | None = None
    ontzorgen_form: str | None = None


def _answer(answers: Mapping[str, Any], field_id: str) -> Any:
    entry = answers.get(field_id)
    return entry.get("value") if isinstance(entry, Mapping) else None


def intake_prefill(session: Session, client_id: uuid.UUID) -> IntakePrefill | None:
    """From the client's most recent intake (a concluded one first), if there is one."""
    intakes = session.scalars(select(Intake).where(Intake.client_id == client_id)).all()
    if not intakes:
        return None
    intake = max(
        intakes, key=lambda i: (i.status == IntakeStatus.CONCLUDED.value, i.started_on, i.created_at)
    )
    answers = intake.answers or {}
    try:
        score: int | None = int(_answer(answers, "toets_score"))
    except (TypeError, ValueError):
        score = None
    form = _answer(answers, "ontzorgen")
    forms = {"vaste_lasten": "vaste_lasten", "budgetbeheer": "budgetbeheer", "afwijkend": "andere_vorm"}
    childcare = _answer(answers, "kinderopvang_nodig")
    begeleiding = _answer(answers, "maatschappelijke_begeleiding")
    return IntakePrefill(
        advised_route=_route(intake.advised_route),
        explanation=" ".join(intake.advice_reasons or []),
        chosen_route=_route(intake.chosen_route),
        justification=intake.route_justification or "",
        score=score,
        childcare_needed=childcare if isinstance(childcare, bool) else None,
        begeleiding=begeleiding if isinstance(begeleiding, bool) else None,
        ontzorgen_form=forms.get(form) if isinstance(form, str) else None,
    )


def _entry(text: str, language: str | None, previous: Mapping[str, Any] | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = dict(previous or {})
    # A changed Dutch text makes its translation stale: the interpreter must review it again.
    if entry.get("nl") != text and entry.get("translation"):
        entry["review"] = {"status": "verouderd"}
    entry["nl"] = text
    entry.setdefault("lang", language)
    entry.setdefault("translation", "")
    return entry


def draft_pip(
    session: Session, client_id: uuid.UUID, actor: str, today: dt.date, settings: PipSettings | None = None
) -> PipVersion:
    """A first concept for the client, prefilled from the intake and the case."""
    settings = settings or PipSettings()
    client = _client(session, client_id)
    existing = get_pip(session, client_id)
    check_new_version(
        PipState(latest_version(existing).state) if existing else None, ChangeReason.EERSTE, today, None
    )
    asylum = client.target_group == TargetGroup.ASIEL.value
    housing = client.case.huisvestingsdatum if client.case else None
    intake = intake_prefill(session, client_id) or IntakePrefill()
    route = intake.chosen_route or intake.advised_route
    # The intake may say ontzorgen is not needed ("niet"); otherwise asylum statushouders get it.
    ontzorgen = asylum and intake.ontzorgen_form != "niet"
    begeleiding = asylum and intake.begeleiding is not False
    language = client.document_language
    texts: dict[str, Any] = {}
    if intake.justification:
        texts[TextPart.ONDERBOUWING.value] = _entry(intake.justification, language)
    pip = Pip(client_id=client.id, extensions=[], progress_meetings=[], current_number=1)
    version = PipVersion(
        pip=pip,
        number=1,
        state=PipState.CONCEPT.value,
        reason=ChangeReason.EERSTE.value,
        created_by=actor,
        advised_route=intake.advised_route.value if intake.advised_route else None,
        advice_explanation=intake.explanation,
        learnability_score=intake.score,
        leerroute=route.value if route else None,
        period_months=DEFAULT_PERIOD_MONTHS,
        maatschappelijke_begeleiding=begeleiding,
        begeleiding_by=DEFAULT_BEGELEIDING_BY if begeleiding else "",
        childcare_needed=bool(intake.childcare_needed),
        map_hours=DEFAULT_MAP_HOURS,
        ontzorgen=ontzorgen,
        ontzorgen_costs=[
            FixedCost.HUUR.value,
            FixedCost.ENERGIE.value,
            FixedCost.WATER.value,
            FixedCost.ZORGVERZEKERING.value,
        ]
        if ontzorgen
        else [],
        ontzorgen_start=housing if ontzorgen else None,
        ontzorgen_end=ontzorgen_end(housing, settings.deadlines) if ontzorgen else None,
        ontzorgen_form=(intake.ontzorgen_form or OntzorgenForm.VASTE_LASTEN.value) if ontzorgen else None,
        progress_interval_months=settings.deadlines.progress_interval_months,
        planned_meetings=[],
        texts=texts,
        agreements=[],
    )
    pip.current_route = version.leerroute
    session.add(pip)
    session.flush()
    return version


def update_version(session: Session, version_id: uuid.UUID, changes: Mapping[str, Any]) -> PipVersion:
    """Apply field changes to a concept; anything but a concept is refused (immutable once adopted)."""
    version = _version(session, version_id)
    check_editable(PipState(version.state))
    language = _client(session, version.pip.client_id).document_language
    texts = copy.deepcopy(version.texts)
    for key, value in changes.items():
        if key.startswith(TEXT_PREFIX):
            part = TextPart(key[len(TEXT_PREFIX) :])
            texts[part.value] = _entry(str(value or ""), language, texts.get(part.value))
            continue
        if key not in SCALAR_FIELDS:
            raise ValueError(f"unknown PIP field {key!r}")
        if value is None and key in _NOT_NULL:
            value = ""
        if value is not None and not isinstance(value, SCALAR_FIELDS[key]):
            raise TypeError(f"PIP field {key!r} expects {SCALAR_FIELDS[key]}, got {type(value).__name__}")
        if key == "leerroute" and value is not None:
            Leerroute(str(value))  # refuse unknown routes early
        setattr(version, key, copy.deepcopy(value))
    if texts != version.texts:
        version.texts = texts
    if version.number == version.pip.current_number:
        version.pip.current_route = version.leerroute
    session.flush()
    return version


def set_translation(
    session: Session, version_id: uuid.UUID, part: TextPart, language: str, text: str
) -> None:
    """The interpreter review fills translations; allowed in every state but adopted ones."""
    version = _version(session, version_id)
    if PipState(version.state) in (PipState.VASTGESTELD, PipState.VERVANGEN, PipState.INGETROKKEN):
        check_editable(PipState(version.state))
    texts = copy.deepcopy(version.texts)
    entry = dict(texts.get(part.value) or {"nl": ""})
    entry.update(lang=language, translation=text, review={"status": "niet_beoordeeld"})
    texts[part.value] = entry
    version.texts = texts
    session.flush()


# -- transitions and versions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Signatures:
    client_on: dt.date | None = None
    klantmanager_on: dt.date | None = None
    interpreter_on: dt.date | None = None


def apply_action(
    session: Session,
    version_id: uuid.UUID,
    action: PipAction,
    actor: str,
    role: Role,
    today: dt.date,
    settings: PipSettings | None = None,
    signatures: Signatures | None = None,
) -> PipState:
    """One step of the lifecycle; refused steps raise PipRefused and change nothing."""
    settings = settings or PipSettings()
    version = _version(session, version_id)
    pip = version.pip
    if action is PipAction.ONDERTEKENEN and signatures is not None:
        version.signed_by_client_on = signatures.client_on
        version.signed_by_klantmanager_on = signatures.klantmanager_on
        version.signed_by_interpreter_on = signatures.interpreter_on
    ctx = TransitionContext(
        actor_role=role,
        today=today,
        klantmanager_may_adopt=settings.klantmanager_may_adopt,
        first_adoption=pip.first_adopted_on,
        settings=settings.deadlines,
    )
    target = check_transition(PipState(version.state), action, pip_facts(version), ctx)
    if action is PipAction.BESPREKEN and version.discussed_on is None:
        version.discussed_on = today
    if action is PipAction.HEROPENEN:
        version.signed_by_client_on = version.signed_by_klantmanager_on = version.signed_by_interpreter_on = (
            None
        )
    if action is PipAction.VASTSTELLEN:
        version.adopted_on, version.adopted_by = today, actor
        for other in pip.versions:
            if other is not version and other.state == PipState.VASTGESTELD.value:
                other.state = PipState.VERVANGEN.value
        if pip.first_adopted_on is None:
            pip.first_adopted_on = today
        pip.in_force_number = version.number
        if version.reason == ChangeReason.SCHAKELEN.value:
            pip.switched = True
    if action is PipAction.INTREKKEN:
        version.withdrawn_on, version.withdrawn_by = today, actor
        pip.in_force_number = None
    version.state = target.value
    if version.number == pip.current_number:
        pip.current_state = target.value
    session.flush()
    return target


def new_version(
    session: Session,
    client_id: uuid.UUID,
    reason: ChangeReason,
    actor: str,
    today: dt.date,
    settings: PipSettings | None = None,
    explanation: str = "",
) -> PipVersion:
    """A new concept copied from the latest version, for a reason the law allows now."""
    settings = settings or PipSettings()
    pip = get_pip(session, client_id)
    if pip is None:
        check_new_version(None, reason, today, None, settings.deadlines)
        raise AssertionError("unreachable")  # check_new_version refuses every reason but EERSTE
    base = latest_version(pip)
    check_new_version(PipState(base.state), reason, today, pip.first_adopted_on, settings.deadlines)
    skip = {"id", "version", "created_at", "updated_at", "pip_id", "pip"}
    columns = [c.key for c in PipVersion.__table__.columns if c.key not in skip]
    copied = {name: copy.deepcopy(getattr(base, name)) for name in columns}
    version = PipVersion(**copied)
    version.pip = pip
    session.add(version)
    version.number = base.number + 1
    version.state = PipState.CONCEPT.value
    version.reason = reason.value
    version.created_by = actor
    for name in (
        "discussed_on",
        "signed_by_client_on",
        "signed_by_klantmanager_on",
        "signed_by_interpreter_on",
        "adopted_on",
        "withdrawn_on",
    ):
        setattr(version, name, None)
    version.adopted_by = version.withdrawn_by = ""
    if reason is ChangeReason.AFSCHALEN:
        version.afschalen = True
    texts = copy.deepcopy(version.texts)
    texts[TextPart.REASON.value] = _entry(explanation, _client(session, client_id).document_language)
    version.texts = texts
    pip.current_number = version.number
    pip.current_state = PipState.CONCEPT.value
    session.flush()
    return version


def record_progress_meeting(
    session: Session, client_id: uuid.UUID, on: dt.date, actor: str, note: str = ""
) -> None:
    pip = get_pip(session, client_id)
    if pip is None or pip.first_adopted_on is None:
        raise PipRefused(_("Een voortgangsgesprek hoort bij een vastgesteld PIP; stel eerst het PIP vast."))
    pip.progress_meetings = [*pip.progress_meetings, {"date": on.isoformat(), "by": actor, "note": note}]
    session.flush()


def register_extension(
    session: Session, client_id: uuid.UUID, months: int, days: int, reason: str, actor: str, on: dt.date
) -> None:
    pip = get_pip(session, client_id)
    if pip is None or pip.first_adopted_on is None:
        raise PipRefused(
            _("De inburgeringstermijn begint pas na het vaststellen van het PIP; stel eerst het PIP vast.")
        )
    if months < 0 or days < 0 or months + days == 0:
        raise PipRefused(
            _("Een verlenging is een positief aantal maanden of dagen; vul de verlenging opnieuw in.")
        )
    entry = {"months": months, "days": days, "reason": reason, "registered_on": on.isoformat(), "by": actor}
    pip.extensions = [*pip.extensions, entry]
    session.flush()


# -- the caseload --------------------------------------------------------------------------------


def caseload_status(session: Session, client_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """Status, leerroute and deadline facts per client (a StatusProvider for app.services.clients)."""
    if not client_ids:
        return {}
    rows = session.execute(
        select(Pip, Case, Client.target_group)
        .join(Client, Client.id == Pip.client_id)
        .join(Case, Case.client_id == Pip.client_id, isouter=True)
    ).all()
    wanted = set(client_ids)
    result: dict[uuid.UUID, dict[str, Any]] = {}
    for pip, case, target_group in rows:
        if pip.client_id not in wanted:
            continue
        state = PipState(pip.current_state)
        status = _("PIP {state}").format(state=_(STATE_LABELS[state]))
        if pip.current_number > 1:
            status = _("PIP {state} (versie {number})").format(
                state=_(STATE_LABELS[state]), number=pip.current_number
            )
        result[pip.client_id] = {
            "status": status,
            "pip_state": state.value,
            "leerroute": route_label(pip.current_route) if pip.current_route else "",
            "facts": deadline_facts(pip, case, target_group),
        }
    return result


class PipService:
    """What the PIP editor calls: every method is one unit of work and returns plain values."""

    def __init__(self, store: Store, actor: str, role: Role, settings: PipSettings | None = None) -> None:
        self.store = store
        self.actor = actor
        self.role = role
        self.settings = settings or PipSettings()

    def _session(self) -> Any:
        return self.store.session(actor=self.actor, role=self.role.value)

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
        today = today or dt.date.today()
        with self._session() as session:
            version = draft_pip(session, client_id, self.actor, today, self.settings)
            return snapshot(session, version, today, self.settings)

    def open_or_draft(self, client_id: uuid.UUID, today: dt.date | None = None) -> PipSnapshot:
        return self.current(client_id, today) or self.draft(client_id, today)

    def save(
        self, version_id: uuid.UUID, changes: Mapping[str, Any], today: dt.date | None = None
    ) -> PipSnapshot:
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
        today = today or dt.date.today()
        with self._session() as session:
            apply_action(session, version_id, action, self.actor, self.role, today, self.settings, signatures)
            return snapshot(session, _version(session, version_id), today, self.settings)

    def new_version(
        self, client_id: uuid.UUID, reason: ChangeReason, explanation: str = "", today: dt.date | None = None
    ) -> PipSnapshot:
        today = today or dt.date.today()
        with self._session() as session:
            version = new_version(session, client_id, reason, self.actor, today, self.settings, explanation)
            return snapshot(session, version, today, self.settings)

    def history(self, client_id: uuid.UUID) -> list[HistoryEntry]:
        with self._session() as session:
            return version_history(session, client_id)

    def next_deadline(self, client_id: uuid.UUID, today: dt.date | None = None) -> DeadlineStatus | None:
        with self._session() as session:
            client = _client(session, client_id)
            facts = deadline_facts(get_pip(session, client_id), client.case, client.target_group)
            return next_deadline(facts, today or dt.date.today(), self.settings.deadlines)


# -- right of access, demo data: registered with the shared services ------------------------------


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
    skip = {"pip_id"}
    return {
        "id": str(pip.id),
        "eerste_vaststelling": _plain(pip.first_adopted_on),
        "verlengingen": _plain(pip.extensions),
        "voortgangsgesprekken": _plain(pip.progress_meetings),
        "versies": [
            {c.key: _plain(getattr(v, c.key)) for c in PipVersion.__table__.columns if c.key not in skip}
            for v in pip.versions
        ],
    }


def register_with_shared_services() -> None:
    """Hook the PIP into the caseload, the export and the demo data (idempotent)."""
    global _registered
    if _registered:
        return
    from app.services.clients import register_export_section, register_status_provider
    from app.services.demo import register_demo_filler
    from app.services.pip_demo import demo_filler

    register_status_provider(caseload_status)
    register_export_section("pip", export_pip)
    register_demo_filler(demo_filler)
    _registered = True


_registered = False
