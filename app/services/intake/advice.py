"""The route advice from an intake's answers, and concluding the intake with the klantmanager's choice."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from app.domain.dates import InvalidDate, PartialDate
from app.domain.enums import Leerroute, Role
from app.domain.intake_rules import (
    IntakeFacts,
    LearnabilityOutcome,
    Literacy,
    RouteAdvice,
    RouteSettings,
    advise_route,
    cesuur_on,
    learnability_outcome,
    outcome_label,
    route_deviates_from_test,
)
from app.domain.wording import has_words
from app.forms import (
    FormDefinition,
    check_answer,
    default_registry,
    field_visible,
    form_text,
    missing_required,
)
from app.forms.progress import Missing, invalid_answers
from app.i18n import _
from app.models.client import Client
from app.models.intake import Intake, IntakeStatus
from app.services.intake.records import (
    IntakeRefused,
    IntakeSettings,
    _definition_for,
    _editable,
    _get,
    current_intake,
)

# -- advice and conclusion ---------------------------------------------------------------------


def _valid(definition: FormDefinition, answers: Mapping[str, Any], meaning: str, today: dt.date) -> Any:
    item = definition.field_with_meaning(meaning)
    if item is None or not field_visible(definition, item, answers):
        return None
    return check_answer(item, answers.get(item.id), today).value


def intake_facts(
    definition: FormDefinition,
    answers: Mapping[str, Any],
    cesuur: int,
    today: dt.date,
    birth_date: str | None = None,
) -> IntakeFacts:
    """The facts the route advice weighs, read from the fields tagged with a `meaning` in the definition."""
    taken = _valid(definition, answers, "learnability.taken", today)
    score = _valid(definition, answers, "learnability.score", today)
    no_result = _valid(definition, answers, "learnability.outcome", today) == "geen_uitslag"
    duo = _valid(definition, answers, "learnability.duo_outcome", today)
    # The cut-off is national and depends on the test date, not on when the intake started.
    test_date = _valid(definition, answers, "learnability.date", today)
    if isinstance(test_date, str):
        try:
            test_date = dt.date.fromisoformat(test_date)
        except ValueError:
            test_date = None
    cesuur = cesuur_on(test_date if isinstance(test_date, dt.date) else None)
    outcome = learnability_outcome(
        taken,
        score if isinstance(score, int) else None,
        no_result,
        cesuur,
        duo if isinstance(duo, str) else None,
    )
    born = _valid(definition, answers, "person.birth_date", today) or birth_date
    age = None
    if born:
        try:
            age = PartialDate.parse(born).age_on(today)
        except InvalidDate:
            age = None
    literacy = _valid(definition, answers, "education.literacy", today)
    years = _valid(definition, answers, "education.years", today)
    return IntakeFacts(
        outcome=outcome,
        score=score if outcome in (LearnabilityOutcome.HAALBAAR, LearnabilityOutcome.NIET_HAALBAAR) else None,
        age=age,
        school_years=int(years) if years is not None else None,
        education_level=_valid(definition, answers, "education.level", today),
        literacy=Literacy(literacy) if literacy in {lit.value for lit in Literacy} else None,
        wants_study=_valid(definition, answers, "education.wants_study", today),
        dutch_level=_valid(definition, answers, "language.dutch_level", today),
        health_limits=bool(_valid(definition, answers, "health.physical_limit", today))
        or bool(_valid(definition, answers, "health.mental_limit", today)),
        cesuur=cesuur,
    )


def advice_for(
    session: Session, intake: Intake, settings: IntakeSettings, today: dt.date
) -> tuple[RouteAdvice, IntakeFacts]:
    """Advice from all answers (also sections the current role cannot see: the advice needs them)."""
    client = session.get(Client, intake.client_id)
    return advice_from(intake, client.birth_date if client else None, settings, today)


def advice_from(
    intake: Intake, birth_date: str | None, settings: IntakeSettings, today: dt.date
) -> tuple[RouteAdvice, IntakeFacts]:
    """`advice_for` with the client's date of birth given (the demo data has no session to ask)."""
    definition = _definition_for(intake, default_registry())
    answers = {k: v.get("value") for k, v in intake.answers.items()}
    facts = intake_facts(definition, answers, intake.cesuur, today, birth_date)
    route_settings = RouteSettings(
        cesuur=intake.cesuur,
        onderwijs_max_age=settings.route.onderwijs_max_age,
        min_school_years_b1=settings.route.min_school_years_b1,
        max_school_years_z=settings.route.max_school_years_z,
    )
    return advise_route(facts, route_settings), facts


def conclude(
    session: Session,
    intake_id: uuid.UUID,
    chosen_route: Leerroute,
    justification: str,
    actor: str,
    role: Role,
    settings: IntakeSettings,
    today: dt.date,
) -> RouteAdvice:
    """Conclude the intake with the klantmanager's route choice; refuses with what is still missing."""
    return conclude_intake(
        session, _get(session, intake_id), chosen_route, justification, actor, role, settings, today
    )


def conclude_intake(
    session: Session,
    intake: Intake,
    chosen_route: Leerroute,
    justification: str,
    actor: str,
    role: Role,
    settings: IntakeSettings,
    today: dt.date,
) -> RouteAdvice:
    """`conclude` on an intake object (also one not yet flushed)."""
    client = session.get(Client, intake.client_id)
    birth_date = client.birth_date if client else None
    return conclude_record(intake, birth_date, chosen_route, justification, actor, role, settings, today)


def conclude_record(
    intake: Intake,
    birth_date: str | None,
    chosen_route: Leerroute,
    justification: str,
    actor: str,
    role: Role,
    settings: IntakeSettings,
    today: dt.date,
    advice: RouteAdvice | None = None,
    facts: IntakeFacts | None = None,
) -> RouteAdvice:
    """`conclude_intake` with the client's date of birth given: also for an intake outside any
    session, as the demo data makes them (app/services/intake/demo.py), which passes the `advice`
    it has just asked `advice_from` for these answers (and the facts that advice weighed)."""
    _editable(intake)
    if role is Role.INTERPRETER:
        raise IntakeRefused(_("Alleen de klantmanager kan de intake afronden."))
    definition = _definition_for(intake, default_registry())
    answers = {k: v.get("value") for k, v in intake.answers.items()}
    missing = missing_required(definition, answers)
    if missing:
        raise IntakeRefused(
            _(
                "Er ontbreken nog {count} verplichte antwoorden; vul ze in voordat u de intake afrondt."
            ).format(count=len(missing)),
            missing,
        )
    problems = invalid_answers(definition, answers, today)
    if problems:
        field_id, problem = problems[0]
        item = definition.field(field_id)
        section = definition.section_of(field_id)
        jump = [Missing(section.id, field_id, item.label)] if item and section else []
        raise IntakeRefused(
            _("Het antwoord bij '{label}' klopt niet: {problem}").format(
                label=form_text(item.label) if item else field_id, problem=problem
            ),
            jump,
        )
    if not intake.privacy_explained:
        raise IntakeRefused(
            _("Leg eerst vast dat de privacyverklaring is uitgelegd, in welke taal en met welke tolk.")
        )
    if advice is None or facts is None:
        advice, facts = advice_from(intake, birth_date, settings, today)
    if not has_words(justification):
        if advice.route is not None and chosen_route is not advice.route:
            raise IntakeRefused(
                _("De gekozen leerroute wijkt af van het advies; schrijf een onderbouwing voordat u afrondt.")
            )
        if route_deviates_from_test(chosen_route, facts.outcome.value):
            # Also when the advice itself went against the test (DOMAIN.md "More rules").
            raise IntakeRefused(
                _(
                    "De gekozen leerroute wijkt af van de uitslag van de leerbaarheidstoets ({outcome}); "
                    "schrijf een onderbouwing voordat u afrondt."
                ).format(outcome=outcome_label(facts.outcome))
            )
    intake.advised_route = advice.route.value if advice.route else None
    intake.advice_reasons = list(advice.reasons)
    intake.chosen_route = chosen_route.value
    intake.route_justification = justification.strip() if has_words(justification) else None
    intake.status = IntakeStatus.CONCLUDED.value
    intake.concluded_on = today
    intake.concluded_by = actor
    return advice


def route_advice_for_client(
    session: Session,
    client_id: uuid.UUID,
    settings: IntakeSettings | None = None,
    today: dt.date | None = None,
) -> tuple[RouteAdvice, int | None] | None:
    """The advice of the client's current intake and its test score, for the PIP (app/services/pip/records.py)."""
    intake = current_intake(session, client_id)
    if intake is None:
        return None
    advice, facts = advice_for(session, intake, settings or IntakeSettings(), today or dt.date.today())
    return advice, facts.score
