"""Checking answers against their field, and deciding which fields and sections are shown.

An answer is stored exactly as typed (its "raw" value: text, option value(s), bool, number or, for a
group, a list of entries mapping sub-field ids to raw values). Checking never changes it: an invalid
answer is kept and flagged with one Dutch sentence, so nothing the klantmanager typed is lost.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.dates import InvalidDate, PartialDate
from app.domain.identifiers import is_valid_bsn, is_valid_v_nummer, normalise_identifier
from app.forms.schema import Check, Condition, ConditionOp, Field, FieldType, FormDefinition, Section
from app.forms.texts import form_text
from app.i18n import _
from app.i18n.countries import country_name

Answers = Mapping[str, Any]

DEFAULT_MAX_TEXT = 300
DEFAULT_MAX_LONG_TEXT = 4000
# C0 and C1 control characters other than tab, newline and carriage return. Format characters such as
# the right-to-left mark or the zero-width joiner are legitimate in names and are not flagged.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Meanings (the form's `meaning` tags) the interface treats specially (issue 16): the nationality is
# chosen from CLDR's country list and kept as an alpha-3 code; the mother tongue is pre-filled.
NATIONALITY = "person.nationality"
MOTHER_TONGUE = "language.mother_tongue"


@dataclass(frozen=True)
class Checked:
    """value: the normalised answer (None when empty or invalid); problem: a Dutch sentence or None."""

    value: Any
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def is_empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple | dict):
        return len(raw) == 0
    return False


def check_answer(item: Field, raw: Any, today: dt.date | None = None) -> Checked:
    """Check one answer. An empty answer is fine here; required answers are counted by `missing_required`."""
    if is_empty(raw):
        return Checked(None)
    today = today or dt.date.today()
    kind = item.type
    if kind in (FieldType.TEXT, FieldType.LONG_TEXT):
        return _check_text(item, raw)
    if kind is FieldType.NUMBER or kind is FieldType.SCALE:
        return _check_number(item, raw)
    if kind is FieldType.DATE:
        return _check_date(item, raw, today)
    if kind is FieldType.YES_NO:
        if isinstance(raw, bool):
            return Checked(raw)
        return Checked(None, _("Kies ja of nee."))
    if kind is FieldType.CHOICE:
        if isinstance(raw, str) and item.option(raw):
            return Checked(raw)
        return Checked(None, _("Kies een van de mogelijkheden."))
    if kind is FieldType.MULTI_CHOICE:
        if isinstance(raw, list) and all(isinstance(v, str) and item.option(v) for v in raw):
            return Checked([o.value for o in item.options if o.value in raw])
        return Checked(None, _("Kies alleen uit de mogelijkheden."))
    return _check_group(item, raw, today)


def _check_text(item: Field, raw: Any) -> Checked:
    if not isinstance(raw, str):
        return Checked(None, _("Dit antwoord moet tekst zijn."))
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n"))
    if _CONTROL.search(text):
        return Checked(
            None, _("De tekst bevat onzichtbare stuurtekens; typ hem opnieuw of plak hem als platte tekst.")
        )
    if item.type is FieldType.TEXT and "\n" in text.strip():
        return Checked(None, _("Dit veld is één regel; zet meer tekst in een toelichting."))
    text = text.strip()
    limit = item.max_length or (DEFAULT_MAX_TEXT if item.type is FieldType.TEXT else DEFAULT_MAX_LONG_TEXT)
    if len(text) > limit:
        return Checked(
            None,
            _("De tekst is {length} tekens; maximaal {limit} past. Kort hem in.").format(
                length=len(text), limit=limit
            ),
        )
    if item.min_length and len(text) < item.min_length:
        return Checked(None, _("Typ minstens {count} tekens.").format(count=item.min_length))
    if item.check is Check.BSN:
        number = normalise_identifier(text)
        if not is_valid_bsn(number):
            return Checked(
                None,
                _("Dit is geen geldig BSN (9 cijfers die de elfproef doorstaan); controleer het nummer."),
            )
        return Checked(number)
    if item.check is Check.V_NUMMER:
        number = normalise_identifier(text)
        if not is_valid_v_nummer(number):
            return Checked(None, _("Een V-nummer is 10 cijfers; controleer het nummer."))
        return Checked(number)
    return Checked(text)


def _check_number(item: Field, raw: Any) -> Checked:
    if isinstance(raw, bool):
        return Checked(None, _("Typ een getal."))
    number: float
    if isinstance(raw, int | float):
        number = raw
    elif isinstance(raw, str):
        try:
            number = float(raw.strip().replace(",", "."))
        except ValueError:
            return Checked(None, _("Typ een getal, zoals 12."))
    else:
        return Checked(None, _("Typ een getal, zoals 12."))
    if number != number or number in (float("inf"), float("-inf")):
        return Checked(None, _("Typ een getal, zoals 12."))
    if (item.integer or item.type is FieldType.SCALE) and number != int(number):
        return Checked(None, _("Typ een heel getal."))
    if (
        item.minimum is not None
        and number < item.minimum
        or item.maximum is not None
        and number > item.maximum
    ):
        return Checked(
            None,
            _("Kies een getal van {low} tot en met {high}.").format(
                low=_fmt(item.minimum), high=_fmt(item.maximum)
            ),
        )
    return Checked(int(number) if number == int(number) else number)


def _fmt(value: float | None) -> str:
    if value is None:
        return "…"
    return str(int(value)) if value == int(value) else str(value)


def _check_date(item: Field, raw: Any, today: dt.date) -> Checked:
    if not isinstance(raw, str):
        return Checked(None, _("Typ een datum als JJJJ-MM-DD."))
    try:
        date = PartialDate.parse(raw)
    except InvalidDate as error:
        return Checked(None, str(error))
    if not date.is_complete and not item.partial:
        return Checked(None, _("Typ de volledige datum als JJJJ-MM-DD."))
    if item.min_year is not None and date.year < item.min_year:
        return Checked(
            None, _("Een datum vóór {year} kan hier niet; controleer het jaar.").format(year=item.min_year)
        )
    if item.not_future and date.earliest() > today:
        return Checked(None, _("Deze datum ligt in de toekomst; controleer hem."))
    return Checked(str(date))


def _check_group(item: Field, raw: Any, today: dt.date) -> Checked:
    if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
        return Checked(None, _("Deze lijst kon niet worden gelezen."))
    for number, entry in enumerate(raw, 1):
        for sub, problem in entry_problems(item, entry, today).items():
            label = form_text(item.subfield(sub).label) if item.subfield(sub) else sub  # type: ignore[union-attr]
            return Checked(
                None,
                _("{entry} {number}, {field}: {problem}").format(
                    entry=form_text(item.entry_label), number=number, field=label, problem=problem
                ),
            )
    if item.maximum is not None and len(raw) > item.maximum:
        return Checked(None, _("Maximaal {count} invullen.").format(count=_fmt(item.maximum)))
    return Checked(raw)


def entry_problems(group: Field, entry: Mapping[str, Any], today: dt.date | None = None) -> dict[str, str]:
    """Problems per sub-field of one group entry (empty required sub-fields included)."""
    problems: dict[str, str] = {}
    for sub in group.fields:
        if not condition_holds_all(sub.conditions, entry):
            continue
        value = entry.get(sub.id)
        if sub.required and is_empty(value):
            problems[sub.id] = _("Dit is verplicht.")
            continue
        checked = check_answer(sub, value, today)
        if checked.problem:
            problems[sub.id] = checked.problem
    return problems


# --- conditions ---------------------------------------------------------------------------------


def condition_holds(condition: Condition, answers: Answers) -> bool:
    raw = answers.get(condition.field_id)
    op, expected = condition.op, condition.value
    if op is ConditionOp.ANSWERED:
        return (not is_empty(raw)) == bool(expected)
    if is_empty(raw):
        return op is ConditionOp.NOT_EQUALS
    if op is ConditionOp.EQUALS:
        return bool(raw == expected)
    if op is ConditionOp.NOT_EQUALS:
        return bool(raw != expected)
    if op is ConditionOp.IN:
        return raw in expected
    if op is ConditionOp.CONTAINS:
        return isinstance(raw, list) and expected in raw
    try:
        number = float(str(raw).replace(",", "."))
    except ValueError:
        return False
    return number >= expected if op is ConditionOp.AT_LEAST else number <= expected


def condition_holds_all(conditions: tuple[Condition, ...], answers: Answers) -> bool:
    return all(condition_holds(c, answers) for c in conditions)


def section_visible(section: Section, answers: Answers) -> bool:
    return condition_holds_all(section.conditions, answers)


def field_visible(definition: FormDefinition, item: Field, answers: Answers) -> bool:
    """Shown when its section is shown, its own conditions hold, and the fields they name are shown."""
    section = definition.section_of(item.id)
    if section is not None and not section_visible(section, answers):
        return False
    for condition in item.conditions:
        target = definition.field(condition.field_id)
        if target is not None and not field_visible(definition, target, answers):
            return False  # a condition on a hidden answer does not hold (the loader ruled out cycles)
        if not condition_holds(condition, answers):
            return False
    return True


def format_answer(item: Field, raw: Any, language: str | None = None) -> str:
    """An answer as a reader sees it (history, export, print): option labels, Ja/Nee, entries per line."""
    if is_empty(raw):
        return ""
    if item.meaning == NATIONALITY and isinstance(raw, str):
        return country_name(raw, language) or raw
    if item.type is FieldType.YES_NO and isinstance(raw, bool):
        return _("Ja") if raw else _("Nee")
    if item.type is FieldType.CHOICE and isinstance(raw, str):
        option = item.option(raw)
        return form_text(option.label, language) if option else raw
    if item.type is FieldType.MULTI_CHOICE and isinstance(raw, list):
        labels = [form_text(o.label, language) if (o := item.option(str(v))) else str(v) for v in raw]
        return ", ".join(labels)
    if item.type is FieldType.GROUP and isinstance(raw, list):
        lines = []
        for number, entry in enumerate(raw, 1):
            parts = []
            for sub in item.fields:
                value = entry.get(sub.id) if isinstance(entry, dict) else None
                if not is_empty(value):
                    parts.append(f"{form_text(sub.label, language)}: {format_answer(sub, value, language)}")
            lines.append(f"{form_text(item.entry_label, language)} {number}: " + "; ".join(parts))
        return "\n".join(lines)
    if item.type is FieldType.DATE and isinstance(raw, str):
        # Shown one way everywhere (issue 16): 25-07-1997, 07-1997 or 1997; stored ISO stays ISO.
        try:
            return PartialDate.parse(raw).dutch()
        except InvalidDate:
            return raw
    return str(raw)
