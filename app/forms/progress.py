"""Progress of an intake per section, and the required answers still missing."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from app.domain.enums import Role
from app.forms.answers import Answers, check_answer, field_visible, is_empty, section_visible
from app.forms.schema import FormDefinition, Section


class SectionState(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    HAS_PROBLEMS = "has_problems"


@dataclass(frozen=True)
class Missing:
    section_id: str
    field_id: str
    label: str  # msgid of the field


@dataclass(frozen=True)
class SectionProgress:
    section_id: str
    state: SectionState
    answered: int
    shown: int  # fields currently shown
    problems: int
    missing: int  # required fields shown but not answered


def section_progress(
    definition: FormDefinition,
    section: Section,
    answers: Answers,
    marked_complete: bool,
    today: dt.date | None = None,
) -> SectionProgress:
    """Complete means: the klantmanager marked it complete and nothing required is missing or invalid."""
    shown = answered = problems = missing = 0
    if section_visible(section, answers):
        for item in section.fields:
            if not field_visible(definition, item, answers):
                continue
            shown += 1
            raw = answers.get(item.id)
            if is_empty(raw):
                missing += item.required
                continue
            answered += 1
            problems += check_answer(item, raw, today).problem is not None
    if problems or (marked_complete and missing):
        state = SectionState.HAS_PROBLEMS
    elif marked_complete:
        state = SectionState.COMPLETE
    elif answered:
        state = SectionState.IN_PROGRESS
    else:
        state = SectionState.NOT_STARTED
    return SectionProgress(section.id, state, answered, shown, problems, missing)


def missing_required(definition: FormDefinition, answers: Answers, role: Role | None = None) -> list[Missing]:
    """Every shown required field without an answer, in form order (for "conclude" and jump-to)."""
    result = []
    for section in definition.sections:
        if role is not None and not section.visible_to(role):
            continue
        if not section_visible(section, answers):
            continue
        for item in section.fields:
            if role is not None and not item.visible_to(role):
                continue
            if item.required and is_empty(answers.get(item.id)) and field_visible(definition, item, answers):
                result.append(Missing(section.id, item.id, item.label))
    return result


def invalid_answers(
    definition: FormDefinition, answers: Answers, today: dt.date | None = None
) -> list[tuple[str, str]]:
    """(field id, Dutch problem) for every shown answer that does not pass its checks."""
    result = []
    for item in definition.fields():
        raw = answers.get(item.id)
        if is_empty(raw) or not field_visible(definition, item, answers):
            continue
        problem = check_answer(item, raw, today).problem
        if problem:
            result.append((item.id, problem))
    return result
