"""What the brede intake hands to a first PIP concept: the route advice with its reasons, a few
answers, and the interpreter of the intake's conversations (the PIP conversation usually has the same).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import Leerroute
from app.domain.intake_vocabulary import InterpreterKind
from app.models.intake import Intake, IntakeStatus
from app.services.intake.advice import advice_for
from app.services.intake.records import IntakeSettings


def as_route(value: str | None) -> Leerroute | None:
    return Leerroute(value) if value else None


@dataclass(frozen=True)
class IntakePrefill:
    """What the brede intake hands to the PIP: the route advice with its reasons, and a few answers."""

    advised_route: Leerroute | None = None
    explanation: str = ""
    chosen_route: Leerroute | None = None
    justification: str = ""
    score: int | None = None
    outcome: str | None = None
    childcare_needed: bool | None = None
    begeleiding: bool | None = None
    ontzorgen_form: str | None = None
    # The interpreter of the latest intake conversation that had one (name, register number).
    interpreter_name: str = ""
    interpreter_register: str = ""


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
    try:
        outcome: str | None = advice_for(session, intake, IntakeSettings(), dt.date.today())[1].outcome.value
    except (ValueError, KeyError):  # a form this version cannot read: no test result to compare with
        outcome = None
    interpreted = [
        conversation
        for conversation in sorted(intake.sessions, key=lambda c: c.held_on)
        if conversation.interpreter_kind != InterpreterKind.NONE.value and conversation.interpreter_name
    ]
    last = interpreted[-1] if interpreted else None
    childcare = _answer(answers, "kinderopvang_nodig")
    begeleiding = _answer(answers, "maatschappelijke_begeleiding")
    return IntakePrefill(
        advised_route=as_route(intake.advised_route),
        explanation=" ".join(intake.advice_reasons or []),
        chosen_route=as_route(intake.chosen_route),
        justification=intake.route_justification or "",
        score=score,
        outcome=outcome,
        childcare_needed=childcare if isinstance(childcare, bool) else None,
        begeleiding=begeleiding if isinstance(begeleiding, bool) else None,
        ontzorgen_form=forms.get(form) if isinstance(form, str) else None,
        interpreter_name=(last.interpreter_name or "") if last else "",
        interpreter_register=(last.interpreter_register or "") if last else "",
    )
