"""The PIP's records: draft, edit, transitions, new versions, deadline facts for the caseload.

Functions here take the caller's session and are internal to app/services; the GUI and the CLI call
`PipService` (app/services/pip/service.py), which opens its own units of work and returns plain
snapshots. The rules themselves live in app/domain/pip_lifecycle.py, app/domain/deadlines.py and
app/domain/eligibility.py; this module applies them to stored versions.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.deadlines import (
    DEFAULT_SETTINGS,
    ClientDeadlineFacts,
    DeadlineSettings,
    TermExtension,
    ontzorgen_end,
    ontzorgen_start,
)
from app.domain.decisions import duty_exempted_on, exempt_parts
from app.domain.eligibility import check_obliged
from app.domain.enums import Benefit, Leerroute, Role, TargetGroup
from app.domain.errors import WegwijsError
from app.domain.pip_lifecycle import (
    ChangeReason,
    ExamPart,
    PipAction,
    PipFacts,
    PipRefused,
    PipState,
    PlanParts,
    TransitionContext,
    check_change_explanation,
    check_editable,
    check_new_version,
    check_transition,
    pip_in_force,
    signature_date_problems,
)
from app.domain.pip_plan import AGREEMENT_STATUS_LABELS as AGREEMENT_STATUS_LABELS
from app.domain.pip_plan import FIXED_COST_LABELS as FIXED_COST_LABELS
from app.domain.pip_plan import ONTZORGEN_FORM_LABELS as ONTZORGEN_FORM_LABELS
from app.domain.pip_plan import FixedCost, OntzorgenForm
from app.i18n import _
from app.models.client import Case, Client
from app.models.pip import TEXT_PART_LABELS as TEXT_PART_LABELS
from app.models.pip import Pip, PipVersion, TextPart
from app.services.pip.prefill import IntakePrefill, as_route, intake_prefill

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
    # The vier-ogenprincipe (a municipal choice, on by default; a klantmanager never adopts their own).
    four_eyes: bool = True

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> PipSettings:
        deadlines = DeadlineSettings(
            progress_interval_months=int(options.get("progress_interval_months", 3)),
            due_soon_days=int(options.get("due_soon_days", 14)),
            max_extension_months=int(options.get("max_extension_months", 24)),
        )
        return cls(
            bool(options.get("klantmanager_may_adopt", False)),
            deadlines,
            bool(options.get("vier_ogen", True)),
        )


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


# -- reading -------------------------------------------------------------------------------------


def get_pip(session: Session, client_id: uuid.UUID) -> Pip | None:
    return session.scalars(select(Pip).where(Pip.client_id == client_id)).first()


def latest_version(pip: Pip) -> PipVersion:
    return max(pip.versions, key=lambda v: v.number)


def load_version(session: Session, version_id: uuid.UUID) -> PipVersion:
    version = session.get(PipVersion, version_id)
    if version is None:
        raise PipNotFound(_("Deze PIP-versie bestaat niet (meer); open het PIP opnieuw vanuit de caseload."))
    return version


def load_client(session: Session, client_id: uuid.UUID) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        raise PipNotFound(_("Deze cliënt bestaat niet (meer); kies een cliënt in de caseload."))
    return client


def previous_version(version: PipVersion) -> PipVersion | None:
    older = [v for v in version.pip.versions if v.number < version.number]
    return max(older, key=lambda v: v.number) if older else None


def ontzorgen_applies(client: Client) -> bool:
    """Ontzorgen is for asylum statushouders on bijstand; while the benefit is not yet recorded (in
    the AZC) it is still planned, once another benefit is recorded it is not."""
    if client.target_group != TargetGroup.ASIEL.value:
        return False
    benefit = client.case.benefit if client.case else None
    return benefit in (None, Benefit.BIJSTAND.value)


def ontzorgen_dates(version: PipVersion, case: Case | None) -> tuple[dt.date | None, dt.date | None]:
    """The dates of ontzorgen: a date the klantmanager set stays; otherwise they follow the case (the
    benefit start, or housing while that is unknown), so a later date moves them."""
    if not version.ontzorgen:
        return None, None
    start = version.ontzorgen_start or ontzorgen_start(
        case.huisvestingsdatum if case else None, case.benefit_start if case else None
    )
    return start, version.ontzorgen_end or ontzorgen_end(start)


def check_group_parts(client: Client, changes: Mapping[str, Any]) -> None:
    """Ontzorgen and maatschappelijke begeleiding are for asylum statushouders only (DOMAIN.md "Groups")."""
    asylum = client.target_group == TargetGroup.ASIEL.value
    if changes.get("maatschappelijke_begeleiding") is True and not asylum:
        raise PipRefused(
            _(
                "Maatschappelijke begeleiding hoort bij asielstatushouders; voor deze doelgroep "
                "kan die niet in het PIP."
            )
        )
    if changes.get("ontzorgen") is True and not ontzorgen_applies(client):
        raise PipRefused(
            _(
                "Ontzorgen is alleen voor asielstatushouders met een bijstandsuitkering; "
                "voor deze cliënt kan ontzorgen niet aan."
            )
        )


def get_text(version: PipVersion, part: TextPart) -> str:
    entry = version.texts.get(part.value) or {}
    return str(entry.get("nl", ""))


def plan_parts(version: PipVersion, asylum: bool, term_months: int) -> PlanParts:
    return PlanParts(
        asylum=asylum,
        term_months=term_months,
        map_hours=version.map_hours,
        pvt_hours=version.pvt_hours,
        guidance=get_text(version, TextPart.GUIDANCE),
        maatschappelijke_begeleiding=version.maatschappelijke_begeleiding,
        preconditions=get_text(version, TextPart.PRECONDITIONS),
        childcare_needed=version.childcare_needed,
        ontzorgen=version.ontzorgen,
        ontzorgen_form=version.ontzorgen_form,
        ontzorgen_text=get_text(version, TextPart.ONTZORGEN),
        afschalen=version.afschalen,
        afschalen_months=version.afschalen_months,
        monitoring=get_text(version, TextPart.MONITORING),
        progress_interval_months=version.progress_interval_months,
        agreements=sum(
            1 for a in version.agreements or [] if str((a.get("what") or {}).get("nl", "")).strip()
        ),
        taalschool=version.taalschool or get_text(version, TextPart.TAALSCHOOL),
    )


def pip_facts(version: PipVersion, asylum: bool = True, term_months: int = 36) -> PipFacts:
    previous = previous_version(version)
    return PipFacts(
        test_outcome=version.learnability_outcome,
        change_explanation=get_text(version, TextPart.REASON),
        parts=plan_parts(version, asylum, term_months),
        chosen_route=as_route(version.leerroute),
        advised_route=as_route(version.advised_route),
        onderbouwing=get_text(version, TextPart.ONDERBOUWING),
        final_goal=get_text(version, TextPart.FINAL_GOAL),
        period_months=version.period_months,
        reason=ChangeReason(version.reason),
        previous_route=as_route(previous.leerroute) if previous else None,
        afschalen=version.afschalen,
        afschalen_parts=frozenset(ExamPart(p) for p in version.afschalen_parts),
        interpreter_present=version.interpreter_present,
        signed_by_client=version.signed_by_client_on is not None,
        signed_by_klantmanager=version.signed_by_klantmanager_on is not None,
        signed_by_interpreter=version.signed_by_interpreter_on is not None,
    )


def facts_from_columns(
    housing: dt.date | None,
    target_group: str,
    first_adopted_on: dt.date | None = None,
    in_force_number: int | None = None,
    extensions: list[dict[str, Any]] | None = None,
    last_meeting: dt.date | None = None,
    switched: bool = False,
    exemptions: list[dict[str, Any]] | None = None,
    interval_months: int | None = None,
) -> ClientDeadlineFacts:
    """Deadline facts from plain column values, so the caseload needs no ORM objects."""
    # Every stored exemption counts: one dated in the future is refused when it is registered.
    _whole, exempted = exempt_parts(exemptions or [], dt.date.max)
    return ClientDeadlineFacts(
        housing=housing,
        first_adoption=first_adopted_on,
        pip_in_force=in_force_number is not None,
        asylum=target_group == TargetGroup.ASIEL.value,
        extensions=tuple(
            TermExtension(int(e.get("months", 0)), int(e.get("days", 0)), str(e.get("reason", "")))
            for e in extensions or []
        ),
        last_progress_meeting=last_meeting,
        switched=switched,
        exempted_on=duty_exempted_on(exemptions or []),
        exempt_parts=exempted,
        progress_interval_months=interval_months,
    )


def deadline_facts(pip: Pip | None, case: Case | None, target_group: str) -> ClientDeadlineFacts:
    housing = case.huisvestingsdatum if case else None
    if pip is None:
        facts = facts_from_columns(housing, target_group)
    else:
        # Asked of the versions themselves (pip_in_force()), not of the bookkeeping copy.
        in_force = pip_in_force((v.number, v.state) for v in pip.versions)
        interval = next((v.progress_interval_months for v in pip.versions if v.number == in_force), None)
        facts = facts_from_columns(
            housing,
            target_group,
            pip.first_adopted_on,
            in_force,
            pip.extensions,
            max((m.held_on for m in pip.meetings), default=None),
            pip.switched,
            pip.exemptions,
            interval,
        )
    return dataclasses.replace(facts, benefit_start=case.benefit_start if case else None)


# -- drafting and editing ------------------------------------------------------------------------


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
    client = load_client(session, client_id)
    existing = get_pip(session, client_id)
    check_new_version(
        PipState(latest_version(existing).state) if existing else None, ChangeReason.EERSTE, today, None
    )
    check_obliged(
        client.birth_date,
        today,
        melddatum=client.case.melddatum if client.case else None,
        target_group=client.target_group,
    )
    asylum = client.target_group == TargetGroup.ASIEL.value
    intake = intake_prefill(session, client_id) or IntakePrefill()
    route = intake.chosen_route or intake.advised_route
    # The intake may say ontzorgen is not needed ("niet"); otherwise asylum statushouders get it.
    ontzorgen = ontzorgen_applies(client) and intake.ontzorgen_form != "niet"
    begeleiding = asylum and intake.begeleiding is not False
    language = client.document_language
    texts: dict[str, Any] = {}
    if intake.justification:
        texts[TextPart.ONDERBOUWING.value] = _entry(intake.justification, language)
    pip = Pip(
        client_id=client.id,
        extensions=[],
        exemptions=[],
        objections=[],
        current_number=1,
    )
    version = PipVersion(
        pip=pip,
        number=1,
        state=PipState.CONCEPT.value,
        reason=ChangeReason.EERSTE.value,
        created_by=actor,
        advised_route=intake.advised_route.value if intake.advised_route else None,
        advice_explanation=intake.explanation,
        learnability_score=intake.score,
        learnability_outcome=intake.outcome,
        drafted_on=today,
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
        # No dates frozen at draft time: they follow the housing date or the benefit start.
        ontzorgen_start=None,
        ontzorgen_end=None,
        ontzorgen_form=(intake.ontzorgen_form or OntzorgenForm.VASTE_LASTEN.value) if ontzorgen else None,
        progress_interval_months=settings.deadlines.progress_interval_months,
        # The interpreter of the intake's conversations is the likely one at the PIP's (issue 16).
        interpreter_present=bool(intake.interpreter_name),
        interpreter_name=intake.interpreter_name,
        interpreter_register=intake.interpreter_register,
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
    version = load_version(session, version_id)
    check_editable(PipState(version.state))
    client = load_client(session, version.pip.client_id)
    check_group_parts(client, changes)
    language = client.document_language
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
    version = load_version(session, version_id)
    pip = version.pip
    # Load the sibling versions before changing anything, so no autoflush splits this step in two.
    pip.versions  # noqa: B018
    asylum = ontzorgen_applies(load_client(session, pip.client_id))
    if action is PipAction.ONDERTEKENEN and signatures is not None:
        drafted = version.drafted_on or version.created_at.date()
        problems = signature_date_problems(
            {
                _("de inburgeraar"): signatures.client_on,
                _("de klantmanager"): signatures.klantmanager_on,
                _("de tolk"): signatures.interpreter_on,
            },
            drafted,
            today,
        )
        if problems:
            raise PipRefused(" ".join(problems))
        version.signed_by_client_on = signatures.client_on
        version.signed_by_klantmanager_on = signatures.klantmanager_on
        version.signed_by_interpreter_on = signatures.interpreter_on
    ctx = TransitionContext(
        actor_role=role,
        today=today,
        klantmanager_may_adopt=settings.klantmanager_may_adopt,
        first_adoption=pip.first_adopted_on,
        settings=settings.deadlines,
        actor=actor,
        drafted_by=version.created_by,
        four_eyes=settings.four_eyes,
    )
    term = settings.deadlines.term_months + sum(int(e.get("months", 0)) for e in pip.extensions)
    target = check_transition(PipState(version.state), action, pip_facts(version, asylum, term), ctx)
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
    check_change_explanation(reason, explanation)
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
    version.drafted_on = today
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
    texts[TextPart.REASON.value] = _entry(explanation, load_client(session, client_id).document_language)
    version.texts = texts
    pip.current_number = version.number
    pip.current_state = PipState.CONCEPT.value
    session.flush()
    return version
