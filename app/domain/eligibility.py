"""Who has the integration duty (DOMAIN.md "Groups", "More rules"): from the minimum age up to the
AOW age, assessed from the day the IND made the residence right known.

The AOW age is dated data by date of birth (resources/law/aow_leeftijd.json, with its source), not a
constant. A partly known birth date ("2007", "1958-03") is read at both ends: when the two readings
disagree, the duty is *uncertain* ("leeftijd onzeker") and counts as obliged until the klantmanager
decides, so it is never silently withheld. Without the duty there is no PIP and no PIP document;
the refusal says so in one sentence, written here once for drafting and printing alike.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
from dataclasses import dataclass

from app.domain.dates import InvalidDate, PartialDate
from app.domain.deadlines import add_months
from app.domain.enums import NOT_OBLIGED_GROUPS
from app.domain.pip_lifecycle import PipRefused
from app.i18n import N_, _
from app.resources import resources_dir

# The minimum age of the integration duty: a setting, this is the default.
DEFAULT_MINIMUM_AGE = 18
# Kept for callers that pass a fixed upper age; by default the dated AOW table decides.
DEFAULT_AOW_AGE = 67

NOT_OBLIGED_REFUSAL = N_(
    "Deze cliënt is niet inburgeringsplichtig (jonger dan {minimum} of ouder dan de AOW-leeftijd); "
    "een PIP is niet nodig."
)
NOT_OBLIGED_GROUP_REFUSAL = N_(
    "Deze cliënt valt onder de tijdelijke bescherming en is niet inburgeringsplichtig; een PIP is niet nodig."
)
AGE_UNCERTAIN = N_("leeftijd onzeker")
AGE_UNCERTAIN_QUESTION = N_(
    "De geboortedatum is maar deels bekend; daardoor is onzeker of deze cliënt inburgeringsplichtig is. "
    "Vraag de volledige geboortedatum na en leg die vast."
)


@dataclass(frozen=True)
class AowPeriod:
    born_from: dt.date
    born_to: dt.date
    years: int
    months: int


@functools.cache
def aow_table() -> tuple[AowPeriod, ...]:
    """The AOW ages by date of birth, from resources/law/aow_leeftijd.json (dated data)."""
    data = json.loads((resources_dir() / "law" / "aow_leeftijd.json").read_text(encoding="utf-8"))
    return tuple(
        AowPeriod(
            dt.date.fromisoformat(p["born_from"]),
            dt.date.fromisoformat(p["born_to"]),
            int(p["years"]),
            int(p["months"]),
        )
        for p in data["periods"]
    )


@functools.lru_cache(maxsize=1 << 16)
def aow_date(born: dt.date) -> dt.date:
    """The day the person reaches the AOW age (the table's row for their date of birth)."""
    table = aow_table()
    # Born after the last row: the last known age, a lower bound the law sets five years ahead.
    row = next(
        (p for p in table if p.born_from <= born <= p.born_to),
        table[0] if born < table[0].born_from else table[-1],
    )
    return add_months(born, row.years * 12 + row.months)


class Duty(enum.StrEnum):
    OBLIGED = "plichtig"
    MINOR = "minderjarig"
    AOW = "aow_leeftijd"
    UNCERTAIN = "leeftijd_onzeker"


def _duty_for(
    born: dt.date, today: dt.date, assessed_on: dt.date, minimum_age: int, max_age: int | None
) -> Duty:
    if add_months(born, minimum_age * 12) > today:
        return Duty.MINOR
    aow = add_months(born, max_age * 12) if max_age is not None else aow_date(born)
    if aow <= assessed_on:
        return Duty.AOW
    return Duty.OBLIGED


def duty_on(
    birth_date: str,
    today: dt.date,
    melddatum: dt.date | None = None,
    minimum_age: int = DEFAULT_MINIMUM_AGE,
    maximum_age: int | None = None,
) -> Duty:
    """The duty on `today`: adult on `today` (a child who turns 18 becomes obliged), and not yet at
    the AOW age on the day the residence right was made known (`melddatum`; today when unknown).
    An unreadable birth date counts as obliged: the klantmanager decides."""
    return _duty_on(birth_date, today, melddatum, minimum_age, maximum_age)


# A pure function of its arguments, asked several times per client by the caseload, the intake and
# the PIP (10,000 clients: tens of thousands of partial-date parses); remembered (issue 15). Always
# called with all five arguments, so the same question has the same key.
@functools.lru_cache(maxsize=1 << 16)
def _duty_on(
    birth_date: str, today: dt.date, melddatum: dt.date | None, minimum_age: int, maximum_age: int | None
) -> Duty:
    readings = birth_range(birth_date)
    if readings is None:
        return Duty.OBLIGED
    assessed_on = melddatum or today
    early = _duty_for(readings[0], today, assessed_on, minimum_age, maximum_age)
    late = _duty_for(readings[1], today, assessed_on, minimum_age, maximum_age)
    if early is late:
        return early
    return Duty.UNCERTAIN


@functools.lru_cache(maxsize=1 << 16)
def birth_range(birth_date: str) -> tuple[dt.date, dt.date] | None:
    """The earliest and the latest day a (partly known) birth date can be; None when unreadable.
    Remembered: asked for every client on every day the caseload is listed for."""
    try:
        partial = PartialDate.parse(birth_date)
    except InvalidDate:
        return None
    return partial.earliest(), partial.latest()


def is_obliged(
    birth_date: str,
    today: dt.date,
    minimum_age: int = DEFAULT_MINIMUM_AGE,
    maximum_age: int | None = None,
    melddatum: dt.date | None = None,
) -> bool:
    """Obliged, or uncertain (then the duty is kept until the klantmanager decides)."""
    return duty_on(birth_date, today, melddatum, minimum_age, maximum_age) in (Duty.OBLIGED, Duty.UNCERTAIN)


def age_uncertain(birth_date: str, today: dt.date, melddatum: dt.date | None = None) -> bool:
    return duty_on(birth_date, today, melddatum) is Duty.UNCERTAIN


def is_minor(birth_date: str, today: dt.date, minimum_age: int = DEFAULT_MINIMUM_AGE) -> bool:
    """Certainly younger than the minimum age (a household member who is a child)."""
    return duty_on(birth_date, today, None, minimum_age) is Duty.MINOR


def group_is_obliged(target_group: str) -> bool:
    """Tijdelijke bescherming is recorded, not obliged: no intake duty, no PIP, no deadlines."""
    return target_group not in NOT_OBLIGED_GROUPS


def check_obliged(
    birth_date: str,
    today: dt.date,
    minimum_age: int = DEFAULT_MINIMUM_AGE,
    melddatum: dt.date | None = None,
    target_group: str = "asiel",
) -> None:
    """Refuse a PIP (drafting or printing) for someone without the integration duty."""
    if not group_is_obliged(target_group):
        raise PipRefused(_(NOT_OBLIGED_GROUP_REFUSAL))
    if not is_obliged(birth_date, today, minimum_age, melddatum=melddatum):
        raise PipRefused(_(NOT_OBLIGED_REFUSAL).format(minimum=minimum_age))
